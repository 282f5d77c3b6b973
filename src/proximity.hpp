// proximity.hpp: k nearest neighbours and distance bands of points (Boost.Geometry rtree).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "contiguity.hpp"
#include "errors.hpp"

namespace smup {

// Directed pairs (a, b, distance): for each point its k nearest other points (all others when
// k >= n - 1), ordered by distance then index. Ties at the k-th distance are broken by index.
std::vector<NeighbourPair> nearest(const std::vector<Point>& pts, int k, CancelPoll& poll);

// Directed pairs (a, b, distance) of distinct points at most `metres` apart, ordered by a, then
// distance, then b.
std::vector<NeighbourPair> within_distance(const std::vector<Point>& pts, double metres, CancelPoll& poll);

}  // namespace smup
