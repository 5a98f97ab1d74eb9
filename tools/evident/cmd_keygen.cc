// evident keygen: a new Ed25519 key, and the event that would register it.

#include <iostream>

#include "ledger/coding.h"
#include "ledger/cosignature.h"
#include "ledger/key_registry.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "keygen";

int RunKeygen(const Flags& flags) {
  auto out = flags.Require("out");
  if (!out.ok()) return Fail(kName, out.status());
  const std::optional<std::string> cosigner = flags.Get("cosigner");
  if (cosigner && flags.Has("principal")) {
    return Fail(kName, "--cosigner makes a witness's key and --principal a log user's; give one");
  }
  if (cosigner && !ValidNoteKeyName(*cosigner)) {
    return Fail(kName,
                "--cosigner \"" + *cosigner +
                    "\" must be non-empty with no spaces or '+', e.g. county.example/witness");
  }
  auto key = PrivateKey::Generate();
  if (!key.ok()) return Fail(kName, key.status());
  if (Status s = key->SaveFile(out.value()); !s.ok()) return Fail(kName, s);
  const PublicKey& pub = key->public_key();
  std::cerr << "wrote " << out.value() << "\n  key id      " << HexEncode(pub.key_id())
            << "\n  public key  " << HexEncode(pub.raw()) << "\n";
  if (cosigner) {
    std::cout << FormatVkey(*cosigner, CosignerKeyId(*cosigner, pub), kCosignatureType, pub)
              << std::endl;
    std::cerr << "On standard output: the witness's cosigner vkey, for the logs and readers that "
                 "trust it.\n";
  }
  if (auto principal = flags.Get("principal")) {
    const std::string role = flags.Get("role").value_or("Integration");
    std::cout << KeyRegisteredJson(flags.Get("district").value_or("district"), *principal, role,
                                   pub, SplitCommas(flags.Get("allow").value_or("")))
              << "\n";
    std::cerr << "On standard output: the KeyRegistered event for it; an admin appends it with\n"
                 "  evident append --ledger DIR --key admin.pem FILE\n";
  }
  return 0;
}

}  // namespace

const Command kKeygenCommand = {
    kName,
    "make an Ed25519 key (and the event that registers it, or a witness's vkey)",
    "usage: evident keygen --out FILE [--principal ID [--role ROLE] [--allow TYPES]\n"
    "                      [--district ID]]\n"
    "       evident keygen --out FILE --cosigner NAME\n\n"
    "Writes a new Ed25519 private key to FILE (PEM, PKCS#8, owner-only) and prints\n"
    "its key id and public key on stderr. It never overwrites a file.\n"
    "With --principal, also prints on stdout the KeyRegistered event (JSON) that\n"
    "registers the key; it takes effect once an admin appends it.\n"
    "With --cosigner NAME, the key is a witness's (for `evident witness`):\n"
    "stdout is then one line, its cosigner vkey, NAME+KEYID+base64(0x04||key)\n"
    "(C2SP tlog-cosignature), which the logs and the readers that trust the\n"
    "witness are given.\n",
    {{{"out", "FILE", "where to write the private key"},
      {"principal", "ID", "who holds the key, e.g. hr-system"},
      {"role", "ROLE", "Admin, Integration, Auditor, Board or Ledger (default Integration)"},
      {"allow", "TYPES",
       "for an Integration: the event types it may append, "
       "comma-separated, e.g. AttendanceRecorded,ParticipationCompleted"},
      {"district", "ID", "the district id on the event (default district)"},
      {"cosigner", "NAME",
       "make a witness's key and print its cosigner vkey; NAME is the "
       "witness's name, e.g. county.example/witness"}}},
    RunKeygen};

}  // namespace evident::cli
