// autocorrelation.cpp: see autocorrelation.hpp. The formulas follow spdep 1.2 (moran.test,
// geary.test, spweights.constants, localmoran with conditional = TRUE, localG, EBest), so that
// the numbers agree with it to rounding; the permutation loops are written for speed.
#include "autocorrelation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace smup {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Undefined results (0/0, a division by zero, a negative variance) become NaN, never a p of 0.
double defined(double v) { return std::isfinite(v) ? v : kNaN; }

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// w_ji, 0 when there is no pair (j, i) (pairs of weight 0 are left out, so present means > 0).
double reverse_weight(const SpatialData& d, std::size_t i, std::uint32_t j) {
    const auto b = d.nb.begin() + static_cast<std::ptrdiff_t>(d.start[j]);
    const auto e = d.nb.begin() + static_cast<std::ptrdiff_t>(d.start[j + 1]);
    const auto it = std::lower_bound(b, e, static_cast<std::uint32_t>(i));  // rows sorted by neighbour
    return it != e && *it == i ? d.w[static_cast<std::size_t>(it - d.nb.begin())] : 0.0;
}

// Sums over the weights matrix that every moment needs (spdep's spweights.constants).
struct WeightConstants {
    double n;  // units with neighbours (adjust.n = TRUE)
    double s0, s1, s2;
};

WeightConstants weight_constants(const SpatialData& d) {
    WeightConstants c{static_cast<double>(d.n - d.islands), 0, 0, 0};
    std::vector<double> row(d.n, 0.0), col(d.n, 0.0);
    for (std::size_t i = 0; i < d.n; ++i)
        for (std::size_t e = d.start[i]; e < d.start[i + 1]; ++e) {
            const std::uint32_t j = d.nb[e];
            const double wij = d.w[e];
            row[i] += wij;
            col[j] += wij;
            c.s1 += wij * wij + wij * reverse_weight(d, i, j);
        }
    for (std::size_t i = 0; i < d.n; ++i) {
        c.s0 += row[i];
        c.s2 += (row[i] + col[i]) * (row[i] + col[i]);
    }
    return c;
}

// Deviations from the mean, their sum of squares and the sample kurtosis n Σz⁴ / (Σz²)².
struct Deviations {
    std::vector<double> z;
    double zz = 0, kurtosis = 0;
};

Deviations deviations(const std::vector<double>& x) {
    Deviations dv;
    const double n = static_cast<double>(x.size());
    const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
    dv.z.assign(x.size(), 0.0);
    // constant values: exactly zero deviations (a rounded mean would leave tiny ones)
    if (std::all_of(x.begin(), x.end(), [&](double v) { return v == x[0]; })) {
        dv.kurtosis = std::numeric_limits<double>::quiet_NaN();
        return dv;
    }
    double z4 = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        dv.z[i] = x[i] - mean;
        const double q = dv.z[i] * dv.z[i];
        dv.zz += q;
        z4 += q * q;
    }
    dv.kurtosis = n * z4 / (dv.zz * dv.zz);
    return dv;
}

// Σ_i y_i Σ_j w_ij y_j
double cross_product(const SpatialData& d, const double* y) {
    double s = 0;
    for (std::size_t i = 0; i < d.n; ++i) {
        double lag = 0;
        for (std::size_t e = d.start[i]; e < d.start[i + 1]; ++e) lag += d.w[e] * y[d.nb[e]];
        s += y[i] * lag;
    }
    return s;
}

// The weights as unordered pairs a < b with w_ab + w_ba: the global statistics are symmetric in
// the pair, so a permutation costs half the products of the directed form.
struct UndirectedPairs {
    std::vector<std::uint32_t> a, b;
    std::vector<double> w;
};

UndirectedPairs undirected_pairs(const SpatialData& d) {
    UndirectedPairs u;
    for (std::size_t i = 0; i < d.n; ++i)
        for (std::size_t e = d.start[i]; e < d.start[i + 1]; ++e) {
            const std::uint32_t j = d.nb[e];
            const double wji = reverse_weight(d, i, j);
            if (j > i) {
                u.a.push_back(static_cast<std::uint32_t>(i));
                u.b.push_back(j);
                u.w.push_back(d.w[e] + wji);
            } else if (wji == 0) {  // (j, i) absent: this pair's only weight
                u.a.push_back(j);
                u.b.push_back(static_cast<std::uint32_t>(i));
                u.w.push_back(d.w[e]);
            }
        }
    return u;
}

// Pseudo p of a global statistic: stat(y) over random permutations of y (Fisher–Yates).
template <typename Statistic>
double permutation_p(std::vector<double> y, double observed, std::uint32_t permutations, std::uint64_t seed,
                     CancelPoll::Callback should_cancel, Statistic stat) {
    if (permutations == 0 || !std::isfinite(observed)) return kNaN;
    Random rng(seed);
    CancelPoll poll(should_cancel, 8);
    std::size_t ge = 0, le = 0;
    const std::size_t n = y.size();
    for (std::uint32_t p = 0; p < permutations; ++p) {
        poll();
        for (std::size_t t = n - 1; t > 0; --t)
            std::swap(y[t], y[rng.below(static_cast<std::uint32_t>(t + 1))]);
        const double s = stat(y.data());
        ge += s >= observed;
        le += s <= observed;
    }
    return pseudo_p(ge, le, permutations);
}

void finish_test(GlobalTest& t) {
    t.z_normal = defined((t.statistic - t.expected) / std::sqrt(t.variance_normal));
    t.z_random = defined((t.statistic - t.expected) / std::sqrt(t.variance_random));
    t.p_normal = normal_tail(t.z_normal);
    t.p_random = normal_tail(t.z_random);
}

// Conditional permutation (Anselin 1995): for each unit, its k neighbours' values replaced by k
// values drawn without replacement from the other n − 1 units. As PySAL esda does, one table of
// draws serves every unit: each permutation is a partial Fisher–Yates shuffle of the ranks
// 0 .. n − 2, and rank r stands, for unit i, for the r-th of the others (r, or r + 1 from i on).
// Each unit's draws are uniform, so each p is a valid permutation p; a block of permutations at a
// time keeps the table small and the results independent of the block size. Calls
// count(i, Σ_t w_t value_drawn) for every unit with neighbours and every permutation.
template <typename Count>
void conditional_permutations(const SpatialData& d, const std::vector<double>& value, std::uint32_t permutations,
                              std::uint64_t seed, CancelPoll::Callback should_cancel, Count count) {
    if (permutations == 0 || d.n < 2) return;
    constexpr std::uint32_t kBlock = 1024;
    std::size_t kmax = 0;
    for (std::size_t i = 0; i < d.n; ++i) kmax = std::max(kmax, d.start[i + 1] - d.start[i]);
    const std::uint32_t others = static_cast<std::uint32_t>(d.n - 1);
    if (kmax > others) kmax = others;
    Random rng(seed);
    CancelPoll poll(should_cancel, 1);
    std::vector<std::uint32_t> pool(others), table(static_cast<std::size_t>(kBlock) * kmax);
    std::iota(pool.begin(), pool.end(), 0u);
    std::vector<double> rest(others);  // value without unit i
    for (std::uint32_t done = 0; done < permutations; done += kBlock) {
        const std::uint32_t block = std::min(kBlock, permutations - done);
        for (std::uint32_t p = 0; p < block; ++p) {
            std::uint32_t* row = table.data() + static_cast<std::size_t>(p) * kmax;
            for (std::uint32_t t = 0; t < kmax; ++t) {
                std::swap(pool[t], pool[t + rng.below(others - t)]);
                row[t] = pool[t];
            }
        }
        for (std::uint32_t r = 0; r < others; ++r) rest[r] = value[r + 1];
        for (std::size_t i = 0; i < d.n; ++i) {
            if (i > 0) rest[i - 1] = value[i - 1];  // rank i − 1 now stands for unit i − 1
            const std::size_t k = d.start[i + 1] - d.start[i];
            if (k == 0) continue;
            poll();
            const double* w = d.w.data() + d.start[i];
            for (std::uint32_t p = 0; p < block; ++p) {
                const std::uint32_t* row = table.data() + static_cast<std::size_t>(p) * kmax;
                double sum = 0;
                for (std::size_t t = 0; t < k; ++t) sum += w[t] * rest[row[t]];
                count(i, sum);
            }
        }
    }
}

}  // namespace

double pseudo_p(std::size_t at_least, std::size_t at_most, std::size_t permutations) {
    return static_cast<double>(std::min(at_least, at_most) + 1) / static_cast<double>(permutations + 1);
}

double normal_tail(double z) { return 0.5 * std::erfc(std::fabs(z) / std::sqrt(2.0)); }

Random::Random(std::uint64_t seed) {
    std::uint64_t state = seed;
    for (auto& s : s_) s = splitmix64(state);
}

SpatialData build_spatial_data(const UnitInput& in, WeightStyle style) {
    if (in.n == 0) throw InvalidArgument("values_sql returned no rows");
    if (in.n >= std::numeric_limits<std::uint32_t>::max()) throw OutOfRange("too many units");
    SpatialData d;
    d.n = in.n;
    d.input_position.resize(in.n);
    std::iota(d.input_position.begin(), d.input_position.end(), std::size_t{0});
    std::sort(d.input_position.begin(), d.input_position.end(), [&](std::size_t a, std::size_t b) {
        return std::string_view(in.ids[a]) < std::string_view(in.ids[b]);
    });
    std::unordered_map<std::string_view, std::uint32_t> index;
    index.reserve(in.n * 2);
    d.x.resize(in.n);
    for (std::size_t c = 0; c < in.n; ++c) {
        const std::size_t p = d.input_position[c];
        const std::string_view id(in.ids[p]);
        if (c > 0 && id == std::string_view(in.ids[d.input_position[c - 1]]))
            throw InvalidArgument("id " + quoted(id) + " appears more than once in values_sql");
        if (!std::isfinite(in.values[p])) throw NotFinite("the value of " + quoted(id) + " is not a finite number");
        d.x[c] = in.values[p];
        index.emplace(id, static_cast<std::uint32_t>(c));
    }
    struct Edge {
        std::uint32_t a, b;
        double w;
    };
    std::vector<Edge> edges;
    edges.reserve(in.m);
    for (std::size_t e = 0; e < in.m; ++e) {
        const std::string_view a(in.from[e]), b(in.to[e]);
        const auto ia = index.find(a), ib = index.find(b);
        if (ia == index.end())
            throw InvalidArgument("neighbours_sql names " + quoted(a) + ", which values_sql does not return");
        if (ib == index.end())
            throw InvalidArgument("neighbours_sql names " + quoted(b) + ", which values_sql does not return");
        if (ia->second == ib->second) throw InvalidArgument("neighbours_sql lists " + quoted(a) + " as its own neighbour");
        const double w = in.weight ? in.weight[e] : 1.0;
        if (!std::isfinite(w))
            throw NotFinite("the weight of (" + quoted(a) + ", " + quoted(b) + ") is not a finite number");
        if (w < 0) throw InvalidArgument("the weight of (" + quoted(a) + ", " + quoted(b) + ") is negative");
        edges.push_back({ia->second, ib->second, w});
    }
    std::sort(edges.begin(), edges.end(), [](const Edge& l, const Edge& r) { return l.a != r.a ? l.a < r.a : l.b < r.b; });
    d.start.assign(in.n + 1, 0);
    for (std::size_t e = 0; e < edges.size(); ++e) {
        if (e > 0 && edges[e].a == edges[e - 1].a && edges[e].b == edges[e - 1].b)
            throw InvalidArgument("neighbours_sql returns the pair (" + quoted(in.ids[d.input_position[edges[e].a]]) + ", " +
                                  quoted(in.ids[d.input_position[edges[e].b]]) + ") more than once");
        if (edges[e].w == 0) continue;
        d.start[edges[e].a + 1]++;
        d.nb.push_back(edges[e].b);
        d.w.push_back(edges[e].w);
    }
    for (std::size_t i = 0; i < in.n; ++i) d.start[i + 1] += d.start[i];
    for (std::size_t i = 0; i < in.n; ++i) {
        if (d.start[i] == d.start[i + 1]) {
            d.islands++;
            continue;
        }
        if (style == WeightStyle::RowStandardised) {
            double sum = 0;
            for (std::size_t e = d.start[i]; e < d.start[i + 1]; ++e) sum += d.w[e];
            for (std::size_t e = d.start[i]; e < d.start[i + 1]; ++e) d.w[e] /= sum;
        }
    }
    return d;
}

GlobalTest moran_test(const SpatialData& d, std::uint32_t permutations, std::uint64_t seed,
                      CancelPoll::Callback should_cancel) {
    const WeightConstants c = weight_constants(d);
    const UndirectedPairs u = undirected_pairs(d);
    const auto cross = [&](const double* y) {
        double s = 0;
        for (std::size_t e = 0; e < u.w.size(); ++e) s += u.w[e] * y[u.a[e]] * y[u.b[e]];
        return s;
    };
    const Deviations dv = deviations(d.x);
    const double n = c.n, nn = n * n, s02 = c.s0 * c.s0, scale = n / c.s0;
    GlobalTest t;
    t.n = d.n;
    t.statistic = scale * cross_product(d, dv.z.data()) / dv.zz;
    t.expected = -1.0 / (n - 1);
    const double e2 = t.expected * t.expected;
    t.variance_normal = (nn * c.s1 - n * c.s2 + 3 * s02) / (s02 * (nn - 1)) - e2;
    t.variance_random = (n * (c.s1 * (nn - 3 * n + 3) - n * c.s2 + 3 * s02) -
                         dv.kurtosis * (c.s1 * (nn - n) - 2 * n * c.s2 + 6 * s02)) /
                            ((n - 1) * (n - 2) * (n - 3) * s02) -
                        e2;
    finish_test(t);
    // the permutations are compared with the observed value computed the same way
    t.p_permutation = std::isfinite(t.statistic) ? permutation_p(dv.z, cross(dv.z.data()), permutations, seed, should_cancel, cross) : kNaN;
    return t;
}

GlobalTest geary_test(const SpatialData& d, std::uint32_t permutations, std::uint64_t seed,
                      CancelPoll::Callback should_cancel) {
    const WeightConstants c = weight_constants(d);
    const UndirectedPairs u = undirected_pairs(d);
    const auto differences = [&](const double* y) {
        double s = 0;
        for (std::size_t e = 0; e < u.w.size(); ++e) {
            const double diff = y[u.a[e]] - y[u.b[e]];
            s += u.w[e] * diff * diff;
        }
        return s;
    };
    const Deviations dv = deviations(d.x);
    const double n = c.n, n1 = n - 1, nn = n * n, s02 = c.s0 * c.s0, k = dv.kurtosis;
    const double scale = n1 / (2 * c.s0);
    GlobalTest t;
    t.n = d.n;
    t.statistic = scale * differences(dv.z.data()) / dv.zz;
    t.expected = 1;
    t.variance_normal = ((2 * c.s1 + c.s2) * n1 - 4 * s02) / (2 * (n + 1) * s02);
    t.variance_random = (n1 * c.s1 * (nn - 3 * n + 3 - k * n1) -
                         0.25 * n1 * c.s2 * (nn + 3 * n - 6 - k * (nn - n + 2)) + s02 * (nn - 3 - k * n1 * n1)) /
                        (n * (n - 2) * (n - 3) * s02);
    finish_test(t);
    t.p_permutation = std::isfinite(t.statistic) ? permutation_p(dv.z, differences(dv.z.data()), permutations, seed, should_cancel, differences) : kNaN;
    return t;
}

std::vector<LocalMoran> local_moran(const SpatialData& d, std::uint32_t permutations, std::uint64_t seed,
                                    double significance, CancelPoll::Callback should_cancel) {
    if (!(significance > 0 && significance < 1)) throw OutOfRange("significance must be between 0 and 1");
    const Deviations dv = deviations(d.x);
    const double n = static_cast<double>(d.n), m2 = dv.zz / n;
    std::vector<LocalMoran> out(d.n);
    std::vector<std::size_t> ge(d.n, 0), le(d.n, 0);
    for (std::size_t i = 0; i < d.n; ++i) {
        double lag = 0, lagz = 0, wi = 0, wi2 = 0;
        for (std::size_t e = d.start[i]; e < d.start[i + 1]; ++e) {
            lag += d.w[e] * d.x[d.nb[e]];
            lagz += d.w[e] * dv.z[d.nb[e]];
            wi += d.w[e];
            wi2 += d.w[e] * d.w[e];
        }
        const double zi = dv.z[i];
        LocalMoran& r = out[i];
        r.lag = d.start[i] == d.start[i + 1] ? kNaN : lag;
        // + 0.0: a unit at the mean gets 0, not −0
        r.ii = zi / m2 * lagz + 0.0;
        r.expected = -(zi * zi * wi) / ((n - 1) * m2) + 0.0;
        r.variance = (zi / m2) * (zi / m2) * (n / (n - 2)) * (wi2 - wi * wi / (n - 1)) * (m2 - zi * zi / (n - 1));
        r.z = defined((r.ii - r.expected) / std::sqrt(r.variance));
        r.p_permutation = kNaN;
        // the quadrant by the unit's deviation and its neighbours' (GeoDa, PySAL)
        r.cluster = zi > 0 ? (lagz > 0 ? Quadrant::HH : Quadrant::HL) : (lagz > 0 ? Quadrant::LH : Quadrant::LL);
    }
    if (std::isfinite(m2) && m2 > 0) {
        // draws compared as lags of deviations: Ii is that lag times z_i / m2 (sign included)
        conditional_permutations(d, dv.z, permutations, seed, should_cancel, [&](std::size_t i, double sum) {
            const double ii = dv.z[i] / m2 * sum;
            ge[i] += ii >= out[i].ii;
            le[i] += ii <= out[i].ii;
        });
        if (permutations > 0)
            for (std::size_t i = 0; i < d.n; ++i)
                if (d.start[i] != d.start[i + 1]) out[i].p_permutation = pseudo_p(ge[i], le[i], permutations);
    }
    for (std::size_t i = 0; i < d.n; ++i) {
        const double p = permutations > 0 ? out[i].p_permutation : normal_tail(out[i].z);
        if (!(p <= significance) || d.start[i] == d.start[i + 1]) out[i].cluster = Quadrant::NotSignificant;
    }
    return out;
}

std::vector<GetisOrd> getis_ord(const SpatialData& d, bool star, std::uint32_t permutations, std::uint64_t seed,
                                CancelPoll::Callback should_cancel) {
    const double n = static_cast<double>(d.n);
    const double sum = std::accumulate(d.x.begin(), d.x.end(), 0.0);
    const Deviations dv = deviations(d.x);
    std::vector<GetisOrd> out(d.n);
    std::vector<double> lags(d.n);
    for (std::size_t i = 0; i < d.n; ++i) {
        double lag = 0, wi = 0, s1i = 0;
        for (std::size_t e = d.start[i]; e < d.start[i + 1]; ++e) {
            lag += d.w[e] * d.x[d.nb[e]];
            wi += d.w[e];
            s1i += d.w[e] * d.w[e];
        }
        double mean_i, var_i, denominator, vg;
        if (star) {
            lag += d.x[i];
            wi += 1;
            s1i += 1;
            mean_i = sum / n;
            var_i = dv.zz / n;
            denominator = sum;
            vg = var_i * (n * s1i - wi * wi) / (n - 1);
        } else {
            // spdep's (Σx² − x_i²)/(n − 1) − mean_i², written with deviations (no cancellation)
            mean_i = (sum - d.x[i]) / (n - 1);
            var_i = (dv.zz - n * dv.z[i] * dv.z[i] / (n - 1)) / (n - 1);
            denominator = sum - d.x[i];
            vg = var_i * ((n - 1) * s1i - wi * wi) / (n - 2);
        }
        lags[i] = lag;
        out[i].g = lag / denominator;
        out[i].z = defined((lag - wi * mean_i) / std::sqrt(vg));
        out[i].p_normal = normal_tail(out[i].z);
        out[i].p_permutation = kNaN;
    }
    std::vector<std::size_t> ge(d.n, 0), le(d.n, 0);
    conditional_permutations(d, d.x, permutations, seed, should_cancel, [&](std::size_t i, double drawn) {
        const double lag = star ? drawn + d.x[i] : drawn;
        ge[i] += lag >= lags[i];
        le[i] += lag <= lags[i];
    });
    if (permutations > 0)
        for (std::size_t i = 0; i < d.n; ++i)
            if (d.start[i] != d.start[i + 1] && std::isfinite(out[i].z))
                out[i].p_permutation = pseudo_p(ge[i], le[i], permutations);
    return out;
}

void eb_rates(std::size_t n, const char* const* ids, const double* events, const double* population,
              double* raw_rate, double* eb_rate) {
    if (n == 0) throw InvalidArgument("events_sql returned no rows");
    std::unordered_set<std::string_view> seen;
    double esum = 0, psum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!seen.insert(ids[i]).second)
            throw InvalidArgument("id " + quoted(ids[i]) + " appears more than once in events_sql");
        if (!std::isfinite(events[i]) || !std::isfinite(population[i]))
            throw NotFinite("the events or population of " + quoted(ids[i]) + " are not finite numbers");
        if (events[i] < 0) throw InvalidArgument("the events of " + quoted(ids[i]) + " are negative");
        if (!(population[i] > 0)) throw InvalidArgument("the population of " + quoted(ids[i]) + " is not positive");
        esum += events[i];
        psum += population[i];
    }
    const double b = esum / psum;
    double s2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
        raw_rate[i] = events[i] / population[i];
        s2 += population[i] * ((raw_rate[i] - b) * (raw_rate[i] - b) / psum);
    }
    // the prior variance (method of moments), 0 when the rates vary no more than chance would
    const double a = std::max(0.0, s2 - b / (psum / static_cast<double>(n)));
    for (std::size_t i = 0; i < n; ++i)
        eb_rate[i] = a == 0 ? b : b + a * (raw_rate[i] - b) / (a + b / population[i]);
}

}  // namespace smup
