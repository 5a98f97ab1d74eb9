// evident: the command-line tool. Each subcommand lives in its own file.

#include <cstring>
#include <iostream>

#include "ledger/backup.h"
#include "ledger/ledger.h"
#include "tools/evident/command.h"

namespace evident::cli {

namespace {

void PrintUsage(std::ostream& out) {
  out << "NAME\n    evident - a verifiable ledger of a district's professional learning\n\n"
         "SYNOPSIS\n    evident COMMAND [flags] [arguments]\n"
         "    evident COMMAND --help\n    evident --version\n\n"
         "DESCRIPTION\n"
         "    Every investment, participation and piece of implementation evidence is\n"
         "    appended, signed, to an append-only log under an RFC 9162 Merkle tree with\n"
         "    signed checkpoints; views, reports and proofs are computed from the log\n"
         "    alone, and anyone holding a bundle can check them offline.\n\n"
         "COMMANDS\n";
  for (const Command& c : AllCommands()) {
    out << "    " << c.name << std::string(13 - std::strlen(c.name), ' ') << c.summary << "\n";
  }
  out << "\nFILES\n"
         "    LEDGER/db            the log (RocksDB); never edit it\n"
         "    LEDGER/keys/         the ledger's signing key, the first admin's key, TLS files\n"
         "    /etc/evident/evident.conf   serve's settings (evident serve --config)\n\n"
         "EXIT STATUS\n"
         "    0 done; 1 the work failed (the reason is on standard error); 2 bad usage\n\n"
         "SEE ALSO\n"
         "    docs/operations.md (running it), docs/import.md, docs/events.md,\n"
         "    docs/protocol.md, docs/format.md\n";
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(std::cerr);
    return 2;
  }
  std::string name = argv[1];
  if (name == "--version" || name == "version") {
    std::cout << "evident " << EVIDENT_VERSION << " (ledger format " << kLedgerFormat
              << ", backups " << kBackupFormat << ")\n";
    return 0;
  }
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(std::cout);
    return 0;
  }
  for (const Command& c : AllCommands()) {
    if (name != c.name) continue;
    std::vector<std::string> args(argv + 2, argv + argc);
    for (const auto& a : args) {
      if (a == "--help" || a == "-h") {
        std::cout << HelpText(c);
        return 0;
      }
    }
    auto flags = Flags::Parse(args, c.flags);
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
