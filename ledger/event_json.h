#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"

namespace flatbuffers {
class Parser;
struct StructDef;
}  // namespace flatbuffers

// The JSON form of events (docs/events.md): one JSON object per event, whose
// fields are the schema's (schemas/event.fbs) with these conventions:
//  * `event_type` names the body; the body's fields go in `body`;
//  * enums are written by name ("Certificated"); byte fields and ids as hex
//    (an event id may also be a UUID with dashes); dates as "YYYY-MM-DD" and
//    instants as "YYYY-MM-DDThh:mm:ssZ";
//  * a RecordCorrected body names its replacement's type in `body_type`.
// The codec reads field names and rules from the compiled-in schema, so the
// JSON form cannot drift from it. FromJson refuses unknown fields, missing
// required fields, wrong types, bad dates, out-of-range numbers and missing
// subject ids, each with a message naming the field.
//
// Not thread-safe (the FlatBuffers parser keeps state): one codec per thread.
namespace evident {

class EventJsonCodec {
 public:
  static StatusOr<std::unique_ptr<EventJsonCodec>> Create();
  ~EventJsonCodec();

  // One event's JSON text -> its Event FlatBuffer bytes (ready to sign).
  // InvalidArgument, with a message naming the field, for anything wrong.
  StatusOr<std::string> FromJson(std::string_view json);

  // Event FlatBuffer bytes (which must have passed ParseEvent) -> one line of
  // JSON in the form FromJson reads.
  StatusOr<std::string> ToJson(std::string_view event_bytes);

  // Every event type (body) name, in schema order.
  std::vector<std::string> EventTypes() const;

  // The parsed schema, for tools that describe it (`evident schema`).
  const flatbuffers::Parser& schema() const { return *parser_; }

 private:
  EventJsonCodec();
  std::unique_ptr<flatbuffers::Parser> parser_;
  const flatbuffers::StructDef* event_def_ = nullptr;
};

// Calendar and instant checks used by the codec (exposed for tests).
bool IsValidDate(std::string_view text);       // YYYY-MM-DD, a real date
bool IsValidTimestamp(std::string_view text);  // YYYY-MM-DDThh:mm:ssZ

}  // namespace evident
