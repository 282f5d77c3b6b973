// wkb.hpp: a small, strict reader of polygonal WKB (what ST_AsBinary / ST_AsEWKB write).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "errors.hpp"

namespace smup {

struct Point {
    double x, y;
};

// The rings of one Polygon or MultiPolygon, shells and holes alike, flattened: ring i is
// pts[ring_start[i], ring_start[i + 1]), closed (its last point equals its first).
// For contiguity shells and holes are the same thing: boundary; for point-in-polygon the
// even-odd rule over all rings is right for valid (multi)polygons.
// Leaves new elements uninitialised (resize then copy writes the memory once, not twice).
template <class T>
struct UninitialisedAllocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = UninitialisedAllocator<U>;
    };
    using std::allocator<T>::allocator;
    template <class U>
    void construct(U* p) noexcept {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

struct Polygonal {
    std::vector<Point, UninitialisedAllocator<Point>> pts;
    std::vector<uint32_t> ring_start;  // size = rings + 1
    size_t rings() const { return ring_start.empty() ? 0 : ring_start.size() - 1; }
};

// Parses ISO WKB or PostGIS EWKB (either byte order; Z and M ordinates are read and dropped;
// an EWKB SRID is returned in *srid when srid is non-null, else 0). Accepts Polygon and
// MultiPolygon; throws InvalidGeometry ("the geometry of "<id>" ...") for any other type, an empty geometry,
// a ring of fewer than 4 points or not closed, a non-finite coordinate or truncated bytes.
Polygonal parse_polygonal_wkb(const uint8_t* data, size_t len, const std::string& id,
                              int32_t* srid = nullptr);

}  // namespace smup
