// contiguity_pairs.hpp: the pair scan: chunk pairs of a grid cell, common runs, segment tests.
// Internal to the contiguity pass (contiguity.cpp), apart so that each part reads and is
// unit-tested on its own; see the glossary in contiguity.cpp.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "contiguity_grid.hpp"

namespace smup {
namespace contiguity_detail {

// A segment of polygon `geom` that touches polygon `other` at a point (not along a stretch).
struct TouchEvent {
    uint32_t geom, seg, other;
    bool operator<(const TouchEvent& o) const {
        return geom != o.geom ? geom < o.geom : (seg != o.seg ? seg < o.seg : other < o.other);
    }
    bool operator==(const TouchEvent& o) const { return geom == o.geom && seg == o.seg && other == o.other; }
};

// Marks the segments two chunks have in common (run_a, run_b, by segment number in the chunk):
// runs of equal points, in either order, from an end point of one chunk that is a vertex of the
// other (a shared stretch ending inside a chunk, or two chunks cut differently along one). A
// common segment in no such run stays unmarked, to be tested like the others. Returns
// kSameWay | kOppositeWays as the runs found go.
constexpr int kSameWay = 1, kOppositeWays = 2;
inline int mark_common_run(const Polygonal& ga, const Chunk& a, const Polygonal& gb, const Chunk& b, bool* run_a,
                    bool* run_b) {
    int ways = 0;
    const Point* p = &ga.pts[a.first];
    const Point* q = &gb.pts[b.first];
    const int na = int(a.last - a.first), nb = int(b.last - b.first);  // segments: points 0..n
    auto extend = [&](int i, int j) {  // p[i] == q[j]
        for (const int da : {-1, 1})
            for (const int db : {-1, 1})
                for (int k = 0;; ++k) {
                    const int i1 = i + da * (k + 1), j1 = j + db * (k + 1);
                    if (i1 < 0 || i1 > na || j1 < 0 || j1 > nb || !same(p[i1], q[j1])) break;
                    run_a[std::min(i1, i1 - da)] = true;
                    run_b[std::min(j1, j1 - db)] = true;
                    ways |= da == db ? kSameWay : kOppositeWays;
                }
    };
    for (int j = 0; j <= nb; ++j) {
        if (same(q[j], p[0])) extend(0, j);
        if (same(q[j], p[na])) extend(na, j);
    }
    for (int i = 1; i < na; ++i) {
        if (same(p[i], q[0])) extend(i, 0);
        if (same(p[i], q[nb])) extend(i, nb);
    }
    return ways;
}

// What the chunk pairs show: per polygon pair, and per segment (of polygon geom) whether it lies
// along another polygon's boundary (other = kNone) or touches polygon other at a point.
struct Contact {
    uint32_t geom, seg, other;
};
struct PairFindings {
    std::unordered_map<uint64_t, Acc> acc;
    std::vector<Contact> contacts;
};

// What the pair tests read.
struct PairInputs {
    const std::vector<Polygonal>& geoms;
    const std::vector<Chunk>& chunks;
    const std::vector<uint32_t>& twin;
    const std::vector<uint8_t>& reversed;
    const std::vector<uint8_t>& side;  // for check_interiors and with_sides
    const Grid& grid;
    double tolerance;
    bool check_interiors;
    bool with_sides;  // rook with a tolerance: shared_same_side
};

// Segment s of representative chunk r, as a segment of x (r itself or its twin).
inline uint32_t segment_of(const PairInputs& in, uint32_t r, uint32_t x, uint32_t s) {
    if (x == r) return s;
    const Chunk &cr = in.chunks[r], &cx = in.chunks[x];
    return in.reversed[r] ? cx.first + (cr.last - 1 - s) : cx.first + (s - cr.first);
}

// The chunk pairs of the grid, each once (in the bucket of the cell holding the lower-left corner
// of their boxes' intersection); the polygon pairs each stands for (a chunk and its twin's polygon);
// their segments tested once for all of them.
inline void test_pairs(const PairInputs& in, PairFindings& out, CancelPoll& poll) {
    struct Combo {
        uint32_t x, y;    // chunks: x is ia or its twin, y is ib or its twin
        uint32_t gx, gy;  // their polygons
    };
    struct Hit {
        uint32_t s, u;  // segments of a and b; kNone: none (an overlap seen from one side)
        Relation rel;
        bool opposite_ways;  // an overlap of segments that run opposite ways
    };
    const Grid& grid = in.grid;
    const double tolerance = in.tolerance, pad = tolerance / 2;
    constexpr uint32_t kAhead = 16;
    std::vector<Hit> hits;
    for (uint32_t cell = 0; cell < grid.buckets(); ++cell) {
        for (uint32_t i = grid.start[cell]; i < grid.start[cell + 1]; ++i) {
            if (i + kAhead < grid.entries.size()) prefetch_points(in.geoms, grid.entries[i + kAhead].chunk);
            const uint32_t ia = grid.entries[i].id;
            const Chunk& a = grid.entries[i].chunk;
            for (uint32_t j = i + 1; j < grid.start[cell + 1]; ++j) {
                poll();
                const uint32_t ib = grid.entries[j].id;
                const Chunk& b = grid.entries[j].chunk;
                // the same polygon, or the same two of a twin pair (two chunks along one
                // shared stretch): only rings against themselves (see the combos below)
                const bool same_polygons = a.geom == b.geom ? a.twin_geom == b.twin_geom
                                                            : a.geom == b.twin_geom && a.twin_geom == b.geom;
                if (same_polygons || !a.box.meets(b.box)) continue;
                if (grid.bucket(grid.cx(std::max(a.box.x0, b.box.x0)), grid.cy(std::max(a.box.y0, b.box.y0))) != cell)
                    continue;
                // (polygon, the other polygon of the twin pair) on either side
                const uint32_t side_a[2][2] = {{a.geom, a.twin_geom}, {a.twin_geom, a.geom}};
                const uint32_t side_b[2][2] = {{b.geom, b.twin_geom}, {b.twin_geom, b.geom}};
                Combo combo[4];
                int ncombo = 0;
                for (uint32_t pa = 0; pa < (a.twin_geom == kNone ? 1u : 2u); ++pa)
                    for (uint32_t pb = 0; pb < (b.twin_geom == kNone ? 1u : 2u); ++pb) {
                        const uint32_t gx = side_a[pa][0], ox = side_a[pa][1];
                        const uint32_t gy = side_b[pb][0], oy = side_b[pb][1];
                        // the same polygon; or x's twin in y's polygon (or y's in x's): that
                        // polygon's ring against itself, which in a valid polygon meets only
                        // at common vertices
                        if (gx == gy || ox == gy || oy == gx) continue;
                        combo[ncombo++] = {pa == 0 ? ia : in.twin[ia], pb == 0 ? ib : in.twin[ib], gx, gy};
                    }
                if (ncombo == 0) continue;
                const Polygonal &ga = in.geoms[a.geom], &gb = in.geoms[b.geom];
                Acc local;
                hits.clear();
                // Two chunks without twins, where a shared stretch ends (or is cut
                // differently): the segments they have in common are matched as a run and
                // left out of the tests below; what remains is tested against what remains
                // of the other (a run segment against the rest of the other chunk is, through
                // its copy, that polygon's ring against itself).
                bool in_run_a[kMaxChunk] = {}, in_run_b[kMaxChunk] = {};
                if (tolerance == 0 && ncombo == 1 && a.twin_geom == kNone && b.twin_geom == kNone) {
                    const int ways = mark_common_run(ga, a, gb, b, in_run_a, in_run_b);
                    for (uint32_t s = a.first; s < a.last; ++s) {
                        if (!in_run_a[s - a.first]) continue;
                        local.touch = true;
                        local.shared += dist(ga.pts[s], ga.pts[s + 1]);
                    }
                    if (in.check_interiors) {  // each run segment lies along the other polygon
                        for (uint32_t s = a.first; s < a.last; ++s)
                            if (in_run_a[s - a.first]) hits.push_back({s, kNone, Relation::Overlap, false});
                        for (uint32_t u = b.first; u < b.last; ++u)
                            if (in_run_b[u - b.first]) hits.push_back({kNone, u, Relation::Overlap, false});
                        // the interiors on one side of a run: they overlap
                        if (((ways & kSameWay) && same_side(in.side[ia], in.side[ib], false)) ||
                            ((ways & kOppositeWays) && same_side(in.side[ia], in.side[ib], true)))
                            local.cross = true;
                    }
                }
                // b's segments that can meet a's at all (kMaxChunk at most), with their
                // boxes, computed once for the pair
                uint32_t bu[kMaxChunk];
                Box bbox[kMaxChunk];
                uint32_t nb = 0;
                for (uint32_t u = b.first; u < b.last; ++u) {
                    const Point &r = gb.pts[u], &t2 = gb.pts[u + 1];
                    if ((r.x == t2.x && r.y == t2.y) || in_run_b[u - b.first]) continue;
                    const Box ub = seg_box(r, t2, 0);
                    // a.box is padded by pad = tolerance / 2: with this pad the two are
                    // within tolerance, as sb and ub below must be
                    if (!seg_box(r, t2, pad).meets(a.box)) continue;
                    bu[nb] = u;
                    bbox[nb++] = ub;
                }
                for (uint32_t s = a.first; s < a.last && nb > 0; ++s) {
                    const Point &p = ga.pts[s], &q = ga.pts[s + 1];
                    if ((p.x == q.x && p.y == q.y) || in_run_a[s - a.first]) continue;
                    const Box sb = seg_box(p, q, tolerance);
                    if (!sb.meets(b.box)) continue;
                    for (uint32_t k = 0; k < nb; ++k) {
                        if (!sb.meets(bbox[k])) continue;
                        const uint32_t u = bu[k];
                        const Point &r = gb.pts[u], &t2 = gb.pts[u + 1];
                        poll();
                        if (tolerance == 0) {
                            const Relation rel = exact_pair(p, q, r, t2, local);
                            // collinear and overlapping: the sign of the dot product is exact
                            // (both of its terms have it)
                            if (in.check_interiors && (rel == Relation::Overlap || rel == Relation::Touch))
                                hits.push_back({s, u, rel, (q.x - p.x) * (t2.x - r.x) + (q.y - p.y) * (t2.y - r.y) < 0});
                        } else {
                            const double along = tolerant_pair(p, q, r, t2, tolerance, local);
                            if (along > 0 && in.with_sides &&
                                same_side(in.side[ia], in.side[ib],
                                          (q.x - p.x) * (t2.x - r.x) + (q.y - p.y) * (t2.y - r.y) < 0))
                                local.shared_same_side += along;
                        }
                    }
                }
                if (!local.touch) continue;
                for (int k = 0; k < ncombo; ++k) {
                    const uint32_t gx = combo[k].gx, gy = combo[k].gy;
                    Acc& g = out.acc[key(gx, gy)];
                    g.touch = true;
                    g.cross = g.cross || local.cross;
                    g.shared += local.shared;
                    g.shared_same_side += local.shared_same_side;
                    // each polygon's interior side, as a's and b's segments run
                    auto side_of = [&](uint32_t r, uint32_t x) {
                        if (!in.check_interiors) return kUnknown;
                        return x == r ? in.side[r] : in.reversed[r] ? flipped(in.side[x]) : in.side[x];
                    };
                    const uint8_t side_x = side_of(ia, combo[k].x), side_y = side_of(ib, combo[k].y);
                    for (const Hit& hit : hits) {
                        const bool overlap = hit.rel == Relation::Overlap;
                        if (hit.s != kNone)
                            out.contacts.push_back({gx, segment_of(in, ia, combo[k].x, hit.s), overlap ? kNone : gy});
                        if (hit.u != kNone)
                            out.contacts.push_back({gy, segment_of(in, ib, combo[k].y, hit.u), overlap ? kNone : gx});
                        // an overlap with the interiors on one side of it: they overlap
                        if (overlap && hit.s != kNone && hit.u != kNone && same_side(side_x, side_y, hit.opposite_ways))
                            g.cross = true;
                    }
                }
            }
        }
    }
}

}  // namespace contiguity_detail
}  // namespace smup
