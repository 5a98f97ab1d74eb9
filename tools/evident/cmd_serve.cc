// evident serve: the ledger over TCP, until SIGTERM or SIGINT.

#include <signal.h>

#include <filesystem>
#include <iostream>

#include "ledger/file_util.h"
#include "projections/store.h"
#include "server/server.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"
#include "tools/evident/serve_log.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "serve";

// "HOST:PORT" -> host and port; `what` names the setting in errors.
Status ParseAddress(const std::string& text, const std::string& what, std::string* host,
                    uint16_t* port_number) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument(what + " must be HOST:PORT, e.g. 127.0.0.1:7420; got \"" +
                                   text + "\"");
  }
  *host = text.substr(0, colon);
  if (host->size() > 2 && host->front() == '[') *host = host->substr(1, host->size() - 2);  // [::1]
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535) {
    return Status::InvalidArgument(what + " port must be a number from 0 to 65535; got \"" +
                                   port + "\"");
  }
  *port_number = uint16_t(std::stoul(port));
  return Status::OK();
}

int Serve(const Flags& flags);

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
  auto log = MakeServeLog(flags.Get("log-file").value_or(""));
  if (!log.ok()) return Fail(kName, log.status());
  options.log = std::move(log.value());
  options.projection_dir = projections::ProjectionStore::PathFor(dir.value());
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
    "                     [--config FILE] [--check-config]\n\n"
    "Serves appends, reads, subscriptions, checkpoints, proofs and the views to\n"
    "clients that prove they hold a key registered in the log (docs/protocol.md).\n"
    "TLS by default, with DIR/keys/tls-cert.pem and tls-key.pem (written by\n"
    "`evident init`) unless --cert and --key name others. On SIGTERM or SIGINT it\n"
    "stops accepting, answers every request in flight, and closes the ledger cleanly.\n",
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
