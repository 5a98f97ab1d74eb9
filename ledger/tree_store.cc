#include "ledger/tree_store.h"

#include "ledger/coding.h"

namespace evident {

std::string MerkleNodeKey(merkle::NodeId id) {
  std::string key(1, static_cast<char>(id.level));
  PutFixed64BE(&key, id.index);
  return key;
}

merkle::NodeReader StorageNodeReader(Storage* storage) {
  return [storage](merkle::NodeId id, std::string* hash) {
    Status s = storage->Get(Column::kMerkle, MerkleNodeKey(id), hash);
    if (s.code() == Status::Code::kNotFound) {
      return Status::Corruption("Merkle node (level " + std::to_string(id.level) + ", index " +
                                std::to_string(id.index) + ") is missing; run 'evident verify'");
    }
    return s;
  };
}

StatusOr<merkle::CompactRange> LoadCompactRange(Storage* storage, uint64_t size) {
  merkle::NodeReader read = StorageNodeReader(storage);
  std::vector<std::string> hashes;
  for (merkle::NodeId id : merkle::CompactRange::Decompose(size)) {
    std::string hash;
    EVIDENT_RETURN_IF_ERROR(read(id, &hash));
    if (hash.size() != 32) return Status::Corruption("a stored Merkle node is not 32 bytes");
    hashes.push_back(std::move(hash));
  }
  return merkle::CompactRange(size, std::move(hashes));
}

}  // namespace evident
