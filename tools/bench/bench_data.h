#pragma once

// The load benchmark's data set: keys and pre-signed events, made once into
// a directory and kept, so that no timed run pays for signing.
//
//   DIR/keys/admin.pem, ledger.pem, system-K.pem   (K = 0..kSystems-1)
//   DIR/events-K.bin    the events system K signed, in the order it sends them
//   DIR/count           the number of events in all files; the set is made
//                       afresh when it differs from the one asked for
//
// An events file is a sequence of records, each
//   u32be event length || signer key id (32) || signature (64) || event bytes
// The events are AttendanceRecorded, the commonest integration event, each
// about 330 bytes with its signature.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ledger/event.h"
#include "ledger/keys.h"
#include "ledger/ledger.h"
#include "ledger/status.h"

namespace evident::bench {

// District systems sending events, each with its own Integration key.
constexpr int kSystems = 4;
// Events per append request in every throughput scenario, Evident and peer alike.
constexpr size_t kBatch = 256;

struct Keys {
  PrivateKey admin, ledger;
  std::vector<PrivateKey> systems;  // kSystems of them
};

// Makes the data set of `count` events in `dir` unless it is there already.
// Signing runs on every core.
Status PrepareDataSet(const std::string& dir, uint64_t count);
// The number of events in the data set in `dir` (its count file).
StatusOr<uint64_t> DataSetCount(const std::string& dir);
StatusOr<Keys> LoadKeys(const std::string& dir);
std::string EventsPath(const std::string& dir, int system);

// A fresh ledger in `ledger_dir` whose first entries register the data set's
// keys (admin, ledger, then each system as an Integration allowed
// AttendanceRecorded).
StatusOr<std::unique_ptr<Ledger>> CreateLedger(const std::string& ledger_dir, const Keys& keys);

// Reads an events file front to back. Not thread-safe.
class EventReader {
 public:
  static StatusOr<std::unique_ptr<EventReader>> Open(const std::string& path);
  ~EventReader();
  // Up to `n` more events into `*out` (replacing its contents); false at the
  // end of the file. An unreadable record ends the process with a message:
  // the data set is the bench's own.
  bool Next(size_t n, std::vector<SignedEvent>* out);

 private:
  EventReader() = default;
  std::FILE* file_ = nullptr;
  std::string path_;
};

// The events of every system, handed out a batch at a time in turn: for
// several threads at once (the in-process and peer scenarios). Thread-safe.
class SharedEvents {
 public:
  static StatusOr<std::unique_ptr<SharedEvents>> Open(const std::string& dir);
  // The next batch of up to kBatch events, all from one system; false when
  // every file is spent, or once `limit` events in all have been handed out.
  bool Next(std::vector<SignedEvent>* out, uint64_t limit = UINT64_MAX);

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<EventReader>> readers_;
  size_t turn_ = 0;
  uint64_t handed_out_ = 0;
};

}  // namespace evident::bench
