// Writing a report's files, and comparing a report on disk with one
// recomputed from the log.

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "ledger/file_util.h"
#include "projections/report/compute.h"
#include "projections/report/render.h"

namespace evident::projections::report {
namespace {

std::string Errno(const std::string& what, const std::string& path) {
  return "cannot " + what + " " + path + ": " + std::strerror(errno);
}

Status WriteSynced(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(Errno("create", path));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = Status::IOError(Errno("write", path));
      ::close(fd);
      return s;
    }
    done += size_t(n);
  }
  if (::fsync(fd) != 0) {
    Status s = Status::IOError(Errno("sync", path));
    ::close(fd);
    return s;
  }
  if (::close(fd) != 0) return Status::IOError(Errno("close", path));
  return Status::OK();
}

void RemoveTree(const std::string& dir) {
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") ::unlink((dir + "/" + name).c_str());
    }
    ::closedir(d);
  }
  ::rmdir(dir.c_str());
}

std::set<std::string> FilesIn(const std::string& dir) {
  std::set<std::string> names;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") names.insert(name);
    }
    ::closedir(d);
  }
  return names;
}

std::string Clip(std::string s) {
  constexpr size_t kMax = 100;
  if (s.size() > kMax) s = s.substr(0, kMax) + "...";
  return s;
}

// A readable name for the array element: its "id" or "key" where it has one.
std::string ElementName(const Json& element, size_t index) {
  for (const char* k : {"id", "key"}) {
    auto it = element.is_object() ? element.find(k) : element.end();
    if (it != element.end() && it->is_string()) return "[" + it->get<std::string>() + "]";
  }
  return "[" + std::to_string(index) + "]";
}

// Every place where `found` (the report's) and `want` (recomputed) differ.
void Diff(const Json& found, const Json& want, const std::string& path,
          std::vector<std::string>* out) {
  if (found.is_object() && want.is_object()) {
    for (auto it = want.begin(); it != want.end(); ++it) {
      const std::string p = path.empty() ? it.key() : path + "." + it.key();
      if (!found.contains(it.key())) {
        out->push_back("summary.json: " + p + " is missing (the ledger gives " +
                       Clip(it.value().dump()) + ")");
      } else {
        Diff(found[it.key()], it.value(), p, out);
      }
    }
    for (auto it = found.begin(); it != found.end(); ++it) {
      if (!want.contains(it.key())) {
        out->push_back("summary.json: " + (path.empty() ? "" : path + ".") + it.key() +
                       " is not part of the report the ledger gives");
      }
    }
    return;
  }
  if (found.is_array() && want.is_array() && found.size() == want.size()) {
    for (size_t i = 0; i < want.size(); ++i) {
      Diff(found[i], want[i], path + ElementName(want[i], i), out);
    }
    return;
  }
  if (found != want) {
    out->push_back("summary.json: " + path + ": the report says " + Clip(found.dump()) +
                   ", the ledger gives " + Clip(want.dump()));
  }
}

// The first line where two texts differ, 1-based.
size_t FirstDifferentLine(const std::string& a, const std::string& b) {
  size_t line = 1;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] != b[i]) return line;
    if (a[i] == '\n') ++line;
  }
  return line;
}

std::string LineAt(const std::string& text, size_t line) {
  size_t start = 0;
  for (size_t l = 1; l < line && start != std::string::npos; ++l) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos || start >= text.size()) return "";
  return text.substr(start, text.find('\n', start) - start);
}

// The cairo version named in a PDF's /Producer, or "".
std::string ProducerVersion(const std::string& pdf) {
  const std::string tag = "/Producer (cairo ";
  const size_t at = pdf.find(tag);
  if (at == std::string::npos) return "";
  const size_t start = at + tag.size();
  return pdf.substr(start, pdf.find_first_of(" )", start) - start);
}

}  // namespace

Status WriteReport(const std::string& dir_given, const std::map<std::string, std::string>& files) {
  std::string dir = dir_given;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();  // "board-2025/" is a folder too
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    return Status::InvalidArgument(dir + " already exists; give a new folder for the report");
  }
  const std::string partial = dir + ".partial";
  RemoveTree(partial);  // what a failed earlier run left
  if (::mkdir(partial.c_str(), 0755) != 0) return Status::IOError(Errno("create", partial));
  for (const auto& [name, bytes] : files) {
    Status s = WriteSynced(partial + "/" + name, bytes);
    if (!s.ok()) {
      RemoveTree(partial);
      return s;
    }
  }
  if (::rename(partial.c_str(), dir.c_str()) != 0) {
    Status s = Status::IOError(Errno("rename " + partial + " to", dir));
    RemoveTree(partial);
    return s;
  }
  return Status::OK();
}

ReportCheck CompareReport(const std::string& dir,
                          const std::map<std::string, std::string>& recomputed) {
  ReportCheck check;
  for (const auto& [name, want] : recomputed) {
    auto found = ReadFile(dir + "/" + name, "report file");
    if (!found.ok()) {
      check.mismatches.push_back(name + " is missing from the report");
      continue;
    }
    ++check.files_checked;
    if (found.value() == want) continue;
    if (name == "summary.json") {
      const Json parsed = Json::parse(found.value(), nullptr, false);
      if (parsed.is_discarded()) {
        check.mismatches.push_back("summary.json is not valid JSON");
        continue;
      }
      std::vector<std::string> diffs;
      Diff(parsed, Json::parse(want), "", &diffs);
      if (diffs.empty()) diffs.push_back("summary.json: same figures, different layout");
      check.mismatches.insert(check.mismatches.end(), diffs.begin(), diffs.end());
    } else if (name == "report.pdf") {
      const std::string drew = ProducerVersion(found.value());
      if (!drew.empty() && drew != PdfRendererVersion()) {
        check.warnings.push_back("report.pdf was drawn with cairo " + drew +
                                 " and this machine has cairo " + PdfRendererVersion() +
                                 ", so it cannot be redrawn byte for byte here; its figures are "
                                 "those of summary.json only if nothing was edited");
        --check.files_checked;
      } else {
        check.mismatches.push_back("report.pdf differs from the one drawn from the ledger");
      }
    } else {
      const size_t line = FirstDifferentLine(found.value(), want);
      check.mismatches.push_back(name + " line " + std::to_string(line) + ": the report has \"" +
                                 Clip(LineAt(found.value(), line)) + "\", the ledger gives \"" +
                                 Clip(LineAt(want, line)) + "\"");
    }
  }
  for (const std::string& name : FilesIn(dir)) {
    if (!recomputed.count(name)) {
      check.warnings.push_back(name + " is not a file of the report and was not checked");
    }
  }
  return check;
}

}  // namespace evident::projections::report
