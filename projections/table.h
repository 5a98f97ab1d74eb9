#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "projections/codec.h"

// The in-memory tables of the projection state, each a map from a key to a
// row type that lists its fields in Visit (projections/codec.h).
//
// A row that is empty() counts as absent: it is neither stored nor digested,
// so a row emptied by a void and a row never written look the same.
//
// Not thread-safe; a Table belongs to one Projector.
namespace evident::projections {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

class TableBase {
 public:
  explicit TableBase(std::string name) : name_(std::move(name)) {}
  virtual ~TableBase() = default;
  TableBase(const TableBase&) = delete;
  TableBase& operator=(const TableBase&) = delete;

  const std::string& name() const { return name_; }
  // Every non-empty row, encoded, in no particular order.
  virtual void ForEachEncoded(
      const std::function<void(const std::string&, const std::string&)>& fn) const = 0;
  // Replaces the row at `key` with decoded `bytes`; false if they are malformed.
  virtual bool LoadEncoded(std::string_view key, std::string_view bytes) = 0;
  // Calls fn(key, bytes or nullptr for an absent row) for each row changed
  // since the last call (every row, the first time), then forgets them.
  virtual void DrainDirty(
      const std::function<void(const std::string&, const std::string*)>& fn) = 0;

 protected:
  std::string name_;
};

template <typename V>
class Table : public TableBase {
 public:
  using Map = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
  using TableBase::TableBase;

  // The row at `key`, created empty if absent; marks it changed.
  V& Mutable(std::string_view key) {
    auto it = rows_.find(key);
    if (it == rows_.end()) it = rows_.emplace(std::string(key), V()).first;
    if (!all_dirty_) dirty_.insert(it->first);
    return it->second;
  }
  // nullptr if absent or empty.
  const V* Find(std::string_view key) const {
    auto it = rows_.find(key);
    return it == rows_.end() || it->second.empty() ? nullptr : &it->second;
  }
  // Includes empty rows; callers skip them with empty().
  const Map& rows() const { return rows_; }

  void ForEachEncoded(
      const std::function<void(const std::string&, const std::string&)>& fn) const override {
    for (const auto& [key, row] : rows_) {
      if (!row.empty()) fn(key, EncodeRow(row));
    }
  }
  bool LoadEncoded(std::string_view key, std::string_view bytes) override {
    V row;
    if (!DecodeRow(bytes, &row)) return false;
    rows_[std::string(key)] = std::move(row);
    return true;
  }
  void DrainDirty(const std::function<void(const std::string&, const std::string*)>& fn) override {
    if (all_dirty_) {
      // Never drained: every row is new, and none was stored before.
      for (auto it = rows_.begin(); it != rows_.end();) {
        if (it->second.empty()) {
          it = rows_.erase(it);
          continue;
        }
        std::string bytes = EncodeRow(it->second);
        fn(it->first, &bytes);
        ++it;
      }
      all_dirty_ = false;
      return;
    }
    for (const std::string& key : dirty_) {
      auto it = rows_.find(key);
      if (it == rows_.end() || it->second.empty()) {
        fn(key, nullptr);
        if (it != rows_.end()) rows_.erase(it);
      } else {
        std::string bytes = EncodeRow(it->second);
        fn(key, &bytes);
      }
    }
    dirty_.clear();
  }

 private:
  Map rows_;
  // Until the first DrainDirty every row counts as changed, so a fold from
  // zero need not track them one by one.
  bool all_dirty_ = true;
  std::unordered_set<std::string, StringHash, std::equal_to<>> dirty_;
};

// A row that is a list of items ordered by the log position of the event
// that put each there (`item.pos`). Putting an item at a position already
// present replaces it; that is how a correction takes its original's place.
template <typename T>
struct PositionList {
  std::vector<T> items;

  void Put(T item) {
    auto it = std::lower_bound(items.begin(), items.end(), item.pos,
                               [](const T& a, uint64_t pos) { return a.pos < pos; });
    if (it != items.end() && it->pos == item.pos) {
      *it = std::move(item);
    } else {
      items.insert(it, std::move(item));
    }
  }
  void Erase(uint64_t pos) {
    auto it = std::lower_bound(items.begin(), items.end(), pos,
                               [](const T& a, uint64_t p) { return a.pos < p; });
    if (it != items.end() && it->pos == pos) items.erase(it);
  }
  // The item from the latest event, or nullptr.
  const T* Last() const { return items.empty() ? nullptr : &items.back(); }
  bool empty() const { return items.empty(); }
  template <class Visitor>
  void Visit(Visitor& v) {
    v(items);
  }
};

// Additive counters: apply adds, retraction subtracts, exactly.
struct Sums {
  int64_t count = 0;
  int64_t total = 0;
  bool empty() const { return count == 0 && total == 0; }
  void Add(int64_t n, int64_t amount, int sign) {
    count += sign * n;
    total += sign * amount;
  }
  template <class Visitor>
  void Visit(Visitor& v) {
    v(count);
    v(total);
  }
};

}  // namespace evident::projections
