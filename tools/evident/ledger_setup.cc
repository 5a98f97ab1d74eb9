#include "tools/evident/ledger_setup.h"

#include <filesystem>

#include "ledger/event_json.h"
#include "ledger/file_util.h"
#include "server/tls.h"
#include "tools/evident/cli_util.h"

namespace evident::cli {

StatusOr<NewLedger> CreateLedger(const std::string& dir, const std::string& origin,
                                 const std::string& district, const std::string& tls_host) {
  NewLedger made;
  const std::string keys_dir = dir + "/keys";
  made.admin_path = keys_dir + "/admin.pem";
  made.ledger_key_path = keys_dir + "/ledger.pem";
  made.cert_path = keys_dir + "/tls-cert.pem";
  made.tls_key_path = keys_dir + "/tls-key.pem";
  for (const auto& path : {made.admin_path, made.ledger_key_path, made.tls_key_path}) {
    if (std::filesystem::exists(path)) {
      return Status::FailedPrecondition(
          path + " exists already; choose an empty directory for a new ledger");
    }
  }
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return codec.status();
  auto admin = PrivateKey::Generate();
  if (!admin.ok()) return admin.status();
  auto ledger_key = PrivateKey::Generate();
  if (!ledger_key.ok()) return ledger_key.status();
  auto ledger = Ledger::Create(dir, origin, ledger_key.value());
  if (!ledger.ok()) return ledger.status();
  EVIDENT_RETURN_IF_ERROR(CreatePrivateDirectory(keys_dir));
  EVIDENT_RETURN_IF_ERROR(admin->SaveFile(made.admin_path));
  EVIDENT_RETURN_IF_ERROR(ledger_key->SaveFile(made.ledger_key_path));
  std::vector<SignedEvent> genesis;
  for (const auto& [principal, role, key] :
       {std::tuple{"admin", "Admin", &admin.value()}, {"ledger", "Ledger", &ledger_key.value()}}) {
    auto bytes = codec.value()->FromJson(
        KeyRegisteredJson(district, principal, role, key->public_key(), {}));
    if (!bytes.ok()) return bytes.status();
    genesis.push_back(SignEvent(admin.value(), std::move(bytes.value())));
  }
  auto appended = ledger.value()->Append(std::move(genesis));
  if (!appended.ok()) return appended.status();
  auto tls = server::MakeSelfSignedCertificate(tls_host);
  if (!tls.ok()) return tls.status();
  EVIDENT_RETURN_IF_ERROR(WriteFile(made.cert_path, tls->cert_pem));
  EVIDENT_RETURN_IF_ERROR(WriteSecretFile(made.tls_key_path, tls->key_pem).WithContext("TLS key"));
  made.ledger = std::move(ledger.value());
  made.admin_key_id = admin->public_key().key_id();
  made.ledger_key_id = ledger_key->public_key().key_id();
  return made;
}

}  // namespace evident::cli
