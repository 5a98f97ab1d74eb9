// C2SP signed-note and tlog-checkpoint conformance.

#include "ledger/checkpoint.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "ledger/coding.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::Must;

// A note written by an independent implementation (transparency-dev/tessera
// testdata/log/checkpoint.15) must verify.
TEST(CheckpointTest, VerifiesAnIndependentlyWrittenCheckpoint) {
  const std::string vkey =
      "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";
  const std::string note =
      "example.com/log/testdata\n15\nrKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=\n\n"
      "\xe2\x80\x94 example.com/log/testdata "
      "M9e0luh4jTG+UMBqOUo9/q+yAEvx1ilBEniMvjf1zfcBOhg+CKubMt53MvIt/uEWP6zdkdIQzd/fmwlM/"
      "dlPWF74ewI=\n";
  NoteVerifier verifier = Must(NoteVerifier::FromVkey(vkey));
  EXPECT_EQ(verifier.Vkey(), vkey);
  Checkpoint c = Must(OpenCheckpoint(note, verifier));
  EXPECT_EQ(c.origin, "example.com/log/testdata");
  EXPECT_EQ(c.size, 15u);
  EXPECT_EQ(Base64Encode(c.root), "rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=");

  std::string tampered = note;
  tampered[note.find("15")] = '6';
  EXPECT_EQ(OpenCheckpoint(tampered, verifier).status().code(), Status::Code::kVerificationFailed);
}

// The signed-note specification's own example verifier key.
TEST(CheckpointTest, ParsesTheSpecificationsExampleVkey) {
  NoteVerifier v = Must(NoteVerifier::FromVkey(
      "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"));
  EXPECT_EQ(v.name(), "example.com/foo");
  EXPECT_EQ(v.key_id(), 0x530d903au);
  EXPECT_FALSE(NoteVerifier::FromVkey(
                   "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
                   .ok());
}

// The note Evident writes, derived here byte for byte with OpenSSL alone.
TEST(CheckpointTest, SignedCheckpointIsByteForByteC2sp) {
  const std::string seed(32, '\x07');
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()), 32);
  unsigned char pub[32];
  size_t pub_len = 32;
  EVP_PKEY_get_raw_public_key(pkey, pub, &pub_len);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  char* pem = nullptr;
  long pem_len = BIO_get_mem_data(bio, &pem);
  PrivateKey key = Must(PrivateKey::FromPem(std::string(pem, pem_len)));
  BIO_free(bio);

  const std::string origin = "evident.example/springfield";
  const std::string root(32, '\xab');
  const std::string text = origin + "\n42\n" + Base64Encode(root) + "\n";
  ASSERT_EQ(CheckpointText({origin, 42, root}), text);

  // key id = SHA-256(name || 0x0A || 0x01 || pubkey)[:4]
  std::string id_input = origin + "\n" + std::string(1, '\x01') + std::string((char*)pub, 32);
  unsigned char digest[32];
  SHA256(reinterpret_cast<const unsigned char*>(id_input.data()), id_input.size(), digest);
  // Ed25519 over the text, with OpenSSL directly.
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char sig[64];
  size_t sig_len = 64;
  EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, pkey);
  EVP_DigestSign(ctx, sig, &sig_len, reinterpret_cast<const unsigned char*>(text.data()),
                 text.size());
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  const std::string blob = std::string((char*)digest, 4) + std::string((char*)sig, 64);
  const std::string expected = text + "\n\xe2\x80\x94 " + origin + " " + Base64Encode(blob) + "\n";

  EXPECT_EQ(SignNote(text, origin, key), expected);
  NoteVerifier verifier = Must(NoteVerifier::Create(origin, key.public_key()));
  EXPECT_EQ(verifier.Vkey(),
            origin + "+" + HexEncode(std::string((char*)digest, 4)) + "+" +
                Base64Encode(std::string(1, '\x01') + std::string((char*)pub, 32)));
  EXPECT_EQ(Must(OpenCheckpoint(expected, verifier)).size, 42u);
}

TEST(CheckpointTest, UnknownSignaturesAreIgnoredButOneKnownIsRequired) {
  PrivateKey ours = Must(PrivateKey::Generate());
  PrivateKey witness = Must(PrivateKey::Generate());
  const std::string text = CheckpointText({"log.example", 3, std::string(32, 'x')});
  std::string note = SignNote(text, "log.example", ours);
  std::string cosigned = SignNote(text, "witness.example", witness);
  std::string both = note + cosigned.substr(text.size() + 1);  // our line, then the witness's
  NoteVerifier v = Must(NoteVerifier::Create("log.example", ours.public_key()));
  EXPECT_OK(OpenCheckpoint(both, v).status());
  NoteVerifier w = Must(NoteVerifier::Create("log.example", witness.public_key()));
  EXPECT_EQ(OpenCheckpoint(note, w).status().code(), Status::Code::kVerificationFailed);
  // A checkpoint signed by another key under our name is rejected.
  std::string forged = SignNote(text, "log.example", witness);
  EXPECT_EQ(OpenCheckpoint(forged, v).status().code(), Status::Code::kVerificationFailed);
}

TEST(CheckpointTest, MalformedCheckpointsAreRefused) {
  const std::string root = Base64Encode(std::string(32, 'r'));
  EXPECT_TRUE(ParseCheckpointText("o\n0\n" + root + "\n").ok());
  EXPECT_TRUE(ParseCheckpointText("o\n7\n" + root + "\nextension line\n").ok());
  EXPECT_FALSE(ParseCheckpointText("o\n07\n" + root + "\n").ok());  // leading zero
  EXPECT_FALSE(ParseCheckpointText("o\n-1\n" + root + "\n").ok());
  EXPECT_FALSE(ParseCheckpointText("o\n7\n" + root).ok());           // no final newline
  EXPECT_FALSE(ParseCheckpointText("o\n7\nAAAA\n").ok());            // not 32 bytes
  EXPECT_FALSE(ParseCheckpointText("o p\n7\n" + root + "\n").ok());  // space in origin
  EXPECT_FALSE(ParseNote("o\n7\n" + root + "\n").ok());              // unsigned
  EXPECT_FALSE(ParseNote("o\n7\n" + root + "\n\n- o AAAA\n").ok());  // not an em dash
}

// signed-note: a signature by a known key that fails rejects the note, even
// with a good one after it, so that no note makes a reader check a hundred
// forgeries first.
TEST(CheckpointTest, AFailingSignatureByTheKeyRejectsTheNote) {
  PrivateKey key = Must(PrivateKey::Generate());
  const std::string text = CheckpointText({"log.example", 3, std::string(32, 'x')});
  const std::string good = SignNote(text, "log.example", key);
  const std::string line = good.substr(text.size() + 1);  // "— log.example ...\n"
  std::string blob = Must(Base64Decode(line.substr(line.rfind(' ') + 1, line.size() - line.rfind(' ') - 2)));
  blob[10] ^= 1;
  const std::string bad = line.substr(0, line.rfind(' ') + 1) + Base64Encode(blob) + "\n";
  NoteVerifier v = Must(NoteVerifier::Create("log.example", key.public_key()));
  EXPECT_OK(OpenCheckpoint(good, v).status());
  EXPECT_EQ(OpenCheckpoint(text + "\n" + bad + line, v).status().message(),
            "the note's signature by log.example does not verify");
}

// signed-note: the text is UTF-8.
TEST(CheckpointTest, ANoteThatIsNotUtf8IsRefused) {
  const std::string head = "log.example\n3\n" + Base64Encode(std::string(32, 'r')) + "\n";
  const std::string sig = "\n\xe2\x80\x94 log.example AAAAAAAA\n";
  EXPECT_OK(ParseNote(head + "caf\xc3\xa9\n" + sig).status());
  EXPECT_EQ(ParseNote(head + "\xc3\x28\n" + sig).status().message(),
            "note text is not valid UTF-8");
  EXPECT_EQ(ParseNote(head + "\xff\xfe\n" + sig).status().code(), Status::Code::kInvalidArgument);
}

// tlog-checkpoint: extension lines are allowed and ignored, but never empty.
TEST(CheckpointTest, ExtensionLinesMustNotBeEmpty) {
  const std::string head = "log.example\n3\n" + Base64Encode(std::string(32, 'r')) + "\n";
  EXPECT_OK(ParseCheckpointText(head + "Timestamp: 1\n").status());
  EXPECT_EQ(ParseCheckpointText(head + "\nx\n").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(ParseCheckpointText(head + "x").status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace evident
