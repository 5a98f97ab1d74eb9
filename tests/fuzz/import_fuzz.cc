// Fuzzes `evident import`'s readers (tools/import/): the CSV parser and the
// mapping of records to events. The first byte picks CSV or JSON Lines; the
// rest is the file. Whatever the file: the CSV parser's table, written out
// again with every field quoted, parses to the same table; every event the
// mapping yields passes the event verifier and carries the id it was derived
// with; every error names a line of the file.

#include <algorithm>

#include "ledger/event.h"
#include "ledger/event_json.h"
#include "tests/fuzz/fuzz_util.h"
#include "tools/import/csv.h"
#include "tools/import/importer.h"

using namespace evident;
using namespace evident::import;

namespace {

// Reads a column of every kind, through each conversion.
constexpr char kCsvMapping[] = R"({"mapping": "fuzz-csv", "format": "csv",
  "params": {"d": "lea-1"},
  "fields": {"district_id": "{$d}", "source_system": "s"},
  "events": [
    {"event_type": "CostIncurred", "key": ["Id"], "when": {"column": "Kind", "not_in": ["x"]},
     "fields": {
       "occurred_at": {"column": "Date", "as": "instant", "date_format": "M/D/YYYY"},
       "subject.program_id": "p-{Program}", "subject.fiscal_year": {"column": "Year"},
       "body.category": {"column": "Kind", "map": {"a": "Stipend", "b": "Travel"}, "default": "Materials"},
       "body.amount_cents": {"column": "Amount", "as": "cents"},
       "body.allocation": {"const": "PerParticipant"},
       "body.fund_code": "{Fund}", "body.funding_source": {"const": "TitleIIA"}}},
    {"event_type": "AttendanceRecorded", "name": "a", "key": ["Id", "Date"],
     "fields": {
       "occurred_at": {"column": "Date", "as": "instant"},
       "subject.person_id": "{Id}", "subject.program_id": "{Program}", "subject.session_id": "{Program}/{Date}",
       "body.attendance_date": {"column": "Date", "as": "date"},
       "body.attendance_event_category": {"const": "InAttendance"},
       "body.credited_minutes": {"column": "Hours", "scale": 60}}}]})";

constexpr char kJsonMapping[] = R"({"mapping": "fuzz-jsonl", "format": "jsonl",
  "fields": {"district_id": "d", "source_system": "{sys}"},
  "events": [
    {"event_type": "ProgramDefined", "key": ["ref.ns", "ref.title"],
     "fields": {
       "occurred_at": {"column": "begin", "as": "instant"},
       "subject.program_id": "{ref.title}",
       "body.professional_development_title": "{ref.title}",
       "body.offered_by": {"column": "by", "map": {"D": "District", "V": "Vendor"}},
       "body.delivery_method": {"const": "Onsite"}, "body.activity_type": {"const": "Workshop"},
       "body.total_hours": {"column": "hours"}, "body.required": {"column": "required"},
       "body.targeted_rubric_elements": {"column": "elements", "split": ";"},
       "body.follow_up_window_days": {"column": "window"}}}]})";

std::string QuoteAll(const CsvTable& t) {
  auto row = [](const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) {
      std::string f = fields[i];
      for (size_t p = 0; (p = f.find('"', p)) != std::string::npos; p += 2) f.insert(p, "\"");
      out += (i ? ",\"" : "\"") + f + "\"";
    }
    return out + "\n";
  };
  std::string out = row(t.header);
  for (const CsvRecord& r : t.records) out += row(r.fields);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static EventJsonCodec* codec = EventJsonCodec::Create().value().release();
  static const Mapping* csv = new Mapping(ParseMapping(kCsvMapping, codec->schema()).value());
  static const Mapping* jsonl = new Mapping(ParseMapping(kJsonMapping, codec->schema()).value());
  if (size == 0) return 0;
  const bool is_csv = data[0] % 2 == 0;
  const std::string text = fuzz::Input(data + 1, size - 1);

  if (is_csv) {
    auto table = ParseCsv(text);
    if (table.ok()) {
      auto again = ParseCsv(QuoteAll(table.value()));
      if (!again.ok() || again->header != table->header ||
          again->records.size() != table->records.size()) {
        __builtin_trap();
      }
      for (size_t i = 0; i < table->records.size(); ++i) {
        if (again->records[i].fields != table->records[i].fields) __builtin_trap();
      }
    }
  }
  MappedFiles mapped = MapFiles(is_csv ? *csv : *jsonl, {{"f", text}});
  size_t lines = 1;  // LF, CRLF and a lone CR each end a line
  for (size_t i = 0; i < text.size(); ++i) {
    lines += text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
  }
  for (const FileError& e : mapped.errors) {
    if (e.error.line > lines) __builtin_trap();
  }
  for (const ImportEvent& e : mapped.events) {
    auto event = ParseEvent(e.bytes);
    if (!event.ok() || EventIdOf(event.value()) != e.event_id) __builtin_trap();
    if (e.line == 0 || e.line > lines) __builtin_trap();
  }
  return 0;
}
