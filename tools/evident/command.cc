#include "tools/evident/command.h"

#include <iostream>

namespace evident::cli {

const std::vector<Command>& AllCommands() {
  static const std::vector<Command> commands = {
      kInitCommand,   kKeygenCommand,     kAppendCommand,  kImportCommand, kLogCommand,
      kVerifyCommand, kCheckpointCommand, kPubkeyCommand,  kProveCommand,  kCheckProofCommand,
      kExportCommand, kProjectCommand,    kQueryCommand,   kReportCommand, kServeCommand,
      kTailCommand,   kTilesCommand,      kSchemaCommand,  kBackupCommand, kRestoreCommand,
      kDemoCommand,   kDemoDataCommand,   kWitnessCommand, kPeopleCommand, kAccountsCommand};
  return commands;
}

std::string HelpText(const Command& command) {
  std::string text = command.usage;
  if (command.flags.flags.empty()) return text;
  return text + "\nflags:\n" + FlagHelp(command.flags);
}

int Fail(const char* command, const std::string& message) {
  std::cerr << "evident " << command << ": " << message << "\n";
  return 1;
}

int Fail(const char* command, const Status& status) { return Fail(command, status.message()); }

}  // namespace evident::cli
