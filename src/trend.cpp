// trend.cpp: see trend.hpp.
#include "trend.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <boost/math/distributions/normal.hpp>

namespace smup {

MannKendall mann_kendall(const double* x, std::size_t n, CancelPoll::Callback should_cancel) {
    CancelPoll poll(should_cancel, 1024);
    MannKendall mk;
    if (n < 2) return mk;
    long long s = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        poll();
        for (std::size_t j = i + 1; j < n; ++j) s += (x[j] > x[i]) - (x[j] < x[i]);
    }
    // Tie groups: sum over groups of t (t - 1) (2t + 5).
    std::vector<double> sorted(x, x + n);
    std::sort(sorted.begin(), sorted.end());
    double ties = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && sorted[j] == sorted[i]) ++j;
        const double t = static_cast<double>(j - i);
        ties += t * (t - 1) * (2 * t + 5);
        i = j;
    }
    const double dn = static_cast<double>(n);
    mk.s = static_cast<double>(s);
    mk.var_s = (dn * (dn - 1) * (2 * dn + 5) - ties) / 18.0;
    if (s > 0)
        mk.z = (mk.s - 1) / std::sqrt(mk.var_s);
    else if (s < 0)
        mk.z = (mk.s + 1) / std::sqrt(mk.var_s);
    else
        mk.z = 0;
    const boost::math::normal_distribution<double> normal;
    mk.p = 2 * boost::math::cdf(boost::math::complement(normal, std::fabs(mk.z)));
    mk.tau = mk.s / (0.5 * dn * (dn - 1));
    return mk;
}

TrendResult compute_trend(YearValue* pts, std::size_t n, CancelPoll::Callback should_cancel) {
    if (n == 0) throw InvalidArgument("empty series");
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(pts[i].value))
            throw NotFinite("smup.trend value for year " + std::to_string(pts[i].year) +
                            " must be a finite number, not " +
                            (std::isnan(pts[i].value) ? "NaN" : pts[i].value > 0 ? "Infinity" : "-Infinity"));
    std::sort(pts, pts + n, [](const YearValue& a, const YearValue& b) { return a.year < b.year; });
    for (std::size_t i = 1; i < n; ++i)
        if (pts[i].year == pts[i - 1].year)
            throw InvalidArgument("smup.trend: duplicate year " + std::to_string(pts[i].year));

    // Theil–Sen and Mann–Kendall look at every pair: keep that bounded (5e7 slopes, 400 MB).
    if (n > kMaxTrendPoints)
        throw OutOfRange("smup.trend takes at most " + std::to_string(kMaxTrendPoints) + " points, not " +
                         std::to_string(n));
    TrendResult r;
    r.n = n;
    r.first_year = pts[0].year;
    r.last_year = pts[n - 1].year;
    if (n < 2) return r;

    // OLS on centred data (two passes, long double).
    long double mx = 0, my = 0;
    for (std::size_t i = 0; i < n; ++i) {
        mx += pts[i].year;
        my += pts[i].value;
    }
    mx /= n;
    my /= n;
    long double sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const long double dx = pts[i].year - mx, dy = pts[i].value - my;
        sxx += dx * dx;
        sxy += dx * dy;
    }
    const long double slope = sxy / sxx;
    r.ols_slope = static_cast<double>(slope);
    if (n >= 3) {
        long double sse = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const long double e = (pts[i].value - my) - slope * (pts[i].year - mx);
            sse += e * e;
        }
        r.ols_slope_se = static_cast<double>(std::sqrt(sse / (n - 2) / sxx));
    }

    // Theil–Sen: median of the n (n - 1) / 2 pairwise slopes (Sen 1968), the median of an even
    // count being the mean of the two middle ones.
    CancelPoll poll(should_cancel, 256);
    std::vector<double> slopes;
    slopes.reserve(n * (n - 1) / 2);
    for (std::size_t i = 0; i + 1 < n; ++i) {
        poll();
        for (std::size_t j = i + 1; j < n; ++j)
            slopes.push_back((pts[j].value - pts[i].value) / static_cast<double>(pts[j].year - pts[i].year));
    }
    const std::size_t m = slopes.size();
    auto mid = slopes.begin() + m / 2;
    std::nth_element(slopes.begin(), mid, slopes.end());
    double med = *mid;
    if (m % 2 == 0) med = (med + *std::max_element(slopes.begin(), mid)) / 2;
    r.theil_sen_slope = med;

    std::vector<double> values(n);
    for (std::size_t i = 0; i < n; ++i) values[i] = pts[i].value;
    const MannKendall mk = mann_kendall(values.data(), n, should_cancel);
    r.mann_kendall_tau = mk.tau;
    r.mann_kendall_p = mk.p;

    const double first = pts[0].value, last = pts[n - 1].value;
    if (first > 0 && last >= 0)
        r.cagr = std::pow(last / first, 1.0 / static_cast<double>(r.last_year - r.first_year)) - 1.0;
    return r;
}

}  // namespace smup
