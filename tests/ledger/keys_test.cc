#include "ledger/keys.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>

#include "ledger/coding.h"
#include "ledger/event.h"
#include "ledger/sha256.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::Must;

// PEM of a raw Ed25519 seed, made with OpenSSL directly (not the code under test).
std::string PemFromSeed(const std::string& seed) {
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()), seed.size());
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, n);
  BIO_free(bio);
  EVP_PKEY_free(pkey);
  return pem;
}

// RFC 8032 section 7.1, TEST 2 (one-byte message 0x72).
TEST(KeysTest, Ed25519MatchesRfc8032Vector) {
  std::string seed =
      Must(HexDecode("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
  PrivateKey key = Must(PrivateKey::FromPem(PemFromSeed(seed)));
  EXPECT_EQ(HexEncode(key.public_key().raw()),
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  EXPECT_EQ(HexEncode(key.Sign(std::string("\x72", 1))),
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
            "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
  EXPECT_EQ(key.public_key().key_id(), Sha256(key.public_key().raw()));
}

TEST(KeysTest, SignVerifyRoundTripAndFlippedBitsFail) {
  PrivateKey key = Must(PrivateKey::Generate());
  SignedEvent event = SignEvent(key, "some event bytes");
  EXPECT_TRUE(VerifyEventSignature(key.public_key(), event));

  for (size_t bit = 0; bit < event.signature.size() * 8; bit += 37) {
    SignedEvent bad = event;
    bad.signature[bit / 8] ^= char(1 << (bit % 8));
    EXPECT_FALSE(VerifyEventSignature(key.public_key(), bad)) << "signature bit " << bit;
  }
  for (size_t bit = 0; bit < event.event.size() * 8; ++bit) {
    SignedEvent bad = event;
    bad.event[bit / 8] ^= char(1 << (bit % 8));
    EXPECT_FALSE(VerifyEventSignature(key.public_key(), bad)) << "event bit " << bit;
  }
  PrivateKey other = Must(PrivateKey::Generate());
  EXPECT_FALSE(VerifyEventSignature(other.public_key(), event));
}

TEST(KeysTest, SignatureCoversTheDomainPrefix) {
  PrivateKey key = Must(PrivateKey::Generate());
  SignedEvent event = SignEvent(key, "payload");
  // The raw payload alone, without "evident/event/v1\n", is not what was signed.
  EXPECT_FALSE(key.public_key().Verify("payload", event.signature));
  EXPECT_TRUE(key.public_key().Verify("evident/event/v1\npayload", event.signature));
}

TEST(KeysTest, PemRoundTripAndSaveRefusesToOverwrite) {
  testing::TempDir dir;
  PrivateKey key = Must(PrivateKey::Generate());
  std::string path = dir.path() + "/k.pem";
  ASSERT_OK(key.SaveFile(path));
  PrivateKey loaded = Must(PrivateKey::LoadFile(path));
  EXPECT_EQ(loaded.public_key().raw(), key.public_key().raw());
  EXPECT_EQ(key.SaveFile(path).code(), Status::Code::kConflict);
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::group_read,
            std::filesystem::perms::none);
}

TEST(KeysTest, BadKeyFilesAreClearErrors) {
  testing::TempDir dir;
  EXPECT_EQ(PrivateKey::LoadFile(dir.path() + "/missing.pem").status().code(),
            Status::Code::kNotFound);
  std::ofstream(dir.path() + "/junk.pem") << "not a key\n";
  auto junk = PrivateKey::LoadFile(dir.path() + "/junk.pem");
  EXPECT_EQ(junk.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(junk.status().message().find("junk.pem"), std::string::npos);

  // A real PEM key of another type (EC P-256) is refused as not Ed25519.
  EVP_PKEY* ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, ec, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  auto wrong = PrivateKey::FromPem(std::string(data, n));
  BIO_free(bio);
  EVP_PKEY_free(ec);
  EXPECT_EQ(wrong.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(wrong.status().message().find("Ed25519"), std::string::npos);
}

TEST(KeysTest, PublicKeyFromRawChecksLength) {
  EXPECT_FALSE(PublicKey::FromRaw(std::string(31, 'a')).ok());
  EXPECT_TRUE(PublicKey::FromRaw(std::string(32, 'a')).ok());
}

}  // namespace
}  // namespace evident
