// intervals.cpp: see intervals.hpp. Special functions from Boost.Math only.
#include "intervals.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "errors.hpp"

namespace smup {

namespace {

std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

void finite(double v, const char* what) {
    if (!std::isfinite(v))
        throw NotFinite(std::string(what) + " must be a finite number, not " +
                        (std::isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity"));
}

void check_level(double level) {
    finite(level, "level");
    if (!(level > 0.0 && level < 1.0)) throw OutOfRange("level must be between 0 and 1 (exclusive), not " + num(level));
}

}  // namespace

Interval poisson_rate_ci(double events, double exposure, double per, double level) {
    finite(events, "events");
    finite(exposure, "exposure");
    finite(per, "per");
    check_level(level);
    if (events < 0) throw OutOfRange("events must not be negative, not " + num(events));
    if (!(exposure > 0)) throw OutOfRange("exposure must be positive, not " + num(exposure));
    if (!(per > 0)) throw OutOfRange("per must be positive, not " + num(per));
    const double alpha = 1.0 - level;
    const double lo = events > 0 ? boost::math::gamma_p_inv(events, alpha / 2) : 0.0;
    const double hi = boost::math::gamma_p_inv(events + 1, 1 - alpha / 2);
    const double scale = per / exposure;
    return Interval{events * scale, lo * scale, hi * scale};
}

Interval proportion_ci(double x, double n, double level, std::string_view method) {
    finite(x, "successes");
    finite(n, "trials");
    check_level(level);
    const bool wilson = method == "wilson", cp = method == "clopper-pearson", jeffreys = method == "jeffreys";
    if (!wilson && !cp && !jeffreys)
        throw InvalidArgument("unknown confidence interval method " + quoted(method) +
                              " (use wilson, clopper-pearson or jeffreys)");
    if (!(n > 0)) throw OutOfRange("trials must be positive, not " + num(n));
    if (x < 0) throw OutOfRange("successes must not be negative, not " + num(x));
    if (x > n) throw OutOfRange("successes (" + num(x) + ") must not exceed trials (" + num(n) + ")");
    const double alpha = 1.0 - level;
    const double p = x / n;
    Interval r{p, 0, 1};
    if (wilson) {
        const double z = boost::math::quantile(boost::math::normal_distribution<double>(), 1 - alpha / 2);
        const double z2 = z * z;
        const double centre = (x + z2 / 2) / (n + z2);
        const double half = z / (n + z2) * std::sqrt(x * (n - x) / n + z2 / 4);
        r.lower = x == 0 ? 0.0 : std::max(0.0, centre - half);
        r.upper = x == n ? 1.0 : std::min(1.0, centre + half);
    } else if (cp) {
        r.lower = x == 0 ? 0.0 : boost::math::ibeta_inv(x, n - x + 1, alpha / 2);
        r.upper = x == n ? 1.0 : boost::math::ibeta_inv(x + 1, n - x, 1 - alpha / 2);
    } else {
        r.lower = x == 0 ? 0.0 : boost::math::ibeta_inv(x + 0.5, n - x + 0.5, alpha / 2);
        r.upper = x == n ? 1.0 : boost::math::ibeta_inv(x + 0.5, n - x + 0.5, 1 - alpha / 2);
    }
    return r;
}

}  // namespace smup
