#include "server/witness/local.h"

#include <filesystem>

#include "ledger/file_util.h"
#include "server/tls.h"
#include "server/witness/state.h"

namespace evident::server::witness {

StatusOr<std::unique_ptr<LocalWitnesses>> LocalWitnesses::Start(const std::string& dir,
                                                                const std::vector<Who>& who,
                                                                const NoteVerifier& log) {
  std::unique_ptr<LocalWitnesses> out(new LocalWitnesses());
  for (const Who& w : who) {
    const std::string home = dir + "/witnesses/" + w.who;
    EVIDENT_RETURN_IF_ERROR(CreatePrivateDirectory(home));
    const std::string key_file = home + "/key.pem";
    if (!std::filesystem::exists(key_file)) {
      auto key = PrivateKey::Generate();
      if (!key.ok()) return key.status();
      EVIDENT_RETURN_IF_ERROR(key->SaveFile(key_file));
    }
    auto key = PrivateKey::LoadFile(key_file);
    if (!key.ok()) return key.status();
    const std::string cert_file = home + "/tls-cert.pem", tls_key_file = home + "/tls-key.pem";
    if (!std::filesystem::exists(cert_file)) {
      auto pair = MakeSelfSignedCertificate("localhost");
      if (!pair.ok()) return pair.status();
      EVIDENT_RETURN_IF_ERROR(WriteSecretFile(tls_key_file, pair->key_pem));
      EVIDENT_RETURN_IF_ERROR(WriteFile(cert_file, pair->cert_pem));
    }
    auto cert = ReadFile(cert_file, "the witness's certificate");
    if (!cert.ok()) return cert.status();
    auto tls_key = ReadFile(tls_key_file, "the witness's TLS key");
    if (!tls_key.ok()) return tls_key.status();

    auto state = OpenRocksStateStore(home + "/db");
    if (!state.ok()) return state.status();
    auto witness = Witness::Create({w.name, {log}, nullptr, nullptr},
                                                    std::move(key.value()),
                                                    std::move(state.value()));
    if (!witness.ok()) return witness.status();
    http::Router router;
    witness.value()->AddRoutes(&router);
    http::ServerOptions options;
    options.host = "127.0.0.1";
    options.cert_pem = cert.value();
    options.key_pem = tls_key.value();
    auto http = http::Server::Start(out->io_, std::move(router), std::move(options));
    if (!http.ok()) return http.status();

    LocalWitness d;
    d.who = w.who;
    d.name = w.name;
    d.vkey = witness.value()->Vkey();
    d.url = "https://localhost:" + std::to_string(http.value()->port());
    d.cert_file = cert_file;
    d.witness = std::move(witness.value());
    d.http = std::move(http.value());
    EVIDENT_RETURN_IF_ERROR(WriteFile(dir + "/witnesses/" + w.who + ".vkey", d.vkey + "\n"));
    out->witnesses_.push_back(std::move(d));
  }
  out->thread_ = std::thread([io = &out->io_] { io->run(); });
  return out;
}

LocalWitnesses::~LocalWitnesses() {
  for (LocalWitness& w : witnesses_) {
    if (w.http) w.http->Stop();
  }
  io_.stop();
  if (thread_.joinable()) thread_.join();
  for (LocalWitness& w : witnesses_) w.http.reset();
}

std::vector<WitnessEndpoint> LocalWitnesses::Endpoints() const {
  std::vector<WitnessEndpoint> out;
  for (const LocalWitness& w : witnesses_) {
    out.push_back({CosignatureVerifier::FromVkey(w.vkey).value(), w.url, w.cert_file});
  }
  return out;
}

WitnessPolicy LocalWitnesses::Policy() const {
  std::vector<std::string> vkeys;
  for (const LocalWitness& w : witnesses_) vkeys.push_back(w.vkey);
  return MakeWitnessPolicy(vkeys, 0).value();
}

}  // namespace evident::server::witness
