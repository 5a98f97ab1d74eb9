// evident report: the board's accountability report, and its check.

#include <iostream>

#include "projections/report/compute.h"
#include "projections/report/render.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

using projections::report::Json;

constexpr char kName[] = "report";

int Board(const Flags& flags) {
  auto fy = flags.GetUint("fiscal-year", 0);
  if (!fy.ok()) return Fail(kName, fy.status());
  if (!flags.Has("fiscal-year") || fy.value() < 1900 || fy.value() > 9999) {
    return Fail(kName, "give the fiscal year with --fiscal-year YEAR (the year it ends in)");
  }
  auto out = flags.Get("out");
  if (!out) return Fail(kName, "give the report's folder with --out DIR (it must not exist yet)");
  auto ledger = OpenLedgerFlag(flags);
  if (!ledger.ok()) return Fail(kName, ledger.status());
  projections::report::BoardRequest request;
  request.fiscal_year = int32_t(fy.value());
  // By default the newest checkpoint the witnesses cosigned, so that the
  // report carries their cosignatures; without any, every entry.
  uint64_t newest = ledger.value()->size();
  if (auto cosigned = ledger.value()->NewestCosignedSize({}); cosigned.ok()) {
    newest = cosigned.value();
  } else if (cosigned.status().code() != Status::Code::kNotFound) {
    return Fail(kName, cosigned.status());
  }
  auto size = flags.GetUint("size", newest);
  if (!size.ok()) return Fail(kName, size.status());
  request.tree_size = size.value();
  auto day = AsOfDateFlag(flags);
  if (!day.ok()) return Fail(kName, day.status());
  request.as_of_day = day.value();
  auto summary = projections::report::BoardSummaryFromLedger(ledger.value().get(), request);
  if (!summary.ok()) return Fail(kName, summary.status());
  auto files = projections::report::RenderAll(summary.value());
  if (!files.ok()) return Fail(kName, files.status());
  Status written = projections::report::WriteReport(*out, files.value());
  if (!written.ok()) return Fail(kName, written);
  const Json& s = summary.value();
  std::cout << "wrote " << *out << ": report.html, report.pdf, report.md, summary.json and "
            << (files.value().size() - 4) << " CSV tables\n"
            << "fiscal year " << s["fiscal_year_label"].get<std::string>() << ", figures as of "
            << s["as_of_date"].get<std::string>() << ", tree size "
            << s["log"]["tree_size"].get<uint64_t>() << ", root "
            << s["log"]["root_hash"].get<std::string>() << "\n"
            << s["privacy"]["rows_suppressed"].get<int64_t>()
            << " table rows hidden in part or in full (fewer than 10 people)\n";
  return 0;
}

int Verify(const Flags& flags) {
  if (flags.positional().size() != 2) {
    return Fail(kName, "name the report's folder: evident report verify DIR --ledger LEDGER");
  }
  const std::string dir = flags.positional()[1];
  auto text = ReadAll(dir + "/summary.json");
  if (!text.ok()) return Fail(kName, text.status());
  const Json stated = Json::parse(text.value(), nullptr, false);
  if (stated.is_discarded()) return Fail(kName, dir + "/summary.json is not valid JSON");
  auto request = projections::report::RequestOf(stated);
  if (!request.ok()) return Fail(kName, request.status());

  auto policy = WitnessPolicyFromFlags(flags);
  if (!policy.ok()) return Fail(kName, policy.status());
  const Json& stated_log = stated["log"];
  const std::string note = stated_log.contains("checkpoint") && stated_log["checkpoint"].is_string()
                               ? stated_log["checkpoint"].get<std::string>()
                               : "";
  request->checkpoint_note = note;
  StatusOr<Json> summary = Status::InvalidArgument("give --ledger DIR or --bundle DIR");
  if (flags.Has("bundle")) {
    auto trusted = VkeyFromFlags(flags);
    if (!trusted.ok()) return Fail(kName, trusted.status());
    summary = projections::report::BoardSummaryFromBundle(*flags.Get("bundle"), request.value(),
                                                          note, trusted.value());
  } else if (flags.Has("ledger")) {
    auto ledger = OpenLedgerFlag(flags);
    if (!ledger.ok()) return Fail(kName, ledger.status());
    summary = projections::report::BoardSummaryFromLedger(ledger.value().get(), request.value());
  }
  if (!summary.ok()) return Fail(kName, summary.status());
  // The witnesses vouch for the checkpoint only once its own signature and
  // root are known good (above); then their cosignatures must meet the policy.
  if (Status s = CheckWitnessPolicy(note, policy.value()); !s.ok()) {
    return Fail(kName, "the report's checkpoint: " + s.message());
  }
  auto files = projections::report::RenderAll(summary.value());
  if (!files.ok()) return Fail(kName, files.status());
  const auto check = projections::report::CompareReport(dir, files.value());
  for (const std::string& w : check.warnings) std::cout << "note: " << w << "\n";
  for (const std::string& m : check.mismatches) std::cout << "MISMATCH: " << m << "\n";
  const Json& log = summary.value()["log"];
  if (!check.ok()) {
    return Fail(kName, std::to_string(check.mismatches.size()) +
                           " difference(s) from the report recomputed at tree size " +
                           std::to_string(log["tree_size"].get<uint64_t>()));
  }
  std::cout << "ok: every figure matches; " << check.files_checked
            << " files recomputed from the log at tree size " << log["tree_size"].get<uint64_t>()
            << ", root " << log["root_hash"].get<std::string>() << " (checkpoint signature "
            << (log["checkpoint_verified"].get<bool>() ? "verified" : "NOT verified") << ")\n";
  if (!policy->empty()) {
    std::cout << "ok: the report's checkpoint is cosigned by " << policy->Describe() << "\n";
  }
  return log["checkpoint_verified"].get<bool>() ? 0 : 1;
}

int RunReport(const Flags& flags) {
  const auto& args = flags.positional();
  if (!args.empty() && args[0] == "board" && args.size() == 1) return Board(flags);
  if (!args.empty() && args[0] == "verify") return Verify(flags);
  return Fail(kName, "say what to do: board or verify (see --help)");
}

}  // namespace

const Command kReportCommand = {
    kName,
    "write the board's accountability report, or check one against the log",
    "usage: evident report board --ledger DIR --fiscal-year YEAR --out DIR\n"
    "                            [--size N] [--as-of-date YYYY-MM-DD]\n"
    "       evident report verify DIR --ledger DIR [--witness VKEY ... [--quorum K]]\n"
    "       evident report verify DIR --bundle DIR [--vkey VKEY | --vkey-file FILE]\n"
    "                             [--witness VKEY ... [--quorum K]]\n\n"
    "board   computes the report for one fiscal year (July to June, named by the year\n"
    "        it ends in) from the log's first N entries (default: up to the newest\n"
    "        checkpoint the log's witnesses cosigned, or all when none is), and writes\n"
    "        report.html, report.pdf, report.md, summary.json and one CSV per table\n"
    "        into a new folder. The report carries the signed checkpoint at size N\n"
    "        with its witnesses' cosignatures.\n"
    "        Follow-up windows and due dates are judged on the --as-of-date day\n"
    "        (default: the day the last entry was recorded). Counts of fewer than 10\n"
    "        people are suppressed.\n"
    "verify  recomputes the report in DIR from the ledger, or from an export bundle\n"
    "        that starts at entry 0, at the checkpoint the report states, and compares\n"
    "        every figure and every file. With --witness, the report's checkpoint must\n"
    "        also carry valid cosignatures of K of those witnesses (default: all).\n"
    "        Exit status 0 only when all of it holds.\n",
    {{{"ledger", "DIR", "the ledger"},
      {"fiscal-year", "YEAR", "board: the fiscal year, named by the year it ends in"},
      {"out", "DIR", "board: the report's folder (it must not exist yet)"},
      {"size", "N", "board: the tree size to report on (a size with a checkpoint)"},
      {"as-of-date", "YYYY-MM-DD", "board: the day to judge windows and due dates on"},
      {"bundle", "DIR", "verify: recompute from this export bundle instead of a ledger"},
      {"vkey", "VKEY",
       "verify --bundle: the ledger's verifier key, as 'evident pubkey' "
       "prints it (without it, the bundle's own ledger.vkey is used)"},
      {"vkey-file", "FILE", "verify --bundle: the same, read from the first line of FILE"},
      kWitnessFlag,
      kQuorumFlag},
     {{"as-of", "--size; a date to judge on is --as-of-date"},
      {"date", "--as-of-date"},
      {"fy", "--fiscal-year"}}},
    RunReport};

}  // namespace evident::cli
