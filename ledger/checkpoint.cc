#include "ledger/checkpoint.h"

#include <charconv>

#include "ledger/coding.h"

namespace evident {

std::string CheckpointText(const Checkpoint& c) {
  return c.origin + "\n" + std::to_string(c.size) + "\n" + Base64Encode(c.root) + "\n";
}

StatusOr<Checkpoint> ParseCheckpointText(std::string_view text) {
  std::string_view lines[3];
  for (auto& line : lines) {
    size_t end = text.find('\n');
    if (end == std::string_view::npos) {
      return Status::InvalidArgument("a checkpoint needs three lines: origin, size, root hash");
    }
    line = text.substr(0, end);
    text.remove_prefix(end + 1);
  }
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty() || c.origin.find_first_of(" +") != std::string::npos) {
    return Status::InvalidArgument("checkpoint origin must be non-empty with no spaces or '+'");
  }
  const std::string_view size = lines[1];
  auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), c.size);
  if (ec != std::errc() || end != size.data() + size.size() || size.empty() ||
      (size.size() > 1 && size[0] == '0')) {
    return Status::InvalidArgument("checkpoint size \"" + std::string(size) +
                                   "\" is not a decimal number without leading zeros");
  }
  auto root = Base64Decode(lines[2]);
  if (!root.ok() || root->size() != 32) {
    return Status::InvalidArgument("checkpoint root is not the base64 of 32 bytes");
  }
  c.root = std::move(root.value());
  // Extension lines, if any, are opaque but must not be empty.
  while (!text.empty()) {
    const size_t end = text.find('\n');
    if (end == 0) return Status::InvalidArgument("a checkpoint's extension line is empty");
    if (end == std::string_view::npos) {
      return Status::InvalidArgument("a checkpoint's text must end with a newline");
    }
    text.remove_prefix(end + 1);
  }
  return c;
}

StatusOr<Checkpoint> OpenCheckpoint(std::string_view note, const NoteVerifier& verifier) {
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();
  EVIDENT_RETURN_IF_ERROR(verifier.Verify(parsed.value()));
  auto checkpoint = ParseCheckpointText(parsed->text);
  if (!checkpoint.ok()) return checkpoint;
  if (checkpoint->origin != verifier.name()) {
    return Status::VerificationFailed("the checkpoint is for origin \"" + checkpoint->origin +
                                      "\", not \"" + verifier.name() + "\"");
  }
  return checkpoint;
}

}  // namespace evident
