#include "tools/evident/cli_util.h"

#include <openssl/rand.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/file_util.h"
#include "projections/fact.h"
#include "server/frame.h"

namespace evident::cli {

StatusOr<std::string> EntryJson(EventJsonCodec* codec, uint64_t sequence, std::string_view bytes) {
  auto entry = ParseEntry(bytes);
  if (!entry.ok()) return entry.status();
  const schema::Entry* e = entry.value();
  auto event = ParseEvent(AsView(e->event()));
  if (!event.ok()) return event.status();
  auto event_json = codec->ToJson(AsView(e->event()));
  if (!event_json.ok()) return event_json.status();
  nlohmann::ordered_json line = {{"sequence", sequence},
                                 {"recorded_at", FormatMicros(e->recorded_at_micros())},
                                 {"signer_key_id", HexEncode(AsView(e->signer_key_id()))},
                                 {"signature", HexEncode(AsView(e->signature()))},
                                 {"event", nlohmann::ordered_json::parse(event_json.value())}};
  return line.dump();
}

namespace {

std::string FormatTime(std::time_t seconds, const char* format) {
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), format, &tm);
  return buf;
}

}  // namespace

std::string NewEventIdHex() {
  std::string id(16, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(id.data()), int(id.size())) != 1) abort();
  return HexEncode(id);
}

std::string NowTimestamp() { return FormatTime(std::time(nullptr), "%Y-%m-%dT%H:%M:%SZ"); }

std::string FormatMicros(int64_t micros) {
  std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  char frac[8];
  std::snprintf(frac, sizeof(frac), "%06lld", static_cast<long long>(micros % 1000000));
  return FormatTime(seconds, "%Y-%m-%dT%H:%M:%S.") + frac + "Z";
}

namespace {

// A key event as `evident append` reads it, with a fresh id, dated now.
std::string KeyEventJson(const std::string& district, const char* type,
                         nlohmann::ordered_json body) {
  nlohmann::ordered_json event = {{"event_id", NewEventIdHex()},    {"event_type", type},
                                  {"occurred_at", NowTimestamp()},  {"district_id", district},
                                  {"source_system", "evident-cli"}, {"body", std::move(body)}};
  return event.dump();
}

}  // namespace

std::string KeyRegisteredJson(const std::string& district, const std::string& principal,
                              const std::string& role, const PublicKey& key,
                              const std::vector<std::string>& allowed_event_types) {
  nlohmann::ordered_json body = {
      {"principal_id", principal}, {"role", role}, {"public_key", HexEncode(key.raw())}};
  if (!allowed_event_types.empty()) body["allowed_event_types"] = allowed_event_types;
  return KeyEventJson(district, "KeyRegistered", std::move(body));
}

std::string KeyRevokedJson(const std::string& district, const std::string& key_id,
                           const std::string& reason) {
  return KeyEventJson(district, "KeyRevoked",
                      {{"key_id", HexEncode(key_id)}, {"reason_code", reason}});
}

StatusOr<demo::DistrictOptions> DistrictFlags(const Flags& flags) {
  demo::DistrictOptions options;
  auto seed = flags.GetUint("seed", options.seed);
  if (!seed.ok()) return seed.status();
  auto sites = flags.GetUint("sites", uint64_t(options.sites));
  if (!sites.ok()) return sites.status();
  if (sites.value() < 4 || sites.value() > 400) {
    return Status::InvalidArgument("--sites must be between 4 and 400");
  }
  options.seed = seed.value();
  options.sites = int(sites.value());
  return options;
}

StatusOr<int32_t> AsOfDateFlag(const Flags& flags) {
  auto date = flags.Get("as-of-date");
  if (!date) return projections::kNoDay;
  const int32_t day = projections::DayOf(*date);
  if (day == projections::kNoDay || date->size() != 10) {
    return Status::InvalidArgument("--as-of-date must be a date, YYYY-MM-DD; got \"" + *date +
                                   "\"");
  }
  return day;
}

StatusOr<std::unique_ptr<Ledger>> OpenLedgerFlag(const Flags& flags, OpenMode mode) {
  auto dir = flags.Require("ledger");
  if (!dir.ok()) return dir.status();
  return Ledger::Open(dir.value(), mode);
}

StatusOr<std::string> ReadAll(const std::string& path) {
  if (path != "-") return ReadFile(path);
  std::stringstream buf;
  buf << std::cin.rdbuf();
  return buf.str();
}

StatusOr<WitnessPolicy> WitnessPolicyFromFlags(const Flags& flags) {
  const std::vector<std::string> vkeys = flags.GetAll("witness");
  if (vkeys.empty()) {
    if (flags.Has("quorum")) return Status::InvalidArgument("--quorum needs --witness VKEY");
    return WitnessPolicy();
  }
  auto quorum = flags.GetUint("quorum", 0);
  if (!quorum.ok()) return quorum.status();
  if (flags.Has("quorum") && quorum.value() == 0) {
    return Status::InvalidArgument("--quorum must be at least 1");
  }
  return MakeWitnessPolicy(vkeys, quorum.value());
}

StatusOr<std::optional<NoteVerifier>> VkeyFromFlags(const Flags& flags) {
  const auto given = flags.Get("vkey"), path = flags.Get("vkey-file");
  if (given && path) return Status::InvalidArgument("give --vkey or --vkey-file, not both");
  if (!given && !path) return std::optional<NoteVerifier>();
  std::string vkey;
  if (given) {
    vkey = *given;
  } else {
    auto text = ReadAll(*path);
    if (!text.ok()) return text.status().WithContext("--vkey-file");
    vkey = text.value().substr(0, text.value().find('\n'));
  }
  auto verifier = NoteVerifier::FromVkey(vkey);
  if (!verifier.ok()) {
    std::error_code ec;
    const bool is_file = given && std::filesystem::is_regular_file(*given, ec);
    return Status::InvalidArgument(
        (given ? "--vkey: " : "--vkey-file " + *path + ": ") + verifier.status().message() +
        ", as 'evident pubkey' prints it" +
        (is_file ? "; to read the key from a file, give --vkey-file " + *given : ""));
  }
  return std::optional<NoteVerifier>(verifier.value());
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

std::string VerifySummary(const VerifyReport& r) {
  if (!r.ok()) return "FAILED: " + r.problem;
  return "ok: " + std::to_string(r.entries) + " entries verified (" + std::to_string(r.signatures) +
         " signatures, " + std::to_string(r.key_events) + " key events, " +
         std::to_string(r.merkle_nodes) + " Merkle nodes, " + std::to_string(r.checkpoints) +
         " signed checkpoints, every index" +
         (r.cosignatures == 0
              ? std::string()
              : ", " + std::to_string(r.cosignatures) + " witness cosignatures" +
                    (r.cosignatures_verified > 0
                         ? " (" + std::to_string(r.cosignatures_verified) +
                               " verified with the witness keys given)"
                         : std::string())) +
         ")";
}

StatusOr<std::unique_ptr<server::Client>> ConnectServerFlag(const Flags& flags,
                                                            const PrivateKey* key) {
  std::optional<PrivateKey> loaded;
  if (key == nullptr) {
    auto path = flags.Require("key");
    if (!path.ok()) {
      return Status::InvalidArgument("with --server, give the key to log in with: --key FILE");
    }
    auto read = PrivateKey::LoadFile(path.value());
    if (!read.ok()) return read.status();
    loaded = std::move(read.value());
    key = &*loaded;
  }
  auto address = flags.Require("server");
  if (!address.ok()) return address.status();
  const size_t colon = address->rfind(':');
  server::ClientOptions options;
  options.host = address->substr(0, colon);
  const std::string port = colon == std::string::npos ? "" : address->substr(colon + 1);
  if (options.host.empty() || port.empty() ||
      port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
      std::stoul(port) > 65535) {
    return Status::InvalidArgument("--server must be HOST:PORT, e.g. localhost:7420; got \"" +
                                   *address + "\"");
  }
  options.port = uint16_t(std::stoul(port));
  options.plaintext = flags.Has("plaintext");
  if (!options.plaintext) {
    auto trust = flags.Require("trust");
    if (!trust.ok()) {
      return Status::InvalidArgument(
          "give the server's certificate with --trust FILE (its ledger's keys/tls-cert.pem)");
    }
    auto pem = ReadFile(trust.value(), "trusted certificate");
    if (!pem.ok()) return pem.status();
    options.trusted_cert_pem = pem.value();
  }
  return server::Client::Connect(options, *key);
}

StatusOr<Destination> OpenDestination(const Flags& flags, const PrivateKey& key) {
  Destination d;
  if (flags.Has("server")) {
    auto connected = ConnectServerFlag(flags, &key);
    if (!connected.ok()) return connected.status();
    d.client = std::move(connected.value());
  } else {
    auto opened = OpenLedgerFlag(flags, OpenMode::kReadWrite);
    if (!opened.ok()) return opened.status();
    d.ledger = std::move(opened.value());
  }
  return d;
}

StatusOr<size_t> BatchFlag(const Flags& flags) {
  const bool remote = flags.Has("server");
  auto batch = flags.GetUint("batch", remote ? server::kMaxBatchEvents : 1000);
  if (!batch.ok()) return batch.status();
  const size_t most = remote ? server::kMaxBatchEvents : Appender::kMaxEventsPerCall;
  if (batch.value() < 1 || batch.value() > most) {
    return Status::InvalidArgument("--batch must be between 1 and " + std::to_string(most) +
                                   (remote ? " with --server" : ""));
  }
  return static_cast<size_t>(batch.value());
}

Status CheckSignersForAll(Ledger* ledger, const std::vector<SignedEvent>& events,
                          const std::function<std::string(size_t)>& where) {
  if (ledger == nullptr) return Status::OK();
  std::map<std::string, Status> by_type;
  for (size_t i = 0; i < events.size(); ++i) {
    const schema::Event* event = ParseEvent(events[i].event).value();
    auto [it, fresh] = by_type.try_emplace(event->event_type()->str());
    if (fresh) it->second = ledger->CheckSigner(events[i].signer_key_id, *event);
    if (!it->second.ok()) return it->second.WithContext(where(i));
  }
  return Status::OK();
}

Status AppendInBatches(Ledger* ledger, server::Client* client, std::vector<SignedEvent> events,
                       size_t batch, AppendTotals* totals, size_t* failed,
                       const std::function<void(size_t)>& after_batch) {
  for (size_t offset = 0; offset < events.size(); offset += batch) {
    size_t end = std::min(events.size(), offset + batch);
    std::vector<SignedEvent> chunk(std::make_move_iterator(events.begin() + offset),
                                   std::make_move_iterator(events.begin() + end));
    size_t at = chunk.size();
    auto append = [&]() -> StatusOr<std::vector<AppendResult>> {
      if (ledger != nullptr) return ledger->Append(std::move(chunk), &at);
      auto reply = client->Append(chunk, &at);
      if (!reply.ok()) return reply.status();
      return std::move(reply.value().results);
    };
    auto results = append();
    if (!results.ok()) {
      *failed = at < end - offset ? offset + at : events.size();
      return results.status();
    }
    for (const AppendResult& r : results.value()) {
      if (r.duplicate) {
        ++totals->duplicates;
        continue;
      }
      if (totals->added++ == 0) totals->first = r.sequence;
      totals->last = r.sequence;
    }
    if (after_batch) after_batch(end);
  }
  return Status::OK();
}

std::string WithoutBatchIndex(const Status& s, size_t index) {
  std::string m = s.ToString();
  const std::string tag = "event " + std::to_string(index);
  for (size_t at = m.find(tag); at != std::string::npos; at = m.find(tag, at)) {
    const size_t end = at + tag.size();
    const size_t close = m.compare(end, 5, " (id ") == 0 ? m.find("): ", end) : std::string::npos;
    if (m.compare(end, 2, ": ") == 0) {
      m.erase(at, tag.size() + 2);
    } else if (close != std::string::npos) {
      const std::string named = "event " + m.substr(end + 5, close - end - 5);
      m.replace(at, close + 1 - at, named);
      at += named.size();
    } else {
      at = end;
    }
  }
  return m;
}

std::string StoredSoFar(const AppendTotals& totals) {
  const uint64_t stored = totals.added + totals.duplicates;
  if (stored == 0) return " (nothing was appended)";
  return " (the " + std::to_string(stored) +
         " events before this batch are stored; running the same input again is safe: they "
         "come back as duplicates)";
}

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

}  // namespace evident::cli
