#include "server/pages/live_state.h"

#include <algorithm>
#include <cstdlib>

#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/entry.h"
#include "projections/fact.h"
#include "projections/store.h"

namespace evident::server::pages {

int GuskeyLevelOf(const std::string& type) {
  if (type == "ReactionSurveySubmitted") return 1;
  if (type == "LearningAssessed") return 2;
  if (type == "OrganizationalSupportRecorded") return 3;
  if (type == "ObservationRecorded" || type == "CoachingSessionLogged" ||
      type == "CoachingCycleOpened" || type == "CoachingCycleClosed") {
    return 4;
  }
  if (type == "StudentOutcomeMeasured") return 5;
  return 0;
}

const char* GuskeyLevelName(int level) {
  switch (level) {
    case 1: return "Participants' reactions";
    case 2: return "Participants' learning";
    case 3: return "Organisational support and change";
    case 4: return "Use of new knowledge and skills";
    case 5: return "Student learning outcomes";
    default: return "Other";
  }
}

std::string EventLabel(const std::string& type) {
  static const std::map<std::string, std::string> kLabels = {
      {"PersonRegistered", "Registered by HR"},
      {"AssignmentChanged", "Assignment"},
      {"SiteRegistered", "Site registered"},
      {"ProgramDefined", "Programme defined"},
      {"SessionScheduled", "Session scheduled"},
      {"BudgetAllocated", "Budget allocated"},
      {"CostIncurred", "Cost"},
      {"SubstituteCoverageRecorded", "Substitute cover"},
      {"TimeAndEffortCertified", "Time-and-effort certification"},
      {"ParticipantRegistered", "Enrolment"},
      {"AttendanceRecorded", "Attendance"},
      {"ParticipationCompleted", "Completion"},
      {"ReactionSurveySubmitted", "Exit survey"},
      {"LearningAssessed", "Learning assessment"},
      {"OrganizationalSupportRecorded", "Support from the school"},
      {"ObservationRecorded", "Classroom observation"},
      {"CoachingCycleOpened", "Coaching cycle opened"},
      {"CoachingSessionLogged", "Coaching session"},
      {"CoachingCycleClosed", "Coaching cycle closed"},
      {"GoalSet", "Goal set"},
      {"GoalCompleted", "Goal reviewed"},
      {"EvaluationRatingFinalized", "Summative evaluation rating"},
      {"StudentOutcomeMeasured", "Student outcome"},
      {"RecordCorrected", "Correction"},
      {"RecordVoided", "Void"},
      {"KeyRegistered", "Key registered"},
      {"KeyRevoked", "Key revoked"},
      {"AuditAttested", "Audit attestation"},
      {"ProgramReviewed", "Programme review"}};
  auto it = kLabels.find(type);
  return it == kLabels.end() ? type : it->second;
}

std::string Snapshot::ProgramTitle(const std::string& program) const {
  auto it = program_titles.find(program);
  return it == program_titles.end() || it->second.empty() ? program : it->second;
}

std::string Snapshot::PersonOf(uint64_t position) const {
  auto it = person_of.find(position);
  return it == person_of.end() ? std::string() : it->second;
}

std::string Snapshot::SiteOf(const std::string& person) const {
  auto it = figures.people.find(person);
  return it == figures.people.end() ? std::string() : it->second.site;
}

void LiveState::IndexEvent(uint64_t position, std::string_view bytes) {
  auto entry = ParseEntry(bytes);
  if (!entry.ok()) return;  // the projector reports it
  auto event = ParseEvent(AsView(entry.value()->event()));
  if (!event.ok()) return;
  const schema::Subject* subject = event.value()->subject();
  std::string person = subject && subject->person_id() ? subject->person_id()->str() : "";
  if (person.empty()) {
    // A correction or void names its person through the entry it amends
    // (the projector, which has applied it, knows which).
    const auto* amendment = projector_.state().amendment.Find(projections::PositionKey(position));
    if (amendment != nullptr && amendment->amended_position >= 0) {
      auto it = person_of_.find(static_cast<uint64_t>(amendment->amended_position));
      if (it != person_of_.end()) person = it->second;
    }
  }
  if (person.empty()) return;
  person_of_[position] = person;
  EventRef ref;
  ref.position = position;
  ref.type = event.value()->event_type()->str();
  ref.date = event.value()->occurred_at()->str().substr(0, 10);
  if (subject && subject->program_id()) ref.program = subject->program_id()->str();
  if (subject && subject->site_id()) ref.site = subject->site_id()->str();
  person_events_[person].push_back(std::move(ref));
}

Status LiveState::FoldTo(uint64_t size) {
  Status failed;
  EVIDENT_RETURN_IF_ERROR(ledger_->Scan(
      projector_.position(), size, [&](uint64_t position, std::string_view bytes) {
        const std::string entry(bytes);  // aligned for FlatBuffers
        failed = projector_.Apply(position, entry);
        if (!failed.ok()) return false;
        IndexEvent(position, entry);
        return true;
      }));
  EVIDENT_RETURN_IF_ERROR(failed);
  if (projector_.position() != size) {
    return Status::Corruption("the log ended at " + std::to_string(projector_.position()) +
                              " before its checkpoint's size " + std::to_string(size));
  }
  return Status::OK();
}

StatusOr<std::shared_ptr<const Snapshot>> LiveState::Current() {
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (snapshot_ && now - made_at_ < refresh_) return snapshot_;
  auto note = ledger_->LatestCheckpointNote();
  if (!note.ok()) return note.status();
  auto checkpoint = ParseCheckpointText(note->substr(0, note->find("\n\n") + 1));
  if (!checkpoint.ok()) return checkpoint.status();
  if (snapshot_ && snapshot_->size == checkpoint->size) {
    made_at_ = now;
    return snapshot_;
  }
  EVIDENT_RETURN_IF_ERROR(FoldTo(checkpoint->size));

  auto snap = std::make_shared<Snapshot>();
  snap->size = checkpoint->size;
  auto cosigned = ledger_->CosignedCheckpointNote(checkpoint->size);
  snap->checkpoint = cosigned.ok() ? cosigned.value() : note.value();
  snap->origin = checkpoint->origin;
  snap->root_hex = HexEncode(checkpoint->root);
  const projections::FactState& state = projector_.state();
  snap->figures = projections::ComputeFigures(state, projector_.last_day());
  snap->as_of = projections::DateOf(snap->figures.as_of_day);
  for (const auto& [person, context] : snap->figures.people) {
    if (!context.site.empty()) snap->site_people[context.site].push_back(person);
  }
  for (const auto& [program, versions] : state.program.rows()) {
    if (!versions.items.empty()) snap->program_titles[program] = versions.items.back().title;
  }
  for (const auto& [program, decisions] : state.decision.rows()) {
    if (!decisions.items.empty()) snap->decisions[program] = decisions.items;
  }
  snap->person_events = person_events_;
  snap->person_of = person_of_;
  for (const auto& [key, a] : state.amendment.rows()) {
    if (a.empty() || a.amended_position < 0) continue;
    const uint64_t position = std::strtoull(key.c_str(), nullptr, 10);  // PositionKey
    const uint64_t target = static_cast<uint64_t>(a.amended_position);
    snap->amended_by[target].push_back({position, a.voided, a.reason, a.outcome});
    snap->amends[position] = target;
  }
  for (auto& [target, list] : snap->amended_by) {
    std::sort(list.begin(), list.end(),
              [](const AmendmentRef& x, const AmendmentRef& y) { return x.position < y.position; });
  }
  const projections::LogContext log = projections::LogContextAt(ledger_, checkpoint->size);
  snap->compliance = projections::ComplianceView(state, snap->figures, log);
  snapshot_ = std::move(snap);
  made_at_ = now;
  return snapshot_;
}

}  // namespace evident::server::pages
