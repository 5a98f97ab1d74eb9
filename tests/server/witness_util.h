#pragma once

// A log in memory for the witness tests: its leaves, its tree (through
// ledger/merkle), and checkpoints signed with a real key.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ledger/checkpoint.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/proof.h"
#include "ledger/note.h"
#include "server/witness/request.h"
#include "tests/testutil/test_util.h"

namespace evident::testing {

class TestLog {
 public:
  TestLog(std::string origin, PrivateKey key) : origin_(std::move(origin)), key_(std::move(key)) {}

  // Appends `n` leaves "<tag>-<i>".
  void Grow(uint64_t n, const std::string& tag) {
    for (uint64_t i = 0; i < n; ++i) {
      range_.Append(merkle::LeafHash(tag + "-" + std::to_string(range_.size())),
                    [this](merkle::NodeId id, const std::string& hash) {
                      nodes_[{id.level, id.index}] = hash;
                    });
    }
  }
  uint64_t size() const { return range_.size(); }

  std::string Root(uint64_t size) const {
    return size == 0 ? merkle::EmptyRoot() : Must(merkle::RangeHash(0, size, Reader()));
  }
  std::vector<std::string> Proof(uint64_t from, uint64_t to) const {
    return Must(merkle::ConsistencyProof(from, to, Reader()));
  }
  std::string Text(uint64_t size) const { return CheckpointText({origin_, size, Root(size)}); }
  // The checkpoint of `size`, signed by the log's key.
  std::string Note(uint64_t size) const { return SignNote(Text(size), origin_, key_); }
  // The add-checkpoint body from `from` to `size` (from <= size).
  std::string Body(uint64_t from, uint64_t size) const {
    return server::witness::AddCheckpointBody(from, Proof(from, size), Note(size));
  }
  std::string Vkey() const { return Must(NoteVerifier::Create(origin_, key_.public_key())).Vkey(); }
  const std::string& origin() const { return origin_; }
  const PrivateKey& key() const { return key_; }

 private:
  merkle::NodeReader Reader() const {
    return [this](merkle::NodeId id, std::string* hash) {
      auto it = nodes_.find({id.level, id.index});
      if (it == nodes_.end()) return Status::NotFound("no node");
      *hash = it->second;
      return Status::OK();
    };
  }

  std::string origin_;
  PrivateKey key_;
  merkle::CompactRange range_;
  std::map<std::pair<int, uint64_t>, std::string> nodes_;
};

}  // namespace evident::testing
