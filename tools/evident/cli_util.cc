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
  std::stringstream buf;
  if (path == "-") {
    buf << std::cin.rdbuf();
    return buf.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path + ": " + std::strerror(errno));
  buf << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read " + path);
  return buf.str();
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

}  // namespace evident::cli
