// evident verify: every entry, signature, key rule and index of the log.

#include <chrono>
#include <iomanip>
#include <iostream>

#include "ledger/bundle.h"
#include "ledger/verify.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "verify";

int VerifyBundleDir(const Flags& flags, const std::string& dir) {
  auto trusted = VkeyFromFlags(flags);
  if (!trusted.ok()) return Fail(kName, trusted.status());
  auto policy = WitnessPolicyFromFlags(flags);
  if (!policy.ok()) return Fail(kName, policy.status());
  auto report = VerifyBundle(dir, trusted.value(), policy.value());
  if (!report.ok()) return Fail(kName, report.status());
  const BundleReport& r = report.value();
  if (r.trusted_bundled_key) {
    std::cout << "note: no --vkey given; the bundle's own ledger.vkey was used. Compare it with "
                 "the district's published key.\n";
  }
  if (!r.ok()) {
    std::cout << "FAILED: " << r.problem << "\n";
    return 1;
  }
  std::cout << "ok: entries " << r.from << ".." << r.to - 1 << " of " << r.origin
            << " are in the log the checkpoint at size " << r.checkpoint_size
            << " signs; every signature and key rule holds (" << r.entries << " entries, "
            << r.key_events << " key events replayed)\n";
  if (!policy->empty()) std::cout << "ok: the checkpoint is cosigned by " << policy->Describe() << "\n";
  return 0;
}

int RunVerify(const Flags& flags) {
  if (auto bundle = flags.Get("bundle")) return VerifyBundleDir(flags, *bundle);
  auto policy = WitnessPolicyFromFlags(flags);
  if (!policy.ok()) return Fail(kName, policy.status());
  auto ledger = OpenLedgerFlag(flags);
  if (!ledger.ok()) return Fail(kName, ledger.status());
  const auto start = std::chrono::steady_clock::now();
  VerifyOptions options;
  options.witnesses = policy.value();
  auto report = VerifyLog(ledger.value()->storage(), options);
  if (!report.ok()) return Fail(kName, report.status());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const VerifyReport& r = report.value();
  if (!r.ok()) {
    std::cout << VerifySummary(r) << "\n" << r.entries << " entries before it verified.\n";
    return 1;
  }
  std::cout << VerifySummary(r) << " in " << std::fixed << std::setprecision(2) << seconds << " s, "
            << std::setprecision(0) << (seconds > 0 ? double(r.entries) / seconds : 0)
            << " entries/s\n";
  return 0;
}

}  // namespace

const Command kVerifyCommand = {
    kName,
    "check every entry, signature, key rule and index",
    "usage: evident verify --ledger DIR [--witness VKEY ...]\n"
    "       evident verify --bundle BUNDLE [--vkey VKEY | --vkey-file FILE]\n"
    "                      [--witness VKEY ... [--quorum K]]\n\n"
    "Re-derives everything from the stored entries alone: each entry's form and\n"
    "position, its event, its signature, whether its signer was registered and not\n"
    "revoked at that position and may sign that kind of event, both indexes (event\n"
    "ids, key events), every stored Merkle node (RFC 9162), and every stored\n"
    "checkpoint's signature and root. Prints \"ok: ...\" and exits 0, or prints\n"
    "\"FAILED: position P: what is wrong\" naming the first bad position and exits 1.\n"
    "Each witness cosignature stored beside the log must be a signature line on a\n"
    "stored checkpoint; with --witness, those of the witnesses named are verified\n"
    "with their keys.\n\n"
    "With --bundle: checks an export bundle offline (see its README.txt): the\n"
    "checkpoint's signature with VKEY (the ledger's key, from 'evident pubkey'; without\n"
    "it the bundle's own ledger.vkey is used, and said so), every entry's inclusion\n"
    "proof, that the range has no gap, and every signature and key rule. With\n"
    "--witness, the checkpoint must also carry valid cosignatures of K of the\n"
    "witnesses named (default: all), or the check fails naming those missing.\n",
    {{{"ledger", "DIR", "the ledger"},
      {"bundle", "BUNDLE", "an export bundle, checked offline"},
      {"vkey", "VKEY", "with --bundle: the ledger's verifier key, as 'evident pubkey' prints it"},
      {"vkey-file", "FILE", "with --bundle: the same, read from the first line of FILE"},
      kWitnessFlag,
      kQuorumFlag}},
    RunVerify};

}  // namespace evident::cli
