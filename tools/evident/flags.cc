#include "tools/evident/flags.h"

#include <charconv>

namespace evident::cli {

StatusOr<Flags> Flags::Parse(const std::vector<std::string>& args,
                             const std::set<std::string>& value_flags,
                             const std::set<std::string>& bool_flags) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() < 3 || arg.rfind("--", 0) != 0) {
      flags.positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (bool_flags.count(name)) {
      if (value) return Status::InvalidArgument("--" + name + " takes no value");
      flags.values_[name] = "true";
    } else if (value_flags.count(name)) {
      if (!value) {
        if (i + 1 >= args.size()) return Status::InvalidArgument("--" + name + " needs a value");
        value = args[++i];
      }
      flags.values_[name] = *value;
    } else {
      return Status::InvalidArgument("unknown flag --" + name);
    }
  }
  return flags;
}

std::optional<std::string> Flags::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

StatusOr<std::string> Flags::Require(const std::string& name) const {
  auto value = Get(name);
  if (!value) return Status::InvalidArgument("--" + name + " is required");
  return *value;
}

StatusOr<uint64_t> ParseUint(const std::string& text, const std::string& what) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Status::InvalidArgument(what + " must be a whole number, got \"" + text + "\"");
  }
  return n;
}

StatusOr<uint64_t> Flags::GetUint(const std::string& name, uint64_t fallback) const {
  auto value = Get(name);
  if (!value) return fallback;
  return ParseUint(*value, "--" + name);
}

StatusOr<Flags> Flags::WithConfigFile(const std::string& path, const std::string& text,
                                      const std::set<std::string>& value_flags,
                                      const std::set<std::string>& bool_flags) const {
  Flags merged = *this;
  size_t number = 0;
  for (size_t start = 0; start < text.size();) {
    ++number;
    size_t end = std::min(text.find('\n', start), text.size());
    std::string line = text.substr(start, end - start);
    start = end + 1;
    line = line.substr(0, line.find('#'));
    auto trim = [](std::string s) {
      size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    line = trim(line);
    if (line.empty()) continue;
    const std::string at = path + ":" + std::to_string(number) + ": ";
    size_t eq = line.find('=');
    if (eq == std::string::npos) return Status::InvalidArgument(at + "expected name = value");
    const std::string name = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    if (name == "config") return Status::InvalidArgument(at + "a config file cannot name another");
    if (bool_flags.count(name)) {
      if (value != "true" && value != "false") {
        return Status::InvalidArgument(at + name + " is true or false, not \"" + value + "\"");
      }
      if (value == "true" && !merged.Has(name)) merged.values_[name] = "true";
    } else if (value_flags.count(name)) {
      if (value.empty()) return Status::InvalidArgument(at + name + " needs a value");
      if (!merged.Has(name)) merged.values_[name] = value;
    } else {
      return Status::InvalidArgument(at + "unknown setting \"" + name + "\"");
    }
  }
  return merged;
}

}  // namespace evident::cli
