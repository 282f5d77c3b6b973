// contiguity_chunks.hpp: rings cut into chunks, their interior sides, and twins (identical chunks of two polygons).
// Internal to the contiguity pass (contiguity.cpp), apart so that each part reads and is
// unit-tested on its own; see the glossary in contiguity.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "contiguity_predicates.hpp"
#include "errors.hpp"

namespace smup {
namespace contiguity_detail {

// Chunks end at vertices chosen by a hash of their coordinates (about one in 2^kCutBits), not
// at fixed counts: two polygons cut a stretch of boundary they share at the same vertices, so
// its chunks come out identical on both sides and are matched whole (see find_twins). A
// chunk never exceeds kMaxChunk segments.
constexpr uint32_t kCutBits = 3;  // one vertex in 2^3
constexpr uint32_t kMaxChunk = 32;

constexpr uint32_t kNone = UINT32_MAX;

struct Chunk {
    uint32_t geom;
    uint32_t first, last;        // segments pts[i] -> pts[i + 1] for i in [first, last)
    uint32_t twin_geom;  // the polygon of its twin (see find_twins), else kNone
    Box box;
};

// Which side of a ring the polygon's interior lies on, as the ring runs: kLeft, kRight, or
// kUnknown for a ring without area. Exact: the turn at the ring's lowest (then leftmost) vertex,
// which is convex, gives the ring's orientation; a hole's interior is the polygon's exterior.
constexpr uint8_t kRight = 0, kLeft = 1, kUnknown = 2;
inline uint8_t interior_side(const Polygonal& g, size_t r) {
    const uint32_t b = g.ring_start[r], e = g.ring_start[r + 1] - 1;  // points [b, e); e closes the ring
    uint32_t m = b;
    for (uint32_t k = b + 1; k < e; ++k)
        if (g.pts[k].y < g.pts[m].y || (g.pts[k].y == g.pts[m].y && g.pts[k].x < g.pts[m].x)) m = k;
    uint32_t prev = m, next = m;
    do prev = prev == b ? e - 1 : prev - 1;
    while (prev != m && same(g.pts[prev], g.pts[m]));
    do next = next + 1 == e ? b : next + 1;
    while (next != m && same(g.pts[next], g.pts[m]));
    const int turn = orient(g.pts[prev], g.pts[m], g.pts[next]);
    if (turn == 0) return kUnknown;
    const bool hole = r < g.hole.size() && g.hole[r];
    return (turn > 0) != hole ? kLeft : kRight;
}

// Two boundaries along one stretch, their interiors on sides side_a and side_b as each runs:
// on the same side of it (the interiors overlap) when they run the same way with the same side,
// or opposite ways with opposite sides.
inline bool same_side(uint8_t side_a, uint8_t side_b, bool opposite_ways) {
    return side_a != kUnknown && side_b != kUnknown && (side_a == side_b) != opposite_ways;
}
inline uint8_t flipped(uint8_t side) { return side == kUnknown ? kUnknown : 1 - side; }

inline uint64_t bits(double v) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return b;
}

// MurmurHash3's finaliser.
inline uint64_t mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 33);
}

// Multiplicative hashing: the top bits of the product depend on every bit of the coordinates.
inline bool is_cut(const Point& p) {
    return ((bits(p.x) + bits(p.y) * 0x9E3779B97F4A7C15ull) * 0xC2B2AE3D27D4EB4Full) >> (64 - kCutBits) == 0;
}

// The same chain of n segments (points p[0..n], q[0..n]) in reverse order (-1), in the same
// order (+1), or not (0): the two chunks are one stretch of boundary.
inline int chain_match(const Point* p, const Point* q, uint32_t n) {
    if (same(p[0], q[n]) && same(p[n], q[0])) {
        uint32_t k = 1;
        while (k < n && same(p[k], q[n - k])) ++k;
        if (k >= n) return -1;
    }
    if (same(p[0], q[0]) && same(p[n], q[n])) {
        uint32_t k = 1;
        while (k < n && same(p[k], q[k])) ++k;
        if (k >= n) return 1;
    }
    return 0;
}

// What twins share: the two end points (either order) and the number of segments, hashed.
inline uint64_t chunk_key(const Point& first, const Point& last, uint32_t segments) {
    Point lo = first, hi = last;
    if (hi.x < lo.x || (hi.x == lo.x && hi.y < lo.y)) std::swap(lo, hi);
    // odd multipliers spread each coordinate's bits; one finaliser mixes the sum
    return mix(bits(lo.x) * 0x9E3779B97F4A7C15ull + bits(lo.y) * 0xC2B2AE3D27D4EB4Full +
               bits(hi.x) * 0x165667B19E3779F9ull + bits(hi.y) * 0xD6E8FEB86659FD93ull + segments);
}

// A chunk and its twin: an identical chunk of another polygon (see find_twins).
struct TwinPair {
    uint32_t first, second;  // chunks, first < second: first is the representative
    bool reversed;           // their points run in opposite orders (as two neighbours' rings do)
    double length;           // of the stretch
};

constexpr uint32_t kTaken = 0x80000000u;  // on a table slot's chunk: already has its twin

// Asks for the points of a chunk (as many as an average chunk has) before they are needed: a
// layer's points are far larger than the caches, and chunks are visited out of their order.
// Always inlined: GCC takes a function of prefetches alone for one without effect and drops calls.
[[gnu::always_inline]] inline void prefetch_points(const std::vector<Polygonal>& geoms, const Chunk& c) {
    const Point* p = geoms[c.geom].pts.first + c.first;
    __builtin_prefetch(p);
    __builtin_prefetch(p + 4);
    __builtin_prefetch(p + 8);
}

// The twins among the chunks: an open-addressing table of their keys, each candidate then
// checked point by point. Memory latency is the cost (the table and the points are far larger
// than the caches): slots and points are fetched ahead, and a slot holds what a check needs.
inline std::vector<TwinPair> find_twins(const std::vector<Polygonal>& geoms, const std::vector<Chunk>& chunks,
                                 const std::vector<uint64_t>& keys, CancelPoll& poll) {
    size_t cap = 16;
    while (cap < chunks.size() + chunks.size() / 2) cap <<= 1;  // at most two thirds full
    struct Slot {
        uint32_t tag;    // the key's upper bits and the chunk's segments (kMaxChunk < 64)
        uint32_t chunk;  // kNone: empty
        uint32_t geom, first;
    };
    static_assert(kMaxChunk < 64, "segments take 6 bits of a tag");
    std::vector<Slot> table(cap, Slot{0, kNone, 0, 0});
    std::vector<TwinPair> found;
    constexpr uint32_t kAhead = 32;
    const uint32_t n = uint32_t(chunks.size());
    for (uint32_t c = 0; c < n; ++c) {
        if (c + kAhead < n) __builtin_prefetch(&table[keys[c + kAhead] & (cap - 1)]);
        if (c + kAhead / 2 < n) prefetch_points(geoms, chunks[c + kAhead / 2]);
        poll();
        const Chunk& cc = chunks[c];
        const uint32_t segments = cc.last - cc.first;
        const uint32_t tag = (uint32_t(keys[c] >> 32) & ~63u) | segments;
        for (size_t slot = keys[c] & (cap - 1);; slot = (slot + 1) & (cap - 1)) {
            Slot& e = table[slot];
            if (e.chunk == kNone) {
                e = {tag, c, cc.geom, cc.first};
                break;
            }
            if (e.tag != tag || (e.chunk & kTaken) || e.geom == cc.geom) continue;
            const Point* points = &geoms[cc.geom].pts[cc.first];
            const int dir = chain_match(&geoms[e.geom].pts[e.first], points, segments);
            if (dir == 0) continue;
            double length = 0;
            for (uint32_t k = 0; k < segments; ++k) length += dist(points[k], points[k + 1]);
            found.push_back({e.chunk, c, dir < 0, length});
            e.chunk |= kTaken;
            break;
        }
    }
    return found;
}

inline uint64_t key(uint32_t a, uint32_t b) {
    if (a > b) std::swap(a, b);
    return (uint64_t(a) << 32) | b;
}

// The chunks of a layer, with their keys for find_twins (computed while the points are at hand)
// and the box around them all.
struct ChunkSet {
    std::vector<Chunk> chunks;
    std::vector<uint64_t> keys;
    std::vector<uint8_t> side;  // interior_side of each chunk's ring, when asked for
    Box all{INFINITY, INFINITY, -INFINITY, -INFINITY};
};

// Chunks: consecutive segments of a ring up to a cut (is_cut, at most kMaxChunk), boxes padded
// by pad; each polygon's own box into gbox.
inline void make_chunks(const std::vector<Polygonal>& geoms, double pad, bool with_keys, bool with_sides, ChunkSet& out,
                 std::vector<Box>& gbox, CancelPoll& poll) {
    // reserved, not grown: regrowing touches twice the memory, and fresh memory costs page faults
    size_t estimate = 0;
    for (const Polygonal& g : geoms) estimate += g.pts.size() / 7 + g.rings();
    out.chunks.reserve(estimate);
    if (with_keys) out.keys.reserve(estimate);
    if (with_sides) out.side.reserve(estimate);
    Box all{INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (uint32_t g = 0; g < geoms.size(); ++g) {
        const Polygonal& pg = geoms[g];
        Box gb{INFINITY, INFINITY, -INFINITY, -INFINITY};
        for (size_t r = 0; r < pg.rings(); ++r) {
            const uint32_t end = pg.ring_start[r + 1] - 1;  // last segment starts at end - 1
            const uint8_t side = with_sides ? interior_side(pg, r) : kUnknown;
            for (uint32_t i = pg.ring_start[r], last; i < end; i = last) {
                poll();
                // up to the next cut, the box growing on the way
                Box b{pg.pts[i].x, pg.pts[i].y, pg.pts[i].x, pg.pts[i].y};
                last = i;
                do {
                    const Point& p = pg.pts[++last];
                    b.x0 = std::min(b.x0, p.x);
                    b.y0 = std::min(b.y0, p.y);
                    b.x1 = std::max(b.x1, p.x);
                    b.y1 = std::max(b.y1, p.y);
                } while (last < end && last - i < kMaxChunk && !is_cut(pg.pts[last]));
                gb = {std::min(gb.x0, b.x0), std::min(gb.y0, b.y0), std::max(gb.x1, b.x1), std::max(gb.y1, b.y1)};
                b = {b.x0 - pad, b.y0 - pad, b.x1 + pad, b.y1 + pad};
                all = {std::min(all.x0, b.x0), std::min(all.y0, b.y0), std::max(all.x1, b.x1), std::max(all.y1, b.y1)};
                out.chunks.push_back({g, i, last, kNone, b});
                if (with_keys) out.keys.push_back(chunk_key(pg.pts[i], pg.pts[last], last - i));
                if (with_sides) out.side.push_back(side);
            }
        }
        gbox[g] = gb;
    }
    out.all = all;
}

}  // namespace contiguity_detail
}  // namespace smup
