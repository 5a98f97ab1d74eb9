// evident tiles: the tree as C2SP tlog-tiles hash tiles beside the cosigned
// checkpoint, a static directory any web server can publish. Hash tiles and
// the checkpoint only, never entries (DESIGN.md invariant 9).
//
// Order of writing, so that a reader of the directory never sees a
// checkpoint whose tiles are missing: every tile first, each through a
// synced temporary file renamed into place, then the checkpoint the same way.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>

#include "ledger/checkpoint.h"
#include "ledger/file_util.h"
#include "ledger/tiles.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "tiles";

// Writes `content` to `path` through a synced temporary file beside it that
// is renamed over `path`: a reader sees the old file or the new, never part.
Status WriteAtomically(const std::string& path, const std::string& content) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot create " + temp + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += size_t(n);
  }
  const bool ok = done == content.size() && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(ok ? errno : err);
    ::unlink(temp.c_str());
    return Status::IOError("cannot write " + path + ": " + reason);
  }
  return Status::OK();
}

StatusOr<Checkpoint> CheckpointOf(std::string_view note) {
  const size_t blank = note.find("\n\n");
  if (blank == std::string_view::npos)
    return Status::Corruption("a checkpoint note has no signature");
  return ParseCheckpointText(note.substr(0, blank + 1));
}

// The tree size `out`/checkpoint publishes already (0 if there is no such
// file), after checking that it is a checkpoint of this ledger and no larger
// than `size`: a published checkpoint is never rolled back or replaced by
// another log's.
StatusOr<uint64_t> PublishedSize(Ledger* ledger, const std::string& out, uint64_t size) {
  const std::string path = out + "/checkpoint";
  if (!std::filesystem::exists(path)) return uint64_t{0};
  auto note = ReadFile(path, "published checkpoint");
  if (!note.ok()) return note.status();
  auto published = CheckpointOf(note.value());
  if (!published.ok()) return published.status().WithContext(path);
  if (published->origin != ledger->origin()) {
    return Status::FailedPrecondition(path + " is a checkpoint of " + published->origin +
                                      ", not of this ledger (" + ledger->origin() +
                                      "); give another --out");
  }
  if (published->size > size) {
    return Status::FailedPrecondition(
        path + " publishes tree size " + std::to_string(published->size) +
        " already; a published checkpoint is never rolled back, so give --size " +
        std::to_string(published->size) + " or more");
  }
  auto ours = ledger->CheckpointNote(published->size);
  if (!ours.ok()) return ours.status().WithContext(path);
  auto ours_parsed = CheckpointOf(ours.value());
  if (!ours_parsed.ok()) return ours_parsed.status();
  if (ours_parsed->root != published->root) {
    return Status::Conflict(path + " has a root at tree size " + std::to_string(published->size) +
                            " that is not this ledger's; its tiles are another tree's");
  }
  return published->size;
}

// A full tile of the tree already published never changes, so one written
// then (and whole: files are renamed into place) is left as it is.
bool AlreadyWritten(const TileId& tile, const std::string& path, uint64_t published) {
  if (!tile.full() || !CheckTile(tile, published).ok()) return false;
  std::error_code ec;
  return std::filesystem::file_size(path, ec) == uint64_t(kTileWidth) * 32 && !ec;
}

// --size, or the newest checkpoint the witnesses cosigned, or (none yet)
// the newest checkpoint's.
StatusOr<uint64_t> SizeFlag(Ledger* ledger, const Flags& flags) {
  if (flags.Has("size")) return flags.GetUint("size", 0);
  auto cosigned = ledger->NewestCosignedSize({});
  if (cosigned.ok()) return cosigned.value();
  if (cosigned.status().code() != Status::Code::kNotFound) return cosigned.status();
  auto note = ledger->LatestCheckpointNote();
  if (!note.ok()) return note.status().WithContext("the ledger has no checkpoint yet");
  auto checkpoint = CheckpointOf(note.value());
  if (!checkpoint.ok()) return checkpoint.status();
  return checkpoint->size;
}

int RunTiles(const Flags& flags) {
  auto out = flags.Require("out");
  if (!out.ok()) return Fail(kName, out.status());
  auto ledger = OpenLedgerFlag(flags);
  if (!ledger.ok()) return Fail(kName, ledger.status());
  Ledger* l = ledger.value().get();
  auto size = SizeFlag(l, flags);
  if (!size.ok()) return Fail(kName, size.status());
  auto note = l->CosignedCheckpointNote(size.value());
  if (!note.ok()) {
    return Fail(kName, note.status().WithContext("--size " + std::to_string(size.value()) +
                                                 " (tiles are published at checkpointed sizes; "
                                                 "'evident checkpoint --list' lists them)"));
  }
  auto published = PublishedSize(l, out.value(), size.value());
  if (!published.ok()) return Fail(kName, published.status());

  size_t written = 0, total = 0;
  for (const TileId& tile : TilesForSize(size.value())) {
    ++total;
    const std::string path = out.value() + "/" + TilePath(tile);
    if (AlreadyWritten(tile, path, published.value())) continue;
    auto data = TileData(l->storage(), tile, size.value());
    if (!data.ok()) return Fail(kName, data.status());
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (ec) return Fail(kName, "cannot create the directory of " + path + ": " + ec.message());
    if (Status s = WriteAtomically(path, data.value()); !s.ok()) return Fail(kName, s);
    ++written;
  }
  if (Status s = WriteAtomically(out.value() + "/checkpoint", note.value()); !s.ok()) {
    return Fail(kName, s);
  }
  std::cout << "wrote " << written << " of " << total << " tiles and the checkpoint at tree size "
            << size.value() << " to " << out.value() << "\n";
  return 0;
}

}  // namespace

const Command kTilesCommand = {
    kName,
    "write the tree as public hash tiles (C2SP tlog-tiles) and its checkpoint",
    "usage: evident tiles --ledger DIR --out OUTDIR [--size N]\n\n"
    "Writes a static directory for any web server to publish:\n"
    "  OUTDIR/checkpoint           the signed checkpoint at tree size N with every\n"
    "                              witness cosignature stored for it\n"
    "  OUTDIR/tile/L/N[.p/W]       the C2SP tlog-tiles hash tiles of that tree\n"
    "From these alone anyone can compute the root, an inclusion proof for an entry\n"
    "they hold, and a consistency proof between two checkpoints. Entries are never\n"
    "written (no tile/entries/): they are personnel records.\n\n"
    "N defaults to the newest checkpoint the log's witnesses cosigned (or, before\n"
    "any, the newest checkpoint) and must be a checkpointed size.\n"
    "Run it again into the same OUTDIR for a larger size: full tiles already there\n"
    "are kept (they never change), new tiles are added, and the checkpoint is\n"
    "replaced last, atomically, so a reader never sees one whose tiles are missing.\n"
    "Older partial tiles stay for clients holding older checkpoints. OUTDIR that\n"
    "holds another log's checkpoint, or a larger size than N, is refused.\n"
    "Serve checkpoint as text/plain; charset=utf-8 with a short cache life and\n"
    "tile/ as application/octet-stream cached for good (docs/format.md).\n",
    {{{"ledger", "DIR", "the ledger"},
      {"out", "OUTDIR", "the directory to write (created if missing)"},
      {"size", "N", "the tree size to publish (default: the newest cosigned checkpoint's)"}}},
    RunTiles};

}  // namespace evident::cli
