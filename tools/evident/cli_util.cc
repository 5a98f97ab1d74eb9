#include "tools/evident/cli_util.h"

#include <openssl/rand.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ledger/coding.h"
#include "ledger/file_util.h"

namespace evident::cli {
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

std::string KeyRegisteredJson(const std::string& district, const std::string& principal,
                              const std::string& role, const PublicKey& key,
                              const std::vector<std::string>& allowed_event_types) {
  nlohmann::ordered_json event = {
      {"event_id", NewEventIdHex()},
      {"event_type", "KeyRegistered"},
      {"occurred_at", NowTimestamp()},
      {"district_id", district},
      {"source_system", "evident-cli"},
      {"body",
       {{"principal_id", principal}, {"role", role}, {"public_key", HexEncode(key.raw())}}}};
  if (!allowed_event_types.empty()) event["body"]["allowed_event_types"] = allowed_event_types;
  return event.dump();
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

StatusOr<std::optional<NoteVerifier>> VkeyFromFlags(const Flags& flags) {
  std::string vkey;
  if (auto given = flags.Get("vkey")) {
    vkey = *given;
  } else if (auto path = flags.Get("vkey-file")) {
    auto text = ReadAll(*path);
    if (!text.ok()) return text.status();
    vkey = text.value().substr(0, text.value().find('\n'));
  } else {
    return std::optional<NoteVerifier>();
  }
  auto verifier = NoteVerifier::FromVkey(vkey);
  if (!verifier.ok()) return verifier.status();
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
         " signed checkpoints, every index)";
}

}  // namespace evident::cli
