// contiguity.cpp: queen/rook contiguity by matching boundary segments (see contiguity.hpp).
//
// Every boundary segment of every polygon takes part. Consecutive segments of a ring are
// grouped in chunks with a bounding box, cut at vertices a hash picks, so that a stretch of
// boundary two polygons share is cut alike on both sides. Two identical chunks (twins: the
// common case in a clean layer) are found by hashing and count whole; only one of them goes on,
// standing for both polygons. The rest go into a uniform grid (counting sort, no tree); chunk
// pairs that meet are found cell by cell (each pair once: in the cell holding the lower-left
// corner of their boxes' intersection), their common run matched first where a shared stretch
// ends, and their other segments tested pairwise. With tolerance 0 the tests are exact
// (orientation signs from a filtered exact predicate), so the result is PostGIS's: a shared
// point is ST_Intersects, collinear overlap of positive length without crossing interiors is
// ST_Relate 'F***1****', T-junctions included (a vertex of one polygon on an edge of another).
// The shortcuts (twins, runs) take a valid polygon's ring to meet itself only at consecutive
// vertices.
//
// Glossary (the parts, each in its header):
//   chunk          consecutive segments of one ring, cut where is_cut picks a vertex (at most
//                  kMaxChunk), with a padded box (contiguity_chunks.hpp)
//   twin           a chunk of another polygon with the same points, in either order: one
//                  stretch of shared boundary, matched whole by hashing (find_twins)
//   representative the twin that goes on to the grid and stands for both polygons; the other
//                  only lends its polygon (Chunk::twin_geom)
//   run            the segments two chunks without twins have in common where a shared
//                  stretch ends inside a chunk (mark_common_run, contiguity_pairs.hpp)
//   owner cell     the grid cell holding the lower-left corner of two chunks' box
//                  intersection: the one cell where that chunk pair is tested (contiguity_grid.hpp)
//   slab           a horizontal band of a polygon's edges, for point location (contiguity_locate.hpp)
//   exact          orientation signs from Shewchuk's filter and expansions (contiguity_predicates.hpp)
//   graph          higher orders from the first-order pairs (contiguity_graph.cpp)

#include "contiguity.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <unordered_map>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include "contiguity_locate.hpp"
#include "contiguity_pairs.hpp"

namespace smup {

using namespace contiguity_detail;

int orientation(const Point& a, const Point& b, const Point& c) { return orient(a, b, c); }

namespace {

// What every pair of polygons that come near each other shows (see Acc), keyed by key(a, b):
// the whole contiguity pass, its rule applied by the callers. rook adds the tests of whether the
// interiors overlap (cross): exact ones without a tolerance (check_interiors), and with one the
// sides of the stretches the boundaries run along; touch and shared come out the same with or
// without them (the same loops in the same order).
std::unordered_map<uint64_t, Acc> pair_findings(const std::vector<Polygonal>& geoms, double tolerance, bool rook,
                                                CancelPoll& poll) {
    const bool check_interiors = rook && tolerance == 0;
    if (!(tolerance >= 0) || !std::isfinite(tolerance))
        throw InvalidArgument("tolerance must be a finite number >= 0");
    if (geoms.size() >= UINT32_MAX) throw InvalidArgument("too many polygons");
    const double pad = tolerance / 2;
    std::vector<size_t> seg_base(geoms.size() + 1, 0);  // where each polygon's segments (points) start
    for (size_t g = 0; g < geoms.size(); ++g) seg_base[g + 1] = seg_base[g] + geoms[g].pts.size();
    if (seg_base.back() >= kTaken) throw InvalidArgument("too many vertices");

    // 1. chunks
    ChunkSet made;
    std::vector<Box> gbox(geoms.size());
    make_chunks(geoms, pad, tolerance == 0, rook, made, gbox, poll);
    std::vector<Chunk> chunks = std::move(made.chunks);
    std::vector<uint64_t> keys = std::move(made.keys);
    const std::vector<uint8_t> side = std::move(made.side);
    const Box all = made.all;

    // For rook without tolerance: interiors that overlap without a proper crossing (a boundary
    // passing into the other polygon through a vertex) are found by locating the segments that
    // touch the other polygon at a point only.
    const size_t nseg = check_interiors ? seg_base.back() : 0;
    std::vector<uint8_t> overlapping(nseg, 0);       // segment lies along the other polygon's boundary
    std::vector<uint32_t> touch_other(nseg, kNone);  // first polygon a segment touches at a point
    std::vector<TouchEvent> events;                  // further ones
    std::unordered_map<uint64_t, Acc> acc;

    // 2. twins (exact only: with a tolerance every chunk stands alone). A twin pair is one
    //    stretch of shared boundary: its length is shared, and every segment overlaps its twin
    //    and touches only its ring neighbours, at common vertices. Only the representative goes
    //    on to the grid, and what it meets there counts for both polygons.
    std::vector<uint32_t> twin(chunks.size(), kNone);
    std::vector<uint8_t> reversed(chunks.size(), 0);
    std::vector<uint8_t> representative(chunks.size(), 1);
    size_t nrep = chunks.size();
    if (tolerance == 0) {
        Acc* last = nullptr;  // consecutive stretches of a ring mostly border the same polygon
        uint64_t last_key = 0;
        for (const TwinPair& t : find_twins(geoms, chunks, keys, poll)) {
            poll();
            Chunk &a = chunks[t.first], &b = chunks[t.second];
            twin[t.first] = t.second;
            twin[t.second] = t.first;
            reversed[t.first] = reversed[t.second] = t.reversed;
            a.twin_geom = b.geom;
            b.twin_geom = a.geom;
            representative[t.second] = 0;
            --nrep;
            const uint64_t k = key(a.geom, b.geom);
            if (!last || k != last_key) {
                last = &acc[k];
                last_key = k;
            }
            last->touch = true;
            last->shared += t.length;
            if (check_interiors) {
                // the interiors on one side of the stretch: they overlap
                if (same_side(side[t.first], side[t.second], t.reversed)) last->cross = true;
                std::fill(overlapping.begin() + seg_base[a.geom] + a.first,
                          overlapping.begin() + seg_base[a.geom] + a.last, 1);
                std::fill(overlapping.begin() + seg_base[b.geom] + b.first,
                          overlapping.begin() + seg_base[b.geom] + b.last, 1);
            }
        }
    }
    keys = {};

    // 3. the grid of representatives, and 4. its pairs
    auto touched = [&](uint32_t g, uint32_t seg, uint32_t other) {
        uint32_t& o = touch_other[seg_base[g] + seg];
        if (o == kNone)
            o = other;
        else if (o != other)
            events.push_back({g, seg, other});
    };
    if (nrep > 0) {
        const Grid grid(chunks, representative, all, gbox, poll);
        const PairInputs in{geoms, chunks, twin, reversed, side, grid, tolerance, check_interiors, rook && tolerance > 0};
        PairFindings found;
        test_pairs(in, found, poll);
        for (const auto& [k, a] : found.acc) {
            Acc& g = acc[k];
            g.touch = g.touch || a.touch;
            g.cross = g.cross || a.cross;
            g.shared += a.shared;
            g.shared_same_side += a.shared_same_side;
        }
        for (const Contact& c : found.contacts) {
            if (c.other == kNone)
                overlapping[seg_base[c.geom] + c.seg] = 1;
            else
                touched(c.geom, c.seg, c.other);
        }
    }

    // point location in a polygon, its slabs made when first needed
    std::vector<std::unique_ptr<Slabs>> slabs(geoms.size());
    auto where = [&](const Point& a, uint32_t g) {
        if (!slabs[g]) slabs[g] = std::make_unique<Slabs>(geoms[g]);
        return locate(a, geoms[g], *slabs[g]);
    };

    // 5. a ring of one polygon lying inside another polygon. Ring by ring: a MultiPolygon's parts
    //    lie anywhere (one inside a neighbour, another far away or in a notch), so neither its
    //    box nor its first point tells. A ring with a vertex strictly inside the other polygon has
    //    the interiors overlap (its polygon's interior is on both sides of it, near that vertex).
    //    Queen needs it only for pairs that do not touch; exact rook also for pairs with a shared
    //    stretch not yet known to overlap (a part along a neighbour's edge, another inside it).
    //    A ring that does not touch the other polygon is inside or outside it whole: its first
    //    vertex decides. One that touches it is crossed (found above) or decided by step 6; its
    //    vertices on the other's boundary are skipped here. Rook with a tolerance knows contact
    //    pair by pair only: a ring inside the other polygon counts when none of that polygon's
    //    chunks comes within the tolerance of the ring's box (an enclave drawn a hair inside
    //    its neighbour stays a neighbour).
    {
        std::vector<uint32_t> chunk_begin;  // each polygon's chunks (made polygon by polygon)
        if (rook && tolerance > 0) {
            chunk_begin.assign(geoms.size() + 1, 0);
            for (const Chunk& c : chunks) ++chunk_begin[c.geom + 1];
            for (size_t g = 0; g < geoms.size(); ++g) chunk_begin[g + 1] += chunk_begin[g];
        }
        auto away_from_boundary = [&](const Box& rb, uint32_t h) {
            const Box near{rb.x0 - pad, rb.y0 - pad, rb.x1 + pad, rb.y1 + pad};  // chunk boxes have pad too
            for (uint32_t c = chunk_begin[h]; c < chunk_begin[h + 1]; ++c) {
                poll();
                if (!chunks[c].box.meets(near)) continue;
                for (uint32_t s = chunks[c].first; s < chunks[c].last; ++s)
                    if (seg_box(geoms[h].pts[s], geoms[h].pts[s + 1], pad).meets(near)) return false;
            }
            return true;
        };
        namespace bg = boost::geometry;
        namespace bgi = boost::geometry::index;
        using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
        using BBox = bg::model::box<BPoint>;
        std::vector<std::pair<BBox, uint32_t>> boxes;
        boxes.reserve(geoms.size());
        for (uint32_t g = 0; g < geoms.size(); ++g)
            boxes.push_back({BBox(BPoint(gbox[g].x0, gbox[g].y0), BPoint(gbox[g].x1, gbox[g].y1)), g});
        bgi::rtree<std::pair<BBox, uint32_t>, bgi::rstar<16>> tree(boxes.begin(), boxes.end());
        std::vector<std::pair<BBox, uint32_t>> hits;
        for (uint32_t g = 0; g < geoms.size(); ++g) {
            const Polygonal& pg = geoms[g];
            for (size_t r = 0; r < pg.rings(); ++r) {
                const uint32_t b = pg.ring_start[r], e = pg.ring_start[r + 1];
                Box rb{INFINITY, INFINITY, -INFINITY, -INFINITY};
                for (uint32_t i = b; i < e; ++i)
                    rb = {std::min(rb.x0, pg.pts[i].x), std::min(rb.y0, pg.pts[i].y), std::max(rb.x1, pg.pts[i].x),
                          std::max(rb.y1, pg.pts[i].y)};
                hits.clear();
                tree.query(bgi::contains(BBox(BPoint(rb.x0, rb.y0), BPoint(rb.x1, rb.y1))), std::back_inserter(hits));
                for (const auto& h : hits) {
                    poll();
                    if (h.second == g) continue;
                    auto it = acc.find(key(g, h.second));
                    const bool touching = it != acc.end() && it->second.touch;
                    const bool rook_so_far = touching && !it->second.cross &&
                                             (check_interiors ? it->second.shared > 0
                                                              : rook && it->second.shared > tolerance);
                    if (touching && !rook_so_far) continue;
                    int at = 0;
                    for (uint32_t i = b; i < e && at == 0; ++i) at = where(pg.pts[i], h.second);
                    if (at > 0 && (!touching || tolerance == 0 || away_from_boundary(rb, h.second))) {
                        Acc& a = acc[key(g, h.second)];
                        a.touch = true;
                        a.cross = true;
                    }
                }
            }
        }
    }

    // 6. rook: a segment touching the other polygon at a point, not lying along its boundary,
    //    whose midpoint is inside it: the interiors overlap (ST_Relate's first cell is not F)
    if (check_interiors) {
        for (uint32_t g = 0; g < geoms.size(); ++g)
            for (uint32_t i = 0; i + seg_base[g] < seg_base[g + 1]; ++i)
                if (touch_other[seg_base[g] + i] != kNone && !overlapping[seg_base[g] + i])
                    events.push_back({g, i, touch_other[seg_base[g] + i]});
        events.erase(std::remove_if(events.begin(), events.end(),
                                    [&](const TouchEvent& e) { return overlapping[seg_base[e.geom] + e.seg]; }),
                     events.end());
        std::sort(events.begin(), events.end());
        events.erase(std::unique(events.begin(), events.end()), events.end());
        for (const TouchEvent& e : events) {
            poll();
            Acc& a = acc[key(e.geom, e.other)];
            if (a.cross || !(a.shared > 0)) continue;
            const Point &p = geoms[e.geom].pts[e.seg], &q = geoms[e.geom].pts[e.seg + 1];
            if (where({p.x + (q.x - p.x) / 2, p.y + (q.y - p.y) / 2}, e.other) > 0)
                a.cross = true;
        }
    }

    // 7. rook with a tolerance: boundaries running along each other mostly with both interiors
    //    on one side (a polygon and its copy, or one lying on the other) overlap. A sliver
    //    between sloppy neighbours still has their interiors on opposite sides along most of it.
    if (rook && tolerance > 0)
        for (auto& found : acc)
            if (2 * found.second.shared_same_side > found.second.shared) found.second.cross = true;

    return acc;
}

// Whether a pair's findings make it a rook pair (queen: a.touch).
inline bool is_rook(const Acc& a, double tolerance) {
    return !a.cross && (tolerance == 0 ? a.shared > 0 : a.shared > tolerance);
}

template <typename P>
void sort_pairs(std::vector<P>& v) {
    std::sort(v.begin(), v.end(), [](const P& l, const P& r) { return l.a != r.a ? l.a < r.a : l.b < r.b; });
}

}  // namespace

std::vector<NeighbourPair> contiguity(const std::vector<Polygonal>& geoms, Rule rule, double tolerance,
                                      CancelPoll& poll) {
    const auto acc = pair_findings(geoms, tolerance, rule == Rule::Rook, poll);
    std::vector<NeighbourPair> out;
    for (const auto& [k, a] : acc)
        if (rule == Rule::Rook ? is_rook(a, tolerance) : a.touch)
            out.push_back({uint32_t(k >> 32), uint32_t(k & 0xffffffffu), a.shared});
    sort_pairs(out);
    return out;
}

std::vector<QueenRookPair> queen_and_rook(const std::vector<Polygonal>& geoms, CancelPoll& poll) {
    // the rook pass: its findings decide queen too (touch), exactly as a queen pass would
    const auto acc = pair_findings(geoms, 0, true, poll);
    std::vector<QueenRookPair> out;
    for (const auto& [k, a] : acc)
        if (a.touch) out.push_back({uint32_t(k >> 32), uint32_t(k & 0xffffffffu), a.shared, is_rook(a, 0)});
    sort_pairs(out);
    return out;
}

NeighbourSets neighbour_sets(const std::vector<Polygonal>& geoms, CancelPoll& poll) {
    NeighbourSets s;
    for (const QueenRookPair& p : queen_and_rook(geoms, poll)) {
        s.queen.push_back({p.a, p.b, p.shared});
        if (p.rook) s.rook.push_back({p.a, p.b, p.shared});
    }
    s.queen2 = higher_order(geoms.size(), s.queen, 2, poll);
    s.rook2 = higher_order(geoms.size(), s.rook, 2, poll);
    return s;
}

}  // namespace smup
