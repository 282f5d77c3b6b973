// intervals.hpp: confidence intervals of a Poisson rate and of a binomial proportion.
#pragma once

#include <string_view>

namespace smup {

struct Interval {
    double estimate = 0, lower = 0, upper = 0;
};

// Exact (Garwood 1936) limits of a Poisson count x at confidence `level`:
// lower = chi2 quantile(alpha/2; 2x) / 2 (0 when x = 0), upper = chi2 quantile(1 - alpha/2; 2x + 2) / 2,
// computed as gamma quantiles (gamma_p_inv(x, alpha/2), gamma_p_inv(x + 1, 1 - alpha/2)); the
// count and both limits are then multiplied by per / exposure. x may be non-integer (the
// gamma form is continuous in x); x < 0, exposure <= 0, per <= 0, level outside (0, 1) throw
// OutOfRange; non-finite arguments throw NotFinite.
Interval poisson_rate_ci(double events, double exposure, double per, double level);

// Confidence interval of successes / trials: method "wilson" (Wilson 1927 score interval),
// "clopper-pearson" (exact, beta quantiles) or "jeffreys" (beta(x + 1/2, n - x + 1/2)
// quantiles, lower 0 when x = 0 and upper 1 when x = n, as Brown, Cai & DasGupta 2001).
// Unknown methods throw InvalidArgument; trials <= 0, successes outside [0, trials] and level
// outside (0, 1) throw OutOfRange.
Interval proportion_ci(double successes, double trials, double level, std::string_view method);

}  // namespace smup
