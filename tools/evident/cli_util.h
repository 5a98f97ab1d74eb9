#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/cosignature.h"
#include "ledger/event_json.h"
#include "ledger/keys.h"
#include "ledger/ledger.h"
#include "ledger/note.h"
#include "ledger/status.h"
#include "ledger/verify.h"
#include "server/client.h"
#include "tools/demo/district.h"
#include "tools/evident/flags.h"

// Small pieces several subcommands share.
namespace evident::cli {

// 16 random bytes as 32 hex digits: a fresh event id.
std::string NewEventIdHex();
// The current time, "YYYY-MM-DDThh:mm:ssZ".
std::string NowTimestamp();
// Microseconds since 1970 as "YYYY-MM-DDThh:mm:ss.uuuuuuZ".
std::string FormatMicros(int64_t micros);

// The JSON line of a KeyRegistered event for `key`, ready to sign and append.
std::string KeyRegisteredJson(const std::string& district, const std::string& principal,
                              const std::string& role, const PublicKey& key,
                              const std::vector<std::string>& allowed_event_types);

// The JSON line of a KeyRevoked event for the key with id `key_id`.
std::string KeyRevokedJson(const std::string& district, const std::string& key_id,
                           const std::string& reason);

// The demo district asked for by --seed S and --sites N (4 to 400).
StatusOr<demo::DistrictOptions> DistrictFlags(const Flags& flags);

// The day given by --as-of-date YYYY-MM-DD, or projections::kNoDay when
// the flag is absent; InvalidArgument when it is not such a date.
StatusOr<int32_t> AsOfDateFlag(const Flags& flags);

// Opens the ledger named by --ledger (required). Commands that only read
// open it read-only, so they run beside a process that appends.
StatusOr<std::unique_ptr<Ledger>> OpenLedgerFlag(const Flags& flags,
                                                 OpenMode mode = OpenMode::kReadOnly);

// The whole of `path`, or of standard input when `path` is "-".
StatusOr<std::string> ReadAll(const std::string& path);

// The ledger's verifier key given by --vkey VKEY or --vkey-file FILE (its
// first line); nullopt when neither flag is given. InvalidArgument naming
// the flag when both are given or the key does not read as one (and, when
// --vkey names a file, that --vkey-file reads it).
StatusOr<std::optional<NoteVerifier>> VkeyFromFlags(const Flags& flags);

// The reader's witness policy from `--witness VKEY` (repeated; each a
// witness's cosigner key, as `evident keygen --cosigner` prints it) and
// `--quorum K` (default: every witness named). Empty when no --witness is
// given; InvalidArgument for --quorum without --witness.
StatusOr<WitnessPolicy> WitnessPolicyFromFlags(const Flags& flags);
// The flags above, for a command's table.
inline const FlagSpec kWitnessFlag = {
    "witness", "VKEY",
    "a witness whose cosignature the checkpoint must carry (repeat for each; get the key "
    "from the witness, not from the district)"};
inline const FlagSpec kQuorumFlag = {
    "quorum", "K", "with --witness: how many of the witnesses must have cosigned (default: all)"};

// One line for a verification: "ok: N entries verified (S signatures, K key
// events, M Merkle nodes, C signed checkpoints, every index)", or
// "FAILED: " and the problem (which names the position).
std::string VerifySummary(const VerifyReport& r);

// One entry as a JSON line: position, time, signer, signature, and the event
// in the form `evident append` reads (`evident log`, `evident tail`).
StatusOr<std::string> EntryJson(EventJsonCodec* codec, uint64_t sequence, std::string_view bytes);

// A connection to `evident serve` from --server HOST:PORT, trusting the
// certificate in --trust FILE (or plaintext with --plaintext), logged in
// with `key`, or else with the key in --key FILE.
StatusOr<std::unique_ptr<server::Client>> ConnectServerFlag(const Flags& flags,
                                                            const PrivateKey* key = nullptr);

// Where signed events go: the ledger named by --ledger, opened to append,
// or the server named by --server, logged in with `key`. One is set.
struct Destination {
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<server::Client> client;
};
StatusOr<Destination> OpenDestination(const Flags& flags, const PrivateKey& key);

// --batch: events per durable commit; default 1000 (256 with --server), at
// most Appender::kMaxEventsPerCall (server::kMaxBatchEvents with --server).
StatusOr<size_t> BatchFlag(const Flags& flags);

// Before anything is appended to a ledger opened here: may the signer sign
// every one of `events`? The error is prefixed with where(i) for the first
// event refused. OK at once when `ledger` is null (a server checks).
Status CheckSignersForAll(Ledger* ledger, const std::vector<SignedEvent>& events,
                          const std::function<std::string(size_t)>& where);

// What AppendInBatches stored: events appended (at positions first..last)
// and events the ledger held already.
struct AppendTotals {
  uint64_t added = 0, duplicates = 0, first = 0, last = 0;
};

// Appends `events` in order, `batch` to a durable commit, to `ledger`, or
// to `client` when `ledger` is null; after each batch calls `after_batch`
// (if given) with the number of events stored so far. On error, `*failed`
// is the index of the event at fault (events.size() when no one event is),
// the message names it by its index in its batch (`*failed % batch`; see
// WithoutBatchIndex), and `*totals` counts the batches stored before it.
Status AppendInBatches(Ledger* ledger, server::Client* client, std::vector<SignedEvent> events,
                       size_t batch, AppendTotals* totals, size_t* failed,
                       const std::function<void(size_t)>& after_batch = nullptr);

// The failure `s` of an append whose event at `index` of its batch was at
// fault, as Status::ToString gives it but without the "event INDEX" that
// the ledger (Appender::Append) and the server put in front of the message:
// the caller names the event by its file and line instead. "event INDEX
// (id HEX)" becomes "event HEX".
std::string WithoutBatchIndex(const Status& s, size_t index);

// After a failed AppendInBatches: " (nothing was appended)", or what is
// stored and that running the same input again is safe.
std::string StoredSoFar(const AppendTotals& totals);

// "HOST:PORT" (or "[V6]:PORT") -> host and port 0 to 65535; InvalidArgument
// naming the setting `what` (e.g. "--listen") otherwise.
Status ParseAddress(const std::string& text, const std::string& what, std::string* host,
                    uint16_t* port);

// Splits "a,b,c" into its non-empty parts.
std::vector<std::string> SplitCommas(const std::string& text);

}  // namespace evident::cli
