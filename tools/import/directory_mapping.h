#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"
#include "tools/import/importer.h"
#include "tools/import/mapping.h"

// A directory mapping: how the rows of HR's staff export become the
// directory's people (`evident people import`; docs/import.md). The file is
// JSON:
//
//   {"mapping": NAME, "description": TEXT, "format": "csv" | "jsonl",
//    "params": {NAME: TEXT}, "target": "directory",
//    "directory": {"person_id": TEMPLATE, "name": TEMPLATE,
//                  "email": TEMPLATE, "title": TEMPLATE}}
//
// TEMPLATE is a template string as in an event mapping ("{firstName}
// {lastSurname}"). person_id and name are required; email and title may be
// left out, and a template over an empty column gives an empty value.
// Nothing here touches the directory: the caller writes what MapPeople gives.
namespace evident::import {

struct DirectoryMapping {
  std::string name;
  Mapping::Format format = Mapping::Format::kCsv;
  std::map<std::string, std::string> params;
  std::vector<TemplatePart> person_id, person_name, email, title;

  std::vector<std::string> Columns() const;  // every column the templates read
};

// InvalidArgument naming the place in the mapping for anything wrong.
StatusOr<DirectoryMapping> ParseDirectoryMapping(std::string_view text);

// One record's person, and where it came from.
struct PersonRecord {
  std::string file;
  size_t line = 0;
  std::string id, name, email, title;
};

struct MappedPeople {
  size_t records = 0;
  std::vector<PersonRecord> people;  // one per id, in file order
  std::vector<FileError> errors;     // in file and line order
};

// Reads and maps every file. A record without an id or a name is an error;
// a second record with the same id and other values is an error; one with
// the same values is dropped.
MappedPeople MapPeople(const DirectoryMapping& mapping, const std::vector<SourceFile>& files);

}  // namespace evident::import
