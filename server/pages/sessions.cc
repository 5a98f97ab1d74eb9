#include "server/pages/sessions.h"

#include <openssl/rand.h>

#include <algorithm>
#include <vector>

#include "ledger/sha256.h"

namespace evident::server::pages {

namespace {

std::string Key(const std::string& token) { return Sha256(token); }

}  // namespace

std::string RandomToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();  // no randomness: nothing is safe
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 63];
  return out;
}

std::string SessionTable::Start(const std::string& login, Clock::time_point now) {
  std::string token = RandomToken();
  std::lock_guard<std::mutex> lock(mu_);
  while (!sessions_.empty() && sessions_.size() >= max_sessions_) {
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
      return a.second.last_seen < b.second.last_seen;
    });
    sessions_.erase(oldest);
  }
  sessions_[Key(token)] = Session{login, RandomToken(), now, now};
  return token;
}

std::optional<Session> SessionTable::Find(const std::string& token, Clock::time_point now) {
  if (token.empty()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(Key(token));
  if (it == sessions_.end()) return std::nullopt;
  if (now - it->second.last_seen > idle_ || now - it->second.started > lifetime_) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

void SessionTable::End(const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(Key(token));
}

void SessionTable::EndAllOf(const std::string& login) {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(sessions_, [&](const auto& s) { return s.second.login == login; });
}

int64_t BackOff::WaitSeconds(const std::string& key, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = records_.find(key);
  if (it == records_.end() || now >= it->second.not_before) return 0;
  return std::chrono::ceil<std::chrono::seconds>(it->second.not_before - now).count();
}

void BackOff::Failed(const std::string& key, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  Record& r = records_[key];
  ++r.failures;
  const int over = r.failures - free_failures_;
  if (over <= 0) return;
  const auto wait = std::min<std::chrono::seconds>(
      longest_, std::chrono::seconds(int64_t{1} << std::min(over - 1, 30)));
  r.not_before = now + wait;
  // Forget keys long since free, so the table stays small.
  if (records_.size() > 100000) {
    std::erase_if(records_, [&](const auto& e) { return e.second.not_before + longest_ < now; });
  }
}

void BackOff::Succeeded(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  records_.erase(key);
}

}  // namespace evident::server::pages
