#pragma once

#include <string>
#include <vector>

#include "ledger/status.h"
#include "tools/evident/flags.h"

namespace evident::cli {

// One `evident` subcommand. `run` returns the process exit status: 0 on
// success, 1 when the work failed (the message is on stderr already).
struct Command {
  const char* name;
  const char* summary;  // one line, for `evident --help`
  const char* usage;    // "usage: evident NAME ..." lines and what the command does
  FlagTable flags;      // everything it accepts; its --help lists them
  int (*run)(const Flags& flags);
};

const std::vector<Command>& AllCommands();

// The text of `evident NAME --help`: the usage, then "flags:" and every flag
// the command accepts (FlagHelp), so the two cannot differ.
std::string HelpText(const Command& command);

// Prints "evident NAME: message" on stderr and returns 1.
int Fail(const char* command, const Status& status);
int Fail(const char* command, const std::string& message);

extern const Command kInitCommand;
extern const Command kKeygenCommand;
extern const Command kAppendCommand;
extern const Command kImportCommand;
extern const Command kBackupCommand;
extern const Command kRestoreCommand;
extern const Command kLogCommand;
extern const Command kVerifyCommand;
extern const Command kSchemaCommand;
extern const Command kCheckpointCommand;
extern const Command kPubkeyCommand;
extern const Command kProveCommand;
extern const Command kCheckProofCommand;
extern const Command kExportCommand;
extern const Command kProjectCommand;
extern const Command kQueryCommand;
extern const Command kReportCommand;
extern const Command kServeCommand;
extern const Command kTailCommand;
extern const Command kTilesCommand;
extern const Command kDemoDataCommand;
extern const Command kDemoCommand;
extern const Command kWitnessCommand;
extern const Command kPeopleCommand;
extern const Command kAccountsCommand;

}  // namespace evident::cli
