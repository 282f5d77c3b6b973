// Contiguity, proximity and the WKB reader on hand-made layers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "contiguity.hpp"
#include "proximity.hpp"
#include "smup_capi.h"
#include "wkb.hpp"

namespace {

using smup::NeighbourPair;
using smup::Point;
using Ring = std::vector<Point>;
using Bytes = std::vector<uint8_t>;

void put32(Bytes& b, uint32_t v, bool le) {
    for (int i = 0; i < 4; ++i) b.push_back(uint8_t(le ? v >> (8 * i) : v >> (8 * (3 - i))));
}
void putf(Bytes& b, double d, bool le) {
    uint64_t v;
    std::memcpy(&v, &d, 8);
    for (int i = 0; i < 8; ++i) b.push_back(uint8_t(le ? v >> (8 * i) : v >> (8 * (7 - i))));
}
void polygon_body(Bytes& b, const std::vector<Ring>& rings, bool le) {
    put32(b, uint32_t(rings.size()), le);
    for (const Ring& r : rings) {
        put32(b, uint32_t(r.size() + 1), le);
        for (const Point& p : r) putf(b, p.x, le), putf(b, p.y, le);
        putf(b, r[0].x, le), putf(b, r[0].y, le);  // close it
    }
}
Bytes polygon_wkb(const std::vector<Ring>& rings, bool le = true) {
    Bytes b{uint8_t(le ? 1 : 0)};
    put32(b, 3, le);
    polygon_body(b, rings, le);
    return b;
}
Bytes multipolygon_wkb(const std::vector<std::vector<Ring>>& parts, bool le = true) {
    Bytes b{uint8_t(le ? 1 : 0)};
    put32(b, 6, le);
    put32(b, uint32_t(parts.size()), le);
    for (const auto& p : parts) {
        b.push_back(uint8_t(le ? 1 : 0));
        put32(b, 3, le);
        polygon_body(b, p, le);
    }
    return b;
}
Ring square(double x0, double y0, double x1, double y1) { return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}; }

smup::Polygonal poly(const std::vector<Ring>& rings) {
    const Bytes b = polygon_wkb(rings);
    return smup::parse_polygonal_wkb(b.data(), b.size(), "t");
}

std::vector<NeighbourPair> run(const std::vector<smup::Polygonal>& g, smup::Rule rule, double tol = 0) {
    smup::CancelPoll poll(nullptr);
    return smup::contiguity(g, rule, tol, poll);
}

std::vector<std::pair<uint32_t, uint32_t>> ids(const std::vector<NeighbourPair>& p) {
    std::vector<std::pair<uint32_t, uint32_t>> out;
    for (const auto& x : p) out.push_back({x.a, x.b});
    return out;
}

using PairList = std::vector<std::pair<uint32_t, uint32_t>>;

// A square with a vertex at every unit of its sides (integers: neighbours share them exactly),
// counter-clockwise from (x0, y0); long shared stretches, so chunks are matched whole.
Ring fine_square(int x0, int y0, int x1, int y1) {
    Ring r;
    for (int x = x0; x < x1; ++x) r.push_back({double(x), double(y0)});
    for (int y = y0; y < y1; ++y) r.push_back({double(x1), double(y)});
    for (int x = x1; x > x0; --x) r.push_back({double(x), double(y1)});
    for (int y = y1; y > y0; --y) r.push_back({double(x0), double(y)});
    return r;
}

// 2 x 2 unit squares: 0 bottom-left, 1 bottom-right, 2 top-left, 3 top-right.
std::vector<smup::Polygonal> grid2x2() {
    return {poly({square(0, 0, 1, 1)}), poly({square(1, 0, 2, 1)}), poly({square(0, 1, 1, 2)}),
            poly({square(1, 1, 2, 2)})};
}

}  // namespace

TEST(Wkb, PolygonBothByteOrdersAndMulti) {
    for (bool le : {true, false}) {
        const Bytes b = polygon_wkb({square(0, 0, 2, 2), square(0.5, 0.5, 1, 1)}, le);
        const auto g = smup::parse_polygonal_wkb(b.data(), b.size(), "x");
        ASSERT_EQ(g.rings(), 2u);
        EXPECT_EQ(g.pts.size(), 10u);
        EXPECT_EQ(g.pts[2].x, 2.0);
        EXPECT_EQ(g.pts[2].y, 2.0);
    }
    const Bytes m = multipolygon_wkb({{square(0, 0, 1, 1)}, {square(3, 3, 4, 4)}}, false);
    EXPECT_EQ(smup::parse_polygonal_wkb(m.data(), m.size(), "x").rings(), 2u);
}

TEST(Wkb, EwkbSridAndZ) {
    Bytes b{1};
    put32(b, 0x20000000u | 0x80000000u | 3u, true);
    put32(b, 2180, true);
    put32(b, 1, true);
    put32(b, 4, true);
    const double c[4][3] = {{0, 0, 5}, {1, 0, 5}, {1, 1, 5}, {0, 0, 5}};
    for (auto& p : c) putf(b, p[0], true), putf(b, p[1], true), putf(b, p[2], true);
    int32_t srid = 0;
    const auto g = smup::parse_polygonal_wkb(b.data(), b.size(), "x", &srid);
    EXPECT_EQ(srid, 2180);
    ASSERT_EQ(g.pts.size(), 4u);
    EXPECT_EQ(g.pts[1].x, 1.0);
    EXPECT_EQ(g.pts[2].y, 1.0);
}

TEST(Wkb, RejectsWhatIsNotAPolygonNamingTheId) {
    Bytes pt{1};
    put32(pt, 1, true);
    putf(pt, 1, true), putf(pt, 2, true);
    try {
        smup::parse_polygonal_wkb(pt.data(), pt.size(), "280203");
        FAIL();
    } catch (const smup::InvalidGeometry& e) {
        EXPECT_STREQ(e.what(), "the geometry of \"280203\" is a Point; a non-empty Polygon or MultiPolygon is needed");
    }
    Bytes line{1};
    put32(line, 2, true);
    EXPECT_THROW(smup::parse_polygonal_wkb(line.data(), line.size(), "x"), smup::InvalidGeometry);
    const Bytes ok = polygon_wkb({square(0, 0, 1, 1)});
    EXPECT_THROW(smup::parse_polygonal_wkb(ok.data(), ok.size() - 3, "x"), smup::InvalidGeometry);  // truncated
    Bytes empty{1};
    put32(empty, 3, true);
    put32(empty, 0, true);
    EXPECT_THROW(smup::parse_polygonal_wkb(empty.data(), empty.size(), "x"), smup::InvalidGeometry);
    Bytes open{1};
    put32(open, 3, true);
    put32(open, 1, true);
    put32(open, 4, true);
    for (double v : {0., 0., 1., 0., 1., 1., 0., 1.}) putf(open, v, true);
    EXPECT_THROW(smup::parse_polygonal_wkb(open.data(), open.size(), "x"), smup::InvalidGeometry);
    const Bytes bad_order{7, 0, 0, 0, 3};
    EXPECT_THROW(smup::parse_polygonal_wkb(bad_order.data(), bad_order.size(), "x"), smup::InvalidGeometry);
}

TEST(Rings, ReadInPlaceOrCopiedAndCheckedLikeWkb) {
    // a square with a square hole, as PostGIS lays a Polygon out: the rings one after another
    const std::vector<double> xy{0, 0, 4, 0, 4, 4, 0, 4, 0, 0, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1};
    const uint32_t points[2] = {5, 5};
    const double* in_a_row[2] = {xy.data(), xy.data() + 10};
    const auto g = smup::polygon_from_rings(2, points, in_a_row, nullptr, "t");
    EXPECT_FALSE(g.owns());
    EXPECT_EQ(static_cast<const void*>(g.pts.begin()), static_cast<const void*>(xy.data()));
    const auto w = poly({square(0, 0, 4, 4), {{1, 1}, {1, 2}, {2, 2}, {2, 1}}});
    ASSERT_EQ(g.pts.size(), w.pts.size());
    EXPECT_EQ(g.ring_start, w.ring_start);
    for (size_t i = 0; i < g.pts.size(); ++i) EXPECT_TRUE(g.pts[i].x == w.pts[i].x && g.pts[i].y == w.pts[i].y);
    // rings apart (as the parts of a MultiPolygon): copied; a copy of the Polygonal reads its own
    const std::vector<double> hole{1, 1, 1, 2, 2, 2, 2, 1, 1, 1};
    const double* apart[2] = {xy.data(), hole.data()};
    const auto c = smup::polygon_from_rings(2, points, apart, nullptr, "t");
    EXPECT_TRUE(c.owns());
    const smup::Polygonal copy = c;
    EXPECT_TRUE(copy.owns());
    EXPECT_NE(copy.pts.begin(), c.pts.begin());
    EXPECT_EQ(run({copy, poly({square(4, 0, 5, 4)})}, smup::Rule::Rook).at(0).shared, 4.0);
    // the WKB reader's errors
    auto error_of = [](uint32_t n, const double* p) {
        try {
            smup::polygon_from_rings(1, &n, &p, nullptr, "r");
        } catch (const smup::InvalidGeometry& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error_of(3, xy.data()), "the geometry of \"r\" has a ring of 3 points (at least 4 needed)");
    EXPECT_EQ(error_of(4, xy.data()), "the geometry of \"r\" has a ring that is not closed");
    const std::vector<double> nan{0, 0, 1, 0, NAN, 1, 0, 0};
    EXPECT_EQ(error_of(4, nan.data()), "the geometry of \"r\" has a non-finite coordinate");
    EXPECT_EQ(error_of(0, xy.data()), "the geometry of \"r\" is empty; a non-empty Polygon or MultiPolygon is needed");
}

TEST(Orientation, SignsAndExactCollinearity) {
    EXPECT_EQ(smup::orientation({0, 0}, {1, 0}, {0, 1}), 1);
    EXPECT_EQ(smup::orientation({0, 0}, {1, 0}, {0, -1}), -1);
    EXPECT_EQ(smup::orientation({0, 0}, {1, 1}, {3, 3}), 0);
    // large coordinates, exactly collinear, where the rounded determinant is unreliable
    const double big = 4503599627370496.0;  // 2^52
    EXPECT_EQ(smup::orientation({big, big + 2}, {big + 1, big + 3}, {big + 3, big + 5}), 0);
    // a point 1e-10 off a line with coordinates of PUWG 1992 size
    EXPECT_EQ(smup::orientation({500000.1, 600000.3}, {500100.1, 600000.3}, {500050.0, 600000.3 + 1e-10}), 1);
}

TEST(Contiguity, QueenAndRookDifferAtTheCorner) {
    const auto g = grid2x2();
    const auto q = run(g, smup::Rule::Queen);
    EXPECT_EQ(ids(q), (PairList{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}));
    for (const auto& p : q) EXPECT_DOUBLE_EQ(p.shared, (p.a == 0 && p.b == 3) || (p.a == 1 && p.b == 2) ? 0.0 : 1.0);
    const auto r = run(g, smup::Rule::Rook);
    EXPECT_EQ(ids(r), (PairList{{0, 1}, {0, 2}, {1, 3}, {2, 3}}));
    for (const auto& p : r) EXPECT_DOUBLE_EQ(p.shared, 1.0);
}

TEST(Contiguity, SharedBorderLengthOverSeveralSegments) {
    // 0: a 3 x 1 rectangle with vertices every unit; 1: below it, with one vertex only at x = 2,
    // sharing [0, 3]: segments match partially (collinear overlaps), T-junctions at x = 1.
    const auto a = poly({{{0, 0}, {1, 0}, {2, 0}, {3, 0}, {3, 1}, {0, 1}}});
    const auto b = poly({{{0, -1}, {3, -1}, {3, 0}, {2, 0}, {0, 0}}});
    const auto r = run({a, b}, smup::Rule::Rook);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_DOUBLE_EQ(r[0].shared, 3.0);
}

TEST(Contiguity, TJunctionWithoutSharedVertex) {
    // A's right edge (2,0)-(2,2) has no vertex at (2,1), where B and C meet it.
    const std::vector<smup::Polygonal> g{poly({square(0, 0, 2, 2)}), poly({square(2, 0, 3, 1)}),
                                         poly({square(2, 1, 3, 2)})};
    const auto r = run(g, smup::Rule::Rook);
    EXPECT_EQ(ids(r), (PairList{{0, 1}, {0, 2}, {1, 2}}));
    for (const auto& p : r) EXPECT_DOUBLE_EQ(p.shared, 1.0);
    // a polygon touching A's edge only at one point: queen, not rook
    const std::vector<smup::Polygonal> h{poly({square(0, 0, 2, 2)}), poly({{{2, 1}, {3, 0}, {3, 2}}})};
    EXPECT_EQ(ids(run(h, smup::Rule::Queen)), (PairList{{0, 1}}));
    EXPECT_TRUE(run(h, smup::Rule::Rook).empty());
}

TEST(Contiguity, HolesEnclavesAndContainment) {
    // 0 with a hole that 1 fills exactly: rook over the hole's perimeter
    const std::vector<smup::Polygonal> g{poly({square(0, 0, 4, 4), square(1, 1, 2, 2)}), poly({square(1, 1, 2, 2)})};
    const auto r = run(g, smup::Rule::Rook);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_DOUBLE_EQ(r[0].shared, 4.0);
    // 1 inside 0 without touching its boundary (overlapping interiors): queen (as ST_Intersects), not rook
    const std::vector<smup::Polygonal> h{poly({square(0, 0, 4, 4)}), poly({square(1, 1, 2, 2)})};
    EXPECT_EQ(ids(run(h, smup::Rule::Queen)), (PairList{{0, 1}}));
    EXPECT_TRUE(run(h, smup::Rule::Rook).empty());
    // apart: nothing
    const std::vector<smup::Polygonal> k{poly({square(0, 0, 1, 1)}), poly({square(3, 3, 4, 4)})};
    EXPECT_TRUE(run(k, smup::Rule::Queen).empty());
}

TEST(Contiguity, SharedStretchesMatchedWhole) {
    // 3 x 3 squares of 40 with a vertex every unit: 12 rook pairs of 40 each, 8 diagonal
    // (queen only) contacts at a point
    std::vector<smup::Polygonal> g;
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 3; ++x) g.push_back(poly({fine_square(40 * x, 40 * y, 40 * x + 40, 40 * y + 40)}));
    const auto queen = run(g, smup::Rule::Queen);
    const auto rook = run(g, smup::Rule::Rook);
    EXPECT_EQ(queen.size(), 20u);
    ASSERT_EQ(rook.size(), 12u);
    for (const auto& p : rook) EXPECT_DOUBLE_EQ(p.shared, 40.0);
    int diagonal = 0;
    for (const auto& p : queen) diagonal += p.shared == 0.0;
    EXPECT_EQ(diagonal, 8);
    // the centre square has 8 queen neighbours, 4 rook ones
    int centre_queen = 0, centre_rook = 0;
    for (const auto& p : queen) centre_queen += p.a == 4 || p.b == 4;
    for (const auto& p : rook) centre_rook += p.a == 4 || p.b == 4;
    EXPECT_EQ(centre_queen, 8);
    EXPECT_EQ(centre_rook, 4);
}

TEST(Contiguity, WhatMeetsASharedStretchCountsForBothSides) {
    // 0 and 1 share x = 40 (vertices every unit); 2..41 are small squares across that line,
    // each between two of its vertices: each overlaps both (queen, not rook), though the
    // stretch is tested once for the two
    std::vector<smup::Polygonal> g{poly({fine_square(0, 0, 40, 40)}), poly({fine_square(40, 0, 80, 40)})};
    PairList queen_pairs{{0, 1}};
    for (uint32_t k = 0; k < 40; ++k) {
        g.push_back(poly({square(39.5, k + 0.25, 40.5, k + 0.75)}));
        queen_pairs.push_back({0, k + 2});
    }
    for (uint32_t k = 0; k < 40; ++k) queen_pairs.push_back({1, k + 2});
    EXPECT_EQ(ids(run(g, smup::Rule::Queen)), queen_pairs);
    const auto rook = run(g, smup::Rule::Rook);
    EXPECT_EQ(ids(rook), (PairList{{0, 1}}));
    EXPECT_DOUBLE_EQ(rook[0].shared, 40.0);
    // a point contact where the stretch ends: a triangle whose apex is its last vertex
    const std::vector<smup::Polygonal> h{poly({fine_square(0, 0, 40, 40)}), poly({fine_square(0, 40, 40, 80)}),
                                         poly({{{40, 40}, {50, 30}, {50, 50}}})};
    EXPECT_EQ(ids(run(h, smup::Rule::Queen)), (PairList{{0, 1}, {0, 2}, {1, 2}}));
    EXPECT_EQ(ids(run(h, smup::Rule::Rook)), (PairList{{0, 1}}));
}

TEST(Contiguity, PartsFarApartAsWhenAlone) {
    // a cluster: 3 x 3 squares of 40 (vertices every unit) and 40 small squares across the line
    // two of them share; a layer of two such clusters 10,000 km apart (cells sized by the
    // layer's box would hold whole clusters) gives each cluster's pairs, as when alone
    auto cluster = [](double ox, double oy) {
        std::vector<smup::Polygonal> g;
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 3; ++x) {
                Ring r = fine_square(40 * x, 40 * y, 40 * x + 40, 40 * y + 40);
                for (Point& p : r) p = {p.x + ox, p.y + oy};
                g.push_back(poly({r}));
            }
        for (int k = 0; k < 40; ++k) g.push_back(poly({square(ox + 39.5, oy + k + 0.25, ox + 40.5, oy + k + 0.75)}));
        return g;
    };
    std::vector<smup::Polygonal> both = cluster(0, 0);
    const uint32_t n = uint32_t(both.size());
    for (const smup::Polygonal& p : cluster(1e7, 1e7)) both.push_back(p);
    for (const smup::Rule rule : {smup::Rule::Queen, smup::Rule::Rook}) {
        const auto alone = run(cluster(0, 0), rule);
        std::vector<NeighbourPair> expected = alone;
        for (const NeighbourPair& p : alone) expected.push_back({p.a + n, p.b + n, p.shared});
        const auto got = run(both, rule);
        ASSERT_EQ(ids(got), ids(expected));
        for (size_t k = 0; k < got.size(); ++k) EXPECT_DOUBLE_EQ(got[k].shared, expected[k].shared);
    }
    EXPECT_EQ(run(cluster(0, 0), smup::Rule::Queen).size(), 20u + 80u);  // the squares' 20, the small ones' 2 each
}

TEST(Contiguity, InsideACombOfLongEdges) {
    // a comb of 20,000 teeth 1,000 high (40,000 edges across almost its whole height: located by
    // slabs of about 8 edges, they would fill 400 million), a square inside one tooth, one in a
    // gap between two: queen takes the first only (contained), rook neither
    constexpr int kTeeth = 20000;
    Ring comb{{0, 0}, {10.0 * kTeeth, 0}};
    for (int t = kTeeth - 1; t >= 0; --t) {
        comb.push_back({10.0 * t + 10, 10});
        comb.push_back({10.0 * t + 6, 10});
        comb.push_back({10.0 * t + 6, 1010});
        comb.push_back({10.0 * t, 1010});
    }
    comb.push_back({0, 10});
    const std::vector<smup::Polygonal> g{poly({comb}), poly({square(50001, 500, 50005, 501)}),
                                         poly({square(50007, 500, 50009, 501)})};
    const auto queen = run(g, smup::Rule::Queen);
    EXPECT_EQ(ids(queen), (PairList{{0, 1}}));
    EXPECT_EQ(queen[0].shared, 0.0);
    EXPECT_TRUE(run(g, smup::Rule::Rook).empty());
}

TEST(Contiguity, StretchesInTheSameOrderAndOverlapThroughAStretch) {
    // an island filling a hole: both rings run the same way (not reversed)
    const std::vector<smup::Polygonal> g{poly({fine_square(0, 0, 40, 40), fine_square(10, 10, 30, 30)}),
                                         poly({fine_square(10, 10, 30, 30)})};
    const auto rook = run(g, smup::Rule::Rook);
    ASSERT_EQ(rook.size(), 1u);
    EXPECT_DOUBLE_EQ(rook[0].shared, 80.0);
    // a triangle standing on 0's bottom side, inside 0: the interiors overlap (ST_Relate's first
    // cell is 2), so queen with the whole side shared, but not rook
    Ring triangle;
    for (int x = 0; x <= 40; ++x) triangle.push_back({double(x), 0});
    triangle.push_back({20, 20});
    const std::vector<smup::Polygonal> h{poly({fine_square(0, 0, 40, 40)}), poly({triangle})};
    const auto queen = run(h, smup::Rule::Queen);
    ASSERT_EQ(queen.size(), 1u);
    EXPECT_DOUBLE_EQ(queen[0].shared, 40.0);
    EXPECT_TRUE(run(h, smup::Rule::Rook).empty());
}

TEST(Contiguity, ThreeCopiesOfOnePolygon) {
    // 0, 1, 2 the same square (a twin pair and a third copy), 3 beside them: the copies overlap
    // each other (queen along their whole boundary, not rook) and each has 3 as rook neighbour
    const std::vector<smup::Polygonal> g{poly({fine_square(0, 0, 40, 40)}), poly({fine_square(0, 0, 40, 40)}),
                                         poly({fine_square(0, 0, 40, 40)}), poly({fine_square(40, 0, 80, 40)})};
    const auto queen = run(g, smup::Rule::Queen);
    EXPECT_EQ(ids(queen), (PairList{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}));
    for (const auto& p : queen) EXPECT_DOUBLE_EQ(p.shared, p.b == 3 ? 40.0 : 160.0);
    const auto rook = run(g, smup::Rule::Rook);
    EXPECT_EQ(ids(rook), (PairList{{0, 3}, {1, 3}, {2, 3}}));
    for (const auto& p : rook) EXPECT_DOUBLE_EQ(p.shared, 40.0);
}

TEST(Contiguity, ToleranceBridgesAGapAndDensifiedEdges) {
    // B shifted 3 cm to the right of A
    const std::vector<smup::Polygonal> g{poly({square(0, 0, 1, 1)}), poly({square(1.03, 0, 2, 1)})};
    EXPECT_TRUE(run(g, smup::Rule::Queen).empty());
    const auto q = run(g, smup::Rule::Rook, 0.05);
    ASSERT_EQ(q.size(), 1u);
    EXPECT_NEAR(q[0].shared, 1.0, 1e-12);
    EXPECT_TRUE(run(g, smup::Rule::Queen, 0.02).empty());
    // B's left edge densified with points a hair off A's right edge: exact rook sees crossings
    Ring b{{1, 0}, {2, 0}, {2, 1}, {1, 1}};
    for (int i = 9; i >= 1; --i) b.push_back({1 + ((i % 2) ? 1e-9 : -1e-9), i / 10.0});
    const std::vector<smup::Polygonal> d{poly({square(0, 0, 1, 1)}), poly({b})};
    EXPECT_EQ(run(d, smup::Rule::Queen).size(), 1u);
    EXPECT_TRUE(run(d, smup::Rule::Rook).empty());
    const auto dr = run(d, smup::Rule::Rook, 1e-6);
    ASSERT_EQ(dr.size(), 1u);
    EXPECT_NEAR(dr[0].shared, 1.0, 1e-6);
    // corner contact stays queen-only with a tolerance
    const auto c = run(grid2x2(), smup::Rule::Rook, 0.01);
    EXPECT_EQ(ids(c), (PairList{{0, 1}, {0, 2}, {1, 3}, {2, 3}}));
    EXPECT_THROW(run(g, smup::Rule::Queen, -1), smup::InvalidArgument);
}

TEST(Contiguity, HigherOrder) {
    smup::CancelPoll poll(nullptr);
    const std::vector<NeighbourPair> chain{{0, 1, 1}, {1, 2, 1}, {2, 3, 1}};
    EXPECT_EQ(ids(smup::higher_order(4, chain, 2, poll)), (PairList{{0, 2}, {1, 3}}));
    EXPECT_EQ(ids(smup::higher_order(4, chain, 3, poll)), (PairList{{0, 3}}));
    EXPECT_TRUE(smup::higher_order(4, chain, 4, poll).empty());
    // the 2 x 2 rook grid: diagonals are second order
    const auto second = smup::higher_order(4, run(grid2x2(), smup::Rule::Rook), 2, poll);
    EXPECT_EQ(ids(second), (PairList{{0, 3}, {1, 2}}));
    EXPECT_TRUE(std::isnan(second[0].shared));
}

namespace {

// Second-order pairs by brute force: i < j, not first-order neighbours, with a common neighbour.
PairList brute_second_order(size_t n, const std::vector<NeighbourPair>& first) {
    std::vector<std::vector<char>> adj(n, std::vector<char>(n, 0));
    for (const auto& p : first) adj[p.a][p.b] = adj[p.b][p.a] = 1;
    PairList out;
    for (uint32_t i = 0; i < n; ++i)
        for (uint32_t j = i + 1; j < n; ++j) {
            if (adj[i][j]) continue;
            for (uint32_t k = 0; k < n; ++k)
                if (adj[i][k] && adj[k][j]) {
                    out.push_back({i, j});
                    break;
                }
        }
    return out;
}

// A layer with every kind of contact: a 6 x 5 grid of fine squares (shared stretches matched
// whole, corners), a square overlapping four cells (queen, not rook), an enclave inside a cell
// (queen, not rook), a plain square below the grid meeting its vertices on its edge
// (T-junctions: rook), a square touching the grid's corner from outside (queen only).
std::vector<smup::Polygonal> every_contact() {
    std::vector<smup::Polygonal> g;
    for (int j = 0; j < 5; ++j)
        for (int i = 0; i < 6; ++i) g.push_back(poly({fine_square(2 * i, 2 * j, 2 * i + 2, 2 * j + 2)}));
    g.push_back(poly({square(1, 1, 3, 3)}));
    g.push_back(poly({square(6.25, 4.25, 6.75, 4.75)}));
    g.push_back(poly({square(1, -1, 4, 0)}));
    g.push_back(poly({square(12, 10, 13, 11)}));
    return g;
}

}  // namespace

TEST(Contiguity, QueenAndRookFromOnePass) {
    smup::CancelPoll poll(nullptr);
    const auto g = every_contact();
    const auto both = smup::queen_and_rook(g, poll);
    const auto queen = run(g, smup::Rule::Queen), rook = run(g, smup::Rule::Rook);
    // queen: the pairs and border lengths of a queen pass, to the bit
    ASSERT_EQ(both.size(), queen.size());
    std::vector<NeighbourPair> marked;
    for (size_t i = 0; i < both.size(); ++i) {
        EXPECT_EQ(both[i].a, queen[i].a);
        EXPECT_EQ(both[i].b, queen[i].b);
        EXPECT_EQ(both[i].shared, queen[i].shared);
        if (both[i].rook) marked.push_back({both[i].a, both[i].b, both[i].shared});
    }
    // rook: the pairs a rook pass gives, with the same lengths
    ASSERT_EQ(ids(marked), ids(rook));
    for (size_t i = 0; i < rook.size(); ++i) EXPECT_EQ(marked[i].shared, rook[i].shared);
    // every kind of contact is there: corners, overlaps and the enclave are queen only
    EXPECT_EQ(rook.size(), 6u * 4 + 5 * 5 + 2);  // grid edges, the T-junction square's two cells
    EXPECT_EQ(queen.size(), rook.size() + 40 + 4 + 1 + 1 + 1);  // diagonals, overlaps, enclave, corners
    const auto find = [&](uint32_t a, uint32_t b) {
        for (const auto& p : both)
            if (p.a == a && p.b == b) return &p;
        return static_cast<const smup::QueenRookPair*>(nullptr);
    };
    ASSERT_NE(find(0, 30), nullptr);  // the overlapping square: queen, not rook
    EXPECT_FALSE(find(0, 30)->rook);
    ASSERT_NE(find(15, 31), nullptr);  // the enclave in cell (3, 2): queen, not rook
    EXPECT_FALSE(find(15, 31)->rook);
    ASSERT_NE(find(2, 32), nullptr);  // the square below meets cell 2 at a corner
    EXPECT_FALSE(find(2, 32)->rook);
    ASSERT_NE(find(0, 32), nullptr);
    EXPECT_TRUE(find(0, 32)->rook);  // T-junctions along the square below
    EXPECT_DOUBLE_EQ(find(0, 32)->shared, 1.0);
    EXPECT_DOUBLE_EQ(find(1, 32)->shared, 2.0);
    ASSERT_NE(find(29, 33), nullptr);  // the outer corner: queen only, no length
    EXPECT_FALSE(find(29, 33)->rook);
    EXPECT_EQ(find(29, 33)->shared, 0.0);
}

TEST(Contiguity, SecondOrderFromFirstInMemory) {
    smup::CancelPoll poll(nullptr);
    // the four sets of a layer: first orders as the passes give them, second orders as brute
    // force finds them from the first
    const auto g = every_contact();
    const smup::NeighbourSets sets = smup::neighbour_sets(g, poll);
    EXPECT_EQ(ids(sets.queen), ids(run(g, smup::Rule::Queen)));
    EXPECT_EQ(ids(sets.rook), ids(run(g, smup::Rule::Rook)));
    EXPECT_EQ(ids(sets.queen2), brute_second_order(g.size(), sets.queen));
    EXPECT_EQ(ids(sets.rook2), brute_second_order(g.size(), sets.rook));
    EXPECT_FALSE(sets.rook2.empty());
    for (const auto& p : sets.queen2) EXPECT_TRUE(std::isnan(p.shared));
    // rook's second order holds the grid's diagonals, which queen has in its first
    const PairList r2 = ids(sets.rook2), q1 = ids(sets.queen);
    EXPECT_NE(std::find(r2.begin(), r2.end(), std::make_pair(0u, 7u)), r2.end());
    EXPECT_NE(std::find(q1.begin(), q1.end(), std::make_pair(0u, 7u)), q1.end());

    // random graphs, isolated units included
    uint64_t seed = 12345;
    auto next = [&] {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        return uint32_t(seed >> 33);
    };
    for (int round = 0; round < 20; ++round) {
        const uint32_t n = 5 + next() % 60;
        std::vector<NeighbourPair> first;
        for (uint32_t a = 0; a < n; ++a)
            for (uint32_t b = a + 1; b < n; ++b)
                if (next() % 100 < 6) first.push_back({a, b, 1.0});
        EXPECT_EQ(ids(smup::higher_order(n, first, 2, poll)), brute_second_order(n, first)) << "round " << round;
    }
}

TEST(SpatialCapi, NeighbourSetsAndRowMatching) {
    // the 2 x 2 grid, ids given in reverse: rows sorted by id, neighbour id, set
    std::vector<Bytes> cells{polygon_wkb({square(0, 0, 1, 1)}), polygon_wkb({square(1, 0, 2, 1)}),
                             polygon_wkb({square(0, 1, 1, 2)}), polygon_wkb({square(1, 1, 2, 2)})};
    const char* names[4] = {"d", "c", "b", "a"};
    const uint8_t* wkb[4];
    size_t len[4];
    for (int i = 0; i < 4; ++i) wkb[i] = cells[i].data(), len[i] = cells[i].size();
    smup_neighbour_rows rows;
    smup_error err;
    ASSERT_EQ(smup_neighbour_sets(4, names, wkb, len, nullptr, nullptr, &rows, &err), SMUP_OK);
    EXPECT_EQ(rows.count[0], 12u);  // queen: every pair
    EXPECT_EQ(rows.count[1], 0u);
    EXPECT_EQ(rows.count[2], 8u);   // rook: the four edges
    EXPECT_EQ(rows.count[3], 4u);   // rook order 2: the diagonals
    ASSERT_EQ(rows.n, 24u);
    for (size_t i = 1; i < rows.n; ++i) {
        const std::string pa = names[rows.a[i - 1]], pb = names[rows.b[i - 1]];
        const std::string a = names[rows.a[i]], b = names[rows.b[i]];
        EXPECT_TRUE(pa < a || (pa == a && (pb < b || (pb == b && rows.set[i - 1] < rows.set[i])))) << i;
    }
    // "a" (input 3, top right): queen b, c, d; rook b, c; rook order 2 d
    EXPECT_STREQ(names[rows.a[0]], "a");
    EXPECT_STREQ(names[rows.b[0]], "b");
    EXPECT_EQ(rows.set[0], 0);
    EXPECT_DOUBLE_EQ(rows.value[0], 1.0);
    EXPECT_EQ(rows.set[1], 2);
    EXPECT_STREQ(names[rows.b[5]], "d");
    EXPECT_EQ(rows.set[5], 3);
    EXPECT_TRUE(std::isnan(rows.value[5]));
    smup_neighbour_rows_free(&rows);
    EXPECT_EQ(rows.n, 0u);

    // stored rows against new ones
    const double nan = std::nan("");
    const char* new_id[4] = {"a", "b", "a", "b"};
    const char* new_nb[4] = {"b", "a", "b", "a"};
    const uint8_t new_set[4] = {0, 0, 1, 1};
    const double new_value[4] = {1.0, 1.0, nan, nan};
    const char* st_id[7] = {"a", "b", "a", "a", "a", "b", "x"};
    const char* st_nb[7] = {"b", "a", "b", "b", "x", "a", "a"};
    const uint8_t st_set[7] = {0, 0, 1, 1, 0, SMUP_NO_SET, 1};
    const double st_value[7] = {1.0, 2.0, nan, nan, 1.0, nan, nan};
    uint8_t keep[7], present[4];
    ASSERT_EQ(smup_match_rows(7, st_id, st_nb, st_set, st_value, 4, new_id, new_nb, new_set, new_value, nullptr, keep,
                              present, &err),
              SMUP_OK);
    // kept: the same row (NaN = NaN, i.e. NULL = NULL); not: another value, a repeat, an unknown
    // id, a row of no set
    EXPECT_EQ(std::vector<int>(keep, keep + 7), (std::vector<int>{1, 0, 1, 0, 0, 0, 0}));
    EXPECT_EQ(std::vector<int>(present, present + 4), (std::vector<int>{1, 0, 1, 0}));
    const char* twice[2] = {"a", "a"};
    const char* nb2[2] = {"b", "b"};
    const uint8_t set2[2] = {0, 0};
    const double v2[2] = {1, 1};
    EXPECT_EQ(smup_match_rows(0, nullptr, nullptr, nullptr, nullptr, 2, twice, nb2, set2, v2, nullptr, keep, present, &err),
              SMUP_INVALID_ARGUMENT);
}

TEST(Proximity, NearestAndWithin) {
    smup::CancelPoll poll(nullptr);
    const std::vector<Point> pts{{0, 0}, {1, 0}, {3, 0}, {10, 0}};
    const auto k1 = smup::nearest(pts, 1, poll);
    EXPECT_EQ(ids(k1), (PairList{{0, 1}, {1, 0}, {2, 1}, {3, 2}}));
    EXPECT_DOUBLE_EQ(k1[3].shared, 7.0);
    EXPECT_EQ(smup::nearest(pts, 10, poll).size(), 12u);
    const auto w = smup::within_distance(pts, 2, poll);
    EXPECT_EQ(ids(w), (PairList{{0, 1}, {1, 0}, {1, 2}, {2, 1}}));
    EXPECT_THROW(smup::nearest(pts, 0, poll), smup::InvalidArgument);
    EXPECT_THROW(smup::within_distance(pts, -1, poll), smup::InvalidArgument);
    // a tie at the k-th place goes to the smaller index
    const std::vector<Point> tie{{0, 0}, {1, 0}, {-1, 0}};
    EXPECT_EQ(ids(smup::nearest(tie, 1, poll)), (PairList{{0, 1}, {1, 0}, {2, 0}}));
}

namespace {
int always_cancel() { return 1; }
}  // namespace

TEST(SpatialCapi, ErrorsAndCancellation) {
    const Bytes a = polygon_wkb({square(0, 0, 1, 1)}), b = polygon_wkb({square(1, 0, 2, 1)});
    const uint8_t* wkb[2] = {a.data(), b.data()};
    const size_t len[2] = {a.size(), b.size()};
    const char* good[2] = {"A", "B"};
    const char* dup[2] = {"A", "A"};
    smup_pairs out;
    smup_error err;
    ASSERT_EQ(smup_contiguity(2, good, wkb, len, nullptr, "rook", 0, 1, nullptr, &out, &err), SMUP_OK);
    ASSERT_EQ(out.n, 2u);
    EXPECT_EQ(out.a[0], 0);
    EXPECT_EQ(out.b[0], 1);
    EXPECT_DOUBLE_EQ(out.value[1], 1.0);
    smup_pairs_free(&out);
    EXPECT_EQ(smup_contiguity(2, dup, wkb, len, nullptr, "rook", 0, 1, nullptr, &out, &err), SMUP_INVALID_ARGUMENT);
    EXPECT_STREQ(err.message, "duplicate id \"A\"");
    EXPECT_EQ(smup_contiguity(2, good, wkb, len, nullptr, "bishop", 0, 1, nullptr, &out, &err), SMUP_INVALID_ARGUMENT);
    EXPECT_EQ(smup_contiguity(2, good, wkb, len, nullptr, "queen", -0.5, 1, nullptr, &out, &err), SMUP_INVALID_ARGUMENT);
    EXPECT_EQ(smup_contiguity(2, good, wkb, len, nullptr, "queen", 0, 0, nullptr, &out, &err), SMUP_INVALID_ARGUMENT);
    const size_t short_len[2] = {a.size(), 6};
    EXPECT_EQ(smup_contiguity(2, good, wkb, short_len, nullptr, "queen", 0, 1, nullptr, &out, &err), SMUP_INVALID_GEOMETRY);
    EXPECT_NE(std::string(err.message).find("\"B\""), std::string::npos);
    EXPECT_EQ(out.n, 0u);

    // B given by its rings, A as WKB: the same answer; an SRID of its own counts
    const std::vector<double> bxy{1, 0, 2, 0, 2, 1, 1, 1, 1, 0};
    const uint32_t bn = 5;
    const double* bc = bxy.data();
    const smup_rings mixed[2] = {{0, 0, nullptr, nullptr, nullptr}, {1, 0, &bn, &bc, nullptr}};
    ASSERT_EQ(smup_contiguity(2, good, wkb, len, mixed, "rook", 0, 1, nullptr, &out, &err), SMUP_OK);
    ASSERT_EQ(out.n, 2u);
    EXPECT_DOUBLE_EQ(out.value[0], 1.0);
    smup_pairs_free(&out);
    const smup_rings other_srid[2] = {{0, 0, nullptr, nullptr, nullptr}, {1, 2180, &bn, &bc, nullptr}};
    EXPECT_EQ(smup_contiguity(2, good, wkb, len, other_srid, "rook", 0, 1, nullptr, &out, &err), SMUP_INVALID_GEOMETRY);
    EXPECT_STREQ(err.message, "mixed SRIDs: \"A\" has SRID 0, \"B\" has 2180");

    // EWKB with different SRIDs
    auto ewkb = [](int32_t srid, double x0) {
        Bytes b{1};
        put32(b, 0x20000000u | 3u, true);
        put32(b, uint32_t(srid), true);
        polygon_body(b, {square(x0, 0, x0 + 1, 1)}, true);
        return b;
    };
    const Bytes e1 = ewkb(2180, 0), e2 = ewkb(2176, 1);
    const uint8_t* ew[2] = {e1.data(), e2.data()};
    const size_t el[2] = {e1.size(), e2.size()};
    EXPECT_EQ(smup_contiguity(2, good, ew, el, nullptr, "queen", 0, 1, nullptr, &out, &err), SMUP_INVALID_GEOMETRY);
    EXPECT_STREQ(err.message, "mixed SRIDs: \"A\" has SRID 2180, \"B\" has 2176");
    const Bytes e3 = ewkb(2180, 1);
    const uint8_t* ew2[2] = {e1.data(), e3.data()};
    ASSERT_EQ(smup_contiguity(2, good, ew2, el, nullptr, "queen", 0, 1, nullptr, &out, &err), SMUP_OK);
    EXPECT_EQ(out.n, 2u);
    smup_pairs_free(&out);

    // a 40 x 40 grid polls the callback many times over
    std::vector<Bytes> cells;
    std::vector<std::string> names;
    for (int i = 0; i < 40; ++i)
        for (int j = 0; j < 40; ++j) {
            cells.push_back(polygon_wkb({square(i, j, i + 1, j + 1)}));
            names.push_back(std::to_string(i * 40 + j));
        }
    std::vector<const uint8_t*> w;
    std::vector<size_t> l;
    std::vector<const char*> n;
    for (size_t i = 0; i < cells.size(); ++i) w.push_back(cells[i].data()), l.push_back(cells[i].size()), n.push_back(names[i].c_str());
    ASSERT_EQ(smup_contiguity(cells.size(), n.data(), w.data(), l.data(), nullptr, "queen", 0, 1, nullptr, &out, &err), SMUP_OK);
    EXPECT_EQ(out.n, 2u * (2 * 40 * 39 + 2 * 39 * 39));
    smup_pairs_free(&out);
    EXPECT_EQ(smup_contiguity(cells.size(), n.data(), w.data(), l.data(), nullptr, "queen", 0, 1, always_cancel, &out, &err),
              SMUP_CANCELLED);
}

namespace {
smup::Polygonal multi(const std::vector<std::vector<Ring>>& parts) {
    const Bytes b = multipolygon_wkb(parts);
    return smup::parse_polygonal_wkb(b.data(), b.size(), "m");
}
}  // namespace

TEST(Contiguity, MultiPolygonPartsInsideAnotherRingByRing) {
    // a U: its notch is [1, 2] x [1, 3]; part a in the notch (outside the U), part b inside its
    // base: the two intersect (ST_Intersects) whatever the order of the parts
    const auto u = poly({{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}}});
    const Ring in_notch = square(1.2, 1.5, 1.8, 2.5), in_base = square(0.5, 0.2, 0.8, 0.6);
    for (const auto& m : {multi({{in_notch}, {in_base}}), multi({{in_base}, {in_notch}})}) {
        EXPECT_EQ(ids(run({u, m}, smup::Rule::Queen)), (PairList{{0, 1}}));
        EXPECT_EQ(ids(run({m, u}, smup::Rule::Queen)), (PairList{{0, 1}}));
        EXPECT_TRUE(run({u, m}, smup::Rule::Rook).empty());
    }
    // in the notch alone: apart
    EXPECT_TRUE(run({u, multi({{in_notch}})}, smup::Rule::Queen).empty());
    // a polygon with a hole; a part inside its solid interior and another 90 m away (the
    // MultiPolygon's box is not inside the polygon's): queen
    const auto holed = poly({square(0, 0, 100, 100), square(40, 40, 60, 60)});
    const Ring far = square(190, 10, 200, 20);
    EXPECT_EQ(ids(run({holed, multi({{square(10, 10, 20, 20)}, {far}})}, smup::Rule::Queen)), (PairList{{0, 1}}));
    EXPECT_EQ(ids(run({multi({{far}, {square(10, 10, 20, 20)}}), holed}, smup::Rule::Queen)), (PairList{{0, 1}}));
    // a part in the hole and one 90 m away: apart
    EXPECT_TRUE(run({holed, multi({{square(45, 45, 55, 55)}, {far}})}, smup::Rule::Queen).empty());
    // a part sharing an edge and another inside: the interiors overlap, queen but not rook (as
    // ST_Relate 'F***1****' says), in either order of the parts and of the polygons
    const auto box = poly({square(0, 0, 10, 10)});
    const Ring beside = square(10, 0, 20, 10), inside = square(2, 2, 4, 4);
    for (const auto& m : {multi({{beside}, {inside}}), multi({{inside}, {beside}})}) {
        EXPECT_EQ(ids(run({box, m}, smup::Rule::Queen)), (PairList{{0, 1}}));
        EXPECT_TRUE(run({box, m}, smup::Rule::Rook).empty());
        EXPECT_TRUE(run({m, box}, smup::Rule::Rook).empty());
        smup::CancelPoll poll(nullptr);
        const auto both = smup::queen_and_rook({box, m}, poll);
        ASSERT_EQ(both.size(), 1u);
        EXPECT_FALSE(both[0].rook);
    }
    // the same part beside, the other in the box's hole (not overlapping): rook
    const auto ring_box = poly({square(0, 0, 10, 10), square(2, 2, 4, 4)});
    const auto r = run({ring_box, multi({{beside}, {square(2.5, 2.5, 3.5, 3.5)}})}, smup::Rule::Rook);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_DOUBLE_EQ(r[0].shared, 10.0);
}

TEST(Contiguity, RookWithToleranceKeepsTheOverlapTest) {
    // a polygon and its copy overlap: not rook neighbours, with a tolerance as without
    const std::vector<smup::Polygonal> twice{poly({square(0, 0, 1, 1)}), poly({square(0, 0, 1, 1)})};
    EXPECT_TRUE(run(twice, smup::Rule::Rook).empty());
    EXPECT_TRUE(run(twice, smup::Rule::Rook, 1e-9).empty());
    EXPECT_TRUE(run(twice, smup::Rule::Rook, 0.01).empty());
    EXPECT_EQ(run(twice, smup::Rule::Queen, 1e-9).size(), 1u);
    // the copy's ring running the other way round: the same
    const std::vector<smup::Polygonal> reversed{poly({square(0, 0, 1, 1)}),
                                                poly({{{0, 0}, {0, 1}, {1, 1}, {1, 0}}})};
    EXPECT_TRUE(run(reversed, smup::Rule::Rook, 1e-9).empty());
    // one inside the other, not touching: queen, not rook, with a tolerance
    const std::vector<smup::Polygonal> inner{poly({square(0, 0, 4, 4)}), poly({square(1, 1, 2, 2)})};
    EXPECT_TRUE(run(inner, smup::Rule::Rook, 0.01).empty());
    // a part along an edge and another well inside: overlapping, not rook neighbours at a
    // tolerance either; the inner part in a hole instead: rook neighbours
    const auto box = poly({square(0, 0, 10, 10)});
    EXPECT_TRUE(run({box, multi({{square(10, 0, 20, 10)}, {square(2, 2, 4, 4)}})}, smup::Rule::Rook, 0.01).empty());
    EXPECT_EQ(run({poly({square(0, 0, 10, 10), square(2, 2, 4, 4)}), multi({{square(10, 0, 20, 10)}, {square(2.5, 2.5, 3.5, 3.5)}})},
                  smup::Rule::Rook, 0.01).size(), 1u);
    // an enclave drawn a hair inside the polygon around it (the hole 1 mm smaller): still a
    // rook neighbour at 1 cm
    const std::vector<smup::Polygonal> enclave{poly({square(0, 0, 10, 10), square(4.001, 4.001, 5.999, 5.999)}),
                                               poly({square(4, 4, 6, 6)})};
    EXPECT_TRUE(run(enclave, smup::Rule::Rook).empty());
    EXPECT_EQ(run(enclave, smup::Rule::Rook, 0.01).size(), 1u);
    // neighbours overlapping by a sliver thinner than the tolerance stay rook neighbours
    const std::vector<smup::Polygonal> sliver{poly({square(0, 0, 1, 1)}), poly({square(0.999, 0, 2, 1)})};
    EXPECT_TRUE(run(sliver, smup::Rule::Rook).empty());
    EXPECT_EQ(run(sliver, smup::Rule::Rook, 0.01).size(), 1u);
}
