// distribution.cpp: see distribution.hpp.
#include "distribution.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace smup {

namespace {

std::string describe(double v) {
    if (std::isnan(v)) return "NaN";
    return v > 0 ? "Infinity" : "-Infinity";
}

std::string format_number(double v) {
    if (std::isnan(v)) return "NaN";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

}  // namespace

void require_finite_values(const double* values, std::size_t n, const char* what) {
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(values[i]))
            throw NotFinite(std::string(what) + " must be a finite number, not " + describe(values[i]));
}

namespace {

// Sorts [first, last) in place with no extra memory, polling the cancel callback between
// blocks: ranges above `block` are split at their median (std::nth_element, linear) and each
// half sorted in turn; blocks go to std::sort. Past `depth` splits (cannot happen with a
// median split, kept as a guard) the rest is sorted in one call.
void sort_polled(double* first, double* last, CancelPoll::Callback should_cancel, int depth) {
    constexpr std::ptrdiff_t block = std::ptrdiff_t(1) << 20;
    while (last - first > block) {
        if (should_cancel()) throw Cancelled();
        if (depth-- == 0) break;
        double* mid = first + (last - first) / 2;
        std::nth_element(first, mid, last);
        sort_polled(first, mid, should_cancel, depth);
        first = mid;
    }
    std::sort(first, last);
}

}  // namespace

void sort_values(double* values, std::size_t n, CancelPoll::Callback should_cancel) {
    if (!should_cancel) {
        std::sort(values, values + n);
        return;
    }
    sort_polled(values, values + n, should_cancel, 64);
}

void merge_sorted_runs(double* values, std::size_t n1, std::size_t n2) {
    std::inplace_merge(values, values + n1, values + n1 + n2);
}

void validate_sorted(const double* values, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(values[i]))
            throw InvalidArgument("invalid smup.distribution: value " + std::to_string(i + 1) + " is " +
                                  describe(values[i]));
        if (i > 0 && values[i] < values[i - 1])
            throw InvalidArgument("invalid smup.distribution: values are not sorted at position " +
                                  std::to_string(i + 1));
    }
}

static void require_not_nan(double x) {
    if (std::isnan(x)) throw NotFinite("the value to rank must not be NaN");
}

std::size_t count_below(const double* sorted, std::size_t n, double x) {
    require_not_nan(x);
    return static_cast<std::size_t>(std::lower_bound(sorted, sorted + n, x) - sorted);
}

std::size_t count_at_most(const double* sorted, std::size_t n, double x) {
    require_not_nan(x);
    return static_cast<std::size_t>(std::upper_bound(sorted, sorted + n, x) - sorted);
}

double percentile_rank(const double* sorted, std::size_t n, double x) {
    if (n == 0) throw InvalidArgument("empty distribution");
    const std::size_t below = count_below(sorted, n, x);
    // a member: some value equals x (below < n and the next value is x)
    if (below < n && sorted[below] == x) {
        if (n == 1) return 0.0;
        // PostgreSQL's percent_rank: (float8) (rank - 1) / (float8) (totalrows - 1).
        return static_cast<double>(below) / static_cast<double>(n - 1);
    }
    // not a member: the hypothetical-set percent_rank(x) WITHIN GROUP, (float8) (rank - 1) /
    // (float8) rowcount, x ranked among the n values without joining them
    return static_cast<double>(below) / static_cast<double>(n);
}

GroupPosition group_position(const double* sorted, std::size_t n, double x, Polarity polarity) {
    require_not_nan(x);
    const std::size_t below = count_below(sorted, n, x);
    const std::size_t at_most = count_at_most(sorted, n, x);
    GroupPosition p;
    p.tied = at_most - below;
    const std::size_t above = n - at_most;
    p.worse = polarity == Polarity::LowerIsBetter ? above : below;
    p.better = polarity == Polarity::LowerIsBetter ? below : above;
    return p;
}

std::optional<double> GroupPosition::percentile() const {
    // x itself, when a member, is one of the tied and not compared with itself
    const std::size_t tied_others = tied > 0 ? tied - 1 : 0;
    const std::size_t others = worse + tied_others + better;
    if (others == 0) return std::nullopt;
    return 100.0 * (static_cast<double>(worse) + 0.5 * static_cast<double>(tied_others)) /
           static_cast<double>(others);
}

double cume_dist(const double* sorted, std::size_t n, double x) {
    if (n == 0) throw InvalidArgument("empty distribution");
    // PostgreSQL's cume_dist: (float8) rank_of_last_peer / (float8) totalrows.
    return static_cast<double>(count_at_most(sorted, n, x)) / static_cast<double>(n);
}

double quantile(const double* sorted, std::size_t n, double p) {
    if (std::isnan(p) || p < 0.0 || p > 1.0)
        throw OutOfRange("percentile value " + format_number(p) + " is not between 0 and 1");
    if (n == 0) throw InvalidArgument("empty distribution");
    // orderedsetaggs.c, percentile_cont_final_common: the same operations in the same order.
    const double pos = p * static_cast<double>(static_cast<long long>(n) - 1);
    const double first_row = std::floor(pos);
    const double second_row = std::ceil(pos);
    const double lo = sorted[static_cast<std::size_t>(first_row)];
    if (second_row == first_row) return lo;
    const double hi = sorted[static_cast<std::size_t>(second_row)];
    const double proportion = pos - first_row;
    return lo + (hi - lo) * proportion;   // float8_lerp
}

double mean_of(const double* values, std::size_t n) {
    long double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += values[i];
    return static_cast<double>(sum / static_cast<long double>(n));
}

std::optional<double> sd_of(const double* values, std::size_t n, double mean) {
    if (n < 2) return std::nullopt;
    long double ss = 0, s = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const long double d = static_cast<long double>(values[i]) - mean;
        ss += d * d;
        s += d;
    }
    // corrected two-pass formula (Chan, Golub & LeVeque 1983)
    const long double var = (ss - s * s / static_cast<long double>(n)) / static_cast<long double>(n - 1);
    return static_cast<double>(std::sqrt(std::max(var, 0.0L)));
}

double mad_of(const double* sorted, std::size_t n) {
    const double med = quantile(sorted, n, 0.5);
    // |v - median| is decreasing left of the median and increasing right of it: merge the two
    // sorted halves instead of sorting again.
    std::vector<double> dev(n);
    std::size_t split = static_cast<std::size_t>(std::lower_bound(sorted, sorted + n, med) - sorted);
    std::size_t i = split, j = split, k = 0;   // left walks down from split-1, right up from split
    while (k < n) {
        const bool have_left = i > 0, have_right = j < n;
        const double l = have_left ? med - sorted[i - 1] : 0;
        const double r = have_right ? sorted[j] - med : 0;
        if (have_left && (!have_right || l <= r)) {
            dev[k++] = l;
            --i;
        } else {
            dev[k++] = r;
            ++j;
        }
    }
    return quantile(dev.data(), n, 0.5);
}

Summary summarize(const double* sorted, std::size_t n) {
    if (n == 0) throw InvalidArgument("empty distribution");
    Summary s;
    s.n = n;
    s.min = sorted[0];
    s.max = sorted[n - 1];
    s.q1 = quantile(sorted, n, 0.25);
    s.median = quantile(sorted, n, 0.5);
    s.q3 = quantile(sorted, n, 0.75);
    s.mean = mean_of(sorted, n);
    s.sd = sd_of(sorted, n, s.mean);
    s.mad = mad_of(sorted, n);
    return s;
}

}  // namespace smup
