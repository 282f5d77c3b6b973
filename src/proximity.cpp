// proximity.cpp: nearest and within_distance over an rtree of points (see proximity.hpp).
#include "proximity.hpp"

#include <algorithm>
#include <cmath>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

namespace smup {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox = bg::model::box<BPoint>;
using Value = std::pair<BPoint, uint32_t>;
using Tree = bgi::rtree<Value, bgi::rstar<16>>;

Tree build(const std::vector<Point>& pts, CancelPoll& poll) {
    if (pts.size() >= UINT32_MAX) throw InvalidArgument("too many points");
    std::vector<Value> v;
    v.reserve(pts.size());
    for (uint32_t i = 0; i < pts.size(); ++i) {
        poll();
        if (!std::isfinite(pts[i].x) || !std::isfinite(pts[i].y))
            throw InvalidGeometry("point " + std::to_string(i + 1) + " has a non-finite coordinate");
        v.push_back({BPoint(pts[i].x, pts[i].y), i});
    }
    return Tree(v.begin(), v.end());  // packing (STR) construction
}

bool by_distance(const NeighbourPair& l, const NeighbourPair& r) {
    return l.shared != r.shared ? l.shared < r.shared : l.b < r.b;
}

}  // namespace

std::vector<NeighbourPair> nearest(const std::vector<Point>& pts, int k, CancelPoll& poll) {
    if (k < 1) throw InvalidArgument("k must be at least 1, not " + std::to_string(k));
    const Tree tree = build(pts, poll);
    const size_t n = pts.size();
    const size_t want = std::min<size_t>(size_t(k), n ? n - 1 : 0);
    std::vector<NeighbourPair> out, mine;
    std::vector<Value> hits;
    for (uint32_t i = 0; i < n; ++i) {
        poll();
        // k + 1 nearest (self included); widen while a tie at the k-th distance may hide others
        size_t ask = want + 1;
        for (;;) {
            hits.clear();
            tree.query(bgi::nearest(BPoint(pts[i].x, pts[i].y), unsigned(ask)), std::back_inserter(hits));
            mine.clear();
            for (const Value& h : hits)
                if (h.second != i)
                    mine.push_back({i, h.second, std::hypot(pts[h.second].x - pts[i].x, pts[h.second].y - pts[i].y)});
            std::sort(mine.begin(), mine.end(), by_distance);
            if (hits.size() < ask || mine.size() <= want || mine[want].shared > mine[want - 1].shared) break;
            ask *= 2;
        }
        if (mine.size() > want) mine.resize(want);
        out.insert(out.end(), mine.begin(), mine.end());
    }
    return out;
}

std::vector<NeighbourPair> within_distance(const std::vector<Point>& pts, double metres, CancelPoll& poll) {
    if (!(metres >= 0) || !std::isfinite(metres))
        throw InvalidArgument("metres must be a finite number >= 0");
    const Tree tree = build(pts, poll);
    std::vector<NeighbourPair> out, mine;
    std::vector<Value> hits;
    for (uint32_t i = 0; i < pts.size(); ++i) {
        poll();
        hits.clear();
        const Point& p = pts[i];
        tree.query(bgi::intersects(BBox(BPoint(p.x - metres, p.y - metres), BPoint(p.x + metres, p.y + metres))),
                   std::back_inserter(hits));
        mine.clear();
        for (const Value& h : hits) {
            if (h.second == i) continue;
            const double d = std::hypot(pts[h.second].x - p.x, pts[h.second].y - p.y);
            if (d <= metres) mine.push_back({i, h.second, d});
        }
        std::sort(mine.begin(), mine.end(), by_distance);
        out.insert(out.end(), mine.begin(), mine.end());
    }
    return out;
}

}  // namespace smup
