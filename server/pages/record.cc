// One person's record: what the district invested in them, their hours
// against the 14- and 49-hour marks, their evidence at each Guskey level,
// each programme's standing and what is owed on each side, every event in
// the log about them (each linked to its entry and proof), and who else
// looked. Also the office's corrections and erasures of directory entries.

#include "projections/report/format.h"
#include "projections/views.h"
#include "server/pages/form.h"
#include "server/pages/handlers.h"
#include "server/pages/words.h"

namespace evident::server::pages {

namespace {

using directory::Role;
namespace report = projections::report;

std::string ComponentLabel(const std::string& component) {
  if (component == "programme_share") return "Share of the programme's costs";
  if (component == "direct") return "Direct cost";
  if (component == "stipend") return "Stipend";
  if (component == "substitute") return "Substitute cover";
  if (component == "coach_time") return "Coach's time";
  if (component == "participant_time") return "Paid time to take part";
  return component;
}

Json EventLine(const EventRef& e, const Snapshot& s) {
  return {{"href", "/entries/" + std::to_string(e.position)},
          {"position", std::to_string(e.position)},
          {"date", e.date},
          {"type", EventLabel(e.type)},
          {"program", e.program.empty() ? "" : s.ProgramTitle(e.program)}};
}

}  // namespace

Response Pages::Handlers::Record(const Request& request, const Viewer& viewer,
                                 const std::string& person) {
  auto state = State();
  if (!state.ok()) return Error(503, state.status().message(), &viewer);
  const Snapshot& s = *state.value();
  // Only a person the log or the directory knows has a record: anything
  // else is a 404, and is written to no access log and no log line.
  auto entry = people_->GetPerson(person);
  if (!s.KnowsPerson(person) && (!entry.ok() || !entry->has_value())) {
    return Error(404, "There is no person " + person + " in the log.", &viewer);
  }
  const bool allowed = MaySeePerson(viewer, person, s);
  RecordView(viewer, person, request.Path(), allowed);
  if (!allowed) {
    Log("refused a view of " + person + "'s record to an account of role " +
        directory::RoleName(viewer.account.role));
    return Error(403, "You may not see this person's record. The attempt has been recorded in "
                      "their access log.",
                 &viewer);
  }
  const bool own = viewer.account.person == person;
  Json c;
  c["id"] = person;
  c["own"] = own;
  if (entry.ok() && entry->has_value()) {
    c["name"] = (*entry)->name;
    c["email"] = (*entry)->email;
    c["title"] = (*entry)->title;
  } else {
    c["name"] = person;
    c["unnamed"] = true;
  }
  // Programme pages are for the office and site leaders.
  const bool link_programmes = viewer.Is(Role::kOffice) || viewer.Is(Role::kSiteLeader);
  const std::string site = s.SiteOf(person);
  c["site"] = site;

  // The district's side: every component, with its fund.
  Json investments = Json::array(), hours = Json::array(), programmes = Json::array();
  int64_t minutes = 0;
  std::map<int32_t, int64_t> by_year;  // fiscal year -> cents
  for (const auto& pp : s.figures.pairs) {
    if (pp.person != person) continue;
    minutes += pp.minutes;
    const std::string title = s.ProgramTitle(pp.program);
    const std::string href = link_programmes ? "/programs/" + PercentEncode(pp.program) : "";
    for (const auto& share : pp.costs) {
      by_year[share.line.fiscal_year] += share.line.cents;
      investments.push_back(
          {{"program", title},
           {"component", ComponentLabel(share.component)},
           {"fund", share.line.fund.empty() ? "not recorded" : share.line.fund},
           {"source", report::FundingSourceLabel(projections::FundingSourceName(share.line.source))},
           {"fiscal_year", report::FiscalYearLabel(share.line.fiscal_year)},
           {"amount", report::Money(share.line.cents)}});
    }
    if (pp.minutes > 0) {
      hours.push_back({{"program", title},
                       {"href", href},
                       {"hours", HoursText(pp.minutes)},
                       {"mark", DoseMark(pp.minutes)},
                       {"reached_14", pp.minutes >= 14 * 60},
                       {"reached_49", pp.minutes >= 49 * 60}});
    }
    programmes.push_back({{"program", title},
                          {"href", href},
                          {"standing", projections::rules::StandingName(pp.standing)},
                          {"completed", pp.completed},
                          {"invested", report::Money(pp.invested_cents)},
                          {"highest_level", pp.highest_level == 0
                                                ? std::string("none yet")
                                                : std::to_string(pp.highest_level)},
                          {"due", LongDay(pp.due_day)}});
  }
  c["investments"] = investments;
  c["hours"] = hours;
  c["programmes"] = programmes;
  Json years = Json::array();
  for (const auto& [year, cents] : by_year) {
    years.push_back({{"year", report::FiscalYearLabel(year)}, {"amount", report::Money(cents)}});
  }
  c["invested_by_year"] = years;
  c["has_investments"] = !investments.empty();
  c["has_hours"] = !hours.empty();
  c["has_programmes"] = !programmes.empty();
  c["total_hours"] = HoursText(minutes);

  // What is owed, on each side, with dates.
  Json owed = Json::array();
  for (const auto& o : s.figures.obligations) {
    if (o.person != person) continue;
    owed.push_back({{"side", o.side == "district" ? "The district owes" : "Owed by " + c["name"].get<std::string>()},
                    {"program", o.program.empty() ? "" : s.ProgramTitle(o.program)},
                    {"kind", o.kind},
                    {"detail", o.detail},
                    {"since", LongDay(o.day)},
                    {"due", LongDay(o.due_day)},
                    {"overdue", o.overdue}});
  }
  c["obligations"] = owed;

  // Evidence at each Guskey level, and every event about the person.
  Json levels = Json::array(), events = Json::array();
  auto found = s.person_events.find(person);
  static const std::vector<EventRef> kNone;
  const std::vector<EventRef>& refs = found == s.person_events.end() ? kNone : found->second;
  for (int level = 1; level <= 5; ++level) {
    Json items = Json::array();
    for (const EventRef& e : refs) {
      if (GuskeyLevelOf(e.type) == level) items.push_back(EventLine(e, s));
    }
    levels.push_back({{"level", std::to_string(level)},
                      {"name", GuskeyLevelName(level)},
                      {"count", std::to_string(items.size())},
                      {"items", items},
                      {"none", items.empty()}});
  }
  std::vector<const EventRef*> by_date;
  for (const EventRef& e : refs) by_date.push_back(&e);
  std::stable_sort(by_date.begin(), by_date.end(),
                   [](const EventRef* a, const EventRef* b) { return a->date > b->date; });
  for (const EventRef* e : by_date) events.push_back(EventLine(*e, s));
  c["levels"] = levels;
  c["events"] = events;
  c["event_count"] = std::to_string(refs.size());

  // Who else looked (the person alone sees this).
  if (own) {
    Json access = Json::array();
    auto records = people_->AccessTo(person, 200);
    auto names = People();
    if (records.ok()) {
      for (const auto& a : records.value()) {
        access.push_back({{"when", WhenText(a.at)},
                          {"who", NameOf(names, a.viewer)},
                          {"role", RoleLabelOf(a.viewer_role)},
                          {"page", a.page},
                          {"allowed", a.allowed}});
      }
    }
    c["access"] = access;
    c["access_none"] = access.empty();
  }
  if (viewer.Is(Role::kOffice) && !own) c["office"] = {{"csrf", viewer.session.csrf}};
  const std::string title = own ? "My record" : "Record of " + c["name"].get<std::string>();
  return Page(200, "record", c, title, &viewer, &s);
}

Response Pages::Handlers::CorrectPerson(const Viewer& viewer, const std::string& person,
                                        const Form& form) {
  if (!viewer.Is(Role::kOffice)) {
    return Error(403, "Only the professional-learning office corrects the directory.", &viewer);
  }
  auto field = [&](const char* name) { return form.count(name) ? form.at(name) : std::string(); };
  directory::Person p;
  p.id = person;
  p.name = field("name");
  p.email = field("email");
  p.title = field("title");
  p.updated_at = NowSeconds();
  Status s = people_->PutPerson(p);
  if (!s.ok()) return Error(400, "The entry was not changed: " + s.message(), &viewer);
  Log("directory entry of " + person + " corrected by the office");
  return Redirect("/people/" + PercentEncode(person));
}

Response Pages::Handlers::ErasePerson(const Viewer& viewer, const std::string& person,
                                      const Form& form) {
  if (!viewer.Is(Role::kOffice)) {
    return Error(403, "Only the professional-learning office erases directory entries.", &viewer);
  }
  if (form.count("confirm") == 0 || form.at("confirm") != person) {
    return Error(400, "To erase, type the person's id (" + person + ") in the box to confirm.",
                 &viewer);
  }
  Status s = people_->Erase(person, viewer.account.person.empty() ? viewer.account.login
                                                                  : viewer.account.person,
                            NowSeconds());
  if (!s.ok()) return Error(s.code() == Status::Code::kNotFound ? 404 : 503, s.message(), &viewer);
  Log("directory entry of " + person + " erased by the office");
  return Redirect("/people/" + PercentEncode(person));
}

}  // namespace evident::server::pages
