// The parts of the contiguity pass, each on its own (src/contiguity_*.hpp): exact predicates,
// point location, chunks and twins, the grid, the pair scan. The whole pass and the graph
// (higher orders) are tested in spatial_test.cpp.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "contiguity_locate.hpp"
#include "contiguity_pairs.hpp"
#include "wkb.hpp"

namespace cd = smup::contiguity_detail;
using smup::Point;

namespace {

using Ring = std::vector<Point>;

// A polygon from closed rings (first the shell), copied into its own storage.
smup::Polygonal polygon(const std::vector<Ring>& rings) {
    std::vector<std::vector<double>> coords;
    std::vector<uint32_t> counts;
    std::vector<const double*> ptrs;
    for (const Ring& r : rings) {
        std::vector<double> c;
        for (const Point& p : r) c.push_back(p.x), c.push_back(p.y);
        c.push_back(r[0].x), c.push_back(r[0].y);
        coords.push_back(c);
        counts.push_back(uint32_t(r.size() + 1));
    }
    for (const auto& c : coords) ptrs.push_back(c.data());
    smup::Polygonal g = smup::polygon_from_rings(uint32_t(rings.size()), counts.data(), ptrs.data(), nullptr, "t");
    if (!g.owns()) {  // it points into coords: copy
        g.storage.assign(g.pts.begin(), g.pts.end());
        g.pts.first = g.storage.data();
    }
    return g;
}
Ring square(double x0, double y0, double x1, double y1) { return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}; }
// a square with a vertex at every unit of its sides, counter-clockwise
Ring fine_square(int x0, int y0, int x1, int y1) {
    Ring r;
    for (int x = x0; x < x1; ++x) r.push_back({double(x), double(y0)});
    for (int y = y0; y < y1; ++y) r.push_back({double(x1), double(y)});
    for (int x = x1; x > x0; --x) r.push_back({double(x), double(y1)});
    for (int y = y1; y > y0; --y) r.push_back({double(x0), double(y)});
    return r;
}

}  // namespace

TEST(ContiguityPredicates, SegmentRelations) {
    cd::Acc acc;
    // collinear overlap of length 1
    EXPECT_EQ(cd::exact_pair({0, 0}, {2, 0}, {1, 0}, {3, 0}, acc), cd::Relation::Overlap);
    EXPECT_DOUBLE_EQ(acc.shared, 1.0);
    // a proper crossing
    cd::Acc x;
    EXPECT_EQ(cd::exact_pair({0, 0}, {2, 2}, {0, 2}, {2, 0}, x), cd::Relation::Cross);
    EXPECT_TRUE(x.cross && x.touch);
    // a T-junction: a touch, no crossing
    cd::Acc t;
    EXPECT_EQ(cd::exact_pair({0, 0}, {2, 0}, {1, 0}, {1, 1}, t), cd::Relation::Touch);
    EXPECT_FALSE(t.cross);
    // apart
    cd::Acc n;
    EXPECT_EQ(cd::exact_pair({0, 0}, {1, 0}, {0, 1}, {1, 1}, n), cd::Relation::None);
    EXPECT_FALSE(n.touch);
    // exact where the rounded determinant is wrong: a point a hair off a long segment
    EXPECT_EQ(cd::orient({0, 0}, {1e15, 1}, {5e14, 0.5}), 0);
    EXPECT_EQ(cd::orient({0, 0}, {1e15, 1}, {5e14, 0.5000000001}), 1);
    // within a tolerance: two parallel segments 1 mm apart share their overlap
    cd::Acc tol;
    EXPECT_DOUBLE_EQ(cd::tolerant_pair({0, 0}, {2, 0}, {1, 0.001}, {3, 0.001}, 0.01, tol), 1.0);
    EXPECT_TRUE(tol.touch);
    cd::Acc far;
    EXPECT_EQ(cd::tolerant_pair({0, 0}, {2, 0}, {1, 0.1}, {3, 0.1}, 0.01, far), 0.0);
    EXPECT_FALSE(far.touch);
}

TEST(ContiguityLocate, InsideOnTheBoundaryInTheHoleOutside) {
    const auto g = polygon({square(0, 0, 10, 10), square(4, 4, 6, 6)});
    const cd::Slabs slabs(g);
    EXPECT_EQ(cd::locate({1, 1}, g, slabs), 1);
    EXPECT_EQ(cd::locate({10, 5}, g, slabs), 0);
    EXPECT_EQ(cd::locate({4, 5}, g, slabs), 0);  // on the hole's ring
    EXPECT_EQ(cd::locate({5, 5}, g, slabs), -1);  // in the hole
    EXPECT_EQ(cd::locate({11, 5}, g, slabs), -1);
    EXPECT_EQ(cd::locate({5, -1}, g, slabs), -1);
}

TEST(ContiguityChunks, InteriorSidesChunksAndTwins) {
    const auto ccw = polygon({square(0, 0, 1, 1)});
    const auto cw = polygon({{{0, 0}, {0, 1}, {1, 1}, {1, 0}}});
    EXPECT_EQ(cd::interior_side(ccw, 0), cd::kLeft);
    EXPECT_EQ(cd::interior_side(cw, 0), cd::kRight);
    const auto holed = polygon({square(0, 0, 4, 4), square(1, 1, 2, 2)});  // the hole counter-clockwise too
    EXPECT_EQ(cd::interior_side(holed, 1), cd::kRight);
    // two fine squares sharing a side of 40: their chunks of that side are twins, 40 long in all
    const std::vector<smup::Polygonal> g{polygon({fine_square(0, 0, 40, 40)}), polygon({fine_square(40, 0, 80, 40)})};
    smup::CancelPoll poll(nullptr);
    cd::ChunkSet set;
    std::vector<cd::Box> gbox(2);
    cd::make_chunks(g, 0, true, false, set, gbox, poll);
    uint32_t segments = 0;
    for (const cd::Chunk& c : set.chunks) {
        EXPECT_LE(c.last - c.first, cd::kMaxChunk);
        segments += c.last - c.first;
    }
    EXPECT_EQ(segments, 2u * 160u);  // every segment in one chunk
    EXPECT_DOUBLE_EQ(gbox[1].x0, 40.0);
    double twin_length = 0;
    for (const cd::TwinPair& t : cd::find_twins(g, set.chunks, set.keys, poll)) {
        EXPECT_NE(set.chunks[t.first].geom, set.chunks[t.second].geom);
        EXPECT_TRUE(t.reversed);  // neighbours run a shared side opposite ways
        twin_length += t.length;
    }
    EXPECT_GT(twin_length, 0.0);  // the side but where a chunk straddles a corner
    EXPECT_LE(twin_length, 40.0);
}

TEST(ContiguityGrid, EveryChunkInTheBucketOfItsCells) {
    const std::vector<smup::Polygonal> g{polygon({fine_square(0, 0, 40, 40)}), polygon({square(1000, 1000, 1001, 1001)})};
    smup::CancelPoll poll(nullptr);
    cd::ChunkSet set;
    std::vector<cd::Box> gbox(2);
    cd::make_chunks(g, 0, false, false, set, gbox, poll);
    const std::vector<uint8_t> all(set.chunks.size(), 1);
    const cd::Grid grid(set.chunks, all, set.all, gbox, poll);
    for (uint32_t c = 0; c < set.chunks.size(); ++c) {
        const cd::Box& b = set.chunks[c].box;
        const uint32_t k = grid.bucket(grid.cx(b.x0), grid.cy(b.y0));
        bool found = false;
        for (uint32_t i = grid.start[k]; i < grid.start[k + 1]; ++i) found = found || grid.entries[i].id == c;
        EXPECT_TRUE(found) << "chunk " << c;
    }
}

TEST(ContiguityPairs, TheScanFindsTouchAndSharedLength) {
    // two plain squares side by side (no twins: every chunk a representative)
    const std::vector<smup::Polygonal> g{polygon({square(0, 0, 1, 1)}), polygon({square(1, 0, 2, 1)}),
                                         polygon({square(5, 5, 6, 6)})};
    smup::CancelPoll poll(nullptr);
    cd::ChunkSet set;
    std::vector<cd::Box> gbox(3);
    cd::make_chunks(g, 0, false, true, set, gbox, poll);
    const std::vector<uint8_t> rep(set.chunks.size(), 1);
    const cd::Grid grid(set.chunks, rep, set.all, gbox, poll);
    const std::vector<uint32_t> twin(set.chunks.size(), cd::kNone);
    const std::vector<uint8_t> reversed(set.chunks.size(), 0);
    const cd::PairInputs in{g, set.chunks, twin, reversed, set.side, grid, 0, true, false};
    cd::PairFindings found;
    cd::test_pairs(in, found, poll);
    ASSERT_EQ(found.acc.size(), 1u);
    const cd::Acc& a = found.acc.at(cd::key(0, 1));
    EXPECT_TRUE(a.touch);
    EXPECT_FALSE(a.cross);
    EXPECT_DOUBLE_EQ(a.shared, 1.0);
}
