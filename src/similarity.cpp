// similarity.cpp: one standardisation of the whole level, then the k nearest of each unit.
#include "similarity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace smup {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
constexpr double kMadToSd = 1.482602218505602;  // 1 / Φ⁻¹(3/4): MAD of a normal sample → its sd

// percentile_cont(0.5) of values (reordered)
double median_of(std::vector<double>& v) {
    const std::size_t h = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + h, v.end());
    const double upper = v[h];
    if (v.size() % 2) return upper;
    const double lower = *std::max_element(v.begin(), v.begin() + h);
    return lower + (upper - lower) / 2;
}

}  // namespace

Scale indicator_scale(const double* column, std::size_t n, std::size_t stride, Standardisation method) {
    std::vector<double> v;
    v.reserve(n);
    for (std::size_t u = 0; u < n; ++u) {
        const double x = column[u * stride];
        if (!std::isnan(x)) v.push_back(x);
    }
    Scale s;
    if (v.empty()) return s;
    if (method == Standardisation::z) {
        // two passes: the mean, then the squared deviations from it (no cancellation)
        double sum = 0;
        for (double x : v) sum += x;
        s.centre = sum / static_cast<double>(v.size());
        if (v.size() < 2) return s;
        double ss = 0;
        for (double x : v) ss += (x - s.centre) * (x - s.centre);
        s.spread = std::sqrt(ss / static_cast<double>(v.size() - 1));
    } else {
        s.centre = median_of(v);
        for (double& x : v) x = std::fabs(x - s.centre);
        s.spread = v.size() < 2 ? 0 : kMadToSd * median_of(v);
    }
    return s;
}

SimilarityResult nearest_similar(const std::vector<std::string_view>& ids, const double* values, std::size_t n_units,
                                 std::size_t n_indicators, const double* weights, std::size_t k,
                                 Standardisation method, const std::vector<std::size_t>& only,
                                 CancelPoll::Callback should_cancel) {
    if (ids.size() != n_units) throw InvalidArgument("similar units: one id per unit is needed");
    if (n_indicators == 0) throw InvalidArgument("similar units: no indicators");
    if (k == 0) throw InvalidArgument("similar units: k must be at least 1");
    double total_weight = 0;
    std::size_t n_weighted = 0;
    for (std::size_t i = 0; i < n_indicators; ++i) {
        const double w = weights[i];
        if (!std::isfinite(w) || w < 0)
            throw InvalidArgument("similar units: weight " + std::to_string(i + 1) + " must be a finite number >= 0, not " +
                                  std::to_string(w));
        total_weight += w;
        n_weighted += w > 0;
    }
    if (!(total_weight > 0)) throw InvalidArgument("similar units: the weights are all zero");
    for (std::size_t c = 0; c < n_units * n_indicators; ++c)
        if (std::isinf(values[c])) throw NotFinite("similar units: an indicator value is infinite");
    for (std::size_t u : only)
        if (u >= n_units) throw OutOfRange("similar units: unit index out of range");

    CancelPoll poll(should_cancel, 256);
    // 1. standardise every indicator once; note who has enough of them
    std::vector<double> z(n_units * n_indicators, kMissing);
    for (std::size_t i = 0; i < n_indicators; ++i) {
        const Scale s = indicator_scale(values + i, n_units, n_indicators, method);
        for (std::size_t u = 0; u < n_units; ++u) {
            const double x = values[u * n_indicators + i];
            if (!std::isnan(x)) z[u * n_indicators + i] = s.spread > 0 ? (x - s.centre) / s.spread : 0.0;
        }
        poll();
    }
    std::vector<char> eligible(n_units, 0);
    std::vector<std::size_t> candidates;
    for (std::size_t u = 0; u < n_units; ++u) {
        std::size_t missing = 0;
        for (std::size_t i = 0; i < n_indicators; ++i) missing += weights[i] > 0 && std::isnan(z[u * n_indicators + i]);
        if (2 * missing <= n_weighted) {
            eligible[u] = 1;
            candidates.push_back(u);
        }
    }
    std::vector<std::size_t> asked;
    if (only.empty()) {
        asked = candidates;
    } else {
        for (std::size_t u : only)
            if (eligible[u]) asked.push_back(u);
    }

    // 2. for each unit asked: the distance to every other eligible unit, the k nearest kept.
    // The distance reads only the positive-weight indicators. A pair where both units have all
    // of them (nearly every pair) needs no missing-value test and no re-weighting (W_S = W):
    // those distances are summed for all candidates at once, indicator by indicator over the
    // candidates' values laid out by indicator, so that the candidates' sums are independent
    // (each still added up in indicator order: the same doubles as one pair at a time).
    std::vector<std::size_t> used;
    for (std::size_t i = 0; i < n_indicators; ++i)
        if (weights[i] > 0) used.push_back(i);
    const std::size_t m = used.size(), n_candidates = candidates.size();
    std::vector<char> complete(n_units, 1);
    for (std::size_t u = 0; u < n_units; ++u)
        for (std::size_t i : used)
            if (std::isnan(z[u * n_indicators + i])) complete[u] = 0;
    std::vector<double> by_indicator(m * n_candidates);
    std::vector<std::size_t> incomplete;  // positions in candidates
    for (std::size_t c = 0; c < n_candidates; ++c) {
        for (std::size_t j = 0; j < m; ++j) by_indicator[j * n_candidates + c] = z[candidates[c] * n_indicators + used[j]];
        if (!complete[candidates[c]]) incomplete.push_back(c);
    }
    // a pair with a unit missing some: over what both have, scaled back to the full weight
    auto squared_distance_partial = [&](std::size_t a, std::size_t b, bool& comparable) {
        double sum = 0, present_weight = 0;
        for (std::size_t i : used) {
            const double za = z[a * n_indicators + i], zb = z[b * n_indicators + i];
            if (std::isnan(za) || std::isnan(zb)) continue;
            const double d = za - zb;
            sum += weights[i] * d * d;
            present_weight += weights[i];
        }
        comparable = present_weight > 0;
        return comparable ? sum * (total_weight / present_weight) : 0.0;
    };
    std::vector<double> d2(n_candidates);
    std::vector<char> comparable(n_candidates);
    SimilarityResult result;
    result.n_indicators = n_indicators;
    struct Candidate {
        double d2;
        std::size_t unit;
    };
    // a strict total order (ids are distinct): the k kept do not depend on the scan order
    const auto closer = [&](const Candidate& x, const Candidate& y) {
        return x.d2 < y.d2 || (x.d2 == y.d2 && ids[x.unit] < ids[y.unit]);
    };
    // the k nearest so far as a max-heap (the farthest of them on top): a candidate costs one
    // comparison with the top, not a place in a list of every unit to sort
    std::vector<Candidate> near;
    near.reserve(k + 1);
    for (std::size_t a : asked) {
        if (complete[a]) {
            std::fill(d2.begin(), d2.end(), 0.0);
            for (std::size_t j = 0; j < m; ++j) {
                const double za = z[a * n_indicators + used[j]], w = weights[used[j]];
                const double* zb = &by_indicator[j * n_candidates];
                for (std::size_t c = 0; c < n_candidates; ++c) {
                    const double d = za - zb[c];
                    d2[c] += w * d * d;
                }
            }
            std::fill(comparable.begin(), comparable.end(), 1);
            for (std::size_t c : incomplete) {
                bool ok;
                d2[c] = squared_distance_partial(a, candidates[c], ok);
                comparable[c] = ok;
            }
        } else {
            for (std::size_t c = 0; c < n_candidates; ++c) {
                bool ok;
                d2[c] = squared_distance_partial(a, candidates[c], ok);
                comparable[c] = ok;
            }
        }
        near.clear();
        for (std::size_t c = 0; c < n_candidates; ++c) {
            if (candidates[c] == a || !comparable[c]) continue;
            const Candidate x{d2[c], candidates[c]};
            if (near.size() < k) {
                near.push_back(x);
                std::push_heap(near.begin(), near.end(), closer);
            } else if (closer(x, near.front())) {
                std::pop_heap(near.begin(), near.end(), closer);
                near.back() = x;
                std::push_heap(near.begin(), near.end(), closer);
            }
        }
        poll();
        std::sort_heap(near.begin(), near.end(), closer);
        const std::size_t keep = near.size();
        for (std::size_t r = 0; r < keep; ++r) {
            const std::size_t b = near[r].unit;
            result.peers.push_back({a, b, static_cast<int>(r + 1), std::sqrt(near[r].d2)});
            // shares of the (unscaled) weighted sum: the re-weighting factor cancels out
            double sum = 0;
            const std::size_t at = result.contributions.size();
            for (std::size_t i = 0; i < n_indicators; ++i) {
                const double za = z[a * n_indicators + i], zb = z[b * n_indicators + i];
                if (weights[i] == 0 || std::isnan(za) || std::isnan(zb)) {
                    result.contributions.push_back(weights[i] == 0 && !std::isnan(za) && !std::isnan(zb) ? 0.0 : kMissing);
                } else {
                    const double part = weights[i] * (za - zb) * (za - zb);
                    result.contributions.push_back(part);
                    sum += part;
                }
            }
            for (std::size_t i = 0; i < n_indicators; ++i) {
                double& c = result.contributions[at + i];
                if (!std::isnan(c)) c = sum > 0 ? c / sum : 0.0;
            }
        }
    }
    return result;
}

}  // namespace smup
