// distribution.hpp: a group's distribution as a sorted array of finite doubles, and what can be
// read from it in O(log n): ranks the way PostgreSQL's window functions give them, quantiles the
// way percentile_cont interpolates, and a summary.
#pragma once

#include <cstddef>
#include <optional>

#include "errors.hpp"

namespace smup {

// Throws NotFinite naming `what` unless every value is finite.
void require_finite_values(const double* values, std::size_t n, const char* what);

// Sorts in place (ascending); polls the cancel callback between blocks of a large sort.
void sort_values(double* values, std::size_t n, CancelPoll::Callback should_cancel = nullptr);

// Merges the ascending runs values[0, n1) and values[n1, n1 + n2) in place.
void merge_sorted_runs(double* values, std::size_t n1, std::size_t n2);

// Throws InvalidArgument unless values are finite and ascending (used by recv and deserialise).
void validate_sorted(const double* values, std::size_t n);

// Number of values strictly below x, and at most x (x may be ±infinity; NaN throws NotFinite).
std::size_t count_below(const double* sorted, std::size_t n, double x);
std::size_t count_at_most(const double* sorted, std::size_t n, double x);

// For a member x (a value equal to x in the group): (count below x) / (n - 1), 0 when n == 1,
// which is percent_rank() OVER (ORDER BY v). For any other x: (count below x) / n, which is
// PostgreSQL's hypothetical-set percent_rank(x) WITHIN GROUP (ORDER BY v). Always in [0, 1].
double percentile_rank(const double* sorted, std::size_t n, double x);
// (count at most x) / n. Equals cume_dist() OVER (ORDER BY v) for members.
double cume_dist(const double* sorted, std::size_t n, double x);

// Where a value stands in a group, by polarity ("worse" is lower when higher is better; neutral
// orders like higher_is_better, so 100 = highest). tied counts members equal to x.
enum class Polarity { HigherIsBetter, LowerIsBetter, Neutral };
struct GroupPosition {
    std::size_t worse = 0, tied = 0, better = 0;
    std::size_t rank() const { return 1 + better; }  // ties share the best rank
    // Mid-rank percentile against the other members, ties counting half: for a member
    // 100 (worse + (tied - 1) / 2) / (n - 1); for a value not in the group 100 (worse + tied / 2) / n
    // (tied is then 0). None when there is no other member (a group of one).
    std::optional<double> percentile() const;
};
GroupPosition group_position(const double* sorted, std::size_t n, double x, Polarity polarity);

// percentile_cont(p) WITHIN GROUP (ORDER BY v), computed as PostgreSQL does:
// pos = p * (n - 1), lo = v[floor(pos)], hi = v[ceil(pos)], lo + (hi - lo) * (pos - floor(pos)).
// p outside [0, 1] or NaN throws OutOfRange.
double quantile(const double* sorted, std::size_t n, double p);

struct Summary {
    std::size_t n = 0;
    double min = 0, q1 = 0, median = 0, q3 = 0, max = 0, mean = 0;
    std::optional<double> sd;   // sample standard deviation; none when n == 1
    double mad = 0;             // median absolute deviation from the median, unscaled
};

Summary summarize(const double* sorted, std::size_t n);

// Mean and sample standard deviation (none when n < 2), accurately (long double, two passes).
double mean_of(const double* values, std::size_t n);
std::optional<double> sd_of(const double* values, std::size_t n, double mean);

// Median absolute deviation (unscaled) of sorted values around their median, O(n) extra memory.
double mad_of(const double* sorted, std::size_t n);

}  // namespace smup
