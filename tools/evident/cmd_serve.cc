// evident serve: the ledger over TCP, until SIGTERM or SIGINT.

#include <signal.h>

#include <filesystem>
#include <iostream>

#include "ledger/file_util.h"
#include "projections/directory/directory.h"
#include "projections/store.h"
#include "server/http/client.h"
#include "server/server.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"
#include "tools/evident/serve_log.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "serve";

int Serve(const Flags& flags);

// "URL VKEY [CA-FILE]": a witness's address, its cosigner key, and the
// certificate to trust for its TLS (default: the system's).
StatusOr<server::WitnessEndpoint> ParseWitnessSpec(const std::string& spec) {
  std::vector<std::string> words;
  for (size_t at = 0; at < spec.size();) {
    const size_t start = spec.find_first_not_of(" \t", at);
    if (start == std::string::npos) break;
    const size_t end = std::min(spec.find_first_of(" \t", start), spec.size());
    words.push_back(spec.substr(start, end - start));
    at = end;
  }
  if (words.size() < 2 || words.size() > 3) {
    return Status::InvalidArgument("--witness takes \"URL VKEY [CA-FILE]\", e.g. "
                                   "\"https://witness.county.example county.example/witness+"
                                   "1a2b3c4d+BASE64\"; got \"" + spec + "\"");
  }
  auto url = server::http::ParseUrl(words[0]);
  if (!url.ok()) return url.status().WithContext("--witness " + words[0]);
  auto verifier = CosignatureVerifier::FromVkey(words[1]);
  if (!verifier.ok()) return verifier.status().WithContext("--witness key");
  return server::WitnessEndpoint{verifier.value(), words[0], words.size() == 3 ? words[2] : ""};
}

int RunServe(const Flags& given) {
  if (!given.Has("config")) return Serve(given);
  const std::string path = given.Get("config").value();
  auto text = ReadFile(path, "config file (--config)");
  if (!text.ok()) return Fail(kName, text.status());
  auto flags = given.WithConfigFile(path, text.value(), kServeCommand.flags);
  if (!flags.ok()) return Fail(kName, flags.status());
  return Serve(flags.value());
}

int Serve(const Flags& flags) {
  auto dir = flags.Require("ledger");
  if (!dir.ok()) return Fail(kName, dir.status());
  server::ServerOptions options;
  if (Status s = ParseAddress(flags.Get("listen").value_or("127.0.0.1:7420"), "--listen",
                              &options.host, &options.port);
      !s.ok()) {
    return Fail(kName, s);
  }
  if (flags.Has("metrics")) {
    options.metrics = true;
    if (Status s = ParseAddress(flags.Get("metrics").value(), "--metrics", &options.metrics_host,
                                &options.metrics_port);
        !s.ok()) {
      return Fail(kName, s);
    }
  }
  options.metrics_public = flags.Has("metrics-public");
  options.plaintext = flags.Has("plaintext");
  if (flags.Has("publish")) {
    options.publish = true;
    if (Status s = ParseAddress(flags.Get("publish").value(), "--publish", &options.publish_host,
                                &options.publish_port);
        !s.ok()) {
      return Fail(kName, s);
    }
  }
  if (flags.Has("pages")) {
    options.pages = true;
    if (Status s = ParseAddress(flags.Get("pages").value(), "--pages", &options.pages_host,
                                &options.pages_port);
        !s.ok()) {
      return Fail(kName, s);
    }
  }
  options.reports_dir = flags.Get("reports").value_or("");
  for (const std::string& spec : flags.GetAll("witness")) {
    auto witness = ParseWitnessSpec(spec);
    if (!witness.ok()) return Fail(kName, witness.status());
    options.witnesses.push_back(std::move(witness.value()));
  }
  auto quorum = flags.GetUint("witness-quorum", 0);
  if (!quorum.ok()) return Fail(kName, quorum.status());
  if (quorum.value() > options.witnesses.size()) {
    return Fail(kName, "--witness-quorum " + std::to_string(quorum.value()) + " needs at least " +
                           std::to_string(quorum.value()) + " --witness; " +
                           std::to_string(options.witnesses.size()) + " given");
  }
  options.witness_quorum = quorum.value();
  auto log = MakeServeLog(flags.Get("log-file").value_or(""));
  if (!log.ok()) return Fail(kName, log.status());
  options.log = std::move(log.value());
  options.projection_dir = projections::ProjectionStore::PathFor(dir.value());
  options.directory_dir = projections::directory::Directory::PathFor(dir.value());
  auto limit = flags.GetUint("max-connections", options.max_connections);
  if (!limit.ok()) return Fail(kName, limit.status());
  options.max_connections = limit.value();
  auto idle = flags.GetUint("idle-timeout", 300);
  if (!idle.ok()) return Fail(kName, idle.status());
  options.idle_timeout = std::chrono::seconds(idle.value());
  auto pending = flags.GetUint("max-pending-logins", options.max_pending_logins);
  if (!pending.ok()) return Fail(kName, pending.status());
  if (pending.value() == 0) return Fail(kName, "--max-pending-logins must be at least 1");
  options.max_pending_logins = pending.value();
  auto write = flags.GetUint("write-timeout", 30);
  if (!write.ok()) return Fail(kName, write.status());
  options.write_timeout = std::chrono::seconds(write.value());
  if (!options.plaintext) {
    const std::string cert = flags.Get("cert").value_or(dir.value() + "/keys/tls-cert.pem");
    const std::string key = flags.Get("key").value_or(dir.value() + "/keys/tls-key.pem");
    auto cert_pem = ReadFile(cert, "TLS certificate (--cert)");
    if (!cert_pem.ok()) return Fail(kName, cert_pem.status());
    auto key_pem = ReadFile(key, "TLS key (--key)");
    if (!key_pem.ok()) return Fail(kName, key_pem.status());
    options.cert_pem = cert_pem.value();
    options.key_pem = key_pem.value();
  }

  // Signals are taken by this thread alone, with sigwait; every thread the
  // server starts inherits the mask.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  if (flags.Has("check-config")) {
    auto ledger = OpenLedgerFlag(flags, OpenMode::kReadOnly);
    if (!ledger.ok()) return Fail(kName, ledger.status());
    if (Status s = server::CheckOptions(options); !s.ok()) return Fail(kName, s);
    std::cout << "config ok: ledger " << dir.value() << " (" << ledger.value()->origin() << ", "
              << ledger.value()->size() << " entries), listen " << options.host << ":"
              << options.port << (options.plaintext ? " in plaintext" : " over TLS")
              << (options.plaintext ? "" : ", certificate and key loaded");
    if (options.metrics) std::cout << ", metrics " << options.metrics_host << ":" << options.metrics_port;
    std::cout << "\n";
    return 0;
  }
  auto ledger = OpenLedgerFlag(flags, OpenMode::kReadWrite);
  if (!ledger.ok()) return Fail(kName, ledger.status());
  auto server = server::Server::Start(ledger.value().get(), options);
  if (!server.ok()) return Fail(kName, server.status());
  std::cout << "serving " << dir.value() << " (" << ledger.value()->origin() << ", "
            << ledger.value()->size() << " entries) on " << options.host << ":"
            << server.value()->port() << (options.plaintext ? " in plaintext" : " over TLS");
  if (options.metrics) {
    std::cout << "; metrics on http://" << options.metrics_host << ":"
              << server.value()->metrics_port() << "/metrics";
  }
  if (options.publish) {
    std::cout << "; hash tiles on " << (options.plaintext ? "http" : "https") << "://"
              << options.publish_host << ":" << server.value()->publish_port() << "/checkpoint";
  }
  if (options.pages) {
    std::cout << "; pages on https://" << options.pages_host << ":" << server.value()->pages_port()
              << "/";
  }
  if (!options.witnesses.empty()) {
    std::cout << "; checkpoints offered to " << options.witnesses.size() << " witness"
              << (options.witnesses.size() == 1 ? "" : "es");
  }
  std::cout << std::endl;
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  std::cout << "stopping (" << (signal_number == SIGTERM ? "SIGTERM" : "SIGINT")
            << "): no new connections; requests in flight are answered" << std::endl;
  server.value()->Shutdown();
  const uint64_t size = ledger.value()->size();
  server.value().reset();
  ledger.value().reset();  // closes the database cleanly
  std::cout << "stopped; the ledger holds " << size << " entries" << std::endl;
  return 0;
}

}  // namespace

const Command kServeCommand = {
    kName,
    "serve the ledger over TCP (TLS) until SIGTERM",
    "usage: evident serve --ledger DIR [--listen HOST:PORT] [--cert FILE --key FILE]\n"
    "                     [--plaintext] [--max-connections N] [--max-pending-logins N]\n"
    "                     [--idle-timeout SECONDS] [--write-timeout SECONDS]\n"
    "                     [--metrics HOST:PORT [--metrics-public]] [--log-file FILE]\n"
    "                     [--publish HOST:PORT] [--witness 'URL VKEY [CA-FILE]' ...\n"
    "                     [--witness-quorum K]] [--pages HOST:PORT [--reports DIR]]\n"
    "                     [--config FILE] [--check-config]\n\n"
    "Serves appends, reads, subscriptions, checkpoints, proofs and the views to\n"
    "clients that prove they hold a key registered in the log (docs/protocol.md).\n"
    "TLS by default, with DIR/keys/tls-cert.pem and tls-key.pem (written by\n"
    "`evident init`) unless --cert and --key name others. On SIGTERM or SIGINT it\n"
    "stops accepting, answers every request in flight, and closes the ledger cleanly.\n"
    "With --witness, each checkpoint is offered to the witnesses (C2SP tlog-witness)\n"
    "behind the appends, and their cosignatures stored beside the log; with\n"
    "--publish, the log's hash tiles and newest cosigned checkpoint are served over\n"
    "HTTPS for anyone to check (C2SP tlog-tiles; never entries). With --pages, the\n"
    "district's people sign in to pages over HTTPS, each seeing what their role\n"
    "allows (docs/pages.md); accounts and names come from DIR/directory.\n",
    {{{"ledger", "DIR", "the ledger"},
      {"listen", "HOST:PORT", "default 127.0.0.1:7420 (port 0: any free port)"},
      {"cert", "FILE", "the TLS certificate (default DIR/keys/tls-cert.pem)"},
      {"key", "FILE", "the TLS private key (default DIR/keys/tls-key.pem)"},
      {"plaintext", "", "no TLS; allowed on a loopback address only"},
      {"max-connections", "N",
       "default 256; past it a connection still logging in "
       "makes room, or the new one is refused"},
      {"max-pending-logins", "N", "default 64 logging in at once; past it the oldest is closed"},
      {"idle-timeout", "SECONDS", "close a connection idle this long (default 300)"},
      {"write-timeout", "SECONDS", "close a connection that takes no reply this long (default 30)"},
      {"metrics", "HOST:PORT",
       "serve Prometheus metrics at /metrics and a health check at "
       "/healthz on this address, in plain HTTP (off by default); "
       "a loopback address only, as the metrics name principals"},
      {"metrics-public", "", "allow --metrics on an address that is not loopback"},
      {"publish", "HOST:PORT",
       "serve the hash tiles (/tile/...) and the newest cosigned checkpoint "
       "(/checkpoint) over HTTPS on this address, with the same certificate"},
      {"witness", "'URL VKEY [CA-FILE]'",
       "a witness to offer checkpoints to: its address, its cosigner key (the "
       "vkey its keygen printed) and, if its certificate is not one "
       "the system trusts, the certificate to trust; repeat for each witness"},
      {"witness-quorum", "K",
       "how many of the witnesses make a checkpoint trusted: what /checkpoint serves "
       "and the lag metric counts (default: all)"},
      {"pages", "HOST:PORT",
       "serve the pages for people (sign-in, records, worklist, board reports) over "
       "HTTPS on this address, with the same certificate; never over plain HTTP"},
      {"reports", "DIR",
       "the board reports the pages list: each subfolder that holds an "
       "`evident report` output (summary.json, report.html, report.pdf)"},
      {"log-file", "FILE",
       "append the log here (default: standard error); lines are "
       "UTC time, level=info|warn, then conn=cN peer=ADDR for a "
       "connection's events"},
      {"config", "FILE",
       "settings as `name = value` lines, named as these flags "
       "(tools/evident.conf); flags given here override the file"},
      {"check-config", "", "check the settings, the TLS files and the ledger, then exit"}}},
    RunServe};

}  // namespace evident::cli
