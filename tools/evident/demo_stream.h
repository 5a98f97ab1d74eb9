#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ledger/status.h"
#include "server/client.h"
#include "tools/demo/district.h"

// The demo's streaming step: each district system appends its own events
// over its own authenticated TLS connection, all at once, while a second
// system follows the log from its first entry. Used by `evident demo`.
namespace evident::cli::demo_stream {

// One system's events, in the order it sends them, and its key.
struct Lane {
  std::string principal;
  std::vector<std::string> event_types;  // its key's rights, for a rotated key
  std::vector<const demo::DemoEvent*> events;
  std::string key_path;
  // The index of the first event to sign with a new key, or events.size()
  // for none: before it the admin registers the new key (saved beside the
  // old one as `rotated_key_path`); once an event signed with the new key
  // is stored, the admin revokes the old one.
  size_t rotate_at;
  std::string rotated_key_path;
};

struct Plan {
  server::ClientOptions server;  // where, and the certificate to trust
  std::vector<Lane> lanes;
  std::string admin_key_path;     // signs the rotation's key events
  std::string follower_key_path;  // the subscribing system's key
  std::string district;
};

struct Progress {
  std::atomic<uint64_t> sent{0};      // events acknowledged (new or duplicate)
  std::atomic<uint64_t> followed{0};  // entries the follower has received
};

struct Result {
  uint64_t appended = 0, duplicates = 0;
  double seconds = 0;  // from the first connection to the last acknowledgement
  uint64_t followed = 0;
  std::string followed_root;             // RFC 9162 root of the entries the follower received
  std::string rotated_from, rotated_to;  // key ids, when a lane rotated
};

// Runs every lane on its own thread, and the follower on another. Once every
// lane is done, `log_size` says how many entries the log holds; the follower
// is followed until it has them all (it resumes from where it was if its
// subscription goes quiet for a second, as a real follower would). Returns
// the first failed lane's error, else the follower's: a lane that fails
// stops there, and the others run to their end.
Status Run(const Plan& plan, Progress* progress, const std::function<uint64_t()>& log_size,
           Result* result);

}  // namespace evident::cli::demo_stream
