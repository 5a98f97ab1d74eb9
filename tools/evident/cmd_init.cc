// evident init: a new ledger, with its admin and ledger keys registered as
// its first two entries.

#include <iostream>

#include "ledger/key_registry.h"
#include "tools/evident/command.h"
#include "tools/evident/ledger_setup.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "init";

int RunInit(const Flags& flags) {
  auto dir = flags.Require("ledger");
  if (!dir.ok()) return Fail(kName, dir.status());
  const std::string origin = flags.Get("origin").value_or("evident.example/district");
  const std::string tls_host = flags.Get("tls-host").value_or("localhost");
  auto made =
      CreateLedger(dir.value(), origin, flags.Get("district").value_or("district"), tls_host);
  if (!made.ok()) return Fail(kName, made.status());
  const NewLedger& m = made.value();
  std::cout << "created ledger " << dir.value() << " (origin " << origin << ")\n"
            << "  admin key   " << m.admin_path << "  id " << ShortKeyId(m.admin_key_id) << "\n"
            << "  ledger key  " << m.ledger_key_path << "  id " << ShortKeyId(m.ledger_key_id)
            << "\n"
            << "  TLS         " << m.cert_path << " (self-signed for " << tls_host
            << ", for evident serve)\n"
            << "Both keys are registered in the log (positions 0 and 1). Keep admin.pem "
               "somewhere safe:\nit registers and revokes every other key.\n";
  return 0;
}

}  // namespace

const Command kInitCommand = {
    kName,
    "create a ledger with its admin and ledger keys",
    "usage: evident init --ledger DIR [--origin ORIGIN] [--district ID] [--tls-host NAME]\n\n"
    "Creates a ledger in DIR: the database in DIR/db, and two new Ed25519 keys in\n"
    "DIR/keys (admin.pem and ledger.pem, readable by the owner only). The first two\n"
    "entries of the log register them: the admin key, signed by itself, then the\n"
    "ledger key (which signs checkpoints), signed by the admin.\n",
    {{{"ledger", "DIR", "where to create the ledger (must not hold one)"},
      {"origin", "ORIGIN",
       "the log's name in its checkpoints, e.g. "
       "evident.example/springfield (default evident.example/district)"},
      {"district", "ID", "the district id written on the key events (default district)"},
      {"tls-host", "NAME",
       "the name in the self-signed TLS certificate written to "
       "DIR/keys/tls-cert.pem and tls-key.pem (default localhost)"}}},
    RunInit};

}  // namespace evident::cli
