// capi_similarity.cpp: extern "C" wrapper of the nearest similar units.
#include <cstring>
#include <string_view>
#include <vector>

#include "capi_guard.hpp"
#include "similarity.hpp"

extern "C" smup_status smup_similar_peers(const char* const* ids, size_t n_units, const double* values,
                                          size_t n_indicators, const double* weights, size_t k, int robust,
                                          const size_t* only, size_t n_only, smup_cancel_callback should_cancel,
                                          smup_similar_rows* out, smup_error* err) {
    std::memset(out, 0, sizeof *out);
    return smup::guarded(err, [&] {
        std::vector<std::string_view> names(ids, ids + n_units);
        std::vector<std::size_t> asked(only, only + n_only);
        const smup::SimilarityResult r =
            smup::nearest_similar(names, values, n_units, n_indicators, weights, k,
                                  robust ? smup::Standardisation::robust : smup::Standardisation::z, asked,
                                  should_cancel);
        const std::size_t n = r.peers.size();
        smup_similar_rows rows{};
        try {
            rows.unit = smup::alloc_array<size_t>(n);
            rows.peer = smup::alloc_array<size_t>(n);
            rows.rank = smup::alloc_array<int32_t>(n);
            rows.distance = smup::alloc_array<double>(n);
            rows.contribution = smup::alloc_array<double>(n * n_indicators);
        } catch (...) {
            smup_similar_rows_free(&rows);
            throw;
        }
        rows.n = n;
        rows.n_indicators = n_indicators;
        for (std::size_t j = 0; j < n; ++j) {
            rows.unit[j] = r.peers[j].unit;
            rows.peer[j] = r.peers[j].peer;
            rows.rank[j] = r.peers[j].rank;
            rows.distance[j] = r.peers[j].distance;
        }
        if (n) std::memcpy(rows.contribution, r.contributions.data(), n * n_indicators * sizeof(double));
        *out = rows;
    });
}

extern "C" void smup_similar_rows_free(smup_similar_rows* rows) {
    if (!rows) return;
    smup_free(rows->unit);
    smup_free(rows->peer);
    smup_free(rows->rank);
    smup_free(rows->distance);
    smup_free(rows->contribution);
    std::memset(rows, 0, sizeof *rows);
}
