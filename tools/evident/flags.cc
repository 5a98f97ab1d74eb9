#include "tools/evident/flags.h"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace evident::cli {

namespace {

// The widest "--name VALUE" that FlagHelp puts its text beside; a wider one
// has its text on the next line. Lines are filled to kLineWidth columns.
constexpr size_t kMostLabelWidth = 24;
constexpr size_t kLineWidth = 80;

std::string Label(const FlagSpec& f) {
  return std::string("--") + f.name + (f.TakesValue() ? std::string(" ") + f.value : "");
}

// InvalidArgument for a name the table does not accept, after `at`:
// `unknown`, or, for a retired spelling, "--NAME is now --NEW".
Status NotAccepted(const FlagTable& table, const std::string& name, const std::string& at,
                   const std::string& unknown) {
  for (const RetiredFlag& r : table.retired) {
    if (name == r.name) return Status::InvalidArgument(at + "--" + name + " is now " + r.now);
  }
  return Status::InvalidArgument(at + unknown);
}

// "it takes --a, --b and --c", or "it takes no flags".
std::string Takes(const FlagTable& table) {
  std::string out = "it takes";
  for (size_t i = 0; i < table.flags.size(); ++i) {
    out += (i == 0 ? " --" : i + 1 == table.flags.size() ? " and --" : ", --");
    out += table.flags[i].name;
  }
  return table.flags.empty() ? "it takes no flags" : out;
}

}  // namespace

const FlagSpec* FlagTable::Find(std::string_view name) const {
  for (const FlagSpec& f : flags) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

std::string FlagHelp(const FlagTable& table) {
  size_t width = 0;
  for (const FlagSpec& f : table.flags) {
    if (Label(f).size() <= kMostLabelWidth) width = std::max(width, Label(f).size());
  }
  const size_t column = 2 + width + 2;
  std::string out;
  for (const FlagSpec& f : table.flags) {
    std::string line = "  " + Label(f);
    if (line.size() + 2 > column) {
      out += line + "\n";
      line.clear();
    }
    line.resize(column, ' ');
    size_t words = 0;  // on `line`
    std::istringstream text(f.help);
    for (std::string word; text >> word; ++words) {
      if (words > 0 && line.size() + 1 + word.size() > kLineWidth) {
        out += line + "\n";
        line.assign(column, ' ');
        words = 0;
      }
      line += (words > 0 ? " " : "") + word;
    }
    out += line + "\n";
  }
  return out;
}

StatusOr<Flags> Flags::Parse(const std::vector<std::string>& args, const FlagTable& table) {
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
    const FlagSpec* spec = table.Find(name);
    if (spec == nullptr) {
      return NotAccepted(table, name, "", "unknown flag --" + name + "; " + Takes(table));
    }
    if (!spec->TakesValue()) {
      if (value) return Status::InvalidArgument("--" + name + " takes no value");
      flags.values_[name] = "true";
      continue;
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        return Status::InvalidArgument("--" + name + " needs a value: --" + name + " " +
                                       spec->value);
      }
      value = args[++i];
    }
    flags.values_[name] = *value;
    flags.all_values_[name].push_back(*value);
  }
  return flags;
}

std::vector<std::string> Flags::GetAll(const std::string& name) const {
  auto it = all_values_.find(name);
  return it == all_values_.end() ? std::vector<std::string>() : it->second;
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
                                      const FlagTable& table) const {
  Flags merged = *this;
  std::map<std::string, std::vector<std::string>> from_file;
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
    const FlagSpec* spec = table.Find(name);
    if (spec == nullptr) {
      return NotAccepted(table, name, at, "unknown setting \"" + name + "\"");
    }
    if (!spec->TakesValue()) {
      if (value != "true" && value != "false") {
        return Status::InvalidArgument(at + name + " is true or false, not \"" + value + "\"");
      }
      if (value == "true" && !merged.Has(name)) merged.values_[name] = "true";
    } else {
      if (value.empty()) return Status::InvalidArgument(at + name + " needs a value");
      if (!Has(name)) {
        merged.values_[name] = value;
        from_file[name].push_back(value);
      }
    }
  }
  for (auto& [name, values] : from_file) merged.all_values_[name] = std::move(values);
  return merged;
}

}  // namespace evident::cli
