#pragma once

// What the fuzz targets share: the verifier key of the ledger the seed
// corpora came from (tests/fuzz/corpus/README.md), so that seeds which are
// real checkpoints and proofs reach the checks behind the parsers.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/note.h"

namespace evident::fuzz {

inline constexpr std::string_view kSeedVkey =
    "evident.example/fuzz-seeds+ecba1a9e+ATT0GAHV+Ra9JsQjPgUyXXeB1wU8ggP/r9VZ/Cgz7JUU";

// The seed ledger's verifier; aborts if the constant above is broken.
inline const NoteVerifier& SeedVerifier() {
  static const NoteVerifier verifier = [] {
    auto v = NoteVerifier::FromVkey(kSeedVkey);
    if (!v.ok()) __builtin_trap();
    return std::move(v.value());
  }();
  return verifier;
}

// The input in a std::string: its buffer is aligned, as the FlatBuffers
// verifier wants, and owned.
inline std::string Input(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace evident::fuzz
