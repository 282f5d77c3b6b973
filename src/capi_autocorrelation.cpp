// capi_autocorrelation.cpp: extern "C" wrappers of Moran's I, Geary's C, local Moran,
// Getis–Ord and Empirical Bayes rates. Results are written back in the caller's unit order.
#include "autocorrelation.hpp"
#include "capi_guard.hpp"

namespace {

smup::SpatialData spatial_data(const smup_spatial_input* in, bool binary) {
    const smup::UnitInput u{in->n, in->ids, in->values, in->m, in->from, in->to, in->weight};
    return smup::build_spatial_data(u, binary ? smup::WeightStyle::Binary : smup::WeightStyle::RowStandardised);
}

template <typename Test>
smup_status global_test(const smup_spatial_input* in, smup_cancel_callback should_cancel, smup_global_test* out,
                        smup_error* err, Test test) {
    return smup::guarded(err, [&] {
        const smup::SpatialData d = spatial_data(in, in->binary != 0);
        const smup::GlobalTest t = test(d, in->permutations, in->seed, should_cancel);
        *out = smup_global_test{static_cast<int64_t>(t.n), t.statistic, t.expected, t.variance_normal,
                                t.z_normal, t.p_normal, t.variance_random, t.z_random, t.p_random, t.p_permutation};
    });
}

}  // namespace

extern "C" smup_status smup_moran_i(const smup_spatial_input* in, smup_cancel_callback should_cancel,
                                    smup_global_test* out, smup_error* err) {
    return global_test(in, should_cancel, out, err, smup::moran_test);
}

extern "C" smup_status smup_geary_c(const smup_spatial_input* in, smup_cancel_callback should_cancel,
                                    smup_global_test* out, smup_error* err) {
    return global_test(in, should_cancel, out, err, smup::geary_test);
}

extern "C" smup_status smup_local_moran(const smup_spatial_input* in, double significance,
                                        smup_cancel_callback should_cancel, smup_local_moran_row* out,
                                        smup_error* err) {
    return smup::guarded(err, [&] {
        const smup::SpatialData d = spatial_data(in, in->binary != 0);
        const auto rows = smup::local_moran(d, in->permutations, in->seed, significance, should_cancel);
        for (std::size_t c = 0; c < d.n; ++c) {
            const smup::LocalMoran& r = rows[c];
            out[d.input_position[c]] = smup_local_moran_row{r.lag, r.ii, r.expected, r.variance, r.z,
                                                            r.p_permutation, static_cast<int>(r.cluster)};
        }
    });
}

extern "C" smup_status smup_getis_ord(const smup_spatial_input* in, int star, smup_cancel_callback should_cancel,
                                      smup_getis_ord_row* out, smup_error* err) {
    return smup::guarded(err, [&] {
        const smup::SpatialData d = spatial_data(in, true);
        const auto rows = smup::getis_ord(d, star != 0, in->permutations, in->seed, should_cancel);
        for (std::size_t c = 0; c < d.n; ++c)
            out[d.input_position[c]] = smup_getis_ord_row{rows[c].g, rows[c].z, rows[c].p_normal, rows[c].p_permutation};
    });
}

extern "C" smup_status smup_eb_rate(size_t n, const char* const* ids, const double* events, const double* population,
                                    double* raw_rate, double* eb_rate, smup_error* err) {
    return smup::guarded(err, [&] { smup::eb_rates(n, ids, events, population, raw_rate, eb_rate); });
}
