// evident log: entries as JSON Lines.

#include <iostream>
#include <nlohmann/json.hpp>

#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/event_json.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "log";

int RunLog(const Flags& flags) {
  auto from = flags.GetUint("from", 0);
  if (!from.ok()) return Fail(kName, from.status());
  auto to = flags.GetUint("to", UINT64_MAX);
  if (!to.ok()) return Fail(kName, to.status());
  auto limit = flags.GetUint("limit", UINT64_MAX);
  if (!limit.ok()) return Fail(kName, limit.status());
  auto ledger = OpenLedgerFlag(flags);
  if (!ledger.ok()) return Fail(kName, ledger.status());
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return Fail(kName, codec.status());

  uint64_t end = to.value();
  if (limit.value() < end - from.value()) end = from.value() + limit.value();
  Status line_error;
  Status scanned =
      ledger.value()->Scan(from.value(), end, [&](uint64_t sequence, std::string_view bytes) {
        auto line = EntryJson(codec.value().get(), sequence, bytes);
        if (!line.ok()) {
          line_error = line.status().WithContext("entry " + std::to_string(sequence));
          return false;
        }
        std::cout << line.value() << '\n';
        return true;
      });
  std::cout.flush();
  if (!line_error.ok()) return Fail(kName, line_error.message() + "; run 'evident verify'");
  if (!scanned.ok()) return Fail(kName, scanned);
  return 0;
}

}  // namespace

const Command kLogCommand = {
    kName,
    "print entries as JSON Lines",
    "usage: evident log --ledger DIR [--from A] [--to B] [--limit N]\n\n"
    "Prints the entries at positions A (default 0) up to but not including B\n"
    "(default the end), at most N of them, one JSON object per line:\n"
    "  {\"sequence\", \"recorded_at\", \"signer_key_id\", \"signature\", \"event\"}\n"
    "where \"event\" is in the form 'evident append' reads (docs/events.md).\n",
    {{{"ledger", "DIR", "the ledger"},
      {"from", "A", "the first position (default 0)"},
      {"to", "B", "the position after the last (default: the end)"},
      {"limit", "N", "print at most N entries"}}},
    RunLog};

}  // namespace evident::cli
