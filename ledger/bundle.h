#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/cosignature.h"
#include "ledger/ledger.h"
#include "ledger/note.h"
#include "ledger/status.h"

// The auditor's export bundle: a directory that proves a range of entries
// offline. docs/format.md gives the files; README.txt in each bundle says in
// plain words how to check it.
//
//   checkpoint.txt  the signed checkpoint at the bundle's tree size N, with the
//                   cosignatures of the log's witnesses (C2SP tlog-cosignature)
//   ledger.vkey     the ledger's verifier key (check it against one you hold)
//   entries.jsonl   one line per entry in [from, to): {"index", "entry" (base64),
//                   "proof" (hex inclusion proof at size N), "event" (readable copy)}
//   keys.jsonl      the same for every KeyRegistered/KeyRevoked entry before `to`:
//                   the key history that says who could sign what, proven in the log
//   signers.json    the public key, principal and role of each signer in the range
//                   (readable; the check requires it to match keys.jsonl)
//   README.txt
namespace evident {

// Writes the bundle for entries [from, to) into `dir`, which must not exist
// yet or be empty, against the newest checkpoint the witnesses cosigned when
// it holds the range (`to` == UINT64_MAX: up to that checkpoint), else
// against the newest. InvalidArgument for a bad range.
Status WriteBundle(Ledger* ledger, const std::string& dir, uint64_t from, uint64_t to);

struct BundleReport {
  std::string origin;
  uint64_t checkpoint_size = 0;
  uint64_t from = 0, to = 0;
  uint64_t entries = 0;              // range entries proven and signature-checked
  uint64_t key_events = 0;           // key events proven and replayed
  bool trusted_bundled_key = false;  // no key was given: ledger.vkey was used
  std::optional<uint64_t> first_bad_position;
  std::string problem;
  bool ok() const { return problem.empty(); }
};

// The verifier key in `dir`/ledger.vkey (its first line). NotFound/IOError
// when the file cannot be read; InvalidArgument, naming the file, when it
// holds no valid key.
StatusOr<NoteVerifier> BundledVerifier(const std::string& dir);

// Checks a bundle with no access to the ledger: the checkpoint's signature
// (with `trusted` if given, else the bundle's own ledger.vkey), every entry's
// and key event's inclusion proof against it, that the range is complete, and
// every event signature and key rule, replaying the key history in order;
// and that the checkpoint's cosignatures meet `witnesses` (an empty policy
// asks for none). An error Status only when the bundle cannot be read at all.
StatusOr<BundleReport> VerifyBundle(const std::string& dir,
                                    const std::optional<NoteVerifier>& trusted,
                                    const WitnessPolicy& witnesses = {});

}  // namespace evident
