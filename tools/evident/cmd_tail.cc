// evident tail: follow a server's log, printing entries as JSON Lines.

#include <iostream>

#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "tail";

int RunTail(const Flags& flags) {
  auto from = flags.GetUint("from", 0);
  if (!from.ok()) return Fail(kName, from.status());
  auto limit = flags.GetUint("limit", UINT64_MAX);
  if (!limit.ok()) return Fail(kName, limit.status());
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return Fail(kName, codec.status());
  auto client = ConnectServerFlag(flags);
  if (!client.ok()) return Fail(kName, client.status());
  uint64_t printed = 0;
  Status line_error;
  Status s =
      client.value()->Subscribe(from.value(), 256, [&](uint64_t position, std::string_view bytes) {
        auto line = EntryJson(codec.value().get(), position, bytes);
        if (!line.ok()) {
          line_error = line.status().WithContext("entry " + std::to_string(position));
          return false;
        }
        std::cout << line.value() << std::endl;  // each line as it comes
        return ++printed < limit.value();
      });
  if (!line_error.ok()) return Fail(kName, line_error);
  if (!s.ok()) return Fail(kName, s);
  return 0;
}

}  // namespace

const Command kTailCommand = {
    kName,
    "follow a server's log as JSON Lines",
    "usage: evident tail --server HOST:PORT --trust CERT --key KEY [--from N] [--limit M]\n\n"
    "Subscribes to `evident serve`: prints every entry from position N (default 0)\n"
    "in order, as `evident log` does, then each new entry as it is appended, until\n"
    "M entries were printed or the server closes. An integration key sees only its\n"
    "own appends; a board key may not tail.\n",
    {{{"server", "HOST:PORT", "the server"},
      {"trust", "CERT", "the server's TLS certificate (its ledger's keys/tls-cert.pem)"},
      {"key", "FILE", "a private key (PEM) to log in with"},
      {"from", "N", "the first position (default 0)"},
      {"limit", "M", "stop after M entries"},
      {"plaintext", "", "no TLS, for a server started with --plaintext on loopback"}}},
    RunTail};

}  // namespace evident::cli
