#include "server/witness/request.h"

#include <charconv>

#include "ledger/coding.h"

namespace evident::server::witness {
namespace {

// Takes one "\n"-terminated line off the front of `text` into `*line`.
bool TakeLine(std::string_view* text, std::string_view* line) {
  const size_t end = text->find('\n');
  if (end == std::string_view::npos) return false;
  *line = text->substr(0, end);
  text->remove_prefix(end + 1);
  return true;
}

StatusOr<uint64_t> ParseOldSize(std::string_view line) {
  if (line.substr(0, 4) != "old ") {
    return Status::InvalidArgument("the body must start with the line \"old SIZE\"");
  }
  const std::string_view digits = line.substr(4);
  uint64_t size = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), size);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
      (digits.size() > 1 && digits[0] == '0')) {
    return Status::InvalidArgument("old size \"" + std::string(digits) +
                                   "\" is not a decimal number without leading zeros");
  }
  return size;
}

}  // namespace

StatusOr<AddCheckpointRequest> ParseAddCheckpoint(std::string_view body) {
  AddCheckpointRequest request;
  std::string_view line;
  if (!TakeLine(&body, &line)) return Status::InvalidArgument("the body has no old size line");
  auto old_size = ParseOldSize(line);
  if (!old_size.ok()) return old_size.status();
  request.old_size = old_size.value();
  for (;;) {
    if (!TakeLine(&body, &line)) {
      return Status::InvalidArgument("the body has no empty line before the checkpoint");
    }
    if (line.empty()) break;
    if (request.proof.size() == kMaxProofLines) {
      return Status::InvalidArgument("the consistency proof has more than 63 lines");
    }
    auto hash = Base64Decode(line);
    if (!hash.ok() || hash->size() != 32) {
      return Status::InvalidArgument("consistency proof line " +
                                     std::to_string(request.proof.size() + 1) +
                                     " is not the base64 of a 32-byte hash");
    }
    request.proof.push_back(std::move(hash.value()));
  }
  if (body.empty()) return Status::InvalidArgument("the body has no checkpoint");
  request.note = std::string(body);
  return request;
}

std::string AddCheckpointBody(uint64_t old_size, const std::vector<std::string>& proof,
                              std::string_view note) {
  std::string body = "old " + std::to_string(old_size) + "\n";
  for (const std::string& hash : proof) body += Base64Encode(hash) + "\n";
  body += "\n";
  body.append(note);
  return body;
}

}  // namespace evident::server::witness
