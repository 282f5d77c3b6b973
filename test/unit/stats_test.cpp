// Unit tests of the stats core: distributions, trends, confidence intervals. Every expected
// value is computed by hand here or taken from a published source cited next to it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "distribution.hpp"
#include "errors.hpp"
#include "intervals.hpp"
#include "smup_capi.h"
#include "trend.hpp"

namespace {

const double NaN = std::numeric_limits<double>::quiet_NaN();  // NOLINT
const double Inf = std::numeric_limits<double>::infinity();

// ---- distributions ---------------------------------------------------------------------------

TEST(Distribution, RanksWithTies) {
    // {1, 2, 2, 5}: percent_rank of 2 is (rank 2 - 1) / 3, cume_dist of 2 is 3 / 4.
    const std::vector<double> v{1, 2, 2, 5};
    EXPECT_DOUBLE_EQ(smup::percentile_rank(v.data(), 4, 1), 0.0);
    EXPECT_DOUBLE_EQ(smup::percentile_rank(v.data(), 4, 2), 1.0 / 3);
    EXPECT_DOUBLE_EQ(smup::percentile_rank(v.data(), 4, 5), 1.0);
    EXPECT_DOUBLE_EQ(smup::cume_dist(v.data(), 4, 1), 0.25);
    EXPECT_DOUBLE_EQ(smup::cume_dist(v.data(), 4, 2), 0.75);
    EXPECT_DOUBLE_EQ(smup::cume_dist(v.data(), 4, 5), 1.0);
    // values that are not members: count below / n (hypothetical-set percent_rank), count at most / n
    EXPECT_DOUBLE_EQ(smup::percentile_rank(v.data(), 4, 0), 0.0);
    EXPECT_DOUBLE_EQ(smup::percentile_rank(v.data(), 4, 3), 0.75);
    EXPECT_DOUBLE_EQ(smup::percentile_rank(v.data(), 4, 99), 1.0);
    EXPECT_DOUBLE_EQ(smup::percentile_rank(v.data(), 4, 1.5), 0.25);
    EXPECT_DOUBLE_EQ(smup::percentile_rank(v.data(), 4, -Inf), 0.0);
    EXPECT_DOUBLE_EQ(smup::percentile_rank(v.data(), 4, Inf), 1.0);
    EXPECT_DOUBLE_EQ(smup::cume_dist(v.data(), 4, 3), 0.75);
    EXPECT_DOUBLE_EQ(smup::cume_dist(v.data(), 4, 0), 0.0);
    EXPECT_THROW(smup::percentile_rank(v.data(), 4, NaN), smup::NotFinite);
}

TEST(Distribution, OneAndTwoValues) {
    const double one[] = {7};
    EXPECT_EQ(smup::percentile_rank(one, 1, 7), 0.0);
    EXPECT_EQ(smup::percentile_rank(one, 1, 100), 1.0);  // not a member: 1 below / n = 1
    EXPECT_EQ(smup::percentile_rank(one, 1, 6), 0.0);
    EXPECT_EQ(smup::cume_dist(one, 1, 7), 1.0);
    EXPECT_EQ(smup::quantile(one, 1, 0.0), 7.0);
    EXPECT_EQ(smup::quantile(one, 1, 0.37), 7.0);
    EXPECT_EQ(smup::quantile(one, 1, 1.0), 7.0);
    const double two[] = {3, 7};
    EXPECT_EQ(smup::percentile_rank(two, 2, 3), 0.0);
    EXPECT_EQ(smup::percentile_rank(two, 2, 5), 0.5);   // not a member: one value below, n = 2
    EXPECT_EQ(smup::cume_dist(two, 2, 5), 0.5);
    EXPECT_EQ(smup::percentile_rank(two, 2, 7), 1.0);
    EXPECT_EQ(smup::cume_dist(two, 2, 3), 0.5);
    EXPECT_EQ(smup::quantile(two, 2, 0.5), 5.0);
    EXPECT_EQ(smup::quantile(two, 2, 0.25), 4.0);
}

TEST(Distribution, GroupPositionMidRank) {
    using smup::Polarity;
    // 100 gminy, 40 of them with 0 fires (lower is better) and 60 with 1..60: the 40 tied best
    // share the mean of positions 60..99 of 99 above the worst: 100 × (60 + 39 / 2) / 99.
    std::vector<double> fires(40, 0.0);
    for (int i = 1; i <= 60; ++i) fires.push_back(i);
    const auto best = smup::group_position(fires.data(), fires.size(), 0, Polarity::LowerIsBetter);
    EXPECT_EQ(best.rank(), 1u);
    EXPECT_EQ(best.tied, 40u);
    EXPECT_DOUBLE_EQ(*best.percentile(), 100.0 * (60 + 19.5) / 99);
    const auto worst = smup::group_position(fires.data(), fires.size(), 60, Polarity::LowerIsBetter);
    EXPECT_EQ(worst.rank(), 100u);
    EXPECT_DOUBLE_EQ(*worst.percentile(), 0.0);
    // without ties it is 100 × percent_rank(): {1, 2, 5}, 2 has one below of n - 1 = 2
    const double v[] = {1, 2, 5};
    EXPECT_DOUBLE_EQ(*smup::group_position(v, 3, 2, Polarity::HigherIsBetter).percentile(), 50.0);
    EXPECT_DOUBLE_EQ(*smup::group_position(v, 3, 5, Polarity::HigherIsBetter).percentile(), 100.0);
    EXPECT_EQ(smup::group_position(v, 3, 5, Polarity::HigherIsBetter).rank(), 1u);
    EXPECT_DOUBLE_EQ(*smup::group_position(v, 3, 5, Polarity::Neutral).percentile(), 100.0);
    EXPECT_DOUBLE_EQ(*smup::group_position(v, 3, 5, Polarity::LowerIsBetter).percentile(), 0.0);
    EXPECT_EQ(smup::group_position(v, 3, 5, Polarity::LowerIsBetter).rank(), 3u);
    // all equal: everyone in the middle, all first
    const double same[] = {4, 4, 4, 4};
    EXPECT_DOUBLE_EQ(*smup::group_position(same, 4, 4, Polarity::HigherIsBetter).percentile(), 50.0);
    EXPECT_EQ(smup::group_position(same, 4, 4, Polarity::HigherIsBetter).rank(), 1u);
    // a group of one has no percentile; a value not in the group is placed among all n
    const double one[] = {7};
    EXPECT_FALSE(smup::group_position(one, 1, 7, Polarity::HigherIsBetter).percentile().has_value());
    EXPECT_DOUBLE_EQ(*smup::group_position(one, 1, 9, Polarity::HigherIsBetter).percentile(), 100.0);
    EXPECT_DOUBLE_EQ(*smup::group_position(v, 3, 3, Polarity::HigherIsBetter).percentile(), 200.0 / 3);
    EXPECT_THROW(smup::group_position(v, 3, NaN, Polarity::HigherIsBetter), smup::NotFinite);
}

TEST(Distribution, QuantileInterpolatesLikePercentileCont) {
    // position p (n - 1): 0.3 * 3 = 0.9 → 1 + (2 - 1) 0.9; 0.75 * 3 = 2.25 → 2 + (5 - 2) 0.25
    const std::vector<double> v{1, 2, 2, 5};
    EXPECT_DOUBLE_EQ(smup::quantile(v.data(), 4, 0.3), 1.9);
    EXPECT_DOUBLE_EQ(smup::quantile(v.data(), 4, 0.25), 1.75);
    EXPECT_DOUBLE_EQ(smup::quantile(v.data(), 4, 0.5), 2.0);
    EXPECT_DOUBLE_EQ(smup::quantile(v.data(), 4, 0.75), 2.75);
    EXPECT_EQ(smup::quantile(v.data(), 4, 0.0), 1.0);
    EXPECT_EQ(smup::quantile(v.data(), 4, 1.0), 5.0);
    EXPECT_THROW(smup::quantile(v.data(), 4, 1.5), smup::OutOfRange);
    EXPECT_THROW(smup::quantile(v.data(), 4, -0.1), smup::OutOfRange);
    EXPECT_THROW(smup::quantile(v.data(), 4, NaN), smup::OutOfRange);
}

TEST(Distribution, Summary) {
    // {1, 2, 2, 5}: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 6.25 = 9, sd = sqrt(9 / 3);
    // absolute deviations from the median 2: {1, 0, 0, 3} → median 0.5.
    const std::vector<double> v{1, 2, 2, 5};
    const smup::Summary s = smup::summarize(v.data(), 4);
    EXPECT_EQ(s.n, 4u);
    EXPECT_EQ(s.min, 1.0);
    EXPECT_EQ(s.max, 5.0);
    EXPECT_DOUBLE_EQ(s.q1, 1.75);
    EXPECT_DOUBLE_EQ(s.median, 2.0);
    EXPECT_DOUBLE_EQ(s.q3, 2.75);
    EXPECT_DOUBLE_EQ(s.mean, 2.5);
    ASSERT_TRUE(s.sd.has_value());
    EXPECT_DOUBLE_EQ(*s.sd, std::sqrt(3.0));
    EXPECT_DOUBLE_EQ(s.mad, 0.5);
    const double one[] = {4};
    const smup::Summary s1 = smup::summarize(one, 1);
    EXPECT_FALSE(s1.sd.has_value());
    EXPECT_EQ(s1.mad, 0.0);
    // MAD of an odd-sized asymmetric set: {-4, 1, 2, 3, 10}, median 2, deviations {6,1,0,1,8} → 1
    const std::vector<double> w{-4, 1, 2, 3, 10};
    EXPECT_DOUBLE_EQ(smup::mad_of(w.data(), 5), 1.0);
}

TEST(Distribution, SortValidateAndCapi) {
    std::vector<double> v{3, -1, 2, 2, 0};
    smup_error err;
    ASSERT_EQ(smup_dist_sort(v.data(), v.size(), nullptr, &err), SMUP_OK);
    EXPECT_EQ(v, (std::vector<double>{-1, 0, 2, 2, 3}));
    EXPECT_EQ(smup_dist_validate(v.data(), v.size(), &err), SMUP_OK);
    std::vector<double> bad{1, NaN};
    EXPECT_EQ(smup_dist_sort(bad.data(), bad.size(), nullptr, &err), SMUP_NOT_FINITE);
    EXPECT_STREQ(err.message, "smup.distribution value must be a finite number, not NaN");
    std::vector<double> unsorted{2, 1};
    EXPECT_EQ(smup_dist_validate(unsorted.data(), 2, &err), SMUP_INVALID_ARGUMENT);
    double p[] = {0.5, 2.0};
    double out[2];
    EXPECT_EQ(smup_dist_quantiles(v.data(), v.size(), p, nullptr, 2, out, &err), SMUP_OUT_OF_RANGE);
    EXPECT_STREQ(err.message, "percentile value 2 is not between 0 and 1");
    const char skip[] = {0, 1};
    ASSERT_EQ(smup_dist_quantiles(v.data(), v.size(), p, skip, 2, out, &err), SMUP_OK);
    EXPECT_EQ(out[0], 2.0);
}

TEST(Distribution, LargeSortMatchesStdSortAndCancels) {
    std::vector<double> v(3'000'000);
    unsigned long long x = 88172645463325252ULL;
    for (auto& e : v) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        e = static_cast<double>(x % 100000) - 50000;
    }
    std::vector<double> w = v;
    smup::sort_values(v.data(), v.size(), [] { return 0; });
    std::sort(w.begin(), w.end());
    EXPECT_EQ(v, w);
    EXPECT_THROW(smup::sort_values(w.data(), w.size(), [] { return 1; }), smup::Cancelled);
}

TEST(Distribution, ZScores) {
    const std::vector<double> v{1, 2, 2, 5};
    double z, rz;
    int hz, hr;
    smup_error err;
    ASSERT_EQ(smup_dist_z_scores(v.data(), 4, 5, &z, &hz, &rz, &hr, &err), SMUP_OK);
    EXPECT_TRUE(hz && hr);
    EXPECT_DOUBLE_EQ(z, 2.5 / std::sqrt(3.0));
    EXPECT_DOUBLE_EQ(rz, 3 / (1.4826 * 0.5));
    const std::vector<double> flat{3, 3, 3};
    ASSERT_EQ(smup_dist_z_scores(flat.data(), 3, 5, &z, &hz, &rz, &hr, &err), SMUP_OK);
    EXPECT_FALSE(hz);
    EXPECT_FALSE(hr);
}

// ---- trends ---------------------------------------------------------------------------------

TEST(Trend, HandComputedSeries) {
    // Years 2010..2013, values 1, 2, 2.5, 4. Centred x: -1.5 -0.5 0.5 1.5 (Sxx = 5); centred y:
    // -1.375 -0.375 0.125 1.625 (Sxy = 4.75): slope 0.95. Residuals 0.05 0.1 -0.35 0.2, SSE 0.175,
    // SE = sqrt(0.175 / 2 / 5). Pairwise slopes 1, 0.75, 1, 0.5, 1, 1.5 → median 1.
    // S = 6, Var(S) = 4·3·13/18, z = (6 - 1)/sqrt(Var S), tau = 6 / 6. CAGR = 4^(1/3) - 1.
    std::vector<smup::YearValue> pts{{2.5, 2012}, {1, 2010}, {4, 2013}, {2, 2011}};
    const smup::TrendResult r = smup::compute_trend(pts.data(), pts.size());
    EXPECT_EQ(r.n, 4u);
    EXPECT_EQ(r.first_year, 2010);
    EXPECT_EQ(r.last_year, 2013);
    EXPECT_NEAR(*r.ols_slope, 0.95, 1e-15);
    EXPECT_NEAR(*r.ols_slope_se, std::sqrt(0.0175), 1e-15);
    EXPECT_DOUBLE_EQ(*r.theil_sen_slope, 1.0);
    EXPECT_DOUBLE_EQ(*r.mann_kendall_tau, 1.0);
    const double z = 5 / std::sqrt(4.0 * 3 * 13 / 18);
    EXPECT_NEAR(*r.mann_kendall_p, std::erfc(z / std::sqrt(2.0)), 1e-15);
    EXPECT_NEAR(*r.cagr, std::cbrt(4.0) - 1, 1e-15);
}

TEST(Trend, UndefinedParts) {
    std::vector<smup::YearValue> one{{5, 2020}};
    const smup::TrendResult r1 = smup::compute_trend(one.data(), 1);
    EXPECT_EQ(r1.n, 1u);
    EXPECT_FALSE(r1.ols_slope || r1.theil_sen_slope || r1.mann_kendall_p || r1.cagr);
    std::vector<smup::YearValue> two{{0, 2020}, {3, 2022}};
    const smup::TrendResult r2 = smup::compute_trend(two.data(), 2);
    EXPECT_DOUBLE_EQ(*r2.ols_slope, 1.5);
    EXPECT_FALSE(r2.ols_slope_se);
    EXPECT_FALSE(r2.cagr);   // non-positive start
    std::vector<smup::YearValue> to_zero{{10, 2020}, {0, 2022}};
    EXPECT_DOUBLE_EQ(*smup::compute_trend(to_zero.data(), 2).cagr, -1.0);
    std::vector<smup::YearValue> dup{{1, 2020}, {2, 2021}, {3, 2020}};
    try {
        smup::compute_trend(dup.data(), 3);
        FAIL() << "duplicate year accepted";
    } catch (const smup::InvalidArgument& e) {
        EXPECT_STREQ(e.what(), "smup.trend: duplicate year 2020");
    }
    std::vector<smup::YearValue> longer(smup::kMaxTrendPoints + 1);
    for (std::size_t i = 0; i < longer.size(); ++i) longer[i] = {1.0, static_cast<std::int32_t>(i)};
    EXPECT_THROW(smup::compute_trend(longer.data(), longer.size()), smup::OutOfRange);
    std::vector<smup::YearValue> nan{{1, 2020}, {NaN, 2021}};
    EXPECT_THROW(smup::compute_trend(nan.data(), 2), smup::NotFinite);
    // all values tied: S = 0, p = 1, slopes 0
    std::vector<smup::YearValue> flat{{2, 2001}, {2, 2002}, {2, 2003}};
    const smup::TrendResult rf = smup::compute_trend(flat.data(), 3);
    EXPECT_EQ(*rf.mann_kendall_p, 1.0);
    EXPECT_EQ(*rf.theil_sen_slope, 0.0);
}

// Monthly rainfall at Bogra (Bangladesh), 1981-2010, the test data set of pyMannKendall
// (Hussain & Mahmud 2019, JOSS 4(39) 1556; github.com/mmhs013/pyMannKendall,
// tests/data/Monthly Rainfall.csv, column Bogra; NaN = a missing month). Its test suite
// (tests/test_pymannkendall.py, test_original_test) publishes for this series, missing months
// skipped: S = -1959, Var(S) = 4889800.333333333, z = -0.8854562842589916,
// p = 0.37591058740506833, Tau = -0.03153167653875869, Sen's slope -0.0064516129032258064
// (its sens_slope drops the missing months first, so the slope is per step of the gap-free
// series: the test numbers the 353 observed months 1..353).
const double bogra[] = {
    32, 20, 25, 189, 240, 193, 379, 278, 301, 0, 0, 82, 0, 4, NaN, NaN, 121, 234, 360, 262, 120, 30, 11, 1,
    7, 3, 31, 31, 355, 102, 248, 274, 308, NaN, 5, 26, 11, 16, 6, 48, 388, 539, 431, 272, 404, 186, 0, 2,
    0, 4, 1, 54, 272, 459, 235, 164, 365, 135, 2, NaN, NaN, 4, 0, 128, 210, 163, 446, 225, 462, 467, 19, 13,
    0, 3, 17, 132, 178, 338, 525, 623, 145, 31, 19, 3, 0, 29, 25, 87, 259, 756, 486, 180, 292, 43, 92, 1,
    0, 16, 2, 0, 130, 253, 594, 111, 273, 30, 0, 4, 0, 27, 24, 41, 292, 378, 499, 265, 320, 227, 4, 0,
    4, 14, 8, 48, 416, 240, 404, 207, 733, 105, 0, 112, 0, 14, 0, 30, 140, 202, 289, 159, 424, 106, 3, 0,
    65, 3, 14, 58, 268, 466, 432, 266, 240, 95, 1, 0, 10, 26, 4, 114, 94, 289, 173, 208, 263, 156, 5, 0,
    16, 16, 14, 0, 111, 475, 534, 432, 471, 117, 70, 1, 3, 28, 7, 401, 184, 283, 338, 171, 335, 176, 0, 0,
    10, 11, 9, 140, 102, 208, 298, 245, 220, 29, 2, 27, 10, 13, 26, 84, 143, 367, 749, 563, 283, 353, 10, 0,
    0, 0, 0, 9, 246, 265, 343, 429, 168, 133, 17, 0, 18, 35, 76, 158, 272, 250, 190, 289, 466, 84, 0, 0,
    0, 0, 0, 22, 217, 299, 185, 115, 344, 203, 8, NaN, NaN, 0, 5, 284, 123, 254, 476, 496, 326, 27, 20, 0,
    4, 53, 72, 113, 214, 364, 219, 220, 156, 264, 0, 13, 0, 0, 45, 90, 137, 638, 529, 261, 206, 251, 0, 0,
    5, 9, 58, 72, 138, 130, 471, 328, 356, 523, 0, 1, 0, 0, 12, 143, 193, 184, 192, 138, 174, 69, 1, 0,
    0, 18, 25, 28, 92, 732, 320, 256, 302, 131, 15, 0, 27, 0, 22, 20, 213, 393, 474, 374, 109, 159, 0, 0,
    0, 3, 3, 49, 205, 128, 194, 570, 169, 89, 0, 0, 0, 0, 0, 26, 185, 286, 92, 225, 244, 190, 3, 20,
};

TEST(Trend, MannKendallPublishedExample) {
    std::vector<double> series;
    std::vector<smup::YearValue> pts;
    const int n_months = static_cast<int>(sizeof bogra / sizeof bogra[0]);
    ASSERT_EQ(n_months, 360);
    for (int i = 0; i < n_months; ++i)
        if (!std::isnan(bogra[i])) {
            series.push_back(bogra[i]);
            pts.push_back({bogra[i], static_cast<std::int32_t>(series.size())});
        }
    ASSERT_EQ(series.size(), 353u);
    const smup::MannKendall mk = smup::mann_kendall(series.data(), series.size());
    EXPECT_EQ(mk.s, -1959.0);
    EXPECT_NEAR(mk.var_s, 4889800.333333333, 1e-6);
    EXPECT_NEAR(mk.z, -0.8854562842589916, 1e-13);
    EXPECT_NEAR(mk.p, 0.37591058740506833, 1e-13);
    EXPECT_NEAR(mk.tau, -0.03153167653875869, 1e-15);
    // the same through the aggregate's path, the month index standing for the year
    const smup::TrendResult r = smup::compute_trend(pts.data(), pts.size());
    EXPECT_NEAR(*r.mann_kendall_p, 0.37591058740506833, 1e-13);
    EXPECT_NEAR(*r.mann_kendall_tau, -0.03153167653875869, 1e-15);
    EXPECT_DOUBLE_EQ(*r.theil_sen_slope, -0.0064516129032258064);
}

// ---- confidence intervals -------------------------------------------------------------------

// P(X >= x) (upper) or P(X <= x) for X ~ Binomial(n, p), by direct summation of the terms.
double binomial_tail(int x, int n, double p, bool upper) {
    double sum = 0;
    for (int k = upper ? x : 0; k <= (upper ? n : x); ++k)
        sum += std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) + k * std::log(p) +
                        (n - k) * std::log1p(-p));
    return sum;
}

TEST(Intervals, GarwoodPoissonLimits) {
    // Exact Poisson limits as tabulated (e.g. Ulm 1990, Am J Epidemiol 131:373; the standard
    // tables): x = 0 → [0, 3.689]; x = 10 → [4.795, 18.39] at 95 %; x = 0 at 99 % → 5.298.
    smup::Interval r = smup::poisson_rate_ci(0, 1, 1, 0.95);
    EXPECT_EQ(r.estimate, 0.0);
    EXPECT_EQ(r.lower, 0.0);
    EXPECT_NEAR(r.upper, 3.689, 5e-4);
    EXPECT_NEAR(r.upper, -std::log(0.025), 1e-12);   // x = 0: closed form -ln(alpha/2)
    r = smup::poisson_rate_ci(10, 1, 1, 0.95);
    EXPECT_NEAR(r.lower, 4.795, 5e-4);
    EXPECT_NEAR(r.upper, 18.39, 5e-3);
    EXPECT_NEAR(smup::poisson_rate_ci(0, 1, 1, 0.99).upper, 5.298, 5e-4);
    // x = 1: lower limit solves 1 - e^-m = alpha/2 → m = -ln(1 - alpha/2)
    EXPECT_NEAR(smup::poisson_rate_ci(1, 1, 1, 0.95).lower, -std::log(0.975), 1e-12);
    // scaling: 10 events in 2000 person-years per 1000
    r = smup::poisson_rate_ci(10, 2000, 1000, 0.95);
    EXPECT_DOUBLE_EQ(r.estimate, 5.0);
    EXPECT_NEAR(r.lower, 4.795 / 2, 5e-4);
    EXPECT_THROW(smup::poisson_rate_ci(-1, 1, 1, 0.95), smup::OutOfRange);
    EXPECT_THROW(smup::poisson_rate_ci(1, 0, 1, 0.95), smup::OutOfRange);
    EXPECT_THROW(smup::poisson_rate_ci(1, 1, 1, 1.0), smup::OutOfRange);
    EXPECT_THROW(smup::poisson_rate_ci(NaN, 1, 1, 0.95), smup::NotFinite);
}

TEST(Intervals, ProportionsNewcombe1998) {
    // Newcombe RG (1998), Two-sided confidence intervals for the single proportion: comparison
    // of seven methods, Stat Med 17:857-872, Table II (95 %).
    smup::Interval r = smup::proportion_ci(81, 263, 0.95, "wilson");
    EXPECT_DOUBLE_EQ(r.estimate, 81.0 / 263);
    EXPECT_NEAR(r.lower, 0.2553, 5e-5);
    EXPECT_NEAR(r.upper, 0.3662, 5e-5);
    r = smup::proportion_ci(15, 148, 0.95, "wilson");
    EXPECT_NEAR(r.lower, 0.0624, 5e-5);
    EXPECT_NEAR(r.upper, 0.1605, 5e-5);
    // Clopper–Pearson 15/148: 0.0578–0.1617 to four places; checked below by the defining
    // property, the binomial tails at the limits, summed term by term.
    r = smup::proportion_ci(15, 148, 0.95, "clopper-pearson");
    EXPECT_NEAR(r.lower, 0.0578, 5e-5);
    EXPECT_NEAR(r.upper, 0.1617, 5e-5);
    EXPECT_NEAR(binomial_tail(15, 148, r.lower, true), 0.025, 1e-12);
    EXPECT_NEAR(binomial_tail(15, 148, r.upper, false), 0.025, 1e-12);
    r = smup::proportion_ci(0, 20, 0.95, "wilson");
    EXPECT_EQ(r.lower, 0.0);
    EXPECT_NEAR(r.upper, 0.1611, 5e-5);
    r = smup::proportion_ci(0, 20, 0.95, "clopper-pearson");
    EXPECT_NEAR(r.upper, 0.1684, 5e-5);
    r = smup::proportion_ci(1, 29, 0.95, "wilson");
    EXPECT_NEAR(r.lower, 0.0061, 5e-5);
    EXPECT_NEAR(r.upper, 0.1718, 5e-5);
    r = smup::proportion_ci(1, 29, 0.95, "clopper-pearson");
    EXPECT_NEAR(r.lower, 0.0009, 5e-5);
    EXPECT_NEAR(r.upper, 0.1776, 5e-5);
}

TEST(Intervals, ClosedForms) {
    // Clopper–Pearson at the edges: x = 0 → upper 1 - (alpha/2)^(1/n); x = n → lower (alpha/2)^(1/n).
    EXPECT_NEAR(smup::proportion_ci(0, 10, 0.95, "clopper-pearson").upper, 1 - std::pow(0.025, 0.1), 1e-14);
    EXPECT_NEAR(smup::proportion_ci(10, 10, 0.95, "clopper-pearson").lower, std::pow(0.025, 0.1), 1e-14);
    EXPECT_EQ(smup::proportion_ci(10, 10, 0.95, "clopper-pearson").upper, 1.0);
    // Jeffreys = quantiles of beta(x + 1/2, n - x + 1/2). With x = 1.5, n = 2 that is beta(2, 1),
    // whose CDF is p^2: limits sqrt(alpha/2) and sqrt(1 - alpha/2).
    smup::Interval j = smup::proportion_ci(1.5, 2, 0.95, "jeffreys");
    EXPECT_NEAR(j.lower, std::sqrt(0.025), 1e-14);
    EXPECT_NEAR(j.upper, std::sqrt(0.975), 1e-14);
    // Jeffreys with x = 0 has lower 0 (Brown, Cai & DasGupta 2001, Stat Sci 16:101, sec. 4.1.2)
    EXPECT_EQ(smup::proportion_ci(0, 10, 0.95, "jeffreys").lower, 0.0);
    // and lies inside the exact interval for 15/148
    const smup::Interval cp = smup::proportion_ci(15, 148, 0.95, "clopper-pearson");
    j = smup::proportion_ci(15, 148, 0.95, "jeffreys");
    EXPECT_GT(j.lower, cp.lower);
    EXPECT_LT(j.upper, cp.upper);
    // Wilson: the score equation (p - phat)^2 = z^2 p (1 - p) / n holds at both limits
    const double z = 1.959963984540054;
    const smup::Interval w = smup::proportion_ci(81, 263, 0.95, "wilson");
    for (double p : {w.lower, w.upper})
        EXPECT_NEAR((p - 81.0 / 263) * (p - 81.0 / 263), z * z * p * (1 - p) / 263, 1e-15);
}

TEST(Intervals, Errors) {
    smup_interval out;
    smup_error err;
    EXPECT_EQ(smup_proportion_ci(1, 10, 0.95, "wald", 4, &out, &err), SMUP_INVALID_ARGUMENT);
    EXPECT_STREQ(err.message, "unknown confidence interval method \"wald\" (use wilson, clopper-pearson or jeffreys)");
    EXPECT_EQ(smup_proportion_ci(11, 10, 0.95, "wilson", 6, &out, &err), SMUP_OUT_OF_RANGE);
    EXPECT_EQ(smup_proportion_ci(1, 0, 0.95, "wilson", 6, &out, &err), SMUP_OUT_OF_RANGE);
    EXPECT_EQ(smup_proportion_ci(1, 10, 0, "wilson", 6, &out, &err), SMUP_OUT_OF_RANGE);
    EXPECT_EQ(smup_rate_ci(1, -5, 1000, 0.95, &out, &err), SMUP_OUT_OF_RANGE);
    EXPECT_STREQ(err.message, "exposure must be positive, not -5");
    EXPECT_EQ(smup_rate_ci(Inf, 5, 1000, 0.95, &out, &err), SMUP_NOT_FINITE);
}

}  // namespace
