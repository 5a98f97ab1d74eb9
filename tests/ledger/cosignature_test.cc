// C2SP tlog-cosignature (timestamped Ed25519, type 0x04), a reader's witness
// policy, and the cosignatures stored beside the log.

#include "ledger/cosignature.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/verify.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::LedgerFixture;
using testing::Must;

// An Ed25519 key from a fixed seed, both as OpenSSL's and as Evident's.
struct SeededKey {
  EVP_PKEY* pkey;
  std::string pub;
  PrivateKey key;
};

SeededKey KeyFromSeed(char fill) {
  const std::string seed(32, fill);
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
  return {pkey, std::string(reinterpret_cast<char*>(pub), 32), key};
}

std::string OpenSslSign(EVP_PKEY* pkey, const std::string& message) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char sig[64];
  size_t sig_len = 64;
  EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, pkey);
  EVP_DigestSign(ctx, sig, &sig_len, reinterpret_cast<const unsigned char*>(message.data()),
                 message.size());
  EVP_MD_CTX_free(ctx);
  return std::string(reinterpret_cast<char*>(sig), 64);
}

std::string Sha256Of(const std::string& data) {
  unsigned char digest[32];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return std::string(reinterpret_cast<char*>(digest), 32);
}

// The line and the vkey derived byte for byte from the specification with
// OpenSSL alone: key id = SHA-256(name || 0x0A || 0x04 || pub)[:4]; the
// signature covers "cosignature/v1\ntime T\n" || the checkpoint text; the
// blob is key id || u64be(T) || signature.
TEST(CosignatureTest, LineAndVkeyAreByteForByteC2sp) {
  SeededKey w = KeyFromSeed('\x11');
  const std::string name = "county.example/witness";
  const std::string text = "evident.example/springfield\n42\n" + Base64Encode(std::string(32, 'r')) + "\n";
  const uint64_t time = 1767225600;  // 2026-01-01T00:00:00Z

  const std::string id = Sha256Of(name + "\n" + std::string(1, '\x04') + w.pub).substr(0, 4);
  const std::string sig =
      OpenSslSign(w.pkey, "cosignature/v1\ntime 1767225600\n" + text);
  const std::string time_be("\x00\x00\x00\x00\x69\x55\xb9\x00", 8);  // 1767225600 = 0x6955B900
  const std::string expected_line =
      "\xe2\x80\x94 " + name + " " + Base64Encode(id + time_be + sig) + "\n";
  EVP_PKEY_free(w.pkey);

  EXPECT_EQ(CosignatureLine(text, name, w.key, time), expected_line);
  CosignatureVerifier v = Must(CosignatureVerifier::Create(name, w.key.public_key()));
  EXPECT_EQ(v.Vkey(), name + "+" + HexEncode(id) + "+" + Base64Encode("\x04" + w.pub));
  EXPECT_EQ(Must(CosignatureVerifier::FromVkey(v.Vkey())).key_id(), v.key_id());

  SignedNote note = Must(ParseNote(text + "\n" + expected_line));
  EXPECT_EQ(Must(v.VerifyNote(note)), time);
}

TEST(CosignatureTest, AChangedCheckpointOrTimeDoesNotVerify) {
  PrivateKey w = Must(PrivateKey::Generate());
  CosignatureVerifier v = Must(CosignatureVerifier::Create("w.example", w.public_key()));
  const std::string text = CheckpointText({"log.example", 7, std::string(32, 'a')});
  const std::string line = CosignatureLine(text, "w.example", w, 100);
  EXPECT_OK(v.VerifyNote(Must(ParseNote(text + "\n" + line))).status());

  const std::string other = CheckpointText({"log.example", 8, std::string(32, 'a')});
  EXPECT_EQ(v.VerifyNote(Must(ParseNote(other + "\n" + line))).status().code(),
            Status::Code::kVerificationFailed);
  // The time is signed too: move it by one second.
  std::string blob = Must(Base64Decode(line.substr(line.rfind(' ') + 1, line.size() - line.rfind(' ') - 2)));
  blob[11] ^= 1;
  const std::string moved = line.substr(0, line.rfind(' ') + 1) + Base64Encode(blob) + "\n";
  EXPECT_EQ(v.VerifyNote(Must(ParseNote(text + "\n" + moved))).status().code(),
            Status::Code::kVerificationFailed);
  // Another witness's line is not this one's.
  PrivateKey x = Must(PrivateKey::Generate());
  const std::string stranger = CosignatureLine(text, "w.example", x, 100);
  EXPECT_EQ(v.VerifyNote(Must(ParseNote(text + "\n" + stranger))).status().code(),
            Status::Code::kNotFound);
}

TEST(CosignatureTest, VkeysOfTheWrongTypeAreRefused) {
  PrivateKey k = Must(PrivateKey::Generate());
  NoteVerifier log_key = Must(NoteVerifier::Create("log.example", k.public_key()));
  auto as_witness = CosignatureVerifier::FromVkey(log_key.Vkey());
  ASSERT_FALSE(as_witness.ok());
  EXPECT_NE(as_witness.status().message().find("0x04"), std::string::npos);
  CosignatureVerifier w = Must(CosignatureVerifier::Create("w.example", k.public_key()));
  EXPECT_FALSE(NoteVerifier::FromVkey(w.Vkey()).ok());
}

TEST(CosignatureTest, APolicyNamesTheWitnessesItMisses) {
  PrivateKey log = Must(PrivateKey::Generate());
  PrivateKey county = Must(PrivateKey::Generate()), state = Must(PrivateKey::Generate());
  const std::string vc =
      Must(CosignatureVerifier::Create("county.example", county.public_key())).Vkey();
  const std::string vs = Must(CosignatureVerifier::Create("state.example", state.public_key())).Vkey();
  const std::string text = CheckpointText({"log.example", 5, std::string(32, 'z')});
  const std::string note = SignNote(text, "log.example", log);
  const std::string by_county = note + CosignatureLine(text, "county.example", county, 9);
  const std::string by_both = by_county + CosignatureLine(text, "state.example", state, 9);

  WitnessPolicy two_of_two = Must(MakeWitnessPolicy({vc, vs}, 0));
  EXPECT_EQ(two_of_two.quorum, 2u);
  EXPECT_OK(CheckWitnessPolicy(by_both, two_of_two));
  Status missing = CheckWitnessPolicy(by_county, two_of_two);
  EXPECT_EQ(missing.code(), Status::Code::kVerificationFailed);
  EXPECT_NE(missing.message().find("no cosignature of state.example"), std::string::npos)
      << missing.message();
  EXPECT_EQ(missing.message().find("no cosignature of county.example"), std::string::npos);
  EXPECT_OK(CheckWitnessPolicy(by_county, Must(MakeWitnessPolicy({vc, vs}, 1))));
  EXPECT_FALSE(CheckWitnessPolicy(note, Must(MakeWitnessPolicy({vc, vs}, 1))).ok());

  // A line in the state's name that the state's key did not sign.
  const std::string forged = by_county + CosignatureLine(text, "state.example", county, 9);
  SignedNote parsed = Must(ParseNote(forged));
  parsed.signatures.back().key_id = Must(CosignatureVerifier::FromVkey(vs)).key_id();
  Status bad = CheckWitnessPolicy(parsed, two_of_two);
  EXPECT_NE(bad.message().find("does not verify from state.example"), std::string::npos)
      << bad.message();

  EXPECT_FALSE(MakeWitnessPolicy({vc, vc}, 0).ok());
  EXPECT_FALSE(MakeWitnessPolicy({vc}, 2).ok());
  EXPECT_OK(CheckWitnessPolicy(note, WitnessPolicy()));  // no witnesses asked for
}

TEST(CosignatureTest, AddingLinesKeepsEachOnce) {
  const std::string note = "a\n1\nx\n\n\xe2\x80\x94 a AAAA\n";
  const std::string line = "\xe2\x80\x94 w BBBB\n";
  EXPECT_EQ(AddSignatureLines(note, {line, line}), note + line);
  EXPECT_EQ(AddSignatureLines(note + line, {line}), note + line);
}

class CosignatureStoreTest : public LedgerFixture {};

// Cosignatures are kept beside the log per size; the newest cosigned size
// follows the policy asked about.
TEST_F(CosignatureStoreTest, StoresLinesPerSizeAndFindsTheNewestCosigned) {
  PrivateKey county = Must(PrivateKey::Generate()), state = Must(PrivateKey::Generate());
  const uint64_t first = ledger_->size();
  ASSERT_OK(ledger_->Append({Sign(*admin_, testing::AttendanceJson(testing::IdHex(900), "p-1", 60))})
                .status());
  const uint64_t second = ledger_->size();
  ASSERT_GT(second, first);
  auto text_at = [&](uint64_t size) {
    const std::string note = Must(ledger_->CheckpointNote(size));
    return note.substr(0, note.find("\n\n") + 1);
  };
  EXPECT_EQ(ledger_->NewestCosignedSize({}).status().code(), Status::Code::kNotFound);
  ASSERT_OK(ledger_->AddCosignatures(
      first, {{"county.example", CosignatureLine(text_at(first), "county.example", county, 1)},
              {"state.example", CosignatureLine(text_at(first), "state.example", state, 1)}}));
  ASSERT_OK(ledger_->AddCosignatures(
      second, {{"county.example", CosignatureLine(text_at(second), "county.example", county, 2)}}));
  // A second line from the same witness for the same size is not kept.
  ASSERT_OK(ledger_->AddCosignatures(
      second, {{"county.example", CosignatureLine(text_at(second), "county.example", county, 3)}}));

  const std::string at_second = Must(ledger_->CosignedCheckpointNote(second));
  EXPECT_EQ(Must(ParseNote(at_second)).signatures.size(), 2u);  // the ledger's and the county's
  const WitnessPolicy both = Must(MakeWitnessPolicy(
      {Must(CosignatureVerifier::Create("county.example", county.public_key())).Vkey(),
       Must(CosignatureVerifier::Create("state.example", state.public_key())).Vkey()},
      0));
  EXPECT_EQ(Must(ledger_->NewestCosignedSize({})), second);
  EXPECT_EQ(Must(ledger_->NewestCosignedSize(both)), first);
  EXPECT_OK(CheckWitnessPolicy(Must(ledger_->CosignedCheckpointNote(first)), both));
  EXPECT_EQ(Must(ParseNote(Must(ledger_->CheckpointNote(first)))).signatures.size(), 1u);

  // `verify` checks every stored line's form, and verifies those of the
  // witnesses it is given.
  VerifyOptions options;
  options.witnesses = both;
  VerifyReport report = Must(VerifyLog(ledger_->storage(), options));
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.cosignatures, 3u);
  EXPECT_EQ(report.cosignatures_verified, 3u);
  // A line stored under the state's name, signed by the county's key for
  // another checkpoint's text: its form passes, its signature does not.
  WriteBatch forged;
  forged.Put(Column::kCosignatures, EncodeKey64(second) + "state.example",
             CosignatureLine(text_at(first), "state.example", state, 2));
  ASSERT_OK(ledger_->storage()->Write(forged));
  report = Must(VerifyLog(ledger_->storage(), options));
  EXPECT_NE(report.problem.find("the cosignature of state.example on the checkpoint at size " +
                                std::to_string(second) + ": it does not verify"),
            std::string::npos)
      << report.problem;
  EXPECT_TRUE(Must(VerifyLog(ledger_->storage())).ok());  // without the key: form only
  // A row that is no signature line at all fails on form alone.
  WriteBatch garbage;
  garbage.Put(Column::kCosignatures, EncodeKey64(second) + "x.example", "not a line\n");
  ASSERT_OK(ledger_->storage()->Write(garbage));
  EXPECT_NE(Must(VerifyLog(ledger_->storage())).problem.find("not one timestamped Ed25519"),
            std::string::npos);
}

}  // namespace
}  // namespace evident
