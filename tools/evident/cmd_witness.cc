// evident witness: a C2SP tlog-witness for one or more logs, over HTTPS,
// until SIGTERM or SIGINT.

#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <filesystem>
#include <iostream>
#include <thread>
#include <utility>  // before asio (Boost 1.74 under C++20)

#include "ledger/file_util.h"
#include "server/http/server.h"
#include "server/tls.h"
#include "server/witness/witness.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"
#include "tools/evident/serve_log.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "witness";
constexpr int kThreads = 4;  // a synced write holds one; the others serve other logs

int RunWitnessWith(const Flags& flags);

int RunWitness(const Flags& given) {
  if (!given.Has("config")) return RunWitnessWith(given);
  const std::string path = given.Get("config").value();
  auto text = ReadFile(path, "config file (--config)");
  if (!text.ok()) return Fail(kName, text.status());
  auto flags = given.WithConfigFile(path, text.value(), kWitnessCommand.flags);
  if (!flags.ok()) return Fail(kName, flags.status());
  return RunWitnessWith(flags.value());
}

// The logs of every --log VKEY, each a log's checkpoint key.
StatusOr<std::vector<NoteVerifier>> LogFlags(const Flags& flags) {
  std::vector<NoteVerifier> logs;
  for (const std::string& vkey : flags.GetAll("log")) {
    auto verifier = NoteVerifier::FromVkey(vkey);
    if (!verifier.ok()) return verifier.status().WithContext("--log " + vkey);
    logs.push_back(std::move(verifier.value()));
  }
  if (logs.empty()) {
    return Status::InvalidArgument(
        "give each log to witness as --log VKEY (its checkpoint key, "
        "as `evident pubkey` prints it)");
  }
  return logs;
}

// The TLS pair of --cert and --tls-key, or DIR/tls-cert.pem and
// DIR/tls-key.pem, made self-signed for `host` when neither exists yet.
Status TlsFlags(const Flags& flags, const std::string& dir, const std::string& host,
                server::http::ServerOptions* options) {
  if (flags.Has("cert") != flags.Has("tls-key")) {
    return Status::InvalidArgument("give --cert and --tls-key together, or neither");
  }
  const std::string cert = flags.Get("cert").value_or(dir + "/tls-cert.pem");
  const std::string key = flags.Get("tls-key").value_or(dir + "/tls-key.pem");
  if (!flags.Has("cert") && !std::filesystem::exists(cert) && !std::filesystem::exists(key)) {
    auto pair = server::MakeSelfSignedCertificate(host);
    if (!pair.ok()) return pair.status();
    EVIDENT_RETURN_IF_ERROR(WriteSecretFile(key, pair->key_pem));
    EVIDENT_RETURN_IF_ERROR(WriteFile(cert, pair->cert_pem));
    std::cerr << "wrote a self-signed TLS certificate for " << host << " to " << cert
              << "; give it to the logs as the witness's CA file\n";
  }
  auto cert_pem = ReadFile(cert, "TLS certificate (--cert)");
  if (!cert_pem.ok()) return cert_pem.status();
  auto key_pem = ReadFile(key, "TLS key (--tls-key)");
  if (!key_pem.ok()) return key_pem.status();
  options->cert_pem = std::move(cert_pem.value());
  options->key_pem = std::move(key_pem.value());
  return Status::OK();
}

// The host a self-signed certificate names: the listen address, unless it
// is every address.
std::string CertificateHost(const std::string& listen_host) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(listen_host, ec);
  return !ec && address.is_unspecified() ? "localhost" : listen_host;
}

std::string UrlHost(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

int RunWitnessWith(const Flags& flags) {
  auto dir = flags.Require("dir");
  if (!dir.ok()) return Fail(kName, dir.status());
  auto name = flags.Require("name");
  if (!name.ok()) return Fail(kName, name.status());
  auto key_file = flags.Require("key");
  if (!key_file.ok()) return Fail(kName, key_file.status());
  auto logs = LogFlags(flags);
  if (!logs.ok()) return Fail(kName, logs.status());
  server::http::ServerOptions options;
  if (Status s = ParseAddress(flags.Get("listen").value_or("127.0.0.1:7480"), "--listen",
                              &options.host, &options.port);
      !s.ok()) {
    return Fail(kName, s);
  }
  options.plaintext = flags.Has("plaintext");
  if (options.plaintext && (flags.Has("cert") || flags.Has("tls-key"))) {
    return Fail(kName, "--plaintext takes no --cert or --tls-key");
  }
  auto key = PrivateKey::LoadFile(key_file.value());
  if (!key.ok()) return Fail(kName, key.status().WithContext("--key"));
  if (Status s = CreatePrivateDirectory(dir.value()); !s.ok()) return Fail(kName, s);
  if (!options.plaintext) {
    if (Status s = TlsFlags(flags, dir.value(), CertificateHost(options.host), &options); !s.ok()) {
      return Fail(kName, s);
    }
  }
  auto log = MakeServeLog(flags.Get("log-file").value_or(""));
  if (!log.ok()) return Fail(kName, log.status());
  options.log = log.value();

  auto state = server::witness::OpenRocksStateStore(dir.value() + "/db");
  if (!state.ok()) return Fail(kName, state.status());
  const size_t log_count = logs->size();
  auto witness = server::witness::Witness::Create(
      {name.value(), std::move(logs.value()), nullptr, log.value()}, std::move(key.value()),
      std::move(state.value()));
  if (!witness.ok()) return Fail(kName, witness.status());

  // Signals are taken by this thread alone, with sigwait; the server's
  // threads inherit the mask.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  boost::asio::io_context io;
  server::http::Router router;
  witness.value()->AddRoutes(&router);
  auto server = server::http::Server::Start(io, std::move(router), options);
  if (!server.ok()) return Fail(kName, server.status());
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back([&io] { io.run(); });
  std::cout << "witnessing " << log_count << (log_count == 1 ? " log" : " logs") << " as " << name.value() << " on "
            << (options.plaintext ? "http://" : "https://") << UrlHost(options.host) << ":"
            << server.value()->port() << std::endl;
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  server.value()->Stop();
  io.stop();
  for (std::thread& thread : threads) thread.join();
  server.value().reset();
  witness.value().reset();  // closes the database
  std::cerr << "stopped (" << (signal_number == SIGTERM ? "SIGTERM" : "SIGINT") << ")\n";
  return 0;
}

}  // namespace

const Command kWitnessCommand = {
    kName,
    "cosign logs' checkpoints as a C2SP tlog-witness, over HTTPS",
    "usage: evident witness --dir DIR --name NAME --key FILE --log VKEY [--log VKEY ...]\n"
    "                       [--listen HOST:PORT] [--cert FILE --tls-key FILE]\n"
    "                       [--plaintext] [--log-file FILE] [--config FILE]\n\n"
    "A witness (C2SP tlog-witness): logs POST their new checkpoints, with a\n"
    "consistency proof from the last one it cosigned, to /add-checkpoint; it\n"
    "cosigns one only if it is consistent with the last it cosigned for that log,\n"
    "so it never cosigns two views of one log, nor a smaller tree than before.\n"
    "Answers: 200 the cosignature line, 400 a malformed request, 403 no valid\n"
    "log signature, 404 a log it does not witness, 409 an old size other than\n"
    "its own (the body is its size), 422 a proof that does not verify. GET\n"
    "/healthz answers 200 while it runs.\n\n"
    "NAME and the key (FILE, made by `evident keygen` for the cosigner NAME)\n"
    "make the cosignatures; readers trust the vkey keygen printed. Each --log is\n"
    "a log's checkpoint key (the vkey `evident pubkey` prints); its name is the\n"
    "log's origin. One witness may serve any number of logs: a county or state\n"
    "gives one --log per district.\n\n"
    "DIR holds db/, the last cosigned checkpoint of each log, saved (synced)\n"
    "before each cosignature: back it up while the witness is stopped, and never\n"
    "run it from an older copy. TLS uses --cert and --tls-key, or\n"
    "DIR/tls-cert.pem and DIR/tls-key.pem, made self-signed when both are\n"
    "absent (give the certificate to the logs as the CA file). Once listening it\n"
    "prints one line, `witnessing N logs as NAME on https://HOST:PORT`; on\n"
    "SIGTERM or SIGINT it stops.\n",
    {{{"dir", "DIR", "the witness's directory: db/ and the default TLS files"},
      {"name", "NAME", "the witness's cosigner name, e.g. county.example/witness"},
      {"key", "FILE", "the witness's Ed25519 private key (from evident keygen)"},
      {"log", "VKEY",
       "a log to witness, by its checkpoint vkey (origin+keyid+key); "
       "repeat for each log"},
      {"listen", "HOST:PORT", "default 127.0.0.1:7480 (port 0: any free port)"},
      {"cert", "FILE", "the TLS certificate chain (default DIR/tls-cert.pem)"},
      {"tls-key", "FILE", "the TLS private key (default DIR/tls-key.pem)"},
      {"plaintext", "", "plain HTTP, no TLS; allowed on a loopback address only"},
      {"log-file", "FILE",
       "append the log here (default: standard error): refused checkpoints "
       "that their log signed, and failed TLS handshakes"},
      {"config", "FILE",
       "settings as `name = value` lines named as these flags (log may "
       "repeat); flags given here override the file"}}},
    RunWitness};

}  // namespace evident::cli
