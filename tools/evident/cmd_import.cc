// evident import: source-system exports (CSV, JSON Lines) mapped to events.
//
// Everything is mapped and checked before anything is appended, and the log
// is read once to find what earlier imports stored, so that a file imported
// twice appends nothing the second time and a changed row becomes a
// correction (tools/import/importer.h). docs/import.md is the user's guide.

#include <chrono>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "ledger/event_json.h"
#include "ledger/parallel.h"
#include "server/frame.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"
#include "tools/import/importer.h"
#include "tools/import/name_uuid.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "import";
constexpr size_t kErrorsShown = 50;
constexpr std::chrono::seconds kReportEvery{2};

StatusOr<std::map<std::string, std::string>> ParamsFlag(const Flags& flags) {
  std::map<std::string, std::string> params;
  for (const std::string& item : SplitCommas(flags.Get("param").value_or(""))) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("--param takes NAME=VALUE[,NAME=VALUE...], not \"" + item +
                                     "\"");
    }
    params[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return params;
}

StatusOr<import::Mapping> LoadMapping(const Flags& flags) {
  auto path = flags.Require("map");
  if (!path.ok()) return path.status();
  auto text = ReadAll(path.value());
  if (!text.ok()) return text.status();
  auto params = ParamsFlag(flags);
  if (!params.ok()) return params.status();
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return codec.status();
  auto mapping = import::ParseMapping(text.value(), codec.value()->schema(), params.value());
  if (!mapping.ok()) return mapping.status().WithContext(path.value());
  return mapping;
}

// Every entry of the log, from the ledger opened here or through the server.
import::LogScan ScanOf(Destination* d) {
  return [d](const std::function<void(uint64_t, std::string_view)>& fn) -> Status {
    if (d->ledger) {
      return d->ledger->Scan(0, d->ledger->size(), [&](uint64_t sequence, std::string_view entry) {
        fn(sequence, entry);
        return true;
      });
    }
    // The server reads at most kMaxReadEntries positions (and about
    // kMaxReadBytes) a request and sends an integration key only its own
    // entries among them, so a window may come back empty with more to
    // come; each answer says where it ends.
    const uint64_t size = d->client->welcome().tree_size;
    for (uint64_t from = 0, scanned = 0; from < size; from = scanned) {
      auto entries = d->client->Read(from, size, &scanned);
      if (!entries.ok()) return entries.status().WithContext("reading the log from the server");
      if (scanned <= from) {
        return Status::Corruption("the server's answer to a read from " + std::to_string(from) +
                                  " covers no position");
      }
      for (const auto& [sequence, bytes] : entries.value()) fn(sequence, bytes);
    }
    return Status::OK();
  };
}

// The principal whose key signs the import: its events are the ones an
// import's ids name.
StatusOr<std::string> SignerPrincipal(Destination* d, const PrivateKey& key) {
  if (d->client) return d->client->welcome().principal;
  auto info = d->ledger->FindKey(key.public_key().key_id());
  if (!info) {
    return Status::PermissionDenied("the key given with --key is not registered in this ledger");
  }
  return info->principal_id;
}

StatusOr<Destination> ReadOnlyDestination(const Flags& flags) {
  auto ledger = OpenLedgerFlag(flags, OpenMode::kReadOnly);
  if (!ledger.ok()) return ledger.status();
  Destination d;
  d.ledger = std::move(ledger.value());
  return d;
}

void ShowProgress(size_t done, size_t total) {
  std::cerr << "evident import: mapped " << done << " of " << total << " records\n";
}

int PrintErrors(const import::MappedFiles& mapped, bool partial) {
  for (size_t i = 0; i < mapped.errors.size() && i < kErrorsShown; ++i) {
    std::cerr << mapped.errors[i].ToString() << "\n";
  }
  if (mapped.errors.size() > kErrorsShown) {
    std::cerr << "... and " << mapped.errors.size() - kErrorsShown << " more\n";
  }
  if (partial) {
    std::cerr << "evident import: " << mapped.errors.size()
              << " records rejected; --partial: importing the rest\n";
    return 0;
  }
  return Fail(kName, std::to_string(mapped.errors.size()) +
                         " records rejected; nothing was appended (correct them, or give "
                         "--partial to import the other records)");
}

int PrintDryRun(const import::Plan& plan) {
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return Fail(kName, codec.status());
  for (const import::ImportEvent& e : plan.append) {
    auto json = codec.value()->ToJson(e.bytes);
    if (!json.ok()) return Fail(kName, json.status());
    nlohmann::ordered_json line = {{"action", e.correction ? "correct" : "append"},
                                   {"source", e.file + ":" + std::to_string(e.line)},
                                   {"event", nlohmann::ordered_json::parse(json.value())}};
    std::cout << line.dump() << "\n";
  }
  return 0;
}

std::vector<SignedEvent> SignAll(const PrivateKey& key, const std::vector<import::ImportEvent>& in) {
  std::vector<SignedEvent> out(in.size());
  ParallelFor(in.size(), DefaultThreads(), [&](size_t i) { out[i] = SignEvent(key, in[i].bytes); });
  return out;
}

// Signs the plan's events and appends them, saying every 2 s of a long run
// how far it has come. The error names the record at fault and what
// is stored already.
Status AppendPlan(const import::Plan& p, const PrivateKey& key, size_t batch,
                  Destination* destination, AppendTotals* totals) {
  std::vector<SignedEvent> events = SignAll(key, p.append);
  auto where = [&](size_t i) { return p.append[i].file + ":" + std::to_string(p.append[i].line); };
  Ledger* ledger = destination->ledger.get();
  if (Status s = CheckSignersForAll(ledger, events, where); !s.ok()) {
    return Status::PermissionDenied(s.message() + " (nothing was appended)");
  }
  const size_t count = events.size();  // `events` is handed on below
  auto last_report = std::chrono::steady_clock::now();
  auto progress = [&](size_t done) {
    if (done < count && std::chrono::steady_clock::now() - last_report > kReportEvery) {
      std::cerr << "evident import: appended " << done << " of " << count << " events\n";
      last_report = std::chrono::steady_clock::now();
    }
  };
  size_t failed = count;
  if (Status s = AppendInBatches(ledger, destination->client.get(), std::move(events), batch,
                                 totals, &failed, progress);
      !s.ok()) {
    const std::string what =
        failed < count ? where(failed) + ": " + WithoutBatchIndex(s, failed % batch) : s.ToString();
    return Status::FailedPrecondition(what + StoredSoFar(*totals));
  }
  return Status::OK();
}

int RunImport(const Flags& flags) {
  auto key_path = flags.Require("key");
  if (!key_path.ok()) return Fail(kName, key_path.status());
  if (flags.positional().empty()) return Fail(kName, "give the files to import");
  auto batch = BatchFlag(flags);
  if (!batch.ok()) return Fail(kName, batch.status());
  auto mapping = LoadMapping(flags);
  if (!mapping.ok()) return Fail(kName, mapping.status());
  auto key = PrivateKey::LoadFile(key_path.value());
  if (!key.ok()) return Fail(kName, key.status());
  std::vector<import::SourceFile> files;
  for (const std::string& path : flags.positional()) {
    auto text = ReadAll(path);
    if (!text.ok()) return Fail(kName, text.status());
    files.push_back({path, std::move(text.value())});
  }

  const auto start = std::chrono::steady_clock::now();
  import::MappedFiles mapped = import::MapFiles(mapping.value(), files, ShowProgress);
  const bool partial = flags.Has("partial");
  if (!mapped.errors.empty() && PrintErrors(mapped, partial) != 0) return 1;

  // A dry run only reads: it may run beside the server that has the ledger.
  const bool dry_run = flags.Has("dry-run");
  auto destination = dry_run && !flags.Has("server") ? ReadOnlyDestination(flags)
                                                      : OpenDestination(flags, key.value());
  if (!destination.ok()) return Fail(kName, destination.status());
  auto principal = SignerPrincipal(&destination.value(), key.value());
  if (!principal.ok()) return Fail(kName, principal.status());
  auto plan = import::Reconcile(mapped.events, ScanOf(&destination.value()), principal.value());
  if (!plan.ok()) return Fail(kName, plan.status());
  const import::Plan& p = plan.value();
  std::ostringstream summary;
  summary << mapped.records << " records (" << mapped.records_matched << " matched a rule, "
          << mapped.errors.size() << " rejected): " << p.fresh << " new events, " << p.corrections
          << " corrections, " << p.unchanged + mapped.repeated << " unchanged";
  if (p.voided > 0) summary << ", " << p.voided << " left alone because the log voided them";

  if (dry_run) {
    if (int rc = PrintDryRun(p); rc != 0) return rc;
    std::cerr << "evident import: dry run, nothing appended: " << summary.str() << "\n";
    return 0;
  }
  AppendTotals totals;
  if (Status s = AppendPlan(p, key.value(), batch.value(), &destination.value(), &totals);
      !s.ok()) {
    return Fail(kName, s);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "imported " << summary.str() << "; appended " << totals.added << " events";
  if (totals.added > 0) std::cout << " at positions " << totals.first << ".." << totals.last;
  std::cout << "\n"
            << std::fixed << std::setprecision(2) << seconds << " s, " << std::setprecision(0)
            << (seconds > 0 ? double(mapped.records) / seconds : 0) << " records/s\n";
  return 0;
}

}  // namespace

const Command kImportCommand = {
    kName,
    "import CSV or JSON Lines exports through a mapping",
    "usage: evident import --map MAPPING.json --ledger DIR --key KEY.pem [flags] FILE...\n"
    "       evident import --map MAPPING.json --server HOST:PORT --trust CERT --key KEY.pem\n"
    "                      [flags] FILE...\n\n"
    "Maps every record of every FILE to events by the mapping (docs/import.md; the\n"
    "shipped mappings are in tools/import/mappings/), signs them with KEY.pem and\n"
    "appends them. Each event's id is derived from the source system and the\n"
    "record's natural key, so importing the same file again appends nothing, and a\n"
    "record whose values changed since it was imported becomes a RecordCorrected\n"
    "event naming the earlier one. Every rejected record is reported as\n"
    "FILE:LINE: column N (NAME): reason; if any is, nothing is appended unless\n"
    "--partial is given. Progress goes to standard error on long runs.\n",
    {{{"map", "FILE", "the mapping"},
      {"param", "NAME=VALUE[,NAME=VALUE]",
       "values for the mapping's params (e.g. district_id=lea-0640001)"},
      {"ledger", "DIR", "the ledger"},
      {"key", "FILE", "the signer's Ed25519 private key (PEM), registered in the ledger"},
      {"dry-run", "", "print what would be appended, as JSON Lines, and append nothing"},
      {"partial", "", "append the good records even if some are rejected"},
      {"batch", "N", "events per durable commit (as `evident append`)"},
      {"server", "HOST:PORT", "import through `evident serve` instead of opening the ledger"},
      {"trust", "CERT", "with --server: the server's TLS certificate"},
      {"plaintext", "", "with --server: no TLS, for a server on loopback started so"}}},
    RunImport};

}  // namespace evident::cli
