// evident init: a new ledger, with its admin and ledger keys registered as
// its first two entries.

#include <filesystem>
#include <iostream>

#include "ledger/event_json.h"
#include "ledger/file_util.h"
#include "ledger/key_registry.h"
#include "server/tls.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "init";

int RunInit(const Flags& flags) {
  auto dir = flags.Require("ledger");
  if (!dir.ok()) return Fail(kName, dir.status());
  const std::string origin = flags.Get("origin").value_or("evident.example/district");
  const std::string district = flags.Get("district").value_or("district");
  const std::string keys_dir = dir.value() + "/keys";
  const std::string admin_path = keys_dir + "/admin.pem";
  const std::string ledger_key_path = keys_dir + "/ledger.pem";
  for (const auto& path : {admin_path, ledger_key_path}) {
    if (std::filesystem::exists(path)) {
      return Fail(kName, path + " exists already; choose an empty directory for a new ledger");
    }
  }
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return Fail(kName, codec.status());
  auto admin = PrivateKey::Generate();
  auto ledger_key = PrivateKey::Generate();
  if (!admin.ok() || !ledger_key.ok()) return Fail(kName, "key generation failed");

  auto ledger = Ledger::Create(dir.value(), origin, ledger_key.value());
  if (!ledger.ok()) return Fail(kName, ledger.status());
  std::error_code ec;
  std::filesystem::create_directories(keys_dir, ec);
  if (ec) return Fail(kName, "cannot create " + keys_dir + ": " + ec.message());
  if (Status s = admin->SaveFile(admin_path); !s.ok()) return Fail(kName, s);
  if (Status s = ledger_key->SaveFile(ledger_key_path); !s.ok()) return Fail(kName, s);

  std::vector<SignedEvent> genesis;
  for (const auto& [principal, role, key] :
       {std::tuple{"admin", "Admin", &admin.value()}, {"ledger", "Ledger", &ledger_key.value()}}) {
    auto bytes = codec.value()->FromJson(
        KeyRegisteredJson(district, principal, role, key->public_key(), {}));
    if (!bytes.ok()) return Fail(kName, bytes.status());
    genesis.push_back(SignEvent(admin.value(), std::move(bytes.value())));
  }
  auto appended = ledger.value()->Append(std::move(genesis));
  if (!appended.ok()) return Fail(kName, appended.status());
  // A self-signed TLS pair for `evident serve` on this machine.
  const std::string tls_host = flags.Get("tls-host").value_or("localhost");
  auto tls = server::MakeSelfSignedCertificate(tls_host);
  if (!tls.ok()) return Fail(kName, tls.status());
  const std::string cert_path = keys_dir + "/tls-cert.pem",
                    tls_key_path = keys_dir + "/tls-key.pem";
  if (Status s = WriteFile(cert_path, tls->cert_pem); !s.ok()) return Fail(kName, s);
  // The key file is made owner-only before the key is written into it.
  if (Status s = WriteFile(tls_key_path, ""); !s.ok()) return Fail(kName, s);
  std::filesystem::permissions(
      tls_key_path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
  if (ec) return Fail(kName, "cannot restrict " + tls_key_path + ": " + ec.message());
  if (Status s = WriteFile(tls_key_path, tls->key_pem); !s.ok()) return Fail(kName, s);

  std::cout << "created ledger " << dir.value() << " (origin " << origin << ")\n"
            << "  admin key   " << admin_path << "  id " << ShortKeyId(admin->public_key().key_id())
            << "\n"
            << "  ledger key  " << ledger_key_path << "  id "
            << ShortKeyId(ledger_key->public_key().key_id()) << "\n"
            << "  TLS         " << cert_path << " (self-signed for " << tls_host
            << ", for evident serve)\n"
            << "Both keys are registered in the log (positions 0 and 1). Keep admin.pem "
               "somewhere safe:\nit registers and revokes every other key.\n";
  return 0;
}

}  // namespace

const Command kInitCommand = {
    kName,
    "create a ledger with its admin and ledger keys",
    "usage: evident init --ledger DIR [--origin ORIGIN] [--district ID]\n\n"
    "Creates a ledger in DIR: the database in DIR/db, and two new Ed25519 keys in\n"
    "DIR/keys (admin.pem and ledger.pem, readable by the owner only). The first two\n"
    "entries of the log register them: the admin key, signed by itself, then the\n"
    "ledger key (which signs checkpoints), signed by the admin.\n\n"
    "  --ledger DIR       where to create the ledger (must not hold one)\n"
    "  --origin ORIGIN    the log's name in its checkpoints, e.g.\n"
    "                     evident.example/springfield (default evident.example/district)\n"
    "  --district ID      the district id written on the key events (default district)\n"
    "  --tls-host NAME    the name in the self-signed TLS certificate written to\n"
    "                     DIR/keys/tls-cert.pem and tls-key.pem (default localhost)\n",
    {"ledger", "origin", "district", "tls-host"},
    {},
    RunInit};

}  // namespace evident::cli
