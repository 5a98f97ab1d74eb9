#include "ledger/coding.h"

#include <gtest/gtest.h>

#include "ledger/sha256.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

TEST(CodingTest, Fixed64IsBigEndianAndSortsNumerically) {
  EXPECT_EQ(EncodeKey64(0x0102030405060708ULL), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_LT(EncodeKey64(255), EncodeKey64(256));
  EXPECT_EQ(DecodeFixed64BE(EncodeKey64(0xfedcba9876543210ULL).data()), 0xfedcba9876543210ULL);
}

TEST(CodingTest, HexRoundTripAndErrors) {
  EXPECT_EQ(HexEncode(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(testing::Must(HexDecode("00FF10")), std::string("\x00\xff\x10", 3));
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
}

// RFC 4648 section 10 test vectors.
TEST(CodingTest, Base64MatchesRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    EXPECT_EQ(testing::Must(Base64Decode(encoded)), plain);
  }
}

TEST(CodingTest, Base64RejectsNonCanonicalText) {
  EXPECT_FALSE(Base64Decode("Zg=").ok());       // length
  EXPECT_FALSE(Base64Decode("Zh==").ok());      // non-zero padding bits
  EXPECT_FALSE(Base64Decode("Z g=").ok());      // not in the alphabet
  EXPECT_FALSE(Base64Decode("Zg==Zg==").ok());  // padding in the middle
}

// FIPS 180-2 test vector.
TEST(CodingTest, Sha256KnownAnswer) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256({"a", "bc"}), Sha256("abc"));
}

TEST(CodingTest, OnlyWellFormedUtf8IsText) {
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\x9A"));
  EXPECT_FALSE(IsValidUtf8("caf\xE9"));          // Windows-1252
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong "/"
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // cut short
}

}  // namespace
}  // namespace evident
