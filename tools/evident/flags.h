#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ledger/status.h"

namespace evident::cli {

// A whole number >= 0 written in decimal, or InvalidArgument naming `what`.
StatusOr<uint64_t> ParseUint(const std::string& text, const std::string& what);

// Command-line flags of one subcommand: `--name value`, `--name=value`,
// boolean `--name`, and positional arguments. A flag the subcommand does not
// declare is an error, so a typo never passes silently.
class Flags {
 public:
  static StatusOr<Flags> Parse(const std::vector<std::string>& args,
                               const std::set<std::string>& value_flags,
                               const std::set<std::string>& bool_flags);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> Get(const std::string& name) const;
  // InvalidArgument when absent, naming the flag.
  StatusOr<std::string> Require(const std::string& name) const;
  // `fallback` when absent; InvalidArgument when not a whole number >= 0.
  StatusOr<uint64_t> GetUint(const std::string& name, uint64_t fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }

  // These flags, with each setting of a config file (docs/operations.md)
  // that the command line does not give: the command line wins. The file
  // holds `name = value` lines (`#` comments, blank lines; a bool flag's
  // value is true or false) naming the command's own flags.
  // InvalidArgument naming the file and line for anything else.
  StatusOr<Flags> WithConfigFile(const std::string& path, const std::string& text,
                                 const std::set<std::string>& value_flags,
                                 const std::set<std::string>& bool_flags) const;

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace evident::cli
