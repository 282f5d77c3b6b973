// trend.hpp: the trend of a yearly series: OLS slope and its standard error, the Theil–Sen
// slope, the Mann–Kendall test and the compound annual growth rate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "errors.hpp"

namespace smup {

struct YearValue {
    double value;
    std::int32_t year;
};

struct TrendResult {
    std::size_t n = 0;
    std::int32_t first_year = 0, last_year = 0;
    std::optional<double> ols_slope;         // n >= 2
    std::optional<double> ols_slope_se;      // n >= 3
    std::optional<double> theil_sen_slope;   // n >= 2
    std::optional<double> mann_kendall_tau;  // n >= 2
    std::optional<double> mann_kendall_p;    // n >= 2
    std::optional<double> cagr;              // n >= 2, first > 0, last >= 0
};

// Pairwise statistics are O(n²): a series longer than this is refused (OutOfRange).
constexpr std::size_t kMaxTrendPoints = 10000;

// Sorts the points by year in place (duplicate years throw InvalidArgument naming the year;
// non-finite values throw NotFinite) and computes every statistic. n must be at least 1.
TrendResult compute_trend(YearValue* points, std::size_t n, CancelPoll::Callback should_cancel = nullptr);

// Mann–Kendall S, its variance with the tie correction, and the two-sided p-value of the
// normal approximation with continuity correction (Hirsch, Slack & Smith 1982; the
// conventions of pymannkendall's original_test and of R's Kendall::MannKendall).
struct MannKendall {
    double s = 0, var_s = 0, z = 0, p = 1, tau = 0;
};
MannKendall mann_kendall(const double* values_in_time_order, std::size_t n, CancelPoll::Callback should_cancel = nullptr);

}  // namespace smup
