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
#include "contiguity.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <unordered_map>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

namespace smup {
namespace {

// Chunks end at vertices chosen by a hash of their coordinates (about one in 2^kCutBits), not
// at fixed counts: two polygons cut a stretch of boundary they share at the same vertices, so
// its chunks come out identical on both sides and are matched whole (see find_twins). A
// chunk never exceeds kMaxChunk segments.
constexpr uint32_t kCutBits = 3;  // one vertex in 2^3
constexpr uint32_t kMaxChunk = 32;

struct Box {
    double x0, y0, x1, y1;
    bool meets(const Box& o) const { return x0 <= o.x1 && o.x0 <= x1 && y0 <= o.y1 && o.y0 <= y1; }
};

constexpr uint32_t kNone = UINT32_MAX;

struct Chunk {
    uint32_t geom;
    uint32_t first, last;        // segments pts[i] -> pts[i + 1] for i in [first, last)
    uint32_t twin_geom;  // the polygon of its twin (see find_twins), else kNone
    Box box;
};

struct Acc {
    bool touch = false;   // the boundaries share a point (or come within tolerance)
    bool cross = false;   // the interiors overlap (proper crossing or containment)
    double shared = 0.0;  // length of the common boundary
    // with a tolerance (rook): the part of shared along which both interiors lie on one side
    double shared_same_side = 0.0;
};

// Shewchuk's error-free transformations (Dekker's split for the product; the core is built
// without FMA contraction, x86-64 baseline).
inline void two_sum(double a, double b, double& x, double& y) {
    x = a + b;
    const double bv = x - a, av = x - bv;
    y = (a - av) + (b - bv);
}
inline void two_diff(double a, double b, double& x, double& y) {
    x = a - b;
    const double bv = a - x, av = x + bv;
    y = (a - av) + (bv - b);
}
inline void split(double a, double& hi, double& lo) {
    const double c = 134217729.0 * a;  // 2^27 + 1
    const double big = c - a;
    hi = c - big;
    lo = a - hi;
}
inline void two_prod(double a, double b, double& x, double& y) {
    x = a * b;
    double ahi, alo, bhi, blo;
    split(a, ahi, alo);
    split(b, bhi, blo);
    y = alo * blo - (((x - ahi * bhi) - alo * bhi) - ahi * blo);
}

// Exact sign of (ax - cx)(by - cy) - (ay - cy)(bx - cx): every difference and product split
// into exact two-term sums, the 16 terms summed into a non-overlapping expansion whose most
// significant non-zero term has the sign of the whole.
int exact_orientation(const Point& a, const Point& b, const Point& c) {
    double d[4][2];
    two_diff(a.x, c.x, d[0][0], d[0][1]);
    two_diff(b.y, c.y, d[1][0], d[1][1]);
    two_diff(a.y, c.y, d[2][0], d[2][1]);
    two_diff(b.x, c.x, d[3][0], d[3][1]);
    double e[17];
    int n = 0;
    auto grow = [&](double q) {
        if (q == 0) return;  // zero elimination keeps the expansion short
        for (int i = 0; i < n; ++i) two_sum(q, e[i], q, e[i]);
        e[n++] = q;
    };
    // The differences of nearby coordinates are usually exact (tails 0): then only 4 terms.
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) {
            double x, y;
            if (d[0][i] != 0 && d[1][j] != 0) {
                two_prod(d[0][i], d[1][j], x, y);
                grow(y);
                grow(x);
            }
            if (d[2][i] != 0 && d[3][j] != 0) {
                two_prod(d[2][i], d[3][j], x, y);
                grow(-y);
                grow(-x);
            }
        }
    for (int i = n - 1; i >= 0; --i)
        if (e[i] != 0) return e[i] > 0 ? 1 : -1;
    return 0;
}

inline double dist(const Point& a, const Point& b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    return std::sqrt(dx * dx + dy * dy);
}

inline Box seg_box(const Point& p, const Point& q, double pad) {
    return {std::min(p.x, q.x) - pad, std::min(p.y, q.y) - pad, std::max(p.x, q.x) + pad,
            std::max(p.y, q.y) + pad};
}

// Filtered exact orientation, inlined into the loops.
inline int orient(const Point& a, const Point& b, const Point& c) {
    const double detleft = (a.x - c.x) * (b.y - c.y);
    const double detright = (a.y - c.y) * (b.x - c.x);
    const double det = detleft - detright;
    // Shewchuk's ccwerrboundA: beyond it the sign of the rounded determinant is right.
    constexpr double eps = 1.1102230246251565e-16;  // 2^-53
    constexpr double bound = (3.0 + 16.0 * eps) * eps;
    const double errbound = bound * (std::fabs(detleft) + std::fabs(detright));
    if (det > errbound) return 1;
    if (-det > errbound) return -1;
    if (detleft == 0.0 && detright == 0.0) return 0;
    return exact_orientation(a, b, c);
}

enum class Relation { None, Overlap, Touch, Cross };

// Exact segment relation: adds to acc. s = (p, q), u = (r, t), both of positive length.
// Overlap: collinear with a common stretch; Cross: a proper crossing; Touch: any other contact.
inline bool same(const Point& a, const Point& b) { return a.x == b.x && a.y == b.y; }

// Two segments from one point P: collinear and the same way is an overlap, else a touch at P.
inline Relation from_common_point(const Point& P, const Point& q, const Point& t, Acc& acc) {
    acc.touch = true;
    // The dot product first: when the two segments go the same way along one line it is a sum
    // of two non-negative products, positive however rounded; so dot <= 0 is a touch for sure,
    // and the (often collinear, thus exact and slow) orientation is only needed otherwise.
    if ((q.x - P.x) * (t.x - P.x) + (q.y - P.y) * (t.y - P.y) <= 0 || orient(P, q, t) != 0) return Relation::Touch;
    acc.shared += std::min(dist(P, q), dist(P, t));
    return Relation::Overlap;
}

Relation exact_pair(const Point& p, const Point& q, const Point& r, const Point& t, Acc& acc) {
    // fast paths: the same segment (shared edge), or a common endpoint
    if ((same(p, r) && same(q, t)) || (same(p, t) && same(q, r))) {
        acc.touch = true;
        acc.shared += dist(p, q);
        return Relation::Overlap;
    }
    if (same(p, r)) return from_common_point(p, q, t, acc);
    if (same(p, t)) return from_common_point(p, q, r, acc);
    if (same(q, r)) return from_common_point(q, p, t, acc);
    if (same(q, t)) return from_common_point(q, p, r, acc);
    const int o1 = orient(p, q, r), o2 = orient(p, q, t);
    if (o1 * o2 > 0) return Relation::None;
    if (o1 == 0 && o2 == 0) {  // all four collinear: compare along one axis
        const bool by_x = p.x != q.x;
        auto c = [by_x](const Point& a) { return by_x ? a.x : a.y; };
        const Point *smin = &p, *smax = &q, *umin = &r, *umax = &t;
        if (c(*smin) > c(*smax)) std::swap(smin, smax);
        if (c(*umin) > c(*umax)) std::swap(umin, umax);
        const Point* lo = c(*smin) >= c(*umin) ? smin : umin;
        const Point* hi = c(*smax) <= c(*umax) ? smax : umax;
        if (c(*lo) > c(*hi)) return Relation::None;
        acc.touch = true;
        if (c(*lo) == c(*hi)) return Relation::Touch;
        acc.shared += dist(*lo, *hi);
        return Relation::Overlap;
    }
    const int o3 = orient(r, t, p), o4 = orient(r, t, q);
    if (o3 * o4 > 0) return Relation::None;
    acc.touch = true;
    if (o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0) {
        acc.cross = true;
        return Relation::Cross;
    }
    return Relation::Touch;
}

double point_segment_distance(const Point& a, const Point& p, const Point& q) {
    const double dx = q.x - p.x, dy = q.y - p.y, l2 = dx * dx + dy * dy;
    double s = l2 > 0 ? ((a.x - p.x) * dx + (a.y - p.y) * dy) / l2 : 0.0;
    s = std::clamp(s, 0.0, 1.0);
    return std::hypot(a.x - (p.x + s * dx), a.y - (p.y + s * dy));
}

// Segment relation within a tolerance: touch when closer than tol; when both ends of the shorter
// segment lie within tol of the longer one's line, shared grows by the length of their overlap
// along the longer one. Returns that length (0 when none).
double tolerant_pair(const Point& p0, const Point& q0, const Point& r0, const Point& t0, double tol, Acc& acc) {
    const int o1 = orient(p0, q0, r0), o2 = orient(p0, q0, t0);
    const int o3 = orient(r0, t0, p0), o4 = orient(r0, t0, q0);
    const bool meet = o1 * o2 <= 0 && o3 * o4 <= 0 && !(o1 == 0 && o2 == 0 && o3 == 0 && o4 == 0);
    double d = meet ? 0.0
                    : std::min(std::min(point_segment_distance(p0, r0, t0), point_segment_distance(q0, r0, t0)),
                               std::min(point_segment_distance(r0, p0, q0), point_segment_distance(t0, p0, q0)));
    if (d > tol) return 0;
    acc.touch = true;
    // L = (p, q) the longer, S = (a, b) the shorter
    const bool s_longer = dist(p0, q0) >= dist(r0, t0);
    const Point &p = s_longer ? p0 : r0, &q = s_longer ? q0 : t0;
    const Point &a = s_longer ? r0 : p0, &b = s_longer ? t0 : q0;
    const double len = dist(p, q);
    if (len <= 0) return 0;
    const double dx = (q.x - p.x) / len, dy = (q.y - p.y) / len;
    double ta = (a.x - p.x) * dx + (a.y - p.y) * dy, ha = dx * (a.y - p.y) - dy * (a.x - p.x);
    double tb = (b.x - p.x) * dx + (b.y - p.y) * dy, hb = dx * (b.y - p.y) - dy * (b.x - p.x);
    if (ta > tb) {
        std::swap(ta, tb);
        std::swap(ha, hb);
    }
    // only a stretch of S that lies along L counts: both ends of S within tol of L's line (two
    // boundaries that merely converge at a point are not a shared border)
    if (!(tb > ta) || std::fabs(ha) > tol || std::fabs(hb) > tol) return 0;
    const double lo = std::max(ta, 0.0), hi = std::min(tb, len);
    if (!(hi > lo)) return 0;
    acc.shared += hi - lo;
    return hi - lo;
}

// The edges of a polygon bucketed by horizontal slabs, for point location in O(edges per slab).
struct Slabs {
    double y0 = 0, h = 1;
    uint32_t k = 1;
    std::vector<uint32_t> start;  // k + 1
    std::vector<uint32_t> edge;   // edge i = pts[i] -> pts[i + 1]
    explicit Slabs(const Polygonal& g) {
        double y1 = -INFINITY;
        y0 = INFINITY;
        for (const Point& p : g.pts) y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
        auto each = [&](auto&& f) {
            for (size_t r = 0; r < g.rings(); ++r)
                for (uint32_t i = g.ring_start[r]; i + 1 < g.ring_start[r + 1]; ++i) {
                    const double lo = std::min(g.pts[i].y, g.pts[i + 1].y), hi = std::max(g.pts[i].y, g.pts[i + 1].y);
                    f(slab(lo), slab(hi), i);
                }
        };
        // about 8 edges a slab; fewer slabs while edges cross more than 4 on average (long
        // edges, as in a comb, would fill every slab)
        for (k = std::max<uint32_t>(1, uint32_t(g.pts.size() / 8));; k = std::max<uint32_t>(1, k / 4)) {
            h = (y1 - y0) / k;
            if (!(h > 0)) k = 1, h = 1;
            double crossed = 0;
            each([&](uint32_t lo, uint32_t hi, uint32_t) { crossed += double(hi - lo) + 1; });
            if (k == 1 || crossed <= 4.0 * double(g.pts.size()) + 64) break;
        }
        start.assign(k + 1, 0);
        each([&](uint32_t lo, uint32_t hi, uint32_t) {
            for (uint32_t s = lo; s <= hi; ++s) ++start[s + 1];
        });
        for (uint32_t s = 0; s < k; ++s) start[s + 1] += start[s];
        edge.resize(start[k]);
        std::vector<uint32_t> fill(start.begin(), start.end() - 1);
        each([&](uint32_t lo, uint32_t hi, uint32_t i) {
            for (uint32_t s = lo; s <= hi; ++s) edge[fill[s]++] = i;
        });
    }
    uint32_t slab(double y) const {
        const double f = (y - y0) / h;
        return f <= 0 ? 0 : std::min<uint32_t>(k - 1, uint32_t(f));
    }
};

// Where a is relative to g, exactly: 1 inside, 0 on the boundary, -1 outside. Every edge that
// crosses the horizontal through a, or holds a, is in a's slab.
int locate(const Point& a, const Polygonal& g, const Slabs& sl) {
    if (a.y < sl.y0 || a.y > sl.y0 + sl.h * sl.k) return -1;
    bool in = false;
    const uint32_t s = sl.slab(a.y);
    for (uint32_t e = sl.start[s]; e < sl.start[s + 1]; ++e) {
        const uint32_t i = sl.edge[e];
        const Point &p = g.pts[i], &q = g.pts[i + 1];
        if (std::min(p.y, q.y) <= a.y && a.y <= std::max(p.y, q.y) && std::min(p.x, q.x) <= a.x &&
            a.x <= std::max(p.x, q.x) && orient(p, q, a) == 0)
            return 0;
        if ((q.y > a.y) != (p.y > a.y)) {
            const int o = orient(p, q, a);
            if (q.y > p.y ? o > 0 : o < 0) in = !in;
        }
    }
    return in ? 1 : -1;
}

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
int mark_common_run(const Polygonal& ga, const Chunk& a, const Polygonal& gb, const Chunk& b, bool* run_a,
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

// Which side of a ring the polygon's interior lies on, as the ring runs: kLeft, kRight, or
// kUnknown for a ring without area. Exact: the turn at the ring's lowest (then leftmost) vertex,
// which is convex, gives the ring's orientation; a hole's interior is the polygon's exterior.
constexpr uint8_t kRight = 0, kLeft = 1, kUnknown = 2;
uint8_t interior_side(const Polygonal& g, size_t r) {
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
int chain_match(const Point* p, const Point* q, uint32_t n) {
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
uint64_t chunk_key(const Point& first, const Point& last, uint32_t segments) {
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
std::vector<TwinPair> find_twins(const std::vector<Polygonal>& geoms, const std::vector<Chunk>& chunks,
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
void make_chunks(const std::vector<Polygonal>& geoms, double pad, bool with_keys, bool with_sides, ChunkSet& out,
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

// A uniform grid of chunks, each cell's chunks copied in a row (the pairs of a cell read
// contiguous memory). Cells are as large as a few chunks, wherever the chunks lie: a layer's box
// says little of that when its parts lie far apart (an island, a territory overseas), and cells
// sized by it would gather thousands of chunks, tested pairwise. The cells are numbered row by
// row when that takes no more numbers than there are chunks, several times over; else (parts far
// apart) they are hashed into buckets: a bucket holds several cells' chunks, each chunk once.
struct Grid {
    struct Entry {
        Chunk chunk;
        uint32_t id;
    };
    Box all;
    double inv = 1;     // 1 / cell size: the same cell function for filling and for the owner test
    uint32_t nx = 0;    // cells in a row when numbered row by row; 0 when hashed
    uint32_t mask = 0;  // when hashed: buckets - 1
    std::vector<uint32_t> start;  // entries of bucket k: [start[k], start[k + 1])
    std::vector<Entry, UninitialisedAllocator<Entry>> entries;  // each written once, by the fill
    static constexpr double kMaxCell = 1 << 30;  // beyond it (absurd spreads) cells merge: still right
    uint32_t cx(double x) const { return uint32_t(std::min(kMaxCell, std::max(0.0, (x - all.x0) * inv))); }
    uint32_t cy(double y) const { return uint32_t(std::min(kMaxCell, std::max(0.0, (y - all.y0) * inv))); }
    uint32_t bucket(uint32_t x, uint32_t y) const {
        return nx ? y * nx + x : uint32_t(mix((uint64_t(y) << 32) | x)) & mask;
    }
    size_t buckets() const { return start.size() - 1; }

    Grid(const std::vector<Chunk>& chunks, const std::vector<uint8_t>& in, const Box& around,
         const std::vector<Box>& polygon_boxes, CancelPoll& poll)
        : all(around) {
        // the chunks in the grid (without a branch: which are in follows no pattern)
        std::vector<uint32_t> member(chunks.size());
        size_t m = 0;
        for (uint32_t ci = 0; ci < chunks.size(); ++ci) {
            member[m] = ci;
            m += in[ci] != 0;
        }
        // cell size: about one chunk a cell over the polygons' boxes (where the chunks are, not
        // the layer's box, which far-apart parts blow up)
        double area = 0;
        for (const Box& g : polygon_boxes) area += (g.x1 - g.x0) * (g.y1 - g.y0);
        const double span = std::max(all.x1 - all.x0, all.y1 - all.y0);
        double cs = std::sqrt(area / double(std::max<size_t>(m, 1)));
        if (!(cs > span * 1e-9)) cs = std::max(span * 1e-6, 1e-9);  // polygons of no area
        // the cells each chunk covers; coarser cells while chunks cover more than 4 on average
        // (a few chunks far larger than most)
        struct Cells {
            uint32_t x0, x1, y0, y1;
        };
        std::vector<Cells> cells(m);
        for (;;) {
            inv = 1.0 / cs;
            double covered = 0;
            for (size_t k = 0; k < m; ++k) {
                poll();
                const Box& b = chunks[member[k]].box;
                const Cells c{cx(b.x0), cx(b.x1), cy(b.y0), cy(b.y1)};
                cells[k] = c;
                covered += (double(c.x1 - c.x0) + 1) * (double(c.y1 - c.y0) + 1);
            }
            if (covered <= 4.0 * double(m) + 64) break;
            cs *= 2;
        }
        const double row = double(cx(all.x1)) + 1, rows = double(cy(all.y1)) + 1;
        if (row * rows <= 4.0 * double(m) + 1024) {
            nx = uint32_t(row);
            start.assign(size_t(row * rows) + 1, 0);
        } else {
            size_t n = 16;
            while (n < 2 * m) n <<= 1;
            mask = uint32_t(n - 1);
            start.assign(n + 1, 0);
        }
        // counted, then filled (each chunk once in a bucket)
        std::vector<uint32_t> own;
        auto buckets_of = [&](const Cells& c) {
            own.clear();
            for (uint32_t y = c.y0; y <= c.y1; ++y)
                for (uint32_t x = c.x0; x <= c.x1; ++x) own.push_back(bucket(x, y));
            if (nx == 0 && own.size() > 1) {
                std::sort(own.begin(), own.end());
                own.erase(std::unique(own.begin(), own.end()), own.end());
            }
        };
        for (size_t k = 0; k < m; ++k) {
            poll();
            buckets_of(cells[k]);
            for (const uint32_t b : own) ++start[b + 1];
        }
        for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
        entries.resize(start.back());
        std::vector<uint32_t> fill(start.begin(), start.end() - 1);
        for (size_t k = 0; k < m; ++k) {
            poll();
            buckets_of(cells[k]);
            const uint32_t ci = member[k];
            for (const uint32_t b : own) entries[fill[b]++] = {chunks[ci], ci};
        }
    }
};

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
void test_pairs(const PairInputs& in, PairFindings& out, CancelPoll& poll) {
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

}  // namespace

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
    //    vertices on the other's boundary are skipped here.
    {
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
                    if (it != acc.end() && it->second.touch &&
                        !(check_interiors && it->second.shared > 0 && !it->second.cross))
                        continue;
                    int at = 0;
                    for (uint32_t i = b; i < e && at == 0; ++i) at = where(pg.pts[i], h.second);
                    if (at > 0) {
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

std::vector<NeighbourPair> higher_order(size_t n, const std::vector<NeighbourPair>& first, int order,
                                        CancelPoll& poll) {
    if (order < 1) throw InvalidArgument("order must be at least 1");
    if (order == 1) return first;
    std::vector<uint32_t> deg_start(n + 1, 0);
    for (const auto& p : first) {
        if (p.a >= n || p.b >= n) throw InvalidArgument("pair index out of range");
        ++deg_start[p.a + 1];
        ++deg_start[p.b + 1];
    }
    for (size_t i = 1; i <= n; ++i) deg_start[i] += deg_start[i - 1];
    std::vector<uint32_t> adj(deg_start[n]);
    {
        std::vector<uint32_t> fill(deg_start.begin(), deg_start.end() - 1);
        for (const auto& p : first) {
            adj[fill[p.a]++] = p.b;
            adj[fill[p.b]++] = p.a;
        }
    }
    std::vector<int> depth(n, -1);
    std::vector<uint32_t> frontier, next, seen;
    std::vector<NeighbourPair> out;
    for (uint32_t s = 0; s < n; ++s) {
        frontier.assign(1, s);
        depth[s] = 0;
        seen.assign(1, s);
        for (int d = 1; d <= order && !frontier.empty(); ++d) {
            next.clear();
            for (uint32_t v : frontier)
                for (uint32_t k = deg_start[v]; k < deg_start[v + 1]; ++k) {
                    poll();
                    const uint32_t w = adj[k];
                    if (depth[w] >= 0) continue;
                    depth[w] = d;
                    seen.push_back(w);
                    next.push_back(w);
                }
            frontier.swap(next);
        }
        for (uint32_t v : frontier)
            if (s < v) out.push_back({s, v, NAN});
        for (uint32_t v : seen) depth[v] = -1;
    }
    std::sort(out.begin(), out.end(),
              [](const NeighbourPair& l, const NeighbourPair& r) { return l.a != r.a ? l.a < r.a : l.b < r.b; });
    return out;
}

}  // namespace smup
