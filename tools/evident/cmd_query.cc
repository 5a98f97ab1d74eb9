// evident query: print the rows of a view as JSON or CSV.

#include <iostream>

#include "ledger/coding.h"
#include "projections/fact.h"
#include "projections/store.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"
#include "tools/evident/table_output.h"

namespace evident::cli {
namespace {

using projections::Json;
using projections::ViewRow;

constexpr char kName[] = "query";

// Rows must have each field a filter names, with the value given.
bool Matches(const Json& row, const Flags& flags) {
  auto field_is = [&](const char* field, const std::string& want) {
    auto it = row.find(field);
    if (it == row.end()) return false;
    return it->is_string() ? it->get<std::string>() == want : it->dump() == want;
  };
  if (auto v = flags.Get("person"); v && !field_is("person", *v)) return false;
  if (auto v = flags.Get("site"); v && !field_is("site", *v)) return false;
  if (auto v = flags.Get("programme"); v && !field_is("program", *v)) return false;
  if (auto v = flags.Get("row"); v && !field_is("row", *v)) return false;
  if (auto v = flags.Get("fy"); v && !field_is("fiscal_year", *v) && !field_is("school_year", *v)) {
    return false;
  }
  return true;
}

struct Result {
  std::vector<ViewRow> rows;
  projections::LogContext log;
  std::string as_of;
};

// With --verify: the whole log re-checked, as `evident verify` does.
StatusOr<std::string> FullVerification(Ledger* ledger) {
  auto report = VerifyLog(ledger->storage());
  if (!report.ok()) return report.status();
  return VerifySummary(report.value());
}

// The view as of a past tree size, folded afresh in memory.
StatusOr<Result> AtSize(Ledger* ledger, const std::string& view, uint64_t size, int32_t as_of_day,
                        const std::string& verification) {
  if (size > ledger->size()) {
    return Status::InvalidArgument("--size " + std::to_string(size) + " is past the log's end (" +
                                   std::to_string(ledger->size()) + ")");
  }
  projections::LedgerSource source(ledger);
  projections::Projector projector(&source);
  EVIDENT_RETURN_IF_ERROR(projections::FoldLedger(ledger, 0, size, &projector));
  Result r;
  r.log = projections::LogContextAt(ledger, size);
  r.log.full_verification = verification;
  for (auto& [name, rows] : projections::RenderAll(projector, r.log, as_of_day)) {
    if (name == view) r.rows = std::move(rows);
  }
  const int32_t day = as_of_day == projections::kNoDay ? projector.last_day() : as_of_day;
  r.as_of = day == projections::kNoDay ? "" : projections::DateOf(day);
  return r;
}

StatusOr<Result> FromStore(Ledger* ledger, const std::string& dir, const std::string& view,
                           int32_t as_of_day, const std::string& verification) {
  auto store = projections::ProjectionStore::Open(projections::ProjectionStore::PathFor(dir));
  if (!store.ok()) return store.status();
  projections::UpdateReport report;
  EVIDENT_RETURN_IF_ERROR(store.value()->Update(ledger, &report));
  auto status = store.value()->GetStatus();
  if (!status.ok()) return status.status();
  Result r;
  r.log = projections::LogContextAt(ledger, status.value().position);
  r.log.full_verification = verification;
  if (as_of_day == projections::kNoDay && verification.empty()) {
    auto rows = store.value()->ReadView(view);
    if (!rows.ok()) return rows.status();
    r.rows = std::move(rows.value());
    r.as_of = status.value().as_of;
    return r;
  }
  projections::LedgerSource source(ledger);
  auto projector = store.value()->LoadProjector(&source);
  if (!projector.ok()) return projector.status();
  for (auto& [name, rows] : projections::RenderAll(*projector.value(), r.log, as_of_day)) {
    if (name == view) r.rows = std::move(rows);
  }
  const int32_t day = as_of_day == projections::kNoDay ? projector.value()->last_day() : as_of_day;
  r.as_of = day == projections::kNoDay ? "" : projections::DateOf(day);
  return r;
}

int RunQuery(const Flags& flags) {
  if (flags.positional().size() != 1 || !projections::IsViewName(flags.positional()[0])) {
    return Fail(kName,
                "name one view: reciprocity, accountability, equity or compliance (see --help)");
  }
  const std::string view = flags.positional()[0];
  int32_t as_of_day = projections::kNoDay;
  if (auto as_of = flags.Get("as-of")) {
    as_of_day = projections::DayOf(*as_of);
    if (as_of_day == projections::kNoDay || as_of->size() != 10) {
      return Fail(kName, "--as-of must be a date, YYYY-MM-DD; got \"" + *as_of + "\"");
    }
  }
  auto size = flags.GetUint("size", 0);
  if (!size.ok()) return Fail(kName, size.status());
  auto ledger = OpenLedgerFlag(flags);
  if (!ledger.ok()) return Fail(kName, ledger.status());
  std::string verification;
  if (flags.Has("verify")) {
    auto verified = FullVerification(ledger.value().get());
    if (!verified.ok()) return Fail(kName, verified.status());
    verification = verified.value();
  }
  auto result =
      flags.Has("size")
          ? AtSize(ledger.value().get(), view, size.value(), as_of_day, verification)
          : FromStore(ledger.value().get(), *flags.Get("ledger"), view, as_of_day, verification);
  if (!result.ok()) return Fail(kName, result.status());
  std::vector<Json> rows;
  for (ViewRow& r : result.value().rows) {
    if (Matches(r.row, flags)) rows.push_back(std::move(r.row));
  }
  if (flags.Has("csv")) {
    PrintCsv(rows, std::cout);
    return 0;
  }
  const auto& log = result.value().log;
  Json head{{"view", view},
            {"tree_size", log.tree_size},
            {"root_hash", log.root_hash_hex},
            {"checkpoint_verified", log.checkpoint_verified},
            {"as_of", result.value().as_of}};
  std::string text = head.dump();
  text.pop_back();  // the closing brace: the rows follow, one per line
  std::cout << text << ",\"rows\":[";
  for (size_t i = 0; i < rows.size(); ++i) std::cout << (i ? ",\n" : "\n") << rows[i].dump();
  std::cout << "\n]}\n";
  return 0;
}

}  // namespace

const Command kQueryCommand = {
    kName,
    "print a view's rows as JSON or CSV",
    "usage: evident query VIEW --ledger DIR [--person ID] [--site ID] [--programme ID]\n"
    "                    [--fy YEAR] [--row KIND] [--as-of YYYY-MM-DD] [--size N] [--csv]\n\n"
    "VIEW is reciprocity, accountability, equity or compliance (docs/metrics.md).\n"
    "The views are brought up to date with the log first. The JSON names the tree\n"
    "size and root hash the rows were computed from, so anyone can recompute them.\n\n"
    "  --person, --site, --programme, --fy, --row   keep rows with that value\n"
    "                  (--fy matches fiscal_year or school_year)\n"
    "  --as-of DATE    judge windows and due dates on DATE instead of the date of the\n"
    "                  last entry\n"
    "  --size N        the view as of tree size N, folded afresh from the log\n"
    "  --verify        re-check the whole log first (as 'evident verify') and state\n"
    "                  the result in the compliance view's log row\n"
    "  --csv           one line per row; nested fields flattened as a.b, lists as JSON\n",
    {"ledger", "person", "site", "programme", "fy", "row", "as-of", "size"},
    {"csv", "verify"},
    RunQuery};

}  // namespace evident::cli
