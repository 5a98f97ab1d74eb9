#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"

namespace evident::cli {

// A whole number >= 0 written in decimal, or InvalidArgument naming `what`.
StatusOr<uint64_t> ParseUint(const std::string& text, const std::string& what);

// One flag a subcommand accepts.
struct FlagSpec {
  const char* name;   // without the dashes: "ledger"
  const char* value;  // what its value is called in the help, e.g. "DIR"; "" for a switch
  const char* help;   // what it does, in words FlagHelp fills to 80 columns
  bool TakesValue() const { return value[0] != '\0'; }
};

// A spelling a subcommand no longer accepts, and what to write instead.
struct RetiredFlag {
  const char* name;  // without the dashes: "fy"
  const char* now;   // e.g. "--fiscal-year"; the error reads "--fy is now --fiscal-year"
};

// Everything a subcommand accepts on its command line. Its --help lists
// `flags` as FlagHelp prints them, so what the help says and what the
// parser takes are one list.
struct FlagTable {
  std::vector<FlagSpec> flags;
  std::vector<RetiredFlag> retired = {};

  const FlagSpec* Find(std::string_view name) const;  // nullptr when not accepted
};

// The table's flags in its order, each as "  --ledger DIR    the ledger", its
// help filled to 80 columns and indented to one column for the table.
std::string FlagHelp(const FlagTable& table);

// Command-line flags of one subcommand: `--name value`, `--name=value`,
// boolean `--name`, and positional arguments. A flag the subcommand does not
// declare is an error that lists the ones it does, so a typo never passes
// silently; a retired spelling is an error that names the one that replaced
// it.
class Flags {
 public:
  static StatusOr<Flags> Parse(const std::vector<std::string>& args, const FlagTable& table);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> Get(const std::string& name) const;
  // InvalidArgument when absent, naming the flag.
  StatusOr<std::string> Require(const std::string& name) const;
  // `fallback` when absent; InvalidArgument when not a whole number >= 0.
  StatusOr<uint64_t> GetUint(const std::string& name, uint64_t fallback) const;
  // Every value of a flag given more than once (`--witness A --witness B`),
  // in order; Get gives the last. Empty when absent.
  std::vector<std::string> GetAll(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

  // These flags, with each setting of a config file (docs/operations.md)
  // that the command line does not give: the command line wins. The file
  // holds `name = value` lines (`#` comments, blank lines; a switch's
  // value is true or false; a setting may repeat where its flag may) naming the command's own flags.
  // InvalidArgument naming the file and line for anything else.
  StatusOr<Flags> WithConfigFile(const std::string& path, const std::string& text,
                                 const FlagTable& table) const;

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> all_values_;
  std::vector<std::string> positional_;
};

}  // namespace evident::cli
