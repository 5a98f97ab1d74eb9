// RFC 4180 parsing, one pass over the text:
//   file   = [BOM] header *(EOL record) [EOL]
//   record = field *("," field)
//   field  = *(any but , " CR LF) | DQUOTE *(any but DQUOTE | DQUOTE DQUOTE) DQUOTE
#include "tools/import/csv.h"

#include <set>

namespace evident::import {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  bool done() const { return pos_ >= text_.size(); }
  size_t line() const { return line_; }

  // Reads one record into `fields`; the text must not be done().
  Status Next(std::vector<std::string>* fields) {
    fields->clear();
    while (true) {
      std::string field;
      EVIDENT_RETURN_IF_ERROR(Field(&field, fields->size() + 1));
      fields->push_back(std::move(field));
      if (done()) return Status::OK();
      char c = text_[pos_++];
      if (c == ',') continue;
      if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      ++line_;
      return Status::OK();
    }
  }

 private:
  Status Field(std::string* out, size_t column) {
    if (done() || text_[pos_] != '"') {
      size_t end = text_.find_first_of(",\r\n", pos_);
      if (end == std::string_view::npos) end = text_.size();
      // A lone CR not followed by LF ends the record as well.
      out->assign(text_.substr(pos_, end - pos_));
      if (out->find('"') != std::string::npos) {
        return Error(column, "a double quote inside an unquoted field (quote the whole field and "
                             "double the quote)");
      }
      pos_ = end;
      return Status::OK();
    }
    const size_t start_line = line_;
    ++pos_;
    while (true) {
      size_t quote = text_.find('"', pos_);
      if (quote == std::string_view::npos) {
        line_ = start_line;
        return Error(column, "a quoted field is never closed");
      }
      std::string_view part = text_.substr(pos_, quote - pos_);
      for (size_t k = 0; k < part.size(); ++k) {  // LF, CRLF and a lone CR each end a line
        line_ += part[k] == '\n' || (part[k] == '\r' && (k + 1 == part.size() || part[k + 1] != '\n'));
      }
      out->append(part);
      pos_ = quote + 1;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        out->push_back('"');
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_.find_first_of(",\r\n", pos_) != pos_) {
        return Error(column, "characters after a closing quote");
      }
      return Status::OK();
    }
  }

  Status Error(size_t column, const std::string& what) const {
    return Status::InvalidArgument("line " + std::to_string(line_) + ", field " +
                                   std::to_string(column) + ": " + what);
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

bool Blank(const std::vector<std::string>& fields) {
  return fields.size() == 1 && fields[0].find_first_not_of(" \t") == std::string::npos;
}

}  // namespace

StatusOr<CsvTable> ParseCsv(std::string_view text) {
  Scanner scanner(text);
  CsvTable table;
  std::vector<std::string> fields;
  while (!scanner.done() && table.header.empty()) {
    EVIDENT_RETURN_IF_ERROR(scanner.Next(&fields));
    if (!Blank(fields)) table.header = fields;
  }
  if (table.header.empty()) return Status::InvalidArgument("the file has no header row");
  std::set<std::string> seen;
  for (size_t i = 0; i < table.header.size(); ++i) {
    if (table.header[i].empty()) {
      return Status::InvalidArgument("header, field " + std::to_string(i + 1) + ": empty name");
    }
    if (!seen.insert(table.header[i]).second) {
      return Status::InvalidArgument("header, field " + std::to_string(i + 1) + ": \"" +
                                     table.header[i] + "\" is named twice");
    }
  }
  while (!scanner.done()) {
    CsvRecord record;
    record.line = scanner.line();
    EVIDENT_RETURN_IF_ERROR(scanner.Next(&record.fields));
    if (Blank(record.fields)) continue;
    table.records.push_back(std::move(record));
  }
  return table;
}

}  // namespace evident::import
