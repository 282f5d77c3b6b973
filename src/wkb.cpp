// wkb.cpp: polygonal WKB reader (see wkb.hpp).
#include "wkb.hpp"

#include <cmath>
#include <cstring>

namespace smup {
namespace {

class Reader {
public:
    Reader(const uint8_t* d, size_t n, const std::string& id) : d_(d), n_(n), id_(id) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw InvalidGeometry("the geometry of " + quoted(id_) + " " + what);
    }
    void need(size_t k) const {
        if (n_ - pos_ < k) fail("truncated WKB (" + std::to_string(n_) + " bytes)");
    }
    uint8_t byte() {
        need(1);
        return d_[pos_++];
    }
    // an unsigned integer of sizeof(U) bytes in the given byte order
    template <class U>
    U word(bool le) {
        need(sizeof(U));
        U v;
        std::memcpy(&v, d_ + pos_, sizeof(U));
        pos_ += sizeof(U);
        if (!le) {
            if constexpr (sizeof(U) == 4) v = __builtin_bswap32(v);
            else v = __builtin_bswap64(v);
        }
        return v;
    }
    uint32_t u32(bool le) { return word<uint32_t>(le); }
    double f64(bool le) {
        const uint64_t v = word<uint64_t>(le);
        double x;
        std::memcpy(&x, &v, 8);
        return x;
    }
    void copy(void* to, size_t k) {
        need(k);
        std::memcpy(to, d_ + pos_, k);
        pos_ += k;
    }
    void skip(size_t k) {
        need(k);
        pos_ += k;
    }
    size_t remaining() const { return n_ - pos_; }

private:
    const uint8_t* d_;
    size_t n_;
    size_t pos_ = 0;
    const std::string& id_;
};

const char* type_name(uint32_t base) {
    switch (base) {
        case 1: return "a Point";
        case 2: return "a LineString";
        case 3: return "a Polygon";
        case 4: return "a MultiPoint";
        case 5: return "a MultiLineString";
        case 6: return "a MultiPolygon";
        case 7: return "a GeometryCollection";
        case 8: return "a CircularString";
        case 9: return "a CompoundCurve";
        case 10: return "a CurvePolygon";
        case 11: return "a MultiCurve";
        case 12: return "a MultiSurface";
        case 15: return "a PolyhedralSurface";
        case 16: return "a TIN";
        case 17: return "a Triangle";
        default: return "an unknown geometry type";
    }
}

struct Header {
    bool le;
    uint32_t base;
    int extra;  // ordinates beyond x, y
};

Header header(Reader& r, int32_t* srid) {
    const uint8_t order = r.byte();
    if (order > 1) r.fail("is not WKB (byte order marker " + std::to_string(order) + ")");
    Header h{order == 1, 0, 0};
    uint32_t type = r.u32(h.le);
    bool z = type & 0x80000000u, m = type & 0x40000000u;
    if (type & 0x20000000u) {
        const int32_t s = static_cast<int32_t>(r.u32(h.le));
        if (srid) *srid = s;
    }
    type &= 0x0FFFFFFFu;
    const uint32_t dims = type / 1000;
    if (dims > 3) r.fail("has an unknown WKB type " + std::to_string(type));
    if (dims == 1 || dims == 3) z = true;
    if (dims == 2 || dims == 3) m = true;
    h.base = type % 1000;
    h.extra = (z ? 1 : 0) + (m ? 1 : 0);
    return h;
}

// A ring of n >= 4 points: closed, every coordinate finite; else fail(what is wrong).
template <class Fail>
void check_ring(const Point* p, size_t n, Fail&& fail) {
    bool finite = true;
    for (size_t k = 0; k < n; ++k) finite &= std::isfinite(p[k].x) & std::isfinite(p[k].y);
    if (!finite) fail("has a non-finite coordinate");
    if (p[0].x != p[n - 1].x || p[0].y != p[n - 1].y) fail("has a ring that is not closed");
}

const char* const kEmpty = "is empty; a non-empty Polygon or MultiPolygon is needed";

void polygon_body(Reader& r, const Header& h, Polygonal& out) {
    const uint32_t nrings = r.u32(h.le);
    for (uint32_t i = 0; i < nrings; ++i) {
        const uint32_t npts = r.u32(h.le);
        if (npts == 0) continue;  // an empty ring adds nothing
        if (npts < 4) r.fail("has a ring of " + std::to_string(npts) + " points (at least 4 needed)");
        if (r.remaining() / (8u * (2 + h.extra)) < npts) r.fail("is truncated WKB");
        std::vector<Point, UninitialisedAllocator<Point>>& pts = out.storage;
        out.ring_start.push_back(static_cast<uint32_t>(pts.size()));
        out.hole.push_back(i > 0);
        const size_t base = pts.size();
        if (h.le && h.extra == 0 && sizeof(Point) == 16) {
            // the common case (little-endian x, y): one copy, then the checks
            pts.resize(base + npts);
            r.copy(&pts[base], size_t(npts) * 16u);
        } else {
            pts.reserve(base + npts);
            for (uint32_t k = 0; k < npts; ++k) {
                const double x = r.f64(h.le), y = r.f64(h.le);
                r.skip(8u * h.extra);
                pts.push_back({x, y});
            }
        }
        check_ring(&pts[base], npts, [&](const std::string& what) { r.fail(what); });
    }
}

}  // namespace

Polygonal parse_polygonal_wkb(const uint8_t* data, size_t len, const std::string& id, int32_t* srid) {
    if (srid) *srid = 0;
    Reader r(data, len, id);
    Polygonal out;
    out.storage.reserve(len / 16);  // an upper bound: every point takes at least 16 bytes
    const Header h = header(r, srid);
    if (h.base == 3) {
        polygon_body(r, h, out);
    } else if (h.base == 6) {
        const uint32_t nparts = r.u32(h.le);
        for (uint32_t p = 0; p < nparts; ++p) {
            const Header ph = header(r, nullptr);
            if (ph.base != 3) r.fail(std::string("is a MultiPolygon holding ") + type_name(ph.base));
            polygon_body(r, ph, out);
        }
    } else {
        r.fail(std::string("is ") + type_name(h.base) + "; a non-empty Polygon or MultiPolygon is needed");
    }
    if (out.storage.empty()) r.fail(kEmpty);
    out.ring_start.push_back(static_cast<uint32_t>(out.storage.size()));
    out.pts = {out.storage.data(), out.storage.size()};
    return out;
}

Polygonal polygon_from_rings(uint32_t nrings, const uint32_t* points, const double* const* coords,
                             const uint8_t* holes, const std::string& id) {
    auto fail = [&](const std::string& what) -> void { throw InvalidGeometry("the geometry of " + quoted(id) + " " + what); };
    // x, y pairs read as Points: the same 16 bytes (the core is built with -fno-strict-aliasing)
    auto ring = [&](uint32_t r) { return reinterpret_cast<const Point*>(coords[r]); };
    Polygonal out;
    size_t total = 0;
    bool in_a_row = true;  // each ring right after the one before
    const Point* next = nullptr;
    for (uint32_t r = 0; r < nrings; ++r) {
        if (points[r] == 0) continue;
        if (points[r] < 4) fail("has a ring of " + std::to_string(points[r]) + " points (at least 4 needed)");
        check_ring(ring(r), points[r], fail);
        in_a_row = in_a_row && (next == nullptr || ring(r) == next);
        next = ring(r) + points[r];
        out.ring_start.push_back(static_cast<uint32_t>(total));
        out.hole.push_back(holes ? holes[r] != 0 : r > 0);
        total += points[r];
    }
    if (total == 0) fail(kEmpty);
    out.ring_start.push_back(static_cast<uint32_t>(total));
    if (in_a_row) {
        for (uint32_t r = 0; r < nrings; ++r)
            if (points[r] > 0) {
                out.pts = {ring(r), total};
                return out;
            }
    }
    out.storage.reserve(total);
    for (uint32_t r = 0; r < nrings; ++r) out.storage.insert(out.storage.end(), ring(r), ring(r) + points[r]);
    out.pts = {out.storage.data(), out.storage.size()};
    return out;
}

}  // namespace smup
