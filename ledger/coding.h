#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/status.h"

// Byte coding shared by every folder: big-endian integers (RocksDB keys sort
// by them), hex, and standard base64 (RFC 4648 section 4, with padding).
namespace evident {

// Appends `value` as 4 big-endian bytes.
void PutFixed32BE(std::string* dst, uint32_t value);
// Reads 4 big-endian bytes. `src` must hold at least 4 bytes.
uint32_t DecodeFixed32BE(const char* src);
// Appends `value` as 8 big-endian bytes.
void PutFixed64BE(std::string* dst, uint64_t value);
// Reads 8 big-endian bytes. `src` must hold at least 8 bytes.
uint64_t DecodeFixed64BE(const char* src);
std::string EncodeKey64(uint64_t value);

std::string HexEncode(std::string_view bytes);
// Accepts upper or lower case; an odd length or a non-hex digit is InvalidArgument.
StatusOr<std::string> HexDecode(std::string_view hex);

std::string Base64Encode(std::string_view bytes);
// Strict: padding required, no whitespace, no non-alphabet characters, and
// the unused bits of the last group must be zero (so each byte string has
// exactly one encoding).
StatusOr<std::string> Base64Decode(std::string_view text);

// Is `text` well-formed UTF-8 (no overlong forms, surrogates or code points
// past U+10FFFF)? Text saved in another encoding (Windows-1252, say) is not.
bool IsValidUtf8(std::string_view text);

}  // namespace evident
