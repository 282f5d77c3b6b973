// capi_spatial.cpp: extern "C" wrappers of contiguity and proximity; results in malloc'd arrays.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
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
            throw smup::InvalidArgument("duplicate id " + smup::quoted(names[order[i]]));
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

// The polygons of a layer as the C API gives them (rings in place or WKB), with one SRID.
std::vector<smup::Polygonal> read_layer(size_t n, const char* const* ids, const uint8_t* const* wkb,
                                        const size_t* wkb_len, const smup_rings* rings, smup::CancelPoll& poll) {
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
            throw smup::InvalidGeometry("mixed SRIDs: " + smup::quoted(ids[0]) + " has SRID " + std::to_string(srid0) + ", " +
                                        smup::quoted(ids[i]) + " has " + std::to_string(srid));
    }
    return geoms;
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
            throw smup::InvalidArgument("unknown contiguity rule " + smup::quoted(r) + ": use queen or rook");
        if (!(tolerance >= 0) || !std::isfinite(tolerance))
            throw smup::InvalidArgument("tolerance must be a finite number >= 0");
        if (order < 1) throw smup::InvalidArgument("order must be at least 1, not " + std::to_string(order));
        const auto rank = read_ids(n, ids);
        const std::vector<smup::Polygonal> geoms = read_layer(n, ids, wkb, wkb_len, rings, poll);
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

extern "C" void smup_neighbour_rows_free(smup_neighbour_rows* rows) {
    if (!rows) return;
    std::free(rows->a);
    std::free(rows->b);
    std::free(rows->set);
    std::free(rows->value);
    std::memset(rows, 0, sizeof *rows);
}

extern "C" smup_status smup_neighbour_sets(size_t n, const char* const* ids, const uint8_t* const* wkb,
                                           const size_t* wkb_len, const smup_rings* rings,
                                           smup_cancel_callback should_cancel, smup_neighbour_rows* out,
                                           smup_error* err) {
    std::memset(out, 0, sizeof *out);
    const smup_status status = smup::guarded(err, [&] {
        smup::CancelPoll poll(should_cancel);
        if (n >= (size_t(1) << 30)) throw smup::InvalidArgument("too many polygons");
        const auto rank = read_ids(n, ids);
        const smup::NeighbourSets sets = smup::neighbour_sets(read_layer(n, ids, wkb, wkb_len, rings, poll), poll);
        // each row as a key in the primary key's order of smup.neighbour (id, neighbour_id,
        // rule, "order"): the ranks of both ids, then the set
        struct Row {
            uint64_t key;
            double value;
            bool operator<(const Row& o) const { return key < o.key; }
        };
        std::vector<uint32_t> unit(n);  // the input position of each rank
        for (uint32_t i = 0; i < n; ++i) unit[rank[i]] = i;
        std::vector<Row> rows;
        rows.reserve(2 * (sets.queen.size() + sets.queen2.size() + sets.rook.size() + sets.rook2.size()));
        const std::vector<smup::NeighbourPair>* by_set[SMUP_NEIGHBOUR_SETS] = {&sets.queen, &sets.queen2, &sets.rook,
                                                                               &sets.rook2};
        auto key = [&](uint32_t a, uint32_t b, uint8_t s) { return (uint64_t(rank[a]) << 34) | (uint64_t(rank[b]) << 2) | s; };
        for (uint8_t s = 0; s < SMUP_NEIGHBOUR_SETS; ++s) {
            for (const smup::NeighbourPair& p : *by_set[s]) {
                rows.push_back({key(p.a, p.b, s), p.shared});
                rows.push_back({key(p.b, p.a, s), p.shared});
            }
            out->count[s] = 2 * by_set[s]->size();
        }
        std::sort(rows.begin(), rows.end());
        out->a = alloc_array<int32_t>(rows.size());
        out->b = alloc_array<int32_t>(rows.size());
        out->set = alloc_array<uint8_t>(rows.size());
        out->value = alloc_array<double>(rows.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            out->a[i] = int32_t(unit[rows[i].key >> 34]);
            out->b[i] = int32_t(unit[(rows[i].key >> 2) & 0xFFFFFFFFull]);
            out->set[i] = uint8_t(rows[i].key & 3);
            out->value[i] = rows[i].value;
        }
        out->n = rows.size();
    });
    if (status != SMUP_OK) smup_neighbour_rows_free(out);
    return status;
}

extern "C" smup_status smup_match_rows(size_t nstored, const char* const* stored_id, const char* const* stored_nb,
                                       const uint8_t* stored_set, const double* stored_value, size_t nnew,
                                       const char* const* new_id, const char* const* new_nb, const uint8_t* new_set,
                                       const double* new_value, smup_cancel_callback should_cancel, uint8_t* keep,
                                       uint8_t* present, smup_error* err) {
    return smup::guarded(err, [&] {
        smup::CancelPoll poll(should_cancel);
        if (nnew >= (size_t(1) << 29) || nstored >= (size_t(1) << 32)) throw smup::InvalidArgument("too many rows");
        // the ids of the new rows numbered (a few thousand: the map stays in cache); consecutive
        // rows mostly share their id
        std::unordered_map<std::string_view, uint64_t> number;
        struct Last {
            std::string_view id;
            uint64_t number = 0;
        } last_id, last_nb;
        constexpr uint64_t kUnknown = UINT64_MAX;
        auto number_of = [&](const char* id, bool add, Last& last) {
            const std::string_view v(id);
            if (v.data() == last.id.data() || (!last.id.empty() && v == last.id)) return last.number;
            auto it = number.find(v);
            if (it == number.end()) {
                if (!add) return kUnknown;
                it = number.emplace(v, uint64_t(number.size())).first;
            }
            last.id = it->first;
            return last.number = it->second;
        };
        // a row's key packs both numbers and the set; both sides sorted by key, then merged
        // (sorting beats a hash table here: the lookups would miss the caches)
        auto key = [](uint64_t a, uint64_t b, uint8_t set) { return (a << 33) | (b << 2) | set; };
        struct Keyed {
            uint64_t key;
            uint32_t row;
            bool operator<(const Keyed& o) const { return key < o.key; }
        };
        std::vector<Keyed> fresh(nnew);
        for (size_t j = 0; j < nnew; ++j) {
            poll();
            if (new_set[j] >= SMUP_NEIGHBOUR_SETS) throw smup::InvalidArgument("a new row without a set");
            const uint64_t a = number_of(new_id[j], true, last_id);
            fresh[j] = {key(a, number_of(new_nb[j], true, last_nb), new_set[j]), uint32_t(j)};
            present[j] = 0;
        }
        std::vector<Keyed> old;
        old.reserve(nstored);
        last_id = last_nb = {};
        for (size_t i = 0; i < nstored; ++i) {
            poll();
            keep[i] = 0;
            if (stored_set[i] >= SMUP_NEIGHBOUR_SETS) continue;
            const uint64_t a = number_of(stored_id[i], false, last_id);
            if (a == kUnknown) continue;
            const uint64_t b = number_of(stored_nb[i], false, last_nb);
            if (b == kUnknown) continue;
            old.push_back({key(a, b, stored_set[i]), uint32_t(i)});
        }
        std::sort(fresh.begin(), fresh.end());
        std::sort(old.begin(), old.end());
        for (size_t j = 1; j < fresh.size(); ++j)
            if (fresh[j].key == fresh[j - 1].key) throw smup::InvalidArgument("a new row given twice");
        auto same_value = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
        for (size_t i = 0, j = 0; i < old.size() && j < fresh.size();) {
            poll();
            if (old[i].key < fresh[j].key)
                ++i;
            else if (fresh[j].key < old[i].key)
                ++j;
            else {
                const uint32_t r = fresh[j].row, s = old[i].row;
                if (!present[r] && same_value(stored_value[s], new_value[r])) {
                    keep[s] = 1;
                    present[r] = 1;
                }
                ++i;  // a repeated stored row is kept once
            }
        }
    });
}
