// C2SP tlog-tiles: paths worked out by hand from the specification, the set
// of tiles for a tree size, and tile contents against a naive RFC 6962 MTH
// of the leaves (not the stored tree the tiles are read from).

#include "ledger/tiles.h"

#include <gtest/gtest.h>

#include <map>

#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"
#include "ledger/tree_store.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::Must;

std::string Path(uint8_t level, uint64_t index, uint32_t width = kTileWidth) {
  return TilePath({level, index, width});
}

// "L/N/W" for a parsed path, or the error's code and message.
std::string Parsed(std::string_view path) {
  auto tile = ParseTilePath(path);
  if (!tile.ok()) return tile.status().ToString();
  return std::to_string(tile->level) + "/" + std::to_string(tile->index) + "/" +
         std::to_string(tile->width);
}

std::string Listed(uint64_t size) {
  std::string s;
  for (const TileId& t : TilesForSize(size)) s += (s.empty() ? "" : " ") + TilePath(t);
  return s;
}

TEST(TilePathTest, IndexIsWrittenInGroupsOfThreeDigits) {
  EXPECT_EQ(Path(0, 0), "tile/0/000");
  EXPECT_EQ(Path(0, 7), "tile/0/007");
  EXPECT_EQ(Path(0, 999), "tile/0/999");
  EXPECT_EQ(Path(0, 1000), "tile/0/x001/000");
  EXPECT_EQ(Path(1, 1234067), "tile/1/x001/x234/067");  // the specification's example
  EXPECT_EQ(Path(2, 1000000), "tile/2/x001/x000/000");
  EXPECT_EQ(Path(63, UINT64_MAX), "tile/63/x018/x446/x744/x073/x709/x551/615");
}

TEST(TilePathTest, PartialTilesCarryTheirWidth) {
  EXPECT_EQ(Path(0, 0, 1), "tile/0/000.p/1");
  EXPECT_EQ(Path(0, 273, 112), "tile/0/273.p/112");
  EXPECT_EQ(Path(1, 1234067, 255), "tile/1/x001/x234/067.p/255");
}

TEST(TilePathTest, ParsingGivesBackWhatWasWritten) {
  EXPECT_EQ(Parsed("tile/0/000"), "0/0/256");
  EXPECT_EQ(Parsed("tile/1/x001/x234/067"), "1/1234067/256");
  EXPECT_EQ(Parsed("tile/0/273.p/112"), "0/273/112");
  EXPECT_EQ(Parsed("tile/63/x018/x446/x744/x073/x709/x551/615"), "63/18446744073709551615/256");
  for (uint64_t index : {0ull, 1ull, 999ull, 1000ull, 65535ull, 1234067ull, 1ull << 56}) {
    for (uint32_t width : {1u, 17u, 255u, 256u}) {
      const TileId tile{5, index, width};
      EXPECT_EQ(Must(ParseTilePath(TilePath(tile))), tile) << TilePath(tile);
    }
  }
}

TEST(TilePathTest, MalformedPathsAreRefused) {
  for (const char* path : {"",
                           "tile",
                           "tile/",
                           "tile/0",
                           "tile/0/",
                           "/tile/0/000",
                           "tiles/0/000",
                           "tile/00/000",
                           "tile/01/000",
                           "tile/64/000",
                           "tile/-1/000",
                           "tile/a/000",
                           "tile/0/0",
                           "tile/0/00",
                           "tile/0/0000",
                           "tile/0/x001",
                           "tile/0/001/002",
                           "tile/0/x01/002",
                           "tile/0/y001/002",
                           "tile/0/x000/001",
                           "tile/0/x000/x000/000",
                           "tile/0/000/",
                           "tile/0/00a",
                           "tile/0/000.p",
                           "tile/0/000.p/",
                           "tile/0/000.p/0",
                           "tile/0/000.p/256",
                           "tile/0/000.p/05",
                           "tile/0/000.p/1/",
                           "tile/0/000.p/1.p/2",
                           "tile/0/000.q/1",
                           "tile/0/x018/x446/x744/x073/x709/x551/616",
                           "tile/0/x001/x001/x001/x001/x001/x001/x001/000"}) {
    auto tile = ParseTilePath(path);
    ASSERT_FALSE(tile.ok()) << path;
    EXPECT_EQ(tile.status().code(), Status::Code::kInvalidArgument) << path;
  }
}

TEST(TilePathTest, EntryBundlesAreNeverServed) {
  for (const char* path : {"tile/entries/000", "tile/entries/000.p/5", "tile/entries/x001/000"}) {
    auto tile = ParseTilePath(path);
    ASSERT_FALSE(tile.ok()) << path;
    EXPECT_EQ(tile.status().code(), Status::Code::kPermissionDenied);
    EXPECT_NE(tile.status().message().find("never published"), std::string::npos);
  }
}

TEST(TilesForSizeTest, MatchesTheSpecificationsExamples) {
  EXPECT_EQ(Listed(0), "");
  EXPECT_EQ(Listed(1), "tile/0/000.p/1");
  EXPECT_EQ(Listed(255), "tile/0/000.p/255");
  // "a tree of size 256 will be represented by a full level 0 tile and a
  // partial level 1 tile of width 1"
  EXPECT_EQ(Listed(256), "tile/0/000 tile/1/000.p/1");
  EXPECT_EQ(Listed(257), "tile/0/000 tile/0/001.p/1 tile/1/000.p/1");
  EXPECT_EQ(Listed(513), "tile/0/000 tile/0/001 tile/0/002.p/1 tile/1/000.p/2");
  // "a tree of size 70,000 will be represented by 273 full level 0 tiles, one
  // partial level 0 tile of width 112, one full level 1 tile, one partial
  // level 1 tile of width 17, and one partial level 2 tile of width 1"
  const std::vector<TileId> tiles = TilesForSize(70000);
  ASSERT_EQ(tiles.size(), 273u + 1 + 1 + 1 + 1);
  EXPECT_EQ(TilePath(tiles[272]), "tile/0/272");
  EXPECT_EQ(TilePath(tiles[273]), "tile/0/273.p/112");
  EXPECT_EQ(TilePath(tiles[274]), "tile/1/000");
  EXPECT_EQ(TilePath(tiles[275]), "tile/1/001.p/17");
  EXPECT_EQ(TilePath(tiles[276]), "tile/2/000.p/1");
  EXPECT_OK(CheckTile({7, 0, 255}, UINT64_MAX));  // the top of the largest tree
}

TEST(TilesForSizeTest, EveryListedTileChecksAndNoOtherWidthDoes) {
  for (uint64_t size : {1ull, 255ull, 256ull, 257ull, 65536ull, 70000ull}) {
    for (const TileId& tile : TilesForSize(size)) {
      EXPECT_OK(CheckTile(tile, size));
      TileId other = tile;
      other.width = tile.full() ? 1 : kTileWidth;
      EXPECT_EQ(CheckTile(other, size).code(), Status::Code::kNotFound) << TilePath(other);
    }
  }
}

TEST(TilesForSizeTest, TilesBeyondTheTreeAreNotFound) {
  EXPECT_EQ(CheckTile({0, 0, 1}, 0).code(), Status::Code::kNotFound);
  EXPECT_EQ(CheckTile({0, 1, 1}, 256).code(), Status::Code::kNotFound);
  EXPECT_EQ(CheckTile({0, 0, 2}, 1).code(), Status::Code::kNotFound);
  EXPECT_EQ(CheckTile({1, 0}, 65535).code(), Status::Code::kNotFound);
  EXPECT_EQ(CheckTile({2, 0, 1}, 65535).code(), Status::Code::kNotFound);
  EXPECT_EQ(CheckTile({63, 0, 1}, UINT64_MAX).code(), Status::Code::kNotFound);
  EXPECT_EQ(CheckTile({0, 0, 0}, 5).code(), Status::Code::kInvalidArgument);
  const Status s = CheckTile({0, 0, 3}, 257);
  EXPECT_NE(s.message().find("tile/0/000"), std::string::npos) << s.message();
}

// ---- Contents ----

// RFC 6962 section 2.1, literally, over the leaves' hashes.
std::string NaiveMth(const std::vector<std::string>& leaves, uint64_t begin, uint64_t end) {
  if (end - begin == 1) return leaves[begin];
  uint64_t k = 1;
  while (k * 2 < end - begin) k *= 2;
  return merkle::NodeHash(NaiveMth(leaves, begin, begin + k), NaiveMth(leaves, begin + k, end));
}

// What tlog-tiles says tile (L, N) holds:
//   MTH(D[(n * 256 + i) * 256**l : (n * 256 + i + 1) * 256**l]) for each i.
std::string ExpectedTile(const std::vector<std::string>& leaves, const TileId& tile) {
  uint64_t span = 1;
  for (int l = 0; l < tile.level; ++l) span *= 256;
  std::string data;
  for (uint64_t i = 0; i < tile.width; ++i) {
    const uint64_t begin = (tile.index * 256 + i) * span;
    data += NaiveMth(leaves, begin, begin + span);
  }
  return data;
}

class TileDataTest : public ::testing::Test {
 protected:
  // A tree of `n` leaves; its nodes stored as the appender stores them.
  void Grow(uint64_t n) {
    merkle::CompactRange range;
    for (uint64_t i = 0; i < n; ++i) {
      leaves_.push_back(merkle::LeafHash("entry " + std::to_string(i)));
      range.Append(leaves_.back(), [&](merkle::NodeId id, const std::string& hash) {
        nodes_[{id.level, id.index}] = hash;
      });
    }
  }

  merkle::NodeReader Reader() {
    return [this](merkle::NodeId id, std::string* hash) {
      auto it = nodes_.find({id.level, id.index});
      if (it == nodes_.end()) return Status::Corruption("missing node");
      *hash = it->second;
      return Status::OK();
    };
  }

  std::vector<std::string> leaves_;
  std::map<std::pair<int, uint64_t>, std::string> nodes_;
};

TEST_F(TileDataTest, TilesHoldTheSubtreeHashesTheSpecificationNames) {
  Grow(65536 + 3);
  for (uint64_t size : {1ull, 2ull, 255ull, 256ull, 257ull, 511ull, 512ull, 513ull, 65535ull,
                        65536ull, 65537ull, 65539ull}) {
    SCOPED_TRACE(size);
    const std::vector<std::string> prefix(leaves_.begin(), leaves_.begin() + size);
    for (const TileId& tile : TilesForSize(size)) {
      const std::string data = Must(TileData(Reader(), tile, size));
      ASSERT_EQ(data.size(), tile.width * 32u) << TilePath(tile);
      ASSERT_EQ(data, ExpectedTile(prefix, tile)) << TilePath(tile);
    }
  }
}

TEST_F(TileDataTest, TheTopPartialTileIsTheRootOfAPerfectTree) {
  Grow(512);
  EXPECT_EQ(Must(TileData(Reader(), {1, 0, 2}, 512)),
            NaiveMth(leaves_, 0, 256) + NaiveMth(leaves_, 256, 512));
}

TEST_F(TileDataTest, RequestsTheTreeDoesNotHaveAreRefused) {
  Grow(300);
  EXPECT_EQ(TileData(Reader(), {0, 1}, 300).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(TileData(Reader(), {0, 1, 43}, 300).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(TileData(Reader(), {0, 2, 1}, 300).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(TileData(Reader(), {1, 0}, 300).status().code(), Status::Code::kNotFound);
  nodes_.erase({0, 256 + 7});
  EXPECT_EQ(TileData(Reader(), {0, 1, 44}, 300).status().code(), Status::Code::kCorruption);
}

// The same from a real ledger: the stored entries' bytes are the leaves.
class LedgerTilesTest : public testing::LedgerFixture {};

TEST_F(LedgerTilesTest, StoredTreeGivesTheTilesOfItsEntries) {
  std::vector<SignedEvent> events;
  for (int i = 0; i < 300; ++i) {
    events.push_back(Sign(*admin_, testing::AttendanceJson(testing::IdHex(10 + i), "p-1", i + 1)));
  }
  ASSERT_OK(ledger_->Append(std::move(events)).status());
  const uint64_t size = ledger_->size();
  ASSERT_EQ(size, kGenesisSize + 300);
  std::vector<std::string> leaves;
  ASSERT_OK(ledger_->Scan(0, size, [&](uint64_t, std::string_view entry) {
    leaves.push_back(merkle::LeafHash(entry));
    return true;
  }));
  for (const TileId& tile : TilesForSize(size)) {
    EXPECT_EQ(Must(TileData(ledger_->storage(), tile, size)), ExpectedTile(leaves, tile))
        << TilePath(tile);
  }
  EXPECT_EQ(TilesForSize(size).size(), 3u);  // 0/000, 0/001.p/46, 1/000.p/1
}

}  // namespace
}  // namespace evident
