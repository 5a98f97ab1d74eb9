#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/merkle/proof.h"
#include "ledger/status.h"
#include "ledger/storage.h"

// The ledger's Merkle tree as C2SP tlog-tiles hash tiles (docs/format.md,
// "Hash tiles"): static files from which anyone computes the root, inclusion
// and consistency proofs without asking the ledger.
//
//   tile-path = "tile/" level "/" index [ ".p/" width ]
//   level     = decimal 0..63, no leading zeros
//   index     = *( "x" 3DIGIT "/" ) 3DIGIT     e.g. 1234067 = "x001/x234/067";
//               the fewest groups that hold it (no leading "x000/")
//   width     = decimal 1..255, no leading zeros (a partial tile)
//
// Tile (L, N) holds, for i in [0, width), the hash of the perfect subtree
// at tree level 8L and index 256N + i (tree_store.h stores exactly these),
// 32 bytes each: MTH(D[(256N + i) * 256^L : (256N + i + 1) * 256^L]).
// A tree of size s has s / 256^L hashes at tile level L; the full tiles hold
// the first 256 * floor of that / 256, and the rest, when any, form the one
// partial tile of that level.
//
// Entry bundles (`tile/entries/...`) are never published: Evident's entries
// are personnel records (DESIGN.md invariant 9), so that path is refused.
namespace evident {

constexpr uint32_t kTileWidth = 256;  // hashes in a full tile
constexpr int kTileHeight = 8;        // tree levels a tile spans
constexpr int kMaxTileLevel = 63;

struct TileId {
  uint8_t level = 0;            // 0..63
  uint64_t index = 0;           // N: which tile of the level
  uint32_t width = kTileWidth;  // 1..256; 256 is a full tile
  bool full() const { return width == kTileWidth; }
  bool operator==(const TileId&) const = default;
};

// "tile/L/N" or "tile/L/N.p/W". `tile` must be well formed (level <= 63,
// width 1..256).
std::string TilePath(const TileId& tile);

// The tile a path names. InvalidArgument, saying what is wrong, for anything
// TilePath would not write (leading zeros, a level over 63, a width of 0,
// 256 or more, an index past 2^64 - 1, stray characters); PermissionDenied
// for an entry bundle path.
StatusOr<TileId> ParseTilePath(std::string_view path);

// The number of hashes at tile level `level` in a tree of `size` leaves:
// size / 256^level.
uint64_t HashesAtTileLevel(uint64_t size, int level);

// OK if a tree of `size` leaves has `tile` with exactly that width;
// NotFound, saying which tile it has instead, if not.
Status CheckTile(const TileId& tile, uint64_t size);

// Every tile of a tree of `size` leaves: level by level from 0, each level's
// full tiles in order, then its partial tile if it has one. Empty for 0.
// About size / 255 of them: for sizes a ledger reaches, not any uint64.
std::vector<TileId> TilesForSize(uint64_t size);

// The tile's bytes, width * 32, for a tree of `size` leaves, read through
// `read`. NotFound as CheckTile; the reader's error (Corruption for a
// missing node) otherwise.
StatusOr<std::string> TileData(const merkle::NodeReader& read, const TileId& tile, uint64_t size);
// The same from the `merkle` column of `storage`. `size` must not exceed the
// number of entries stored (the caller's checkpoint sets it).
StatusOr<std::string> TileData(Storage* storage, const TileId& tile, uint64_t size);

// The tile's bytes if a tree of `size` leaves holds every hash it covers,
// whatever width that tree's own tile there has: a tile's bytes never
// change as the tree grows, so a reader holding an older checkpoint is
// served the tiles of its tree. NotFound when the tree does not reach it.
StatusOr<std::string> TileWithin(Storage* storage, const TileId& tile, uint64_t size);

}  // namespace evident
