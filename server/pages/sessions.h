#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

// Signed-in sessions and the back-off after failed sign-ins, in memory: a
// restart signs everyone out and forgets failures.
//
// A session is named by a random 256-bit token, sent to the browser once in
// a cookie and kept here only as its SHA-256, with a CSRF token of its own
// that every form of the session must carry. It ends after `idle` without a
// request, after `lifetime` in all, or at sign-out.
//
// Thread-safe.
namespace evident::server::pages {

using Clock = std::chrono::steady_clock;

struct Session {
  std::string login;
  std::string csrf;  // the session's form token (base64url, 256 bits)
  Clock::time_point started, last_seen;
};

class SessionTable {
 public:
  SessionTable(std::chrono::seconds idle, std::chrono::seconds lifetime, size_t max_sessions)
      : idle_(idle), lifetime_(lifetime), max_sessions_(max_sessions) {}

  // A new session for `login`; returns its token (for the cookie). At
  // max_sessions the oldest session ends to make room.
  std::string Start(const std::string& login, Clock::time_point now);
  // The session `token` names, if it has not ended; marks it seen at `now`.
  std::optional<Session> Find(const std::string& token, Clock::time_point now);
  void End(const std::string& token);
  // Ends every session of `login` (a new password, an erasure).
  void EndAllOf(const std::string& login);

 private:
  const std::chrono::seconds idle_, lifetime_;
  const size_t max_sessions_;
  std::mutex mu_;
  std::map<std::string, Session> sessions_;  // by SHA-256 of the token
};

// Failed sign-ins, by key (a sign-in name, or a client address), and how
// long the next attempt must wait: nothing for the first `free_failures`,
// then 1 s, doubling with each further failure, at most `longest`. A
// success clears the key.
class BackOff {
 public:
  BackOff(int free_failures, std::chrono::seconds longest)
      : free_failures_(free_failures), longest_(longest) {}

  // Seconds until `key` may try again; 0 when it may now.
  int64_t WaitSeconds(const std::string& key, Clock::time_point now);
  void Failed(const std::string& key, Clock::time_point now);
  void Succeeded(const std::string& key);

 private:
  struct Record {
    int failures = 0;
    Clock::time_point not_before;
  };
  const int free_failures_;
  const std::chrono::seconds longest_;
  std::mutex mu_;
  std::map<std::string, Record> records_;
};

// 32 random bytes, base64url without padding.
std::string RandomToken();

}  // namespace evident::server::pages
