#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/status.h"

namespace flatbuffers {
class Parser;
}

// A mapping: how the rows of one kind of export become events. A mapping
// file is JSON (docs/import.md gives the grammar, tools/import/mappings/
// the shipped ones):
//
//   {"mapping": NAME, "format": "csv" | "jsonl", "params": {NAME: TEXT},
//    "fields": {PATH: VALUE},              // common to every event rule
//    "events": [{"event_type": TYPE, "name": NAME, "key": [COLUMN...],
//                "when": {"column": COLUMN, "in": [TEXT...]} | {..., "not_in": [...]},
//                "fields": {PATH: VALUE}}]}
//
// PATH is an event field (`occurred_at`, `subject.person_id`,
// `body.credited_minutes`); VALUE is a template string ("{Column}",
// "{$param}", literal text) or an object {"column" | "template" | "const",
// "map", "default", "as", "date_format", "scale", "split"}. ParseMapping
// checks every path and every event type against the compiled-in schema, so
// a mapping that names a field the schema lacks is refused when it is
// loaded, not row by row.
namespace evident::import {

// What a schema field takes, which decides how text from a row is read.
enum class FieldKind { kString, kEnum, kBool, kInteger, kNumber, kStringList, kJson };

struct TemplatePart {
  enum class Kind { kText, kColumn, kParam } kind;
  std::string text;  // the literal text, the column name, or the param name
};

// Where one field's value comes from, and the steps that turn it into the
// field's value, applied in this order: map, as, scale, split.
struct ValueSpec {
  enum class Source { kColumn, kTemplate, kConst } source = Source::kConst;
  std::string column;
  std::vector<TemplatePart> parts;
  nlohmann::json constant;
  std::optional<std::map<std::string, nlohmann::json>> map;
  std::optional<nlohmann::json> map_default;
  std::string as;           // "", "date", "instant" or "cents"
  std::string date_format;  // for "date" and "instant": e.g. "MM/DD/YYYY"; empty: ISO 8601
  std::optional<double> scale;
  std::optional<std::string> split;
};

struct FieldRule {
  std::string path;
  FieldKind kind = FieldKind::kString;
  ValueSpec value;
};

struct EventRule {
  std::string name;        // names the rule in derived ids; defaults to event_type
  std::string event_type;
  std::vector<std::string> key;  // the columns of the source record's natural key
  std::string when_column;       // empty: every record
  std::vector<std::string> when_values;
  bool when_negated = false;
  std::vector<FieldRule> fields;  // the mapping's common fields, then the rule's own
};

struct Mapping {
  std::string name;
  enum class Format { kCsv, kJsonLines } format = Format::kCsv;
  std::map<std::string, std::string> params;
  std::vector<EventRule> events;

  // Every column any rule reads (for checking a CSV header).
  std::vector<std::string> Columns() const;
};

// Parses a template: "{Column}" (a column, or a dotted path into a JSON
// record), "{$param}" (one of `params`), literal text; "{{" and "}}" are
// literal braces. InvalidArgument saying what is wrong with it.
Status ParseTemplate(const std::string& text, const std::map<std::string, std::string>& params,
                     std::vector<TemplatePart>* parts);

// Parses and checks a mapping file's text against the event schema in
// `schema` (EventJsonCodec::schema()). `params` override the file's own.
// InvalidArgument naming the place in the mapping for anything wrong.
StatusOr<Mapping> ParseMapping(std::string_view text, const flatbuffers::Parser& schema,
                               const std::map<std::string, std::string>& params = {});

}  // namespace evident::import
