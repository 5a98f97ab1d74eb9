// The checks follow C2SP tlog-witness in its order: the request's grammar
// (400), the origin (404), the log's signature (403), old size against the
// checkpoint's (400), old size against the witness's (409), then the proof
// (422). Only then is the state saved, synced, and the cosignature made.

#include "server/witness/witness.h"

#include <chrono>

#include "ledger/checkpoint.h"
#include "ledger/cosignature.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/proof.h"
#include "server/witness/request.h"

namespace evident::server::witness {
namespace {

uint64_t UnixNow() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

http::Response SizeConflict(uint64_t held) {
  http::Response response;
  response.status = 409;
  response.content_type = "text/x.tlog.size";
  response.body = std::to_string(held) + "\n";
  return response;
}

}  // namespace

StatusOr<std::unique_ptr<Witness>> Witness::Create(WitnessOptions options, PrivateKey key,
                                                   std::unique_ptr<StateStore> state) {
  if (!ValidNoteKeyName(options.name)) {
    return Status::InvalidArgument("witness name \"" + options.name +
                                   "\" must be non-empty with no spaces or '+'");
  }
  if (options.logs.empty()) return Status::InvalidArgument("a witness needs at least one log");
  std::map<std::string, int> seen;
  for (const NoteVerifier& log : options.logs) {
    if (++seen[log.name()] > 1) {
      return Status::InvalidArgument("two keys for the log \"" + log.name() +
                                     "\"; give each log (origin) once");
    }
  }
  if (!options.now) options.now = UnixNow;
  return std::unique_ptr<Witness>(
      new Witness(std::move(options), std::move(key), std::move(state)));
}

Witness::Witness(WitnessOptions options, PrivateKey key, std::unique_ptr<StateStore> state)
    : options_(std::move(options)), key_(std::move(key)), state_(std::move(state)) {
  for (const NoteVerifier& log : options_.logs) {
    logs_.emplace(log.name(), std::make_unique<Log>(log));
  }
}

std::string Witness::Vkey() const {
  return FormatVkey(options_.name, CosignerKeyId(options_.name, key_.public_key()),
                    kCosignatureType, key_.public_key());
}

http::Response Witness::Refuse(int status, const std::string& origin, const std::string& why) {
  if (options_.log) {
    options_.log("refused a checkpoint of " + origin + " signed by its log (" +
                 std::to_string(status) + "): " + why);
  }
  return http::TextResponse(status, why);
}

http::Response Witness::AddCheckpoint(std::string_view body) {
  auto request = ParseAddCheckpoint(body);
  if (!request.ok()) return http::TextResponse(400, request.status().message());
  auto note = ParseNote(request->note);
  if (!note.ok()) return http::TextResponse(400, "the checkpoint: " + note.status().message());
  auto checkpoint = ParseCheckpointText(note->text);
  if (!checkpoint.ok()) {
    return http::TextResponse(400, "the checkpoint: " + checkpoint.status().message());
  }
  auto found = logs_.find(checkpoint->origin);
  if (found == logs_.end()) {
    return http::TextResponse(
        404, "this witness does not witness the log \"" + checkpoint->origin + "\"");
  }
  Log& log = *found->second;
  if (Status s = log.verifier.Verify(note.value()); !s.ok()) {
    return http::TextResponse(403, "the checkpoint carries no valid signature by the key of " +
                                       checkpoint->origin + ": " + s.message());
  }
  const uint64_t old_size = request->old_size, new_size = checkpoint->size;
  if (old_size > new_size) {
    return http::TextResponse(400, "old size " + std::to_string(old_size) +
                                       " is over the checkpoint's size " +
                                       std::to_string(new_size));
  }

  std::lock_guard lock(log.mu);
  auto held = state_->Get(checkpoint->origin);
  if (!held.ok()) return http::TextResponse(500, held.status().message());
  const uint64_t held_size = held->has_value() ? held->value().size : 0;
  const std::string held_root = held->has_value() ? held->value().root : merkle::EmptyRoot();
  if (old_size != held_size) return SizeConflict(held_size);
  if (new_size == 0 && checkpoint->root != merkle::EmptyRoot()) {
    return Refuse(422, checkpoint->origin,
                  "a checkpoint of size 0 must have the empty tree's root");
  }
  if (new_size == held_size && checkpoint->root != held_root) {
    return Refuse(409, checkpoint->origin,
                  "the checkpoint's root differs from the root this witness holds for size " +
                      std::to_string(held_size));
  }
  if (Status s = merkle::VerifyConsistency(held_size, new_size, held_root, checkpoint->root,
                                           request->proof);
      !s.ok()) {
    return Refuse(422, checkpoint->origin,
                  "the consistency proof from " + std::to_string(held_size) + " to " +
                      std::to_string(new_size) + " does not verify: " + s.message());
  }
  if (!held->has_value() || new_size != held_size) {
    Status saved = state_->Put(checkpoint->origin, {new_size, checkpoint->root, request->note});
    if (!saved.ok()) return http::TextResponse(500, "nothing cosigned: " + saved.message());
  }
  http::Response response;
  response.body = CosignatureLine(note->text, options_.name, key_, options_.now());
  return response;
}

void Witness::AddRoutes(http::Router* router, const std::string& prefix) {
  router->Exact("POST", prefix + "/add-checkpoint",
                [this](const http::Request& request) { return AddCheckpoint(request.body); });
  router->Exact("GET", "/healthz", [this](const http::Request&) {
    return http::TextResponse(
        200, "ok: witnessing " + std::to_string(logs_.size()) + " logs as " + options_.name);
  });
}

}  // namespace evident::server::witness
