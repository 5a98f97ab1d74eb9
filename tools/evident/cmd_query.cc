// evident query: print the rows of a view as JSON or CSV.

#include <iostream>
#include <utility>

#include "ledger/coding.h"
#include "projections/fact.h"
#include "projections/query.h"
#include "projections/store.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"
#include "tools/evident/table_output.h"

namespace evident::cli {
namespace {

using projections::Json;
using projections::ViewRow;

constexpr char kName[] = "query";

// Each filter flag, and the name QuerySpec::filters (and the server's Query
// request) gives the same filter.
constexpr std::pair<const char*, const char*> kFilterFlags[] = {{"person", "person"},
                                                                {"site", "site"},
                                                                {"program", "programme"},
                                                                {"fiscal-year", "fy"},
                                                                {"row", "row"}};

// With --verify: the whole log re-checked, as `evident verify` does.
StatusOr<std::string> FullVerification(Ledger* ledger) {
  auto report = VerifyLog(ledger->storage());
  if (!report.ok()) return report.status();
  return VerifySummary(report.value());
}

// The view as of a past tree size, folded afresh in memory.
StatusOr<projections::QueryAnswer> AtSize(Ledger* ledger, const projections::QuerySpec& spec,
                                          uint64_t size) {
  if (size > ledger->size()) {
    return Status::InvalidArgument("--size " + std::to_string(size) + " is past the log's end (" +
                                   std::to_string(ledger->size()) + ")");
  }
  projections::LedgerSource source(ledger);
  projections::Projector projector(&source);
  EVIDENT_RETURN_IF_ERROR(projections::FoldLedger(ledger, 0, size, &projector));
  projections::QueryAnswer answer;
  answer.as_of_given = spec.as_of_day != projections::kNoDay;
  answer.log = projections::LogContextAt(ledger, size);
  answer.log.full_verification = spec.verification;
  for (auto& [name, rows] : projections::RenderAll(projector, answer.log, spec.as_of_day)) {
    if (name != spec.view) continue;
    for (ViewRow& r : rows) {
      if (projections::RowMatches(r.row, spec.filters)) answer.rows.push_back(std::move(r.row));
    }
  }
  const int32_t day = spec.as_of_day == projections::kNoDay ? projector.last_day() : spec.as_of_day;
  answer.as_of = day == projections::kNoDay ? "" : projections::DateOf(day);
  return answer;
}

// The same asked of `evident serve`.
int OverTheWire(const Flags& flags, const projections::QuerySpec& spec) {
  if (flags.Has("size") || flags.Has("verify")) {
    return Fail(kName, "--size and --verify need the ledger itself (--ledger DIR)");
  }
  auto client = ConnectServerFlag(flags);
  if (!client.ok()) return Fail(kName, client.status());
  auto text = client.value()->Query(spec.view, spec.filters, flags.Get("as-of-date").value_or(""));
  if (!text.ok()) return Fail(kName, text.status());
  if (flags.Has("csv")) {
    const Json doc = Json::parse(text.value(), nullptr, false);
    if (doc.is_discarded()) return Fail(kName, "the server's answer is not JSON");
    PrintCsv(std::vector<Json>(doc["rows"].begin(), doc["rows"].end()), std::cout);
    return 0;
  }
  std::cout << text.value();
  return 0;
}

int RunQuery(const Flags& flags) {
  if (flags.positional().size() != 1 || !projections::IsViewName(flags.positional()[0])) {
    return Fail(kName,
                "name one view: reciprocity, accountability, equity or compliance (see --help)");
  }
  projections::QuerySpec spec;
  spec.view = flags.positional()[0];
  for (const auto& [flag, filter] : kFilterFlags) {
    if (auto v = flags.Get(flag)) spec.filters[filter] = *v;
  }
  auto day = AsOfDateFlag(flags);
  if (!day.ok()) return Fail(kName, day.status());
  spec.as_of_day = day.value();
  auto size = flags.GetUint("size", 0);
  if (!size.ok()) return Fail(kName, size.status());
  if (flags.Has("server")) return OverTheWire(flags, spec);
  auto ledger = OpenLedgerFlag(flags);
  if (!ledger.ok()) return Fail(kName, ledger.status());
  if (flags.Has("verify")) {
    auto verified = FullVerification(ledger.value().get());
    if (!verified.ok()) return Fail(kName, verified.status());
    spec.verification = verified.value();
  }
  StatusOr<projections::QueryAnswer> answer = Status::InvalidArgument("");
  if (flags.Has("size")) {
    answer = AtSize(ledger.value().get(), spec, size.value());
  } else {
    auto store = projections::ProjectionStore::Open(
        projections::ProjectionStore::PathFor(*flags.Get("ledger")));
    if (!store.ok()) return Fail(kName, store.status());
    answer = projections::QueryStore(store.value().get(), ledger.value().get(), spec);
  }
  if (!answer.ok()) return Fail(kName, answer.status());
  if (flags.Has("csv")) {
    PrintCsv(answer.value().rows, std::cout);
    return 0;
  }
  std::cout << projections::QueryText(spec.view, answer.value());
  return 0;
}

}  // namespace

const Command kQueryCommand = {
    kName,
    "print a view's rows as JSON or CSV",
    "usage: evident query VIEW --ledger DIR [--person ID] [--site ID] [--program ID]\n"
    "                    [--fiscal-year YEAR] [--row KIND] [--as-of-date YYYY-MM-DD]\n"
    "                    [--size N] [--verify] [--csv]\n"
    "       evident query VIEW --server HOST:PORT --trust CERT --key KEY [--person ID]\n"
    "                    [--site ID] [--program ID] [--fiscal-year YEAR] [--row KIND]\n"
    "                    [--as-of-date YYYY-MM-DD] [--csv]\n\n"
    "VIEW is reciprocity, accountability, equity or compliance (docs/metrics.md).\n"
    "The views are brought up to date with the log first. The JSON names the tree\n"
    "size and root hash the rows were computed from, so anyone can recompute them.\n",
    {{{"ledger", "DIR", "the ledger"},
      {"person", "ID", "keep rows whose person is ID"},
      {"site", "ID", "keep rows whose site is ID"},
      {"program", "ID", "keep rows whose program is ID"},
      {"fiscal-year", "YEAR", "keep rows whose fiscal_year or school_year is YEAR"},
      {"row", "KIND", "keep rows of that kind (their \"row\" field)"},
      {"as-of-date", "YYYY-MM-DD",
       "judge windows and due dates on this day instead of the day "
       "of the last entry"},
      {"size", "N", "the view as of tree size N, folded afresh from the log"},
      {"verify", "",
       "re-check the whole log first (as 'evident verify') and state "
       "the result in the compliance view's log row"},
      {"csv", "", "one line per row; nested fields flattened as a.b, lists as JSON"},
      {"server", "HOST:PORT",
       "ask `evident serve` instead of opening the ledger (a board key "
       "sees accountability and equity)"},
      {"trust", "CERT", "with --server: the server's TLS certificate"},
      {"key", "FILE", "with --server: a private key (PEM) to log in with"},
      {"plaintext", "", "with --server: no TLS, for a server on loopback started so"}},
     {{"fy", "--fiscal-year"},
      {"programme", "--program"},
      {"as-of", "--as-of-date"},
      {"date", "--as-of-date"}}},
    RunQuery};

}  // namespace evident::cli
