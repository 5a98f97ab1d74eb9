#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"
#include "tools/import/mapping.h"
#include "tools/import/record_mapper.h"

// The import of source files through a mapping, in two steps:
//
//   MapFiles   every record of every file -> its events, or its error; ids
//              are derived from the record's natural key, so the same record
//              always yields the same event.
//   Reconcile  those events against the log: an id the log lacks is a new
//              event; an id it holds with the same content is unchanged; an
//              id whose content (subject and body, as last corrected) differs
//              becomes a RecordCorrected event naming it; an id the log has
//              voided is left alone.
//
// Nothing here writes: the caller signs and appends the plan (`evident
// import`), or prints it (--dry-run).
namespace evident::import {

struct SourceFile {
  std::string name;  // as errors name it
  std::string text;
};

struct FileError {
  std::string file;
  RowError error;
  std::string ToString() const;  // "FILE:LINE: column N (NAME): reason"
};

struct ImportEvent {
  std::string file;
  size_t line = 0;
  std::string event_id;  // 16 bytes
  std::string bytes;     // the Event FlatBuffer
  std::string event_type;
  bool correction = false;  // a RecordCorrected built by Reconcile
};

struct MappedFiles {
  size_t records = 0;          // records read
  size_t records_matched = 0;  // records at least one rule applied to
  size_t repeated = 0;         // events that repeat an earlier record's exactly
  std::vector<ImportEvent> events;
  std::vector<FileError> errors;  // in file and line order
};

// One file's records as a mapping in `format` reads them. JSON Lines: each
// non-blank line, a malformed one an error in `*errors`. CSV: `*header`, and
// each row as an object of header -> text, a row of the wrong width an error
// in `*errors`; InvalidArgument if the text is not CSV or the header lacks
// one of `columns` (the message names them and the mapping `mapping_name`).
Status ReadSourceRecords(Mapping::Format format, const std::string& mapping_name,
                         const std::vector<std::string>& columns, const SourceFile& file,
                         std::vector<std::string>* header, std::vector<SourceRecord>* records,
                         std::vector<FileError>* errors);

// Called every 2 s of a long run with the records mapped so far and the total,
// and once more at the end if it was called at all (from another thread).
using Progress = std::function<void(size_t done, size_t total)>;

// Reads and maps every file. A file that cannot be read as a whole (CSV
// quoting, a header that lacks a column the mapping reads) is one error at
// line 0; a bad record is one error at its line. Two records with the same
// key and different values: the later one is an error.
MappedFiles MapFiles(const Mapping& mapping, const std::vector<SourceFile>& files,
                     const Progress& progress = nullptr);

// Calls fn(sequence, entry bytes) for each entry of the log, in order.
using LogScan = std::function<Status(const std::function<void(uint64_t, std::string_view)>& fn)>;

struct Plan {
  std::vector<ImportEvent> append;  // new events and corrections, in file order
  size_t fresh = 0, corrections = 0, unchanged = 0, voided = 0;
};

// Decides, from one scan of the log, what each mapped event means there to
// `principal`, who signs the import: an event id names one event of one
// principal, so only its own events count (another system's event with the
// same id is another event). Corruption if an entry of the log does not parse.
StatusOr<Plan> Reconcile(const std::vector<ImportEvent>& events, const LogScan& scan,
                         std::string_view principal);

}  // namespace evident::import
