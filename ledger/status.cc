#include "ledger/status.h"

namespace evident {

const char* CodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return "OK";
    case Status::Code::kNotFound:
      return "Not found";
    case Status::Code::kInvalidArgument:
      return "Invalid argument";
    case Status::Code::kCorruption:
      return "Corruption";
    case Status::Code::kIOError:
      return "I/O error";
    case Status::Code::kConflict:
      return "Conflict";
    case Status::Code::kPermissionDenied:
      return "Permission denied";
    case Status::Code::kVerificationFailed:
      return "Verification failed";
    case Status::Code::kFailedPrecondition:
      return "Failed precondition";
  }
  return "Unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(CodeName(code_)) + ": " + message_;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  return Status(code_, std::string(context) + ": " + message_);
}

}  // namespace evident
