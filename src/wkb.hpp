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

// Points held in a Polygonal's storage or in memory its caller keeps.
struct PointSpan {
    const Point* first = nullptr;
    size_t count = 0;
    const Point& operator[](size_t i) const { return first[i]; }
    size_t size() const { return count; }
    bool empty() const { return count == 0; }
    const Point* begin() const { return first; }
    const Point* end() const { return first + count; }
};

// The rings of one Polygon or MultiPolygon, shells and holes alike, flattened: ring i is
// pts[ring_start[i], ring_start[i + 1]), closed (its last point equals its first).
// For contiguity shells and holes are the same thing: boundary; for point-in-polygon the
// even-odd rule over all rings is right for valid (multi)polygons.
struct Polygonal {
    PointSpan pts;  // in storage, or where polygon_from_rings found them
    std::vector<uint32_t> ring_start;  // size = rings + 1
    std::vector<uint8_t> hole;         // per ring: 1 for a hole, 0 for a shell (a Polygon's first ring)
    std::vector<Point, UninitialisedAllocator<Point>> storage;

    Polygonal() = default;
    Polygonal(const Polygonal& o) : pts(o.pts), ring_start(o.ring_start), hole(o.hole), storage(o.storage) {
        if (o.owns()) pts.first = storage.data();
    }
    Polygonal& operator=(const Polygonal& o) {
        if (this != &o) *this = Polygonal(o);
        return *this;
    }
    // a moved vector keeps its buffer: pts stays right
    Polygonal(Polygonal&&) noexcept = default;
    Polygonal& operator=(Polygonal&&) noexcept = default;

    bool owns() const { return !storage.empty() && pts.first == storage.data(); }
    size_t rings() const { return ring_start.empty() ? 0 : ring_start.size() - 1; }
};

// Parses ISO WKB or PostGIS EWKB (either byte order; Z and M ordinates are read and dropped;
// an EWKB SRID is returned in *srid when srid is non-null, else 0). Accepts Polygon and
// MultiPolygon; throws InvalidGeometry ("the geometry of "<id>" ...") for any other type, an empty geometry,
// a ring of fewer than 4 points or not closed, a non-finite coordinate or truncated bytes.
Polygonal parse_polygonal_wkb(const uint8_t* data, size_t len, const std::string& id,
                              int32_t* srid = nullptr);

// A polygon from its rings in place: ring r has points[r] points, coords[r] its x, y pairs
// (8-byte aligned), holes[r] 1 for a hole (holes NULL: the first ring is the shell, the others
// holes). Where the rings lie one after another, as in PostGIS's own serialisation of a
// Polygon, the Polygonal reads them there (the caller keeps them alive), else it copies them.
// Empty rings add nothing; the same errors as parse_polygonal_wkb.
Polygonal polygon_from_rings(uint32_t nrings, const uint32_t* points, const double* const* coords,
                             const uint8_t* holes, const std::string& id);

}  // namespace smup
