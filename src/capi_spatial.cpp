// capi_spatial.cpp: extern "C" wrappers of contiguity and proximity; results in malloc'd arrays.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "capi_guard.hpp"

using smup::alloc_array;
#include "contiguity.hpp"
#include "proximity.hpp"
#include "wkb.hpp"

namespace {

// The ids, checked (no NULL, no duplicate), as each one's rank in id order.
std::vector<uint32_t> read_ids(size_t n, const char* const* ids) {
    std::vector<std::string> names;
    names.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        if (!ids[i]) throw smup::InvalidArgument("id " + std::to_string(i + 1) + " is NULL");
        names.emplace_back(ids[i]);
    }
    std::vector<uint32_t> order(n);
    for (uint32_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](uint32_t l, uint32_t r) { return names[l] < names[r]; });
    std::vector<uint32_t> rank(n);
    for (size_t i = 0; i < n; ++i) {
        if (i > 0 && names[order[i]] == names[order[i - 1]])
            throw smup::InvalidArgument("duplicate id \"" + names[order[i]] + "\"");
        rank[order[i]] = uint32_t(i);
    }
    return rank;
}

// Directed pairs, sorted by (id, then `second`), copied into the C result.
void emit(const std::vector<uint32_t>& rank, std::vector<smup::NeighbourPair> directed, bool by_value,
          smup_pairs* out) {
    std::sort(directed.begin(), directed.end(), [&](const smup::NeighbourPair& l, const smup::NeighbourPair& r) {
        if (l.a != r.a) return rank[l.a] < rank[r.a];
        if (by_value && l.shared != r.shared) return l.shared < r.shared;
        return rank[l.b] < rank[r.b];
    });
    out->a = alloc_array<int32_t>(directed.size());
    out->b = alloc_array<int32_t>(directed.size());
    out->value = alloc_array<double>(directed.size());
    for (size_t i = 0; i < directed.size(); ++i) {
        out->a[i] = int32_t(directed[i].a);
        out->b[i] = int32_t(directed[i].b);
        out->value[i] = directed[i].shared;
    }
    out->n = directed.size();
}

std::vector<smup::Point> read_points(size_t n, const double* x, const double* y) {
    std::vector<smup::Point> pts(n);
    for (size_t i = 0; i < n; ++i) pts[i] = {x[i], y[i]};
    return pts;
}

}  // namespace

extern "C" void smup_pairs_free(smup_pairs* pairs) {
    if (!pairs) return;
    std::free(pairs->a);
    std::free(pairs->b);
    std::free(pairs->value);
    std::memset(pairs, 0, sizeof *pairs);
}

extern "C" smup_status smup_contiguity(size_t n, const char* const* ids, const uint8_t* const* wkb,
                                       const size_t* wkb_len, const smup_rings* rings, const char* rule,
                                       double tolerance, int order, smup_cancel_callback should_cancel,
                                       smup_pairs* out, smup_error* err) {
    std::memset(out, 0, sizeof *out);
    const smup_status status = smup::guarded(err, [&] {
        smup::CancelPoll poll(should_cancel);
        const std::string r = rule ? rule : "";
        smup::Rule how;
        if (r == "queen")
            how = smup::Rule::Queen;
        else if (r == "rook")
            how = smup::Rule::Rook;
        else
            throw smup::InvalidArgument("unknown contiguity rule \"" + r + "\": use queen or rook");
        if (!(tolerance >= 0) || !std::isfinite(tolerance))
            throw smup::InvalidArgument("tolerance must be a finite number >= 0");
        if (order < 1) throw smup::InvalidArgument("order must be at least 1, not " + std::to_string(order));
        const auto rank = read_ids(n, ids);
        std::vector<smup::Polygonal> geoms;
        geoms.reserve(n);
        int32_t srid0 = 0;
        for (size_t i = 0; i < n; ++i) {
            poll();
            int32_t srid = 0;
            if (rings && rings[i].nrings > 0) {
                geoms.push_back(smup::polygon_from_rings(rings[i].nrings, rings[i].points, rings[i].coords, rings[i].holes,
                                                         ids[i]));
                srid = rings[i].srid;
            } else
                geoms.push_back(smup::parse_polygonal_wkb(wkb[i], wkb_len[i], ids[i], &srid));
            if (i == 0)
                srid0 = srid;
            else if (srid != srid0)
                throw smup::InvalidGeometry("mixed SRIDs: \"" + std::string(ids[0]) + "\" has SRID " +
                                            std::to_string(srid0) + ", \"" + ids[i] + "\" has " + std::to_string(srid));
        }
        auto pairs = smup::contiguity(geoms, how, tolerance, poll);
        if (order > 1) pairs = smup::higher_order(n, pairs, order, poll);
        std::vector<smup::NeighbourPair> directed;
        directed.reserve(pairs.size() * 2);
        for (const auto& p : pairs) {
            directed.push_back(p);
            directed.push_back({p.b, p.a, p.shared});
        }
        emit(rank, std::move(directed), false, out);
    });
    if (status != SMUP_OK) smup_pairs_free(out);
    return status;
}

extern "C" smup_status smup_nearest(size_t n, const char* const* ids, const double* x, const double* y, int k,
                                    smup_cancel_callback should_cancel, smup_pairs* out, smup_error* err) {
    std::memset(out, 0, sizeof *out);
    const smup_status status = smup::guarded(err, [&] {
        smup::CancelPoll poll(should_cancel);
        emit(read_ids(n, ids), smup::nearest(read_points(n, x, y), k, poll), true, out);
    });
    if (status != SMUP_OK) smup_pairs_free(out);
    return status;
}

extern "C" smup_status smup_within_distance(size_t n, const char* const* ids, const double* x, const double* y,
                                            double metres, smup_cancel_callback should_cancel, smup_pairs* out,
                                            smup_error* err) {
    std::memset(out, 0, sizeof *out);
    const smup_status status = smup::guarded(err, [&] {
        smup::CancelPoll poll(should_cancel);
        emit(read_ids(n, ids), smup::within_distance(read_points(n, x, y), metres, poll), true, out);
    });
    if (status != SMUP_OK) smup_pairs_free(out);
    return status;
}
