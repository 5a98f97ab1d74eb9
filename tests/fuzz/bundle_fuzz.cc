// Fuzzes the export-bundle reader (ledger/bundle.h). The input is a bundle's
// files joined by NUL bytes, in this order: checkpoint.txt, ledger.vkey,
// entries.jsonl, keys.jsonl, signers.json, amended.jsonl (missing ones are
// left out). They
// are written to a folder of this process's and checked both with the seed
// ledger's key and with the bundle's own.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ledger/bundle.h"
#include "tests/fuzz/fuzz_util.h"

using namespace evident;

namespace {

// Made on first use and removed at exit; never destroyed, so the exit
// handler can still name it.
const std::string& Folder() {
  static const std::string* dir = [] {
    auto* pattern = new std::string(
        (std::filesystem::temp_directory_path() / "evident-bundle-fuzz-XXXXXX").string());
    if (mkdtemp(pattern->data()) == nullptr) __builtin_trap();
    std::atexit([] { std::filesystem::remove_all(Folder()); });
    return pattern;
  }();
  return *dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* const kFiles[] = {"checkpoint.txt", "ledger.vkey", "entries.jsonl",
                                       "keys.jsonl", "signers.json", "amended.jsonl"};
  const std::string input = fuzz::Input(data, size);
  const std::string& dir = Folder();
  size_t at = 0;
  for (const char* file : kFiles) {
    const std::string path = dir + "/" + file;
    if (at > input.size()) {
      std::filesystem::remove(path);
      continue;
    }
    const size_t end = std::min(input.find('\0', at), input.size());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << input.substr(at, end - at);
    at = end + 1;
  }
  (void)VerifyBundle(dir, fuzz::SeedVerifier());
  (void)VerifyBundle(dir, std::nullopt);
  return 0;
}
