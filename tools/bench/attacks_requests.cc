// The attacks through requests of logged-in keys: malformed events, ids and
// sources of other systems, queries, revocation and the log (attacks.h).

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "ledger/coding.h"
#include "schemas/event_generated.h"
#include "server/frame.h"
#include "tools/bench/attacks.h"
#include "tools/bench/stats.h"

namespace evident::bench {
namespace {

using std::chrono::milliseconds;
using EventChange = void (*)(schema::EventT*);

std::string N(size_t n) { return std::to_string(n); }

// The event of `json`, changed by `change` (if not null) through the
// object API and packed again (defaults written, so only the change differs).
StatusOr<std::string> Rebuilt(EventJsonCodec* codec, const std::string& json, EventChange change) {
  auto bytes = codec->FromJson(json);
  if (!bytes.ok()) return bytes.status();
  std::unique_ptr<schema::EventT> event(schema::GetEvent(bytes.value().data())->UnPack());
  if (change != nullptr) change(event.get());
  flatbuffers::FlatBufferBuilder fbb;
  fbb.ForceDefaults(true);
  schema::FinishEventBuffer(fbb, schema::Event::Pack(fbb, event.get()));
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

std::string SurveyJson(const std::string& id) {
  return EnvelopeJson(id, "ReactionSurveySubmitted", kLms,
                      "\"person_id\":\"staff-1\",\"program_id\":\"pd-1\"",
                      "\"survey_identifier\":\"s-1\",\"response_date\":\"2026-01-15\","
                      "\"evaluation_score\":4,\"max_score\":5");
}

std::string CostJson(const std::string& id) {
  return EnvelopeJson(id, "CostIncurred", kLms, "\"program_id\":\"pd-1\",\"fiscal_year\":2026",
                      "\"category\":\"VendorContract\",\"amount_cents\":150000,\"allocation\":"
                      "\"PerParticipant\",\"fund_code\":\"f-1\",\"funding_source\":\"TitleIIA\"");
}

struct Malformation {
  const char* name;
  std::string (*json)(const std::string& id);
  EventChange change;
};

std::string AttendanceJsonOfLms(const std::string& id) { return AttendanceEventJson(id, kLms); }

const Malformation kMalformations[] = {
    {"NaN score", SurveyJson,
     [](schema::EventT* e) {
       e->body.AsReactionSurveySubmitted()->evaluation_score =
           std::numeric_limits<float>::quiet_NaN();
     }},
    {"INT64_MAX cents", CostJson,
     [](schema::EventT* e) {
       e->body.AsCostIncurred()->amount_cents = std::numeric_limits<int64_t>::max();
     }},
    {"enum 99", AttendanceJsonOfLms,
     [](schema::EventT* e) {
       e->body.AsAttendanceRecorded()->attendance_event_category =
           schema::AttendanceEventCategory(99);
     }},
    {"no subject", AttendanceJsonOfLms, [](schema::EventT* e) { e->subject.reset(); }},
};

StatusOr<SignedEvent> SignedMalformed(AttackContext& c, const Malformation& m, bool change) {
  auto bytes = Rebuilt(c.codec, m.json(c.NextEventId()), change ? m.change : nullptr);
  if (!bytes.ok()) return bytes.status();
  return SignEvent(c.keys->lms, std::move(bytes.value()));
}

// An append of `events` by a new connection of `key`: "accepted at
// position N" or the refusal, with the index it names.
std::string AppendAnswer(AttackContext& c, const PrivateKey& key,
                         const std::vector<SignedEvent>& events, bool* accepted = nullptr) {
  auto client = server::Client::Connect(*c.client, key);
  if (!client.ok()) return "could not log in: " + client.status().ToString();
  size_t index = 0;
  auto reply = client.value()->Append(events, &index);
  if (accepted != nullptr) *accepted = reply.ok();
  if (reply.ok()) return "accepted at position " + N(reply.value().results.back().sequence);
  return reply.status().ToString() + " [index " + N(index) + "]";
}

// An append's answer without what the table needs not repeat: "Conflict:
// server: event 0: event 0 (id …): this event id …" -> "Conflict: this
// event id …".
std::string Gist(const std::string& answer) {
  const size_t id = answer.find("(id ");
  const size_t after = id == std::string::npos ? id : answer.find("): ", id);
  if (after == std::string::npos) return answer;
  return answer.substr(0, answer.find(':')) + ": " + answer.substr(after + 3);
}

}  // namespace

Outcome MalformedEvents(AttackContext& c) {
  constexpr size_t kMostAttempts = 400;
  auto client = server::Client::Connect(*c.client, c.keys->lms);
  if (!client.ok()) return {false, "could not log in: " + client.status().ToString()};
  for (const Malformation& m : kMalformations) {  // the valid originals must go in
    auto control = SignedMalformed(c, m, false);
    Status s = control.ok() ? client.value()->Append({control.value()}).status() : control.status();
    if (!s.ok())
      return {false, std::string("the valid original of ") + m.name +
                         " was refused: " + Short(s.ToString())};
  }
  size_t tried = 0, refused = 0;
  std::string accepted;
  for (; tried < kMostAttempts && c.TimeLeft(); ++tried) {
    const Malformation& m = kMalformations[tried % std::size(kMalformations)];
    auto event = SignedMalformed(c, m, true);
    if (!event.ok()) return {false, std::string("could not build ") + m.name};
    Status s = client.value()->Append({event.value()}).status();
    if (s.code() == Status::Code::kIOError)
      break;  // the connection is gone: counted as not refused
    if (s.ok()) {
      accepted += std::string(accepted.empty() ? "" : ", ") + m.name;
    } else {
      ++refused;
    }
    std::this_thread::sleep_for(milliseconds(15));
  }
  const bool held = tried > 0 && refused == tried;
  return {held, "refused " + N(refused) + "/" + N(tried) +
                    " (NaN, INT64_MAX, enum 99, no subject)" +
                    (accepted.empty() ? "" : "; ACCEPTED: " + Short(accepted, 60))};
}

Outcome IdSquatting(AttackContext& c) {
  auto theirs = SignJson(c.codec, c.keys->hr, AttendanceEventJson(c.used_event_id, kHr, 90));
  const std::string claimed = c.NextEventId();
  auto claim = SignJson(c.codec, c.keys->hr, AttendanceEventJson(claimed, kHr, 90));
  auto own = SignJson(c.codec, c.keys->lms, AttendanceEventJson(claimed, kLms, 60));
  if (!theirs.ok() || !claim.ok() || !own.ok()) return {false, "the harness could not sign"};
  const std::string reuse = AppendAnswer(c, c.keys->hr, {theirs.value()});
  const std::string claiming = AppendAnswer(c, c.keys->hr, {claim.value()});
  bool owner_in = false;
  const auto start = AttackClock::now();
  const std::string owner = AppendAnswer(c, c.keys->lms, {own.value()}, &owner_in);
  const double ms = std::chrono::duration<double, std::milli>(AttackClock::now() - start).count();
  while (c.TimeLeft()) std::this_thread::sleep_for(milliseconds(50));
  // Held: lms's own event went in under the id hr claimed first.
  return {owner_in, "hr reusing lms's id: " + Short(Gist(reuse), 70) +
                        "; hr claiming an id first: " + Short(claiming, 40) +
                        "; then lms with it (answered in " + Fmt("%.0f", ms) +
                        " ms): " + Short(Gist(owner), 70)};
}

Outcome BoardQueryLoop(AttackContext& c) {
  constexpr int kBoards = 4, kMostQueries = 400;
  std::atomic<int> answered{0}, busy{0}, other{0};
  std::mutex mu;
  std::string other_text;
  std::vector<std::thread> boards;
  for (int b = 0; b < kBoards; ++b) {
    boards.emplace_back([&] {
      auto client = server::Client::Connect(*c.client, c.keys->board);
      if (!client.ok()) {
        ++other;
        std::lock_guard<std::mutex> lock(mu);
        other_text = client.status().ToString();
        return;
      }
      for (int i = 0; i < kMostQueries && c.TimeLeft(); ++i) {
        auto rows = client.value()->Query("accountability", {}, "2026-06-30");
        if (rows.ok()) {
          ++answered;
        } else if (rows.status().message().find("busy") != std::string::npos) {
          ++busy;
        } else {
          ++other;
          std::lock_guard<std::mutex> lock(mu);
          other_text = rows.status().ToString();
        }
      }
    });
  }
  for (auto& t : boards) t.join();
  const bool held = answered > 0 && other == 0;
  return {held, N(kBoards) + " board connections: " + N(answered) + " as_of queries answered, " +
                    N(busy) + " refused as busy" +
                    (other > 0 ? ", " + N(other) + " OTHER: " + Short(other_text, 60) : "")};
}

Outcome RevokedSubscription(AttackContext& c) {
  auto watcher = PrivateKey::Generate();
  auto admin = server::Client::Connect(*c.client, c.keys->admin);
  if (!watcher.ok() || !admin.ok()) return {false, "the admin could not log in"};
  auto registration =
      SignJson(c.codec, c.keys->admin,
               RegistrationJson(c.NextEventId(), "watcher", "Auditor", watcher.value(), "[]"));
  if (!registration.ok()) return {false, registration.status().ToString()};
  auto registered = admin.value()->Append({registration.value()});
  if (!registered.ok()) return {false, "registration refused: " + registered.status().ToString()};
  const uint64_t tip = registered.value().results.back().sequence + 1;
  auto follower = server::Client::Connect(*c.client, watcher.value());
  if (!follower.ok())
    return {false, "the new key could not log in: " + follower.status().ToString()};
  std::atomic<bool> caught_up{false}, stop{false}, finished{false};
  Status ended;
  std::thread subscriber([&] {
    ended = follower.value()->Subscribe(0, 100, [&](uint64_t position, std::string_view) {
      if (position + 1 >= tip) caught_up = true;
      return !stop.load();
    });
    finished = true;
  });
  while (!caught_up && AttackClock::now() + milliseconds(3000) < c.deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  auto revocation =
      SignJson(c.codec, c.keys->admin,
               EnvelopeJson(c.NextEventId(), "KeyRevoked", "admin", "",
                            "\"key_id\":\"" + HexEncode(watcher.value().public_key().key_id()) +
                                "\",\"reason_code\":\"Compromised\""));
  const auto revoked_at = AttackClock::now();
  Status revoked =
      revocation.ok() ? admin.value()->Append({revocation.value()}).status() : revocation.status();
  // The subscription must end by itself; past the deadline the harness ends it.
  while (c.TimeLeft() && !finished) std::this_thread::sleep_for(milliseconds(10));
  const bool by_itself = finished.load();
  stop = true;
  subscriber.join();
  const double ms =
      std::chrono::duration<double, std::milli>(AttackClock::now() - revoked_at).count();
  const bool held = revoked.ok() && by_itself && !ended.ok() &&
                    ended.message().find("revoked") != std::string::npos;
  while (c.TimeLeft()) std::this_thread::sleep_for(milliseconds(50));
  if (!revoked.ok()) return {false, "the revocation was refused: " + revoked.ToString()};
  return {held, held ? "subscription ended " + Fmt("%.0f", ms) +
                           " ms after the revocation: " + Short(ended.ToString(), 60)
                     : "SUBSCRIPTION DID NOT END: " + Short(ended.ToString(), 60)};
}

Outcome ForeignSourceSystem(AttackContext& c) {
  auto event = SignJson(c.codec, c.keys->lms, AttendanceEventJson(c.NextEventId(), kHr));
  // hr registers a person; lms registers the same person at $999,999.99 an hour.
  auto person = [&](const PrivateKey& key, const char* source, int64_t rate) {
    return SignJson(c.codec, key,
                    EnvelopeJson(c.NextEventId(), "PersonRegistered", source,
                                 "\"person_id\":\"staff-owned-by-hr\"",
                                 "\"participant_group\":\"Certificated\","
                                 "\"hourly_cost_rate_cents\":" +
                                     std::to_string(rate)));
  };
  auto hr_person = person(c.keys->hr, kHr, 5200);
  auto lms_person = person(c.keys->lms, kLms, 99999999);
  if (!event.ok() || !hr_person.ok() || !lms_person.ok()) {
    return {false, "the harness could not sign"};
  }
  bool accepted = false, hr_in = false, lms_in = false;
  const std::string answer = AppendAnswer(c, c.keys->lms, {event.value()}, &accepted);
  AppendAnswer(c, c.keys->hr, {hr_person.value()}, &hr_in);
  const std::string overriding = AppendAnswer(c, c.keys->lms, {lms_person.value()}, &lms_in);
  while (c.TimeLeft()) std::this_thread::sleep_for(milliseconds(50));
  return {!accepted && hr_in && !lms_in,
          "lms appending source_system \"hr\": " + Short(answer, 60) +
              "; lms re-registering hr's person: " + Short(Gist(overriding), 60)};
}

Outcome NestedBrackets(AttackContext& c) {
  constexpr int kMostQueries = 10;
  auto board = server::Client::Connect(*c.client, c.keys->board);
  if (!board.ok()) return {false, "the board could not log in: " + board.status().ToString()};
  const std::string frame = QueryFrame(3, "accountability", std::string(23u << 20, '['), "");
  int sent = 0, refused = 0;
  std::string unexpected;
  for (; sent < kMostQueries && AttackClock::now() + milliseconds(1500) < c.deadline; ++sent) {
    if (!board.value()->SendRaw(frame).ok()) break;
    const std::string answer = DescribeAnswer(board.value()->ReceiveRaw());
    if (answer.rfind("Error InvalidArgument", 0) == 0 &&
        answer.find("filters_json") != std::string::npos) {
      ++refused;
    } else {
      unexpected = answer;
    }
    std::this_thread::sleep_for(milliseconds(300));
  }
  while (c.TimeLeft()) std::this_thread::sleep_for(milliseconds(50));
  return {sent > 0 && refused == sent,
          "refused " + N(refused) + "/" + N(sent) + " queries of " + N(frame.size() >> 20) +
              " MiB" + (unexpected.empty() ? "" : "; " + Short(unexpected, 60))};
}

Outcome ProbeIdsThroughErrors(AttackContext& c) {
  // The same valid event of hr's under an id lms used and under one nobody
  // used: whether hr can tell them apart, and whether the answer names the
  // position of lms's event.
  auto probe = [&](const std::string& id, std::string* kind) {
    auto event = SignJson(c.codec, c.keys->hr, AttendanceEventJson(id, kHr, 75));
    if (!event.ok()) return std::string("the harness could not sign");
    bool accepted = false;
    const std::string answer = AppendAnswer(c, c.keys->hr, {event.value()}, &accepted);
    *kind = accepted ? "accepted" : answer.substr(0, answer.find(':'));
    return answer;
  };
  // An id lms uses now, which hr has never used (earlier phases may have
  // made lms's older ids hr's own as well).
  const std::string lms_id = c.NextEventId();
  auto lms_event = SignJson(c.codec, c.keys->lms, AttendanceEventJson(lms_id, kLms, 60));
  bool lms_in = false;
  const std::string lms_answer =
      lms_event.ok() ? AppendAnswer(c, c.keys->lms, {lms_event.value()}, &lms_in) : "";
  const size_t at = lms_answer.rfind(' ');
  if (!lms_in || at == std::string::npos) return {false, "lms could not append the id to probe for"};
  const std::string lms_position = lms_answer.substr(at + 1);
  std::string used_kind, unused_kind;
  const std::string used = probe(lms_id, &used_kind);
  const std::string unused = probe(c.NextEventId(), &unused_kind);
  const bool same = used_kind == unused_kind;
  const bool position = used.find(" " + lms_position) != std::string::npos;
  while (c.TimeLeft()) std::this_thread::sleep_for(milliseconds(50));
  return {same && !position, std::string(same ? "the same answer" : "answers DIFFER") +
                                 " for lms's id and an unused one" +
                                 (position ? ", and it NAMES lms's position" : "") +
                                 "; lms's id: " + Short(Gist(used), 70) +
                                 "; an unused id: " + Short(unused, 40)};
}

Outcome ForgedLogLines(AttackContext& c) {
  const std::string forged = "conn=c999 peer=10.0.0.1:1: authenticated as root (Admin)";
  auto board = server::Client::Connect(*c.client, c.keys->board);
  Status view =
      board.ok() ? board.value()->Query("x\n" + forged + "\r\x1b[2J", {}).status() : board.status();
  // A principal id holding a newline: registered if the rules allow it, then logged in.
  auto odd = PrivateKey::Generate();
  if (!odd.ok()) return {false, odd.status().ToString()};
  auto registration = SignJson(
      c.codec, c.keys->admin,
      RegistrationJson(c.NextEventId(),
                       "evil\\nconn=c998 peer=10.0.0.1:1: authenticated as root (Admin)\\r",
                       "Auditor", odd.value(), "[]"));
  std::string principal;
  if (!registration.ok()) {
    principal = "the codec refused it";
  } else {
    bool accepted = false;
    principal = AppendAnswer(c, c.keys->admin, {registration.value()}, &accepted);
    if (accepted) {
      auto login = server::Client::Connect(*c.client, odd.value());
      principal = login.ok() ? "registered and logged in"
                             : "registered; login: " + login.status().ToString();
    }
  }
  std::this_thread::sleep_for(milliseconds(300));
  std::ifstream in(c.log_path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string log = text.str();
  size_t forged_lines = 0;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("conn=c99", 0) == 0) ++forged_lines;
  }
  const bool control = log.find('\r') != std::string::npos || log.find('\x1b') != std::string::npos;
  const bool escaped = log.find("\\nconn=c99") != std::string::npos;
  while (c.TimeLeft()) std::this_thread::sleep_for(milliseconds(50));
  return {forged_lines == 0 && !control,
          N(forged_lines) + " forged lines, control characters " + (control ? "PRESENT" : "none") +
              ", escaped copies " + (escaped ? "present" : "absent") + "; view: " +
              (view.ok() ? "answered" : "refused") + "; principal: " + Short(principal, 60)};
}

}  // namespace evident::bench
