// evident prove: inclusion and consistency proofs from the stored tree.

#include <functional>
#include <iostream>

#include "ledger/checkpoint.h"
#include "ledger/merkle/hash.h"
#include "ledger/proof_files.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "prove";

// Where proofs come from: the ledger itself, or `evident serve`.
struct Source {
  std::function<StatusOr<std::string>(uint64_t)> entry;
  // The checkpoint note at a size with its cosignatures; at 0, the newest
  // checkpoint its witnesses cosigned (the newest, if none is).
  std::function<StatusOr<std::string>(uint64_t)> note;
  std::function<StatusOr<std::string>()> newest;  // the newest, cosigned or not
  std::function<StatusOr<std::vector<std::string>>(uint64_t, uint64_t)> inclusion, consistency;
};

Source FromLedger(Ledger* ledger) {
  return {[ledger](uint64_t i) { return ledger->ReadEntry(i); },
          [ledger](uint64_t n) -> StatusOr<std::string> {
            if (n == 0) {
              auto cosigned = ledger->NewestCosignedSize({});
              if (!cosigned.ok()) return ledger->LatestCheckpointNote();
              n = cosigned.value();
            }
            return ledger->CosignedCheckpointNote(n);
          },
          [ledger] { return ledger->LatestCheckpointNote(); },
          [ledger](uint64_t i, uint64_t n) { return ledger->InclusionProof(i, n); },
          [ledger](uint64_t m, uint64_t n) { return ledger->ConsistencyProof(m, n); }};
}

Source FromServer(server::Client* c) {
  return {[c](uint64_t i) -> StatusOr<std::string> {
            auto entries = c->Read(i, i + 1);
            if (!entries.ok()) return entries.status();
            if (entries->empty())
              return Status::NotFound("the server sent no entry " + std::to_string(i) +
                                      " (an integration key sees only its own)");
            return entries->front().second;
          },
          [c](uint64_t n) { return c->Checkpoint(n); },
          [c] { return c->Checkpoint(0); },
          [c](uint64_t i, uint64_t n) -> StatusOr<std::vector<std::string>> {
            auto p = c->InclusionProof(i, n);
            if (!p.ok()) return p.status();
            return p->hashes;
          },
          [c](uint64_t m, uint64_t n) -> StatusOr<std::vector<std::string>> {
            auto p = c->ConsistencyProof(m, n);
            if (!p.ok()) return p.status();
            return p->hashes;
          }};
}

StatusOr<uint64_t> SizeOf(const std::string& note) {
  auto checkpoint = ParseCheckpointText(note.substr(0, note.find("\n\n") + 1));
  if (!checkpoint.ok()) return checkpoint.status();
  return checkpoint->size;
}

// The size to prove against: --size, or the newest checkpoint's. Either way
// it must have a checkpoint, so that the proof can be checked.
StatusOr<uint64_t> CheckpointedSize(const Source& source, const char* flag,
                                    std::optional<uint64_t> given) {
  auto note = source.note(given.value_or(0));
  if (!note.ok()) return note.status().WithContext(std::string("--") + flag);
  if (given) return *given;
  return SizeOf(note.value());
}

int Inclusion(const Source& source, const Flags& flags) {
  auto index = flags.GetUint("index", 0);
  if (!index.ok()) return Fail(kName, index.status());
  std::optional<uint64_t> given;
  if (flags.Has("size")) {
    auto s = flags.GetUint("size", 0);
    if (!s.ok()) return Fail(kName, s.status());
    given = s.value();
  }
  auto size = CheckpointedSize(source, "size", given);
  if (!size.ok()) return Fail(kName, size.status());
  if (!given && index.value() >= size.value()) {
    // Newer than the newest cosigned checkpoint: proven in the newest one,
    // which carries the ledger's signature but no witness's yet.
    auto newest = source.newest();
    if (!newest.ok()) return Fail(kName, newest.status());
    size = SizeOf(newest.value());
    if (!size.ok()) return Fail(kName, size.status());
    if (index.value() < size.value()) {
      std::cerr << "note: entry " << index.value()
                << " is newer than the newest checkpoint the witnesses cosigned; proven in the "
                   "newest checkpoint (size "
                << size.value() << "), which no witness has cosigned yet\n";
    }
  }
  auto entry = source.entry(index.value());
  if (!entry.ok()) return Fail(kName, entry.status());
  auto proof = source.inclusion(index.value(), size.value());
  if (!proof.ok()) return Fail(kName, proof.status());
  auto note = source.note(size.value());
  if (!note.ok()) return Fail(kName, note.status());
  if (flags.Has("tlog-proof")) {
    std::cout << TlogProofText({entry.value(), index.value(), proof.value(), note.value()});
    return 0;
  }
  std::cout << InclusionJson({index.value(), size.value(), merkle::LeafHash(entry.value()),
                              entry.value(), proof.value(), note.value()});
  return 0;
}

int Consistency(const Source& source, const Flags& flags) {
  if (flags.positional().size() != 2) {
    return Fail(kName, "--consistency takes two sizes: --consistency M N");
  }
  uint64_t sizes[2];
  for (int i = 0; i < 2; ++i) {
    auto n = ParseUint(flags.positional()[i], "--consistency sizes");
    if (!n.ok()) return Fail(kName, n.status());
    auto checked = CheckpointedSize(source, "consistency", n.value());
    if (!checked.ok()) return Fail(kName, checked.status());
    sizes[i] = n.value();
  }
  auto proof = source.consistency(sizes[0], sizes[1]);
  if (!proof.ok()) return Fail(kName, proof.status());
  std::cout << ConsistencyJson({sizes[0], sizes[1], proof.value()});
  return 0;
}

int RunProve(const Flags& flags) {
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<server::Client> client;
  Source source;
  if (flags.Has("server")) {
    auto connected = ConnectServerFlag(flags);
    if (!connected.ok()) return Fail(kName, connected.status());
    client = std::move(connected.value());
    source = FromServer(client.get());
  } else {
    auto opened = OpenLedgerFlag(flags);
    if (!opened.ok()) return Fail(kName, opened.status());
    ledger = std::move(opened.value());
    source = FromLedger(ledger.get());
  }
  if (flags.Has("consistency")) return Consistency(source, flags);
  if (!flags.Has("index")) return Fail(kName, "give --index I or --consistency M N");
  return Inclusion(source, flags);
}

}  // namespace

const Command kProveCommand = {
    kName,
    "prove an entry is in the log, or that the log only grew",
    "usage: evident prove --ledger DIR --index I [--size N] [--tlog-proof]\n"
    "       evident prove --ledger DIR --consistency M N\n"
    "       (or --server HOST:PORT --trust CERT --key KEY in place of --ledger DIR)\n\n"
    "With --index: an RFC 9162 inclusion proof that the entry at position I is in\n"
    "the tree of size N, as JSON\n"
    "  {\"index\", \"size\", \"leaf_hash\", \"entry\" (base64), \"proof\" (hex hashes),\n"
    "   \"checkpoint\" (the signed checkpoint at N with its cosignatures)}\n"
    "or, with --tlog-proof, as a C2SP tlog-proof@v1 file carrying the entry (in\n"
    "its extra line) and the cosigned checkpoint: one self-contained file.\n"
    "The default N is the newest checkpoint the log's witnesses cosigned, or, for an\n"
    "entry newer than that (or a log no witness cosigned yet), the newest checkpoint.\n"
    "With --consistency: a proof that the tree of size N extends the tree of size M,\n"
    "as JSON {\"size1\", \"size2\", \"proof\"}.\n"
    "Sizes must be ones a checkpoint was signed for; 'evident checkpoint' lists them.\n",
    {{{"ledger", "DIR", "the ledger"},
      {"index", "I", "the entry to prove"},
      {"size", "N", "the tree size to prove it in (default: the newest cosigned checkpoint's)"},
      {"tlog-proof", "", "write a C2SP tlog-proof@v1 file instead of JSON"},
      {"consistency", "", "prove that tree size N extends tree size M (given as M N)"},
      {"server", "HOST:PORT", "ask `evident serve` instead of opening the ledger"},
      {"trust", "CERT", "with --server: the server's TLS certificate"},
      {"key", "FILE", "with --server: a private key (PEM) to log in with"},
      {"plaintext", "", "with --server: no TLS, for a server on loopback started so"}}},
    RunProve};

}  // namespace evident::cli
