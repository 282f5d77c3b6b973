// contiguity_locate.hpp: exact point location in a polygon (slabs of edges).
// Internal to the contiguity pass (contiguity.cpp), apart so that each part reads and is
// unit-tested on its own; see the glossary in contiguity.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "contiguity_predicates.hpp"

namespace smup {
namespace contiguity_detail {

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
inline int locate(const Point& a, const Polygonal& g, const Slabs& sl) {
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

}  // namespace contiguity_detail
}  // namespace smup
