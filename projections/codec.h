#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

// The byte form of projection rows (docs/format.md, "Projection store").
//
//   value    := field*             in the order the row type's Visit lists them
//   integer  := varint             zigzag for signed types; bool is 0 or 1
//   string   := varint(len) bytes
//   vector   := varint(count) element*
//   pair     := first second
//
// A row type lists its fields once, in `template <class V> void Visit(V& v)`,
// and both directions use that list, so they cannot drift apart.
namespace evident::projections {

class RowWriter {
 public:
  explicit RowWriter(std::string* out) : out_(out) {}

  template <typename T>
  void operator()(const T& value) {
    if constexpr (std::is_same_v<T, bool>) {
      PutVarint(value ? 1 : 0);
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
      int64_t v = value;
      PutVarint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
    } else if constexpr (std::is_integral_v<T>) {
      PutVarint(value);
    } else if constexpr (std::is_same_v<T, std::string>) {
      PutVarint(value.size());
      out_->append(value);
    } else {
      const_cast<T&>(value).Visit(*this);
    }
  }
  template <typename T>
  void operator()(const std::vector<T>& values) {
    PutVarint(values.size());
    for (const T& v : values) (*this)(v);
  }
  template <typename A, typename B>
  void operator()(const std::pair<A, B>& p) {
    (*this)(p.first);
    (*this)(p.second);
  }

 private:
  void PutVarint(uint64_t v) {
    while (v >= 0x80) {
      out_->push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out_->push_back(static_cast<char>(v));
  }
  std::string* out_;
};

// Reads what RowWriter wrote. Sticky failure: after the first malformed
// field every later read fails too, and ok() says so.
class RowReader {
 public:
  explicit RowReader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }

  template <typename T>
  void operator()(T& value) {
    if constexpr (std::is_same_v<T, bool>) {
      value = GetVarint() != 0;
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
      uint64_t u = GetVarint();
      value = static_cast<T>(static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1)));
    } else if constexpr (std::is_integral_v<T>) {
      value = static_cast<T>(GetVarint());
    } else if constexpr (std::is_same_v<T, std::string>) {
      uint64_t n = GetVarint();
      if (n > in_.size()) return Fail();
      value.assign(in_.substr(0, n));
      in_.remove_prefix(n);
    } else {
      value.Visit(*this);
    }
  }
  template <typename T>
  void operator()(std::vector<T>& values) {
    uint64_t n = GetVarint();
    if (n > in_.size()) return Fail();  // every element takes at least a byte
    values.clear();
    values.resize(n);
    for (T& v : values) (*this)(v);
  }
  template <typename A, typename B>
  void operator()(std::pair<A, B>& p) {
    (*this)(p.first);
    (*this)(p.second);
  }

 private:
  void Fail() {
    ok_ = false;
    in_ = {};
  }
  uint64_t GetVarint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) break;
      uint8_t byte = static_cast<uint8_t>(in_[0]);
      in_.remove_prefix(1);
      v |= uint64_t(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    Fail();
    return 0;
  }
  std::string_view in_;
  bool ok_ = true;
};

template <typename T>
std::string EncodeRow(const T& row) {
  std::string out;
  RowWriter writer(&out);
  writer(row);
  return out;
}

// False if `bytes` is not exactly one encoded T.
template <typename T>
bool DecodeRow(std::string_view bytes, T* row) {
  RowReader reader(bytes);
  reader(*row);
  return reader.ok() && reader.done();
}

// A table key of several ids: each but the last length-prefixed, so ids may
// hold any byte and keys of different parts never collide.
std::string JoinKey(std::string_view a, std::string_view b);
std::string JoinKey(std::string_view a, std::string_view b, std::string_view c);
// The first part of a JoinKey key, and what follows it.
std::pair<std::string_view, std::string_view> SplitKey(std::string_view key);

}  // namespace evident::projections
