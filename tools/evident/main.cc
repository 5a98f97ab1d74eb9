// evident: the command-line tool. Each subcommand lives in its own file.

#include <cstring>
#include <iostream>

#include "tools/evident/command.h"

namespace evident::cli {

const std::vector<Command>& AllCommands() {
  static const std::vector<Command> commands = {
      kInitCommand,       kKeygenCommand, kAppendCommand,  kImportCommand, kLogCommand,        kVerifyCommand,
      kCheckpointCommand, kPubkeyCommand, kProveCommand,   kCheckProofCommand, kExportCommand,
      kProjectCommand,    kQueryCommand,  kReportCommand,  kServeCommand,      kTailCommand,
      kSchemaCommand,     kBackupCommand, kRestoreCommand, kDemoCommand,   kDemoDataCommand};
  return commands;
}

int Fail(const char* command, const std::string& message) {
  std::cerr << "evident " << command << ": " << message << "\n";
  return 1;
}

int Fail(const char* command, const Status& status) { return Fail(command, status.message()); }

namespace {

void PrintUsage(std::ostream& out) {
  out << "evident: a verifiable ledger of a district's professional learning\n\n"
         "usage: evident COMMAND [flags]\n\ncommands:\n";
  for (const Command& c : AllCommands()) {
    out << "  " << c.name << std::string(13 - std::strlen(c.name), ' ') << c.summary << "\n";
  }
  out << "\n'evident COMMAND --help' describes one command.\n";
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(std::cerr);
    return 2;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(std::cout);
    return 0;
  }
  for (const Command& c : AllCommands()) {
    if (name != c.name) continue;
    std::vector<std::string> args(argv + 2, argv + argc);
    for (const auto& a : args) {
      if (a == "--help" || a == "-h") {
        std::cout << c.help;
        return 0;
      }
    }
    auto flags = Flags::Parse(args, c.value_flags, c.bool_flags);
    if (!flags.ok()) {
      std::cerr << "evident " << c.name << ": " << flags.status().message() << " (see 'evident "
                << c.name << " --help')\n";
      return 2;
    }
    return c.run(flags.value());
  }
  std::cerr << "evident: unknown command \"" << name << "\"\n\n";
  PrintUsage(std::cerr);
  return 2;
}

}  // namespace
}  // namespace evident::cli

int main(int argc, char** argv) { return evident::cli::Main(argc, argv); }
