// similarity.hpp: nearest peers of every unit of a level by weighted Euclidean distance over
// standardised context indicators (CIPFA's "nearest neighbours"), with each indicator's share.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "errors.hpp"

namespace smup {

enum class Standardisation {
    z,       // (x - mean) / sample sd across the units with a value
    robust,  // (x - median) / (1.4826 × MAD): not pulled by a few huge cities
};

// Centre and scale of one indicator over the units with a value. A spread of zero, or fewer
// than two values, gives scale 0: every value standardises to 0 (the indicator cannot tell
// units apart, so it adds nothing to any distance, yet a unit having it is not missing it).
struct Scale {
    double centre = 0;
    double spread = 0;
};
Scale indicator_scale(const double* column, std::size_t n, std::size_t stride, Standardisation method);

struct SimilarPeer {
    std::size_t unit;   // index of the unit asked about
    std::size_t peer;   // index of one of its nearest units
    int rank;           // 1 = nearest; equal distances ranked by id
    double distance;
};

struct SimilarityResult {
    std::size_t n_indicators = 0;
    std::vector<SimilarPeer> peers;
    // per peer row, n_indicators shares of the squared distance (sum 1); NaN where one of the
    // two units lacks the indicator; all 0 when the distance is 0
    std::vector<double> contributions;
};

// values: n_units × n_indicators, row-major, NaN = missing (infinities are rejected).
// weights: n_indicators, finite, >= 0, not all 0. ids: n_units, break ties in distance.
// Distance between a and b over S, the positive-weight indicators both have:
//     d² = (W / W_S) × Σ_{i∈S} w_i (z_ai − z_bi)²      (W: all positive weights; W_S: those in S)
// i.e. the weighted mean squared difference over what both have, scaled back to the full set.
// A unit missing more than half of the positive-weight indicators is neither answered for nor
// anyone's peer; two units with nothing in common are not peers. only: indices of the units to
// answer for (empty: every unit); each gets min(k, candidates) peers.
SimilarityResult nearest_similar(const std::vector<std::string_view>& ids, const double* values, std::size_t n_units,
                                 std::size_t n_indicators, const double* weights, std::size_t k,
                                 Standardisation method, const std::vector<std::size_t>& only = {},
                                 CancelPoll::Callback should_cancel = nullptr);

}  // namespace smup
