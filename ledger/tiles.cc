#include "ledger/tiles.h"

#include <cstdio>

#include "ledger/merkle/hash.h"
#include "ledger/tree_store.h"

// Grammar and contents: see tiles.h and docs/format.md, "Hash tiles".
namespace evident {
namespace {

constexpr std::string_view kPrefix = "tile/";
constexpr std::string_view kPartial = ".p/";
constexpr size_t kMaxIndexGroups = 7;  // 2^64 - 1 has 20 digits

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A decimal of at most `max` with no leading zeros; false otherwise.
bool ParseDecimal(std::string_view s, uint32_t max, uint32_t* value) {
  if (!IsDigits(s) || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return false;
  uint32_t v = 0;
  for (char c : s) v = v * 10 + uint32_t(c - '0');
  if (v > max) return false;
  *value = v;
  return true;
}

// "x001/x234/067": groups of three digits, all but the last with an 'x'.
StatusOr<uint64_t> ParseIndex(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("the index \"" + std::string(text) + "\": " + why);
  };
  uint64_t index = 0;
  size_t groups = 0;
  std::string_view rest = text;
  while (true) {
    const size_t slash = rest.find('/');
    const bool last = slash == std::string_view::npos;
    std::string_view group = rest.substr(0, slash);
    if (!last) {
      if (group.empty() || group[0] != 'x') return bad("every group but the last starts with 'x'");
      group.remove_prefix(1);
    }
    if (group.size() != 3 || !IsDigits(group)) return bad("groups are three digits");
    if (++groups > kMaxIndexGroups) return bad("too many groups");
    const uint64_t g =
        uint64_t(group[0] - '0') * 100 + uint64_t(group[1] - '0') * 10 + uint64_t(group[2] - '0');
    if (groups > 1 && index == 0) return bad("a leading \"x000\" group is not written");
    if (index > (UINT64_MAX - g) / 1000) return bad("past 2^64 - 1");
    index = index * 1000 + g;
    if (last) return index;
    rest.remove_prefix(slash + 1);
  }
}

std::string Describe(uint64_t size) { return "the tree of size " + std::to_string(size); }

}  // namespace

std::string TilePath(const TileId& tile) {
  uint64_t n = tile.index;
  char group[8];
  std::snprintf(group, sizeof(group), "%03u", unsigned(n % 1000));
  std::string index = group;
  for (n /= 1000; n > 0; n /= 1000) {
    std::snprintf(group, sizeof(group), "x%03u/", unsigned(n % 1000));
    index = group + index;
  }
  std::string path = std::string(kPrefix) + std::to_string(tile.level) + "/" + index;
  if (!tile.full()) path += std::string(kPartial) + std::to_string(tile.width);
  return path;
}

StatusOr<TileId> ParseTilePath(std::string_view path) {
  const std::string quoted = "tile path \"" + std::string(path) + "\"";
  if (path.substr(0, kPrefix.size()) != kPrefix) {
    return Status::InvalidArgument(quoted + " does not start with \"tile/\"");
  }
  std::string_view rest = path.substr(kPrefix.size());
  const size_t slash = rest.find('/');
  const std::string_view level_text = rest.substr(0, slash);
  if (level_text == "entries") {
    return Status::PermissionDenied(quoted +
                                    ": entry bundles are never published (entries are "
                                    "personnel records); only hash tiles are");
  }
  TileId tile;
  uint32_t level = 0;
  if (slash == std::string_view::npos || !ParseDecimal(level_text, kMaxTileLevel, &level)) {
    return Status::InvalidArgument(quoted + ": the level is a decimal 0 to 63, no leading zeros");
  }
  tile.level = uint8_t(level);
  rest.remove_prefix(slash + 1);
  const size_t partial = rest.find(kPartial);
  if (partial != std::string_view::npos) {
    uint32_t width = 0;
    if (!ParseDecimal(rest.substr(partial + kPartial.size()), kTileWidth - 1, &width) ||
        width == 0) {
      return Status::InvalidArgument(quoted +
                                     ": a partial tile's width is a decimal 1 to 255, no "
                                     "leading zeros");
    }
    tile.width = width;
    rest = rest.substr(0, partial);
  }
  auto index = ParseIndex(rest);
  if (!index.ok()) return index.status().WithContext(quoted);
  tile.index = index.value();
  return tile;
}

uint64_t HashesAtTileLevel(uint64_t size, int level) {
  const int shift = kTileHeight * level;
  return shift >= 64 ? 0 : size >> shift;
}

Status CheckTile(const TileId& tile, uint64_t size) {
  if (tile.level > kMaxTileLevel || tile.width == 0 || tile.width > kTileWidth) {
    return Status::InvalidArgument("no such tile: level " + std::to_string(tile.level) +
                                   ", width " + std::to_string(tile.width));
  }
  const uint64_t hashes = HashesAtTileLevel(size, tile.level);
  const uint64_t full = hashes / kTileWidth;
  const uint32_t partial = uint32_t(hashes % kTileWidth);
  const std::string path = TilePath(tile);
  if (tile.index < full) {
    if (tile.full()) return Status::OK();
    TileId whole = tile;
    whole.width = kTileWidth;
    return Status::NotFound(path + " is not in " + Describe(size) + ": that tile is full there, " +
                            TilePath(whole));
  }
  if (tile.index == full && partial > 0) {
    if (tile.width == partial) return Status::OK();
    TileId edge = tile;
    edge.width = partial;
    return Status::NotFound(path + " is not in " + Describe(size) +
                            ": that tile is partial there, " + TilePath(edge));
  }
  return Status::NotFound(path + " is beyond " + Describe(size));
}

std::vector<TileId> TilesForSize(uint64_t size) {
  std::vector<TileId> tiles;
  for (int level = 0; level <= kMaxTileLevel; ++level) {
    const uint64_t hashes = HashesAtTileLevel(size, level);
    if (hashes == 0) break;
    for (uint64_t n = 0; n < hashes / kTileWidth; ++n) tiles.push_back({uint8_t(level), n});
    if (hashes % kTileWidth != 0) {
      tiles.push_back({uint8_t(level), hashes / kTileWidth, uint32_t(hashes % kTileWidth)});
    }
  }
  return tiles;
}

StatusOr<std::string> TileData(const merkle::NodeReader& read, const TileId& tile, uint64_t size) {
  EVIDENT_RETURN_IF_ERROR(CheckTile(tile, size));
  std::string data;
  data.reserve(size_t(tile.width) * merkle::kHashSize);
  std::string hash;
  for (uint32_t i = 0; i < tile.width; ++i) {
    // CheckTile established index < 2^64 / 256, so this does not overflow.
    const merkle::NodeId id{uint8_t(kTileHeight * tile.level), tile.index * kTileWidth + i};
    EVIDENT_RETURN_IF_ERROR(read(id, &hash));
    if (hash.size() != merkle::kHashSize) {
      return Status::Corruption("a stored Merkle node (level " + std::to_string(id.level) +
                                ", index " + std::to_string(id.index) + ") is not 32 bytes");
    }
    data += hash;
  }
  return data;
}

StatusOr<std::string> TileData(Storage* storage, const TileId& tile, uint64_t size) {
  return TileData(StorageNodeReader(storage), tile, size);
}

StatusOr<std::string> TileWithin(Storage* storage, const TileId& tile, uint64_t size) {
  if (tile.level > kMaxTileLevel || tile.width == 0 || tile.width > kTileWidth) {
    return Status::InvalidArgument("no such tile");
  }
  const uint64_t hashes = HashesAtTileLevel(size, tile.level);
  if (tile.index >= hashes / kTileWidth + 1 ||
      tile.index * kTileWidth + tile.width > hashes) {
    return Status::NotFound("the log does not reach " + TilePath(tile) + " yet");
  }
  // The tree in which this tile is exactly as wide: its hashes, each
  // covering 256^level leaves. No larger than `size`, so no overflow.
  const uint64_t exact = (tile.index * kTileWidth + tile.width) << (kTileHeight * tile.level);
  return TileData(storage, tile, exact);
}

}  // namespace evident
