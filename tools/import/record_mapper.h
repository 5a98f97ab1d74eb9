#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/event_json.h"
#include "tools/import/mapping.h"

// Applies a Mapping to one source record: the events it yields, in the JSON
// form `evident append` reads, each with its derived id. Pure: no I/O.
namespace evident::import {

// One row of a CSV file or one line of a JSON Lines file: a JSON object
// whose values are the row's text (CSV) or whatever the line holds (JSON).
struct SourceRecord {
  size_t line = 0;
  nlohmann::json fields;
};

// What is wrong with a record, and where: `column` is empty when the fault
// is the whole record's.
struct RowError {
  size_t line = 0;
  std::string column;  // e.g. `column 6 (CreditedMinutes)` or `field "staff.id"`
  std::string reason;
};

struct MappedEvent {
  size_t rule = 0;       // index into Mapping::events
  std::string event_id;  // 16 bytes, NameUuid(ImportNamespace(), IdName(...))
  std::string bytes;     // the Event FlatBuffer, ready to sign
  std::string event_type;
};

// The name an event's id is derived from: "evident-import/v1", the source
// system, the rule's name and the natural key's values, joined by U+001F.
std::string IdName(const std::string& source_system, const std::string& rule,
                   const std::vector<std::string>& key_values);

// Expands a template (ParseTemplate) over a record's `fields`: `*out` is its
// text, or the column's own JSON value when the template is one column
// alone, or null when a column it names is absent or empty. `*column` names
// the column at fault, or the first one read. False, with `*reason`, when a
// column holds a list or object inside longer text.
bool ExpandTemplate(const std::vector<TemplatePart>& parts,
                    const std::map<std::string, std::string>& params, const nlohmann::json& fields,
                    nlohmann::json* out, std::string* column, std::string* reason);

// Not thread-safe (it owns a codec's use): one mapper per thread. `mapping`
// and `codec` must outlive it.
class RecordMapper {
 public:
  // `header` is a CSV file's header (for column numbers); empty for JSON.
  RecordMapper(const Mapping& mapping, EventJsonCodec* codec, std::vector<std::string> header);

  // Appends to `out` an event for every rule whose `when` holds. On a fault
  // returns false with `*error` set, and `out` is as it was.
  bool Map(const SourceRecord& record, std::vector<MappedEvent>* out, RowError* error);

  // How errors name a column: `column N (NAME)` in a CSV file, `field "NAME"`
  // in JSON.
  std::string DescribeColumn(const std::string& name) const;

 private:
  bool Evaluate(const FieldRule& field, const SourceRecord& record, nlohmann::json* out,
                std::string* column, std::string* reason);
  bool Source(const ValueSpec& spec, const SourceRecord& record, nlohmann::json* out,
              std::string* column, std::string* reason);
  bool MapOne(const EventRule& rule, size_t index, const SourceRecord& record, MappedEvent* out,
              RowError* error);

  const Mapping& mapping_;
  EventJsonCodec* codec_;
  std::vector<std::string> header_;
  std::map<std::string, size_t> column_numbers_;
};

}  // namespace evident::import
