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

}  // namespace evident::cli
