// autocorrelation.hpp: spatial autocorrelation on a sparse weights matrix: global Moran's I and
// Geary's C with their moments under normality and randomisation (Cliff & Ord 1981, as spdep's
// moran.test and geary.test compute them), local Moran (Anselin 1995, spdep's localmoran with
// its conditional moments), Getis–Ord Gi and Gi* (Ord & Getis 1995), permutation inference with
// a seeded portable generator, and global Empirical Bayes rates (Marshall 1991).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "errors.hpp"

namespace smup {

enum class WeightStyle { RowStandardised, Binary };  // spdep's "W" and "B"

// The units of an analysis in canonical order (ids sorted bytewise, so that results do not depend
// on the order the rows came in), their values and a CSR weights matrix over them.
struct SpatialData {
    std::size_t n = 0;
    std::vector<std::size_t> input_position;  // [n] canonical unit -> position in the input
    std::vector<double> x;                    // [n] values, canonical order
    std::vector<std::size_t> start;           // [n + 1] row i is start[i] .. start[i + 1]
    std::vector<std::uint32_t> nb;            // neighbours of each row, ascending
    std::vector<double> w;                    // their weights (after the style)
    std::size_t islands = 0;                  // rows without neighbours (zero.policy = TRUE)
};

// Validates and builds: values must be finite and ids unique; every pair's ids must be among the
// values, not the same, not repeated; weights finite and >= 0 (NULL weights: 1 each). Pairs of
// weight 0 are left out. Errors name the ids. Pairs are directed, as given.
struct UnitInput {
    std::size_t n;
    const char* const* ids;
    const double* values;
    std::size_t m;
    const char* const* from;
    const char* const* to;
    const double* weight;  // may be null
};
SpatialData build_spatial_data(const UnitInput& in, WeightStyle style);

// Pseudo p of a permutation test: (extremes + 1) / (permutations + 1), extremes counted in the
// tail where the observed statistic lies: min(#sims >= observed, #sims <= observed).
double pseudo_p(std::size_t at_least, std::size_t at_most, std::size_t permutations);

// One-sided normal p in the direction of z: P(Z >= |z|).
double normal_tail(double z);

// A small portable generator (xoshiro256** seeded through splitmix64) with an unbiased bounded
// draw (Lemire 2019): the same seed gives the same stream with every compiler and library.
// Inline: the permutation loops draw millions of numbers.
class Random {
public:
    explicit Random(std::uint64_t seed);
    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    // uniform in [0, bound), bound >= 1: Lemire's multiply-shift on the high 32 bits, rejecting
    // the few biased products
    std::uint32_t below(std::uint32_t bound) {
        std::uint64_t m = (next() >> 32) * bound;
        std::uint32_t low = static_cast<std::uint32_t>(m);
        if (low < bound) {
            const std::uint32_t threshold = static_cast<std::uint32_t>(-bound) % bound;
            while (low < threshold) {
                m = (next() >> 32) * bound;
                low = static_cast<std::uint32_t>(m);
            }
        }
        return static_cast<std::uint32_t>(m >> 32);
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

// Global statistics; NaN where undefined (constant values, no pair at all, too few units).
struct GlobalTest {
    std::size_t n = 0;
    double statistic = 0, expected = 0;
    double variance_normal = 0, z_normal = 0, p_normal = 0;
    double variance_random = 0, z_random = 0, p_random = 0;
    double p_permutation = 0;  // NaN when permutations == 0
};

GlobalTest moran_test(const SpatialData& d, std::uint32_t permutations, std::uint64_t seed,
                      CancelPoll::Callback should_cancel);
GlobalTest geary_test(const SpatialData& d, std::uint32_t permutations, std::uint64_t seed,
                      CancelPoll::Callback should_cancel);

enum class Quadrant : std::uint8_t { NotSignificant, HH, LL, HL, LH };

struct LocalMoran {
    double lag;       // weighted sum of the neighbours' values; NaN for an island
    double ii, expected, variance, z, p_permutation;
    Quadrant cluster;
};
// Results in canonical order.
std::vector<LocalMoran> local_moran(const SpatialData& d, std::uint32_t permutations, std::uint64_t seed,
                                    double significance, CancelPoll::Callback should_cancel);

struct GetisOrd {
    double g, z, p_normal, p_permutation;
};
// star: the unit itself counts with weight 1 (Gi*). Weights as given (style Binary).
std::vector<GetisOrd> getis_ord(const SpatialData& d, bool star, std::uint32_t permutations, std::uint64_t seed,
                                CancelPoll::Callback should_cancel);

// Global Empirical Bayes smoothing of events / population (Marshall 1991; spdep EBest, PySAL
// Empirical_Bayes): raw and smoothed rates in input order. Events >= 0, population > 0, finite.
void eb_rates(std::size_t n, const char* const* ids, const double* events, const double* population,
              double* raw_rate, double* eb_rate);

}  // namespace smup
