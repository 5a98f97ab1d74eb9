// evident demo: the demo district, end to end, in one command. Its steps
// are the system's own: a new ledger, the server over TLS, the district's
// systems streaming in at once while another follows, the projections, the
// board report, and the auditor's bundle checked offline.

#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "ledger/bundle.h"
#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/event_json.h"
#include "ledger/file_util.h"
#include "projections/report/compute.h"
#include "projections/report/render.h"
#include "projections/store.h"
#include "server/server.h"
#include "projections/directory/codes.h"
#include "projections/directory/directory.h"
#include "server/witness/local.h"
#include "tools/demo/people.h"
#include "tools/evident/directory_flags.h"
#include "tools/import/shipped.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"
#include "tools/evident/demo_review.h"
#include "tools/evident/demo_stream.h"
#include "tools/evident/demo_terminal.h"
#include "tools/evident/ledger_setup.h"

namespace evident::cli {
namespace {

namespace fs = std::filesystem;
using projections::report::Json;

constexpr char kName[] = "demo";
constexpr char kMarker[] = ".evident-demo";
constexpr char kFollower[] = "county-auditor";
constexpr int32_t kReportYear = 2026;

struct Demo {
  bool keep = false;  // stream again into the last run's ledger
  std::string dir, ledger_dir, keys_dir, report_dir, bundle_dir;
  demo::District district;
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<server::witness::LocalWitnesses> witnesses;
  std::unique_ptr<server::Server> server;
  server::ClientOptions client;
  demo_stream::Plan plan;
  demo_stream::Result streamed;
  uint64_t size = 0;
  std::string root_hex;
  Json summary;
  BundleReport bundle;
};

// The district's people: HR's export (synthetic names from the seed) into
// the directory through the shipped directory mapping, as a district's
// office would import it, and one account of each role with a fresh
// one-time code (`*issued`: role, sign-in name, code).
Status People(Demo& d, uint64_t seed, size_t* named,
              std::vector<std::array<std::string, 3>>* issued) {
  namespace directory = projections::directory;
  const std::vector<demo::DemoPerson> staff = demo::StaffOf(d.district, seed);
  const std::string hr = demo::HrExport(staff);
  EVIDENT_RETURN_IF_ERROR(WriteFile(d.dir + "/hr-staff.jsonl", hr));
  auto mapping =
      import::ParseDirectoryMapping(import::ShippedMappings().at("edfi-staff-directory.json"));
  if (!mapping.ok()) return mapping.status();
  const CheckedPeople checked = CheckPeople(mapping.value(), {{"hr-staff.jsonl", hr}}, NowSeconds());
  if (!checked.errors.empty()) return Status::InvalidArgument(checked.errors[0].ToString());
  auto dir = directory::Directory::Open(directory::Directory::PathFor(d.ledger_dir), true);
  if (!dir.ok()) return dir.status();
  auto written = WritePeople(dir.value().get(), checked.people);
  if (!written.ok()) return written.status();
  *named = checked.people.size() - written->skipped;
  for (const demo::DemoAccount& a : demo::DemoAccounts(staff)) {
    auto existing = dir.value()->GetAccount(a.login);
    if (!existing.ok()) return existing.status();
    directory::Account account;
    if (existing->has_value()) account = **existing;  // --keep: a new code, nothing else
    account.login = a.login;
    account.role = directory::ParseRole(a.role).value();
    account.person = a.person;
    account.sites = a.site.empty() ? std::vector<std::string>{} : std::vector<std::string>{a.site};
    auto code = directory::NewOneTimeCode();
    if (!code.ok()) return code.status();
    account.code_hash = directory::CodeHash(code.value());
    account.code_expires_at = NowSeconds() + directory::kCodeLifetimeSeconds;
    if (account.created_at == 0) account.created_at = NowSeconds();
    EVIDENT_RETURN_IF_ERROR(dir.value()->PutAccount(account));
    issued->push_back({a.role, a.login, code.value()});
  }
  return Status::OK();
}

// A fresh folder for the demo. An existing one is emptied only if an
// earlier demo made it (it holds the marker file).
Status PrepareFolder(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    if (!fs::exists(fs::path(dir) / kMarker, ec)) {
      return Status::FailedPrecondition(dir +
                                        " holds files the demo did not make; give --dir an "
                                        "empty or new folder");
    }
    fs::remove_all(dir, ec);
    if (ec) return Status::IOError("cannot empty " + dir + ": " + ec.message());
  }
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  return WriteFile((fs::path(dir) / kMarker).string(),
                   "Made by `evident demo`; the next run replaces this folder.\n");
}

Status WriteDistrict(Demo& d, const demo::DistrictOptions& options) {
  d.district = demo::GenerateDistrict(options);
  const std::string text = demo::JsonLines(d.district);
  const std::string path = d.dir + "/district.jsonl";
  if (!d.keep) return WriteFile(path, text);
  auto kept = ReadFile(path, "the last run's district");
  if (!kept.ok()) return kept.status();
  if (kept.value() != text) {
    return Status::FailedPrecondition(
        path +
        " is another seed's or size's district; --keep streams the same district "
        "again, so give the last run's --seed and --sites, or leave --keep out");
  }
  return Status::OK();
}

// With --keep: the last run's ledger, and a clean place for the new report
// and bundle.
Status ReopenKept(Demo& d) {
  std::error_code ec;
  for (const std::string& made : {d.report_dir, d.bundle_dir}) {
    fs::remove_all(made, ec);
    if (ec) return Status::IOError("cannot remove " + made + ": " + ec.message());
  }
  auto ledger = Ledger::Open(d.ledger_dir, OpenMode::kReadWrite);
  if (!ledger.ok()) return ledger.status();
  d.ledger = std::move(ledger.value());
  return Status::OK();
}

// `lines` (events as JSON), signed by the admin key and appended over the
// server in one batch; an error says it was `who`'s.
Status AppendAsAdmin(Demo& d, const std::vector<std::string>& lines, const std::string& who) {
  auto admin = PrivateKey::LoadFile(d.ledger_dir + "/keys/admin.pem");
  if (!admin.ok()) return admin.status();
  auto client = server::Client::Connect(d.client, admin.value());
  if (!client.ok()) return client.status().WithContext(who);
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return codec.status();
  std::vector<SignedEvent> batch;
  for (const std::string& line : lines) {
    auto bytes = codec.value()->FromJson(line);
    if (!bytes.ok()) return bytes.status().WithContext(who);
    batch.push_back(SignEvent(admin.value(), std::move(bytes.value())));
  }
  auto reply = client.value()->Append(batch);
  return reply.ok() ? Status::OK() : reply.status().WithContext(who);
}

// Keys for each district system and for the follower, registered by the
// admin over the server in one batch.
Status RegisterSystems(Demo& d, Terminal& out) {
  EVIDENT_RETURN_IF_ERROR(CreatePrivateDirectory(d.keys_dir));
  std::vector<std::string> lines;
  auto add = [&](const std::string& principal, const std::string& role,
                 const std::vector<std::string>& types) -> Status {
    const std::string path = d.keys_dir + "/" + principal + ".pem";
    auto key = PrivateKey::Generate();
    if (!key.ok()) return key.status();
    EVIDENT_RETURN_IF_ERROR(key->SaveFile(path));
    lines.push_back(
        KeyRegisteredJson(demo::kDistrictId, principal, role, key->public_key(), types));
    return Status::OK();
  };
  for (const demo::SourceSystem& s : demo::SourceSystems()) {
    EVIDENT_RETURN_IF_ERROR(add(s.id, "Integration", s.event_types));
    out.Detail(Pad(s.id, 18) + s.what);
  }
  EVIDENT_RETURN_IF_ERROR(add(kFollower, "Auditor", {}));
  out.Detail(Pad(kFollower, 18) + "the county office's audit system: follows the whole log");
  return AppendAsAdmin(d, lines, "admin");
}

Status StartServer(Demo& d) {
  server::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  auto cert = ReadFile(d.ledger_dir + "/keys/tls-cert.pem", "TLS certificate");
  if (!cert.ok()) return cert.status();
  auto key = ReadFile(d.ledger_dir + "/keys/tls-key.pem", "TLS key");
  if (!key.ok()) return key.status();
  options.cert_pem = cert.value();
  options.key_pem = key.value();
  options.projection_dir = projections::ProjectionStore::PathFor(d.ledger_dir);
  // The county's and the state's witnesses cosign the checkpoints behind
  // the appends; a checkpoint is trusted once both have.
  auto verifier = d.ledger->CheckpointVerifier();
  if (!verifier.ok()) return verifier.status();
  auto witnesses = server::witness::LocalWitnesses::Start(
      d.dir,
      {{"county", "county-office.example/witness"}, {"state", "state-agency.example/witness"}},
      verifier.value());
  if (!witnesses.ok()) return witnesses.status();
  d.witnesses = std::move(witnesses.value());
  options.witnesses = d.witnesses->Endpoints();
  options.witness_quorum = 0;
  auto log = std::make_shared<std::ofstream>(d.dir + "/server.log");
  auto mu = std::make_shared<std::mutex>();
  options.log = [log, mu](const std::string& line) {
    std::lock_guard<std::mutex> lock(*mu);
    *log << line << "\n";
  };
  auto server = server::Server::Start(d.ledger.get(), options);
  if (!server.ok()) return server.status();
  d.server = std::move(server.value());
  d.client.host = "localhost";
  d.client.port = d.server->port();
  d.client.trusted_cert_pem = cert.value();
  return Status::OK();
}

// The systems' lanes: each its own events, in order. The PD system's key is
// rotated at the start of the second fiscal year.
void PlanStreams(Demo& d) {
  d.plan.server = d.client;
  d.plan.admin_key_path = d.ledger_dir + "/keys/admin.pem";
  d.plan.follower_key_path = d.keys_dir + "/" + kFollower + ".pem";
  d.plan.district = demo::kDistrictId;
  for (const demo::SourceSystem& s : demo::SourceSystems()) {
    demo_stream::Lane lane;
    lane.principal = s.id;
    lane.event_types = s.event_types;
    lane.key_path = d.keys_dir + "/" + s.id + ".pem";
    for (const demo::DemoEvent& e : d.district.events) {
      if (e.source == s.id) lane.events.push_back(&e);
    }
    lane.rotate_at = lane.events.size();
    if (s.id == "pd-system") {
      for (size_t i = 0; i < lane.events.size(); ++i) {
        if (lane.events[i]->occurred_at >= demo::kSecondYearStart) {
          lane.rotate_at = i;
          break;
        }
      }
      lane.rotated_key_path = d.keys_dir + "/" + s.id + "-2026.pem";
      if (d.keep && fs::exists(lane.rotated_key_path)) {  // rotated already, last run
        lane.key_path = lane.rotated_key_path;
        lane.rotate_at = lane.events.size();
      }
    }
    d.plan.lanes.push_back(std::move(lane));
  }
}

Status Stream(Demo& d, Terminal& out) {
  PlanStreams(d);
  demo_stream::Progress progress;
  Status status;
  std::atomic<bool> done{false};
  std::thread worker([&] {
    status = demo_stream::Run(
        d.plan, &progress, [&] { return d.ledger->size(); }, &d.streamed);
    done = true;
  });
  const uint64_t total = d.district.events.size();
  while (!done) {
    out.Progress(progress.sent, total, progress.followed);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  worker.join();
  out.ProgressDone(progress.sent, total, progress.followed);
  return status;
}

// The follower's copy must hash to the root the ledger key signed.
Status CheckFollower(Demo& d, Terminal& out) {
  d.size = d.ledger->size();
  auto note = d.ledger->CheckpointNote(d.size);
  if (!note.ok()) return note.status();
  auto verifier = d.ledger->CheckpointVerifier();
  if (!verifier.ok()) return verifier.status();
  auto checkpoint = OpenCheckpoint(note.value(), verifier.value());
  if (!checkpoint.ok()) return checkpoint.status();
  d.root_hex = HexEncode(checkpoint->root);
  if (d.streamed.followed != d.size || d.streamed.followed_root != checkpoint->root) {
    return Status::VerificationFailed(
        "the follower received " + std::to_string(d.streamed.followed) + " entries whose root " +
        "is " + HexEncode(d.streamed.followed_root) + "; the checkpoint says " +
        std::to_string(d.size) + " entries, root " + d.root_hex);
  }
  return Status::OK();
}

Status Report(Demo& d) {
  projections::report::BoardRequest request;
  request.fiscal_year = kReportYear;
  request.tree_size = d.size;
  request.as_of_day = projections::DayOf(demo::kLastDay);
  auto summary = projections::report::BoardSummaryFromLedger(d.ledger.get(), request);
  if (!summary.ok()) return summary.status();
  auto files = projections::report::RenderAll(summary.value());
  if (!files.ok()) return files.status();
  EVIDENT_RETURN_IF_ERROR(projections::report::WriteReport(d.report_dir, files.value()));
  d.summary = std::move(summary.value());
  return Status::OK();
}

// The office's review of 2024-25: the report it read (written beside the
// demo's other files), its decisions and the revision that followed one,
// signed by the admin key and appended over the server. A --keep run sends
// the last run's decisions again, which the ledger finds already stored.
Status Review(Demo& d, size_t* recorded) {
  const std::string path = d.dir + "/decisions.jsonl";
  std::vector<std::string> lines;
  if (d.keep && fs::exists(path)) {
    auto kept = ReadFile(path, "the last run's decisions");
    if (!kept.ok()) return kept.status();
    std::string line;
    for (char c : kept.value()) {
      if (c != '\n') {
        line += c;
      } else if (!line.empty()) {
        lines.push_back(std::move(line));
        line.clear();
      }
    }
  } else {
    projections::report::BoardRequest request;
    request.fiscal_year = kReportYear - 1;
    request.tree_size = d.size;
    request.as_of_day = projections::DayOf(demo_review::kReviewAsOf);
    auto reviewed = projections::report::BoardSummaryFromLedger(d.ledger.get(), request);
    if (!reviewed.ok()) return reviewed.status();
    auto files = projections::report::RenderAll(reviewed.value());
    if (!files.ok()) return files.status();
    std::error_code ec;
    fs::remove_all(d.dir + "/report-2024-25", ec);
    EVIDENT_RETURN_IF_ERROR(
        projections::report::WriteReport(d.dir + "/report-2024-25", files.value()));
    request.fiscal_year = kReportYear;
    request.as_of_day = projections::DayOf(demo::kLastDay);
    auto next = projections::report::BoardSummaryFromLedger(d.ledger.get(), request);
    if (!next.ok()) return next.status();
    auto made = demo_review::ReviewEvents(reviewed.value(), next.value(), d.district);
    if (!made.ok()) return made.status();
    lines = std::move(made.value());
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    EVIDENT_RETURN_IF_ERROR(WriteFile(path, text));
  }
  EVIDENT_RETURN_IF_ERROR(AppendAsAdmin(d, lines, "the office's review"));
  *recorded = lines.size();
  // The report and the bundle cover the decisions: the newest checkpoint.
  d.size = d.ledger->size();
  auto verifier = d.ledger->CheckpointVerifier();
  if (!verifier.ok()) return verifier.status();
  for (int i = 0;; ++i) {
    auto note = d.ledger->CheckpointNote(d.size);
    if (note.ok()) {
      auto checkpoint = OpenCheckpoint(note.value(), verifier.value());
      if (!checkpoint.ok()) return checkpoint.status();
      d.root_hex = HexEncode(checkpoint->root);
      return Status::OK();
    }
    if (note.status().code() != Status::Code::kNotFound || i == 100) return note.status();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// Waits until both witnesses have cosigned the log's newest checkpoint
// (they work behind the appends, a round at a time).
Status AwaitCosigned(Demo& d) {
  const WitnessPolicy both = d.witnesses->Policy();
  for (int i = 0; i < 600; ++i) {
    auto cosigned = d.ledger->NewestCosignedSize(both);
    if (cosigned.ok() && cosigned.value() == d.size) return Status::OK();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string why;
  for (const auto& w : d.server->witnessing()->GetSnapshot().witnesses) {
    if (!w.last_error.empty()) why += "; " + w.name + ": " + w.last_error;
  }
  return Status::IOError("the witnesses did not cosign the newest checkpoint within a minute" +
                         why);
}

// What an auditor does with nothing but the bundle, the ledger's key and
// the witnesses' keys: check the witnesses' cosignatures and every entry,
// proof and signature, then recompute the report and compare it file by
// file (`*files_checked`).
Status Audit(Demo& d, int* files_checked) {
  auto trusted = d.ledger->CheckpointVerifier();
  if (!trusted.ok()) return trusted.status();
  const std::string report_checkpoint = d.summary["log"]["checkpoint"].get<std::string>();
  EVIDENT_RETURN_IF_ERROR(CheckWitnessPolicy(report_checkpoint, d.witnesses->Policy())
                              .WithContext("the report's checkpoint"));
  // (The bundle's own checkpoint is verified with the ledger key below.)
  auto bundled = ReadFile(d.bundle_dir + "/checkpoint.txt", "the bundle's checkpoint");
  if (!bundled.ok()) return bundled.status();
  EVIDENT_RETURN_IF_ERROR(CheckWitnessPolicy(bundled.value(), d.witnesses->Policy())
                              .WithContext("the bundle's checkpoint"));
  auto request = projections::report::RequestOf(d.summary);
  if (!request.ok()) return request.status();
  // The bundle is checked in full before anything is read from it.
  auto again = projections::report::BoardSummaryFromBundle(
      d.bundle_dir, request.value(), d.summary["log"]["checkpoint"].get<std::string>(),
      trusted.value(), &d.bundle);
  if (!d.bundle.ok()) return Status::VerificationFailed("the bundle: " + d.bundle.problem);
  if (!again.ok()) return again.status();
  auto files = projections::report::RenderAll(again.value());
  if (!files.ok()) return files.status();
  const auto check = projections::report::CompareReport(d.report_dir, files.value());
  if (!check.ok()) {
    return Status::VerificationFailed(
        "the report differs from the one recomputed from the bundle: " + check.mismatches.front());
  }
  *files_checked = check.files_checked;
  return Status::OK();
}

int RunDemo(const Flags& flags) {
  auto district = DistrictFlags(flags);
  if (!district.ok()) return Fail(kName, district.status());
  const demo::DistrictOptions options = district.value();
  Demo d;
  d.dir = flags.Get("dir").value_or("var/demo");
  d.keep = flags.Has("keep") && fs::exists(d.dir + "/ledger/keys/admin.pem");
  d.ledger_dir = d.dir + "/ledger";
  d.keys_dir = d.dir + "/keys";
  d.report_dir = d.dir + "/report";
  d.bundle_dir = d.dir + "/bundle";
  Terminal out(std::cout, flags.Has("plain"));
  out.Title(options, d.dir);
  auto failed = [&](int step, const Status& s) {
    return Fail(kName, "step " + std::to_string(step) + " failed: " + s.ToString());
  };

  out.Step(1, "The district's records, from its five systems");
  if (!d.keep) {
    if (Status s = PrepareFolder(d.dir); !s.ok()) return failed(1, s);
  }
  if (Status s = WriteDistrict(d, options); !s.ok()) return failed(1, s);
  out.Detail(projections::report::Count(d.district.events.size()) +
             " events: " + demo::DescribeFacts(d.district.facts));
  out.Detail(d.dir + "/district.jsonl (the same seed gives the same file)");

  out.Step(2, d.keep ? "The last run's ledger, and the server over TLS on loopback"
                     : "A new ledger, and the server over TLS on loopback");
  if (d.keep) {
    if (Status s = ReopenKept(d); !s.ok()) return failed(2, s);
  } else {
    auto made = CreateLedger(d.ledger_dir, demo::kDistrictOrigin, demo::kDistrictId, "localhost");
    if (!made.ok()) return failed(2, made.status());
    d.ledger = std::move(made.value().ledger);
  }
  if (Status s = StartServer(d); !s.ok()) return failed(2, s);
  out.Detail(d.ledger_dir + " (origin " + demo::kDistrictOrigin + ", " +
             projections::report::Count(d.ledger->size()) + " entries), serving on 127.0.0.1:" +
             std::to_string(d.client.port) + "; its log is " + d.dir + "/server.log");

  if (d.keep) {
    out.Step(3, "The systems' keys, registered in the last run");
    out.Detail(d.keys_dir + ": every event sent again must come back as already stored");
  } else {
    out.Step(3, "The admin registers a key for each system, over the server");
    if (Status s = RegisterSystems(d, out); !s.ok()) return failed(3, s);
  }

  out.Step(4, "Five systems stream their records at once; the auditor's system follows");
  if (Status s = Stream(d, out); !s.ok()) return failed(4, s);
  if (Status s = CheckFollower(d, out); !s.ok()) return failed(4, s);
  out.Streamed(d.streamed, d.size, d.root_hex);

  out.Step(5, "The office reviews 2024-25 and records its decisions on the ledger");
  size_t recorded = 0;
  Status reviewed = out.While("reading the 2024-25 report and recording the decisions",
                              [&] { return Review(d, &recorded); });
  if (!reviewed.ok()) return failed(5, reviewed);
  out.Detail(d.dir + "/report-2024-25: the 2024-25 report the office read, judged on " +
             std::string(demo_review::kReviewAsOf));
  out.Detail(d.dir + "/decisions.jsonl: " + std::to_string(recorded) +
             " records signed by the admin key (decisions on five programmes, and the "
             "revised programme defined anew); the log now holds " +
             projections::report::Count(d.size) + " entries");
  Status cosigned = out.While("waiting for the county's and the state's cosignatures",
                              [&] { return AwaitCosigned(d); });
  if (!cosigned.ok()) return failed(5, cosigned);
  out.Detail("the checkpoint at " + projections::report::Count(d.size) +
             " entries is cosigned by the county office's and the state agency's witnesses, "
             "each after checking it extends every checkpoint of this log it cosigned before");
  d.server->Shutdown();
  d.server.reset();


  out.Step(6, "The server stops; the projections are rebuilt from the log alone");
  projections::UpdateReport rebuilt;
  Status projected = out.While("rebuilding", [&] {
    auto store =
        projections::ProjectionStore::Open(projections::ProjectionStore::PathFor(d.ledger_dir));
    return store.ok() ? store.value()->Rebuild(d.ledger.get(), &rebuilt) : store.status();
  });
  if (!projected.ok()) return failed(6, projected);
  out.Rebuilt(rebuilt);

  out.Step(7, "The board's accountability report for fiscal 2025-26");
  if (Status s = out.While("computing and drawing", [&] { return Report(d); }); !s.ok()) {
    return failed(7, s);
  }
  out.Detail(d.report_dir + ": report.html, report.pdf, report.md, summary.json and the CSVs");

  out.Step(8, "An auditor's export bundle of the whole log, checked offline");
  Status exported = out.While("exporting every entry with its proof",
                              [&] { return WriteBundle(d.ledger.get(), d.bundle_dir, 0, d.size); });
  if (!exported.ok()) return failed(8, exported);
  int files_checked = 0;
  Status audited = out.While("checking the bundle and recomputing the report from it",
                             [&] { return Audit(d, &files_checked); });
  if (!audited.ok()) return failed(8, audited);
  out.Detail(d.bundle_dir + ": " + projections::report::Count(d.bundle.entries) + " entries and " +
             projections::report::Count(d.bundle.key_events) +
             " key events proven against the checkpoint, signed by the ledger and cosigned by "
             "both witnesses; every signature checked");
  out.Detail("the report, recomputed from the bundle alone: every figure matches (" +
             std::to_string(files_checked) + " files)");

  out.Step(9, "The district's people: names beside the log, and an account for each role");
  size_t named = 0;
  std::vector<std::array<std::string, 3>> issued;
  if (Status s = People(d, options.seed, &named, &issued); !s.ok()) return failed(9, s);
  out.Detail(d.dir + "/hr-staff.jsonl (HR's export) -> " + projections::report::Count(named) +
             " names in " + d.ledger_dir + "/directory, beside the log and never in it");
  out.Detail("one-time codes (72 hours) to set a password at /setup:");
  size_t width = 0;
  for (const auto& account : issued) width = std::max(width, account[1].size());
  for (const auto& [role, login, code] : issued) {
    out.Detail("  " + role + std::string(13 - std::min<size_t>(role.size(), 12), ' ') + login +
               std::string(width + 2 - login.size(), ' ') + code);
  }
  d.ledger.reset();  // closes the database cleanly

  out.Summary(d.summary, d.dir, d.streamed);
  return 0;
}

}  // namespace

const Command kDemoCommand = {
    kName,
    "the demo district end to end: stream, project, report, audit",
    "usage: evident demo [--dir DIR] [--seed S] [--sites N] [--keep] [--plain]\n\n"
    "Makes the demo district's records (as `evident demo-data`), creates a ledger\n"
    "in DIR/ledger, serves it over TLS on loopback, and has the district's five\n"
    "systems stream their records in at once, each over its own authenticated\n"
    "connection, while a county auditor's system follows the log. The PD system's\n"
    "key is rotated on the way. Then it rebuilds the projections, writes the board\n"
    "report for fiscal 2025-26 into DIR/report, exports an auditor's bundle of the\n"
    "whole log into DIR/bundle, checks it offline and recomputes the report from it,\n"
    "and prints what it found and what to try next.\n",
    {{{"dir", "DIR",
       "where everything goes (default var/demo); emptied first if an "
       "earlier demo made it, refused if it holds anything else"},
      {"seed", "S", "the district's seed (default 2026)"},
      {"sites", "N", "the district's size (default 40)"},
      {"keep", "",
       "keep the last run's ledger and stream the same district into it "
       "again: every event comes back as already stored, and the report "
       "is the same"},
      {"plain", "", "progress as plain lines, even on a terminal"}}},
    RunDemo};

}  // namespace evident::cli
