// capi_stats.cpp: extern "C" wrappers of distributions, trends and confidence intervals.
#include <cstddef>
#include <cmath>
#include <string_view>

#include "capi_guard.hpp"
#include "distribution.hpp"
#include "intervals.hpp"
#include "trend.hpp"

static_assert(sizeof(smup_year_value) == sizeof(smup::YearValue), "smup_year_value layout");
static_assert(offsetof(smup_year_value, year) == offsetof(smup::YearValue, year), "smup_year_value layout");

extern "C" smup_status smup_dist_sort(double* values, size_t n, smup_cancel_callback should_cancel,
                                      smup_error* err) {
    return smup::guarded(err, [&] {
        smup::require_finite_values(values, n, "smup.distribution value");
        smup::sort_values(values, n, should_cancel);
    });
}

extern "C" smup_status smup_dist_merge(double* values, size_t n1, size_t n2, smup_error* err) {
    return smup::guarded(err, [&] { smup::merge_sorted_runs(values, n1, n2); });
}

extern "C" smup_status smup_dist_validate(const double* values, size_t n, smup_error* err) {
    return smup::guarded(err, [&] {
        if (n == 0) throw smup::InvalidArgument("invalid smup.distribution: no values");
        smup::validate_sorted(values, n);
    });
}

extern "C" smup_status smup_dist_ranks(const double* sorted, size_t n, double x, double* percent_rank,
                                       double* cume_dist, smup_error* err) {
    return smup::guarded(err, [&] {
        if (percent_rank) *percent_rank = smup::percentile_rank(sorted, n, x);
        if (cume_dist) *cume_dist = smup::cume_dist(sorted, n, x);
    });
}

extern "C" smup_status smup_dist_group_position(const double* sorted, size_t n, double x,
                                                smup_polarity polarity, int64_t* rank, double* percentile,
                                                int* has_percentile, smup_error* err) {
    return smup::guarded(err, [&] {
        const smup::Polarity p = polarity == SMUP_LOWER_IS_BETTER ? smup::Polarity::LowerIsBetter
                                 : polarity == SMUP_NEUTRAL       ? smup::Polarity::Neutral
                                                                  : smup::Polarity::HigherIsBetter;
        const smup::GroupPosition pos = smup::group_position(sorted, n, x, p);
        if (rank) *rank = static_cast<int64_t>(pos.rank());
        const std::optional<double> pct = pos.percentile();
        if (has_percentile) *has_percentile = pct.has_value();
        if (percentile) *percentile = pct.value_or(0.0);
    });
}

extern "C" smup_status smup_dist_quantiles(const double* sorted, size_t n, const double* p, const char* skip,
                                           size_t np, double* out, smup_error* err) {
    return smup::guarded(err, [&] {
        for (size_t i = 0; i < np; ++i)
            if (!skip || !skip[i]) out[i] = smup::quantile(sorted, n, p[i]);
    });
}

extern "C" smup_status smup_dist_summarize(const double* sorted, size_t n, smup_dist_summary* out,
                                           smup_error* err) {
    return smup::guarded(err, [&] {
        const smup::Summary s = smup::summarize(sorted, n);
        out->n = static_cast<int64_t>(s.n);
        out->min = s.min;
        out->q1 = s.q1;
        out->median = s.median;
        out->q3 = s.q3;
        out->max = s.max;
        out->mean = s.mean;
        out->has_sd = s.sd.has_value();
        out->sd = s.sd.value_or(0.0);
        out->mad = s.mad;
    });
}

extern "C" smup_status smup_dist_z_scores(const double* sorted, size_t n, double x, double* z, int* has_z,
                                          double* robust, int* has_robust, smup_error* err) {
    return smup::guarded(err, [&] {
        if (!std::isfinite(x)) throw smup::NotFinite("the value to score must be a finite number");
        if (n == 0) throw smup::InvalidArgument("empty distribution");
        *has_z = 0;
        *has_robust = 0;
        if (z) {
            const double mean = smup::mean_of(sorted, n);
            const auto sd = smup::sd_of(sorted, n, mean);
            if (sd && *sd > 0) {
                *z = (x - mean) / *sd;
                *has_z = 1;
            }
        }
        if (robust) {
            const double mad = smup::mad_of(sorted, n);
            if (mad > 0) {
                *robust = (x - smup::quantile(sorted, n, 0.5)) / (1.4826 * mad);
                *has_robust = 1;
            }
        }
    });
}

extern "C" smup_status smup_trend_compute(smup_year_value* points, size_t n, smup_cancel_callback should_cancel,
                                          smup_trend* out, smup_error* err) {
    return smup::guarded(err, [&] {
        const smup::TrendResult r =
            smup::compute_trend(reinterpret_cast<smup::YearValue*>(points), n, should_cancel);
        *out = smup_trend{};
        out->n = static_cast<int64_t>(r.n);
        out->first_year = r.first_year;
        out->last_year = r.last_year;
        auto put = [&](const std::optional<double>& v, double& field, unsigned bit) {
            if (v) {
                field = *v;
                out->present |= bit;
            }
        };
        put(r.ols_slope, out->ols_slope, SMUP_TREND_OLS_SLOPE);
        put(r.ols_slope_se, out->ols_slope_se, SMUP_TREND_OLS_SE);
        put(r.theil_sen_slope, out->theil_sen_slope, SMUP_TREND_THEIL_SEN);
        put(r.mann_kendall_tau, out->mann_kendall_tau, SMUP_TREND_MK_TAU);
        put(r.mann_kendall_p, out->mann_kendall_p, SMUP_TREND_MK_P);
        put(r.cagr, out->cagr, SMUP_TREND_CAGR);
    });
}

extern "C" smup_status smup_rate_ci(double events, double exposure, double per, double level, smup_interval* out,
                                    smup_error* err) {
    return smup::guarded(err, [&] {
        const smup::Interval r = smup::poisson_rate_ci(events, exposure, per, level);
        *out = smup_interval{r.estimate, r.lower, r.upper};
    });
}

extern "C" smup_status smup_proportion_ci(double successes, double trials, double level, const char* method,
                                          size_t method_len, smup_interval* out, smup_error* err) {
    return smup::guarded(err, [&] {
        const smup::Interval r =
            smup::proportion_ci(successes, trials, level, std::string_view(method, method_len));
        *out = smup_interval{r.estimate, r.lower, r.upper};
    });
}
