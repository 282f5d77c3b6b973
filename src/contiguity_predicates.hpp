// contiguity_predicates.hpp: exact and tolerant segment predicates (orientation, segment pairs).
// Internal to the contiguity pass (contiguity.cpp), apart so that each part reads and is
// unit-tested on its own; see the glossary in contiguity.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "wkb.hpp"

namespace smup {
namespace contiguity_detail {

struct Box {
    double x0, y0, x1, y1;
    bool meets(const Box& o) const { return x0 <= o.x1 && o.x0 <= x1 && y0 <= o.y1 && o.y0 <= y1; }
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
inline int exact_orientation(const Point& a, const Point& b, const Point& c) {
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

inline Relation exact_pair(const Point& p, const Point& q, const Point& r, const Point& t, Acc& acc) {
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

inline double point_segment_distance(const Point& a, const Point& p, const Point& q) {
    const double dx = q.x - p.x, dy = q.y - p.y, l2 = dx * dx + dy * dy;
    double s = l2 > 0 ? ((a.x - p.x) * dx + (a.y - p.y) * dy) / l2 : 0.0;
    s = std::clamp(s, 0.0, 1.0);
    return std::hypot(a.x - (p.x + s * dx), a.y - (p.y + s * dy));
}

// Segment relation within a tolerance: touch when closer than tol; when both ends of the shorter
// segment lie within tol of the longer one's line, shared grows by the length of their overlap
// along the longer one. Returns that length (0 when none).
inline double tolerant_pair(const Point& p0, const Point& q0, const Point& r0, const Point& t0, double tol, Acc& acc) {
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

}  // namespace contiguity_detail
}  // namespace smup
