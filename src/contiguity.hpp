// contiguity.hpp: queen and rook contiguity of polygons, exact or with a snapping tolerance,
// and higher-order neighbours (spdep nblag, PySAL higher_order).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "errors.hpp"
#include "wkb.hpp"

namespace smup {

enum class Rule { Queen, Rook };

// An undirected pair a < b (indices into the input) with the length of their common boundary;
// NaN for a pair of higher order.
struct NeighbourPair {
    uint32_t a, b;
    double shared;
};

// Sign of the orientation of (a, b, c): +1 counter-clockwise, -1 clockwise, 0 collinear;
// exact (a floating-point filter, then exact arithmetic when the filter cannot decide).
int orientation(const Point& a, const Point& b, const Point& c);

// First-order contiguity of polygons.
//   tolerance == 0: exact, as PostGIS decides it (for valid polygons: see contiguity.cpp). Queen: the two boundaries share at least one
//     point (ST_Intersects, one polygon inside another included). Rook: the boundaries share
//     a stretch of positive length and the interiors do not overlap (ST_Relate 'F***1****').
//     shared is the length of the common boundary (ST_Length of the intersection of the
//     boundaries), 0 for a point contact.
//   tolerance > 0: boundaries closer than tolerance count as touching (queen); rook needs a
//     common stretch (points of one boundary within tolerance of the other, measured along
//     the other) longer than tolerance, and the interiors must not overlap: no ring of one
//     inside the other farther than tolerance from its boundary, and along most of the stretch the two interiors lie on opposite sides
//     of it (a polygon and its copy are not rook neighbours); shared is that length.
// Returns pairs sorted by (a, b). Polls `poll` in every long loop.
std::vector<NeighbourPair> contiguity(const std::vector<Polygonal>& geoms, Rule rule, double tolerance,
                                      CancelPoll& poll);

// A first-order pair of one exact pass: every queen pair, rook true when it is a rook pair too.
struct QueenRookPair {
    uint32_t a, b;
    double shared;
    bool rook;
};

// Queen and rook together, exact (tolerance 0), from one pass: the pairs and shared lengths of
// contiguity(geoms, Rule::Queen, 0), each marked rook when contiguity(geoms, Rule::Rook, 0) has
// it. Sorted by (a, b).
std::vector<QueenRookPair> queen_and_rook(const std::vector<Polygonal>& geoms, CancelPoll& poll);

// The four sets smup.neighbour stores for a layer: queen and rook, orders 1 and 2 (the second
// orders from the first in memory, higher_order). Each sorted by (a, b).
struct NeighbourSets {
    std::vector<NeighbourPair> queen, queen2, rook, rook2;
};
NeighbourSets neighbour_sets(const std::vector<Polygonal>& geoms, CancelPoll& poll);

// Pairs of order `order` (>= 2) given first-order pairs over n units: units whose shortest path
// in the first-order graph has exactly `order` steps. shared is NaN.
std::vector<NeighbourPair> higher_order(size_t n, const std::vector<NeighbourPair>& first, int order,
                                        CancelPoll& poll);

}  // namespace smup
