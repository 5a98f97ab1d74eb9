#include "ledger/file_util.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace evident {

StatusOr<std::string> ReadFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound("cannot open " + (what.empty() ? "" : what + " ") + path + ": " +
                            std::strerror(errno));
  }
  // A regular file is read whole in one call; a pipe, which has no size,
  // through a stream.
  in.seekg(0, std::ios::end);
  const std::streamoff size = in ? std::streamoff(in.tellg()) : -1;
  if (size >= 0) {
    std::string content(static_cast<size_t>(size), '\0');
    in.seekg(0);
    in.read(content.data(), size);
    if (in.gcount() != size) return Status::IOError("cannot read " + path);
    return content;
  }
  in.clear();
  std::stringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read " + path);
  return buf.str();
}

Status WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) return Status::IOError("cannot write " + path + ": " + std::strerror(errno));
  return Status::OK();
}

}  // namespace evident
