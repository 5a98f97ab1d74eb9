// Fuzzes the signed-note and checkpoint parsers (ledger/note.h,
// ledger/checkpoint.h): whatever the bytes, each returns a value or an
// error, and a checkpoint that parses was written in its one form (extension
// lines after it are read and ignored, as C2SP asks).

#include "ledger/checkpoint.h"
#include "ledger/note.h"
#include "tests/fuzz/fuzz_util.h"

using namespace evident;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input = fuzz::Input(data, size);
  (void)NoteVerifier::FromVkey(input);
  if (auto checkpoint = ParseCheckpointText(input); checkpoint.ok()) {
    const std::string text = CheckpointText(checkpoint.value());
    if (input.compare(0, text.size(), text) != 0) __builtin_trap();
  }
  auto note = ParseNote(input);
  if (note.ok()) {
    (void)fuzz::SeedVerifier().Verify(note.value());
    (void)ParseCheckpointText(note.value().text);
  }
  (void)OpenCheckpoint(input, fuzz::SeedVerifier());
  return 0;
}
