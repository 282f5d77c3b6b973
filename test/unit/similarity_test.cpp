// similarity_test.cpp: nearest similar units against hand-computed distances.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "similarity.hpp"

namespace {

using smup::nearest_similar;
using smup::SimilarityResult;
using smup::Standardisation;

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

std::vector<std::size_t> peers_of(const SimilarityResult& r, std::size_t unit) {
    std::vector<std::size_t> out;
    for (const auto& p : r.peers)
        if (p.unit == unit) out.push_back(p.peer);
    return out;
}

double distance(const SimilarityResult& r, std::size_t unit, std::size_t peer) {
    for (const auto& p : r.peers)
        if (p.unit == unit && p.peer == peer) return p.distance;
    return NaN;
}

}  // namespace

TEST(Similarity, ZScoreScaleIsTheSampleSd) {
    const double v[] = {0, 1, 2, 3};
    const auto s = smup::indicator_scale(v, 4, 1, Standardisation::z);
    EXPECT_DOUBLE_EQ(s.centre, 1.5);
    EXPECT_DOUBLE_EQ(s.spread, std::sqrt(5.0 / 3.0));  // Σ(x − 1.5)² = 5, n − 1 = 3
}

TEST(Similarity, RobustScaleIsTheScaledMad) {
    const double v[] = {1, 2, 3, 4, 100, NaN};
    const auto s = smup::indicator_scale(v, 6, 1, Standardisation::robust);
    EXPECT_DOUBLE_EQ(s.centre, 3);                     // median of 1 2 3 4 100
    EXPECT_NEAR(s.spread, 1.482602218505602, 1e-15);   // |x − 3| = 2 1 0 1 97: MAD 1
    const double even[] = {1, 2, 4, 10};
    EXPECT_DOUBLE_EQ(smup::indicator_scale(even, 4, 1, Standardisation::robust).centre, 3);  // (2 + 4) / 2
}

TEST(Similarity, NearestByHandComputedDistance) {
    // one indicator 0 1 2 3: z differences are multiples of 1 / sqrt(5/3)
    const std::vector<std::string_view> ids{"a", "b", "c", "d"};
    const double values[] = {0, 1, 2, 3};
    const double w[] = {1};
    const auto r = nearest_similar(ids, values, 4, 1, w, 2, Standardisation::z);
    EXPECT_EQ(r.peers.size(), 8u);
    EXPECT_EQ(peers_of(r, 0), (std::vector<std::size_t>{1, 2}));
    EXPECT_NEAR(distance(r, 0, 1), std::sqrt(0.6), 1e-15);
    EXPECT_NEAR(distance(r, 0, 2), 2 * std::sqrt(0.6), 1e-15);
    // b: a and c both at one step: the tie goes to the smaller id
    EXPECT_EQ(peers_of(r, 1), (std::vector<std::size_t>{0, 2}));
}

TEST(Similarity, TiesBrokenByIdNotByPosition) {
    const std::vector<std::string_view> ids{"m", "z", "a"};
    const double values[] = {0, 1, -1};
    const double w[] = {1};
    const auto r = nearest_similar(ids, values, 3, 1, w, 2, Standardisation::z);
    EXPECT_EQ(peers_of(r, 0), (std::vector<std::size_t>{2, 1}));  // "a" before "z", equal distance
    EXPECT_EQ(r.peers[0].rank, 1);
    EXPECT_EQ(r.peers[1].rank, 2);
}

TEST(Similarity, WeightsScaleTheSquaredDifferences) {
    // two indicators with the same z (0 1 2 3 each): weights 3 and 1 give d² = 3 z² + z² for
    // a difference on the first only... here both differ by one step: d² = (3 + 1) × 0.6
    const std::vector<std::string_view> ids{"a", "b", "c", "d"};
    const double values[] = {0, 0, 1, 1, 2, 2, 3, 3};
    const double w[] = {3, 1};
    const auto r = nearest_similar(ids, values, 4, 2, w, 1, Standardisation::z);
    EXPECT_NEAR(distance(r, 0, 1), std::sqrt(4 * 0.6), 1e-15);
    EXPECT_NEAR(r.contributions[0], 0.75, 1e-15);  // 3 / (3 + 1)
    EXPECT_NEAR(r.contributions[1], 0.25, 1e-15);
}

TEST(Similarity, MissingValuesAreReweightedNotZero) {
    // indicator 1: 0 1 2 3 (z step sqrt 0.6); indicator 2: 0 0 0 0 with d's missing (spread 0)
    const std::vector<std::string_view> ids{"a", "b", "c", "d"};
    const double values[] = {0, 0, 1, 0, 2, 0, 3, NaN};
    const double w[] = {1, 1};
    const auto r = nearest_similar(ids, values, 4, 2, w, 3, Standardisation::z);
    // c–d share only indicator 1: d² = (2 / 1) × 0.6, not 0.6 (a zero would make d look nearer)
    EXPECT_NEAR(distance(r, 2, 3), std::sqrt(2 * 0.6), 1e-15);
    // a–b share both; indicator 2 differs by 0: d² = 0.6
    EXPECT_NEAR(distance(r, 0, 1), std::sqrt(0.6), 1e-15);
    // the share of a missing indicator is NaN, never 0
    for (std::size_t j = 0; j < r.peers.size(); ++j)
        if (r.peers[j].unit == 2 && r.peers[j].peer == 3) {
            EXPECT_NEAR(r.contributions[2 * j], 1.0, 1e-15);
            EXPECT_TRUE(std::isnan(r.contributions[2 * j + 1]));
        }
}

TEST(Similarity, UnitsMissingMoreThanHalfAreExcluded) {
    // 3 indicators: e misses 2 (> 1.5) and is nobody's peer; d misses 1 and stays
    const std::vector<std::string_view> ids{"a", "b", "c", "d", "e"};
    const double values[] = {0, 0, 0,  1, 1, 1,  2, 2, 2,  3, 3, NaN,  1, NaN, NaN};
    const double w[] = {1, 1, 1};
    const auto r = nearest_similar(ids, values, 5, 3, w, 10, Standardisation::z);
    for (const auto& p : r.peers) {
        EXPECT_NE(p.unit, 4u);
        EXPECT_NE(p.peer, 4u);
    }
    EXPECT_EQ(peers_of(r, 3).size(), 3u);  // k larger than the candidates: all of them
    // only: answers for the units asked only
    const std::vector<std::size_t> only{3};
    const auto one = nearest_similar(ids, values, 5, 3, w, 2, Standardisation::z, only);
    EXPECT_EQ(peers_of(one, 3), (std::vector<std::size_t>{2, 1}));
    EXPECT_EQ(one.peers.size(), 2u);
}

TEST(Similarity, BadInput) {
    const std::vector<std::string_view> ids{"a", "b"};
    const double values[] = {0, 1};
    const double w[] = {1};
    const double negative[] = {-1};
    const double zero[] = {0};
    EXPECT_THROW(nearest_similar(ids, values, 2, 1, w, 0, Standardisation::z), smup::InvalidArgument);
    EXPECT_THROW(nearest_similar(ids, values, 2, 1, negative, 1, Standardisation::z), smup::InvalidArgument);
    EXPECT_THROW(nearest_similar(ids, values, 2, 1, zero, 1, Standardisation::z), smup::InvalidArgument);
    const double inf[] = {0, std::numeric_limits<double>::infinity()};
    EXPECT_THROW(nearest_similar(ids, inf, 2, 1, w, 1, Standardisation::z), smup::NotFinite);
}

TEST(Similarity, CancelStopsTheLoop) {
    std::vector<std::string> names(600);
    std::vector<std::string_view> ids;
    std::vector<double> values(600);
    for (std::size_t i = 0; i < 600; ++i) {
        names[i] = std::to_string(i);
        values[i] = static_cast<double>(i);
    }
    for (const auto& s : names) ids.emplace_back(s);
    const double w[] = {1};
    EXPECT_THROW(nearest_similar(ids, values.data(), 600, 1, w, 5, Standardisation::z, {}, [] { return 1; }),
                 smup::Cancelled);
}

TEST(Similarity, KeepsWhatAFullSortOfEveryPairKeeps) {
    // a second algorithm: every pair's distance by the header's formula, sorted whole by
    // (distance, id); values on a coarse grid so that equal distances are common, ids shuffled
    // so that their order is not the units' order, some values missing, one weight zero
    const std::size_t n = 240, m = 4, k = 7;
    const double w[m] = {1, 0, 2, 0.5};
    std::vector<std::string> names(n);
    std::vector<double> values(n * m);
    unsigned state = 12345;
    auto next = [&state] { return state = state * 1103515245u + 12345u, (state >> 16) & 0x7fff; };
    for (std::size_t u = 0; u < n; ++u) {
        names[u] = "u" + std::to_string((u * 97) % n + 1000);
        for (std::size_t i = 0; i < m; ++i) values[u * m + i] = next() % 23 == 0 ? NaN : static_cast<double>(next() % 4);
    }
    const std::vector<std::string_view> ids(names.begin(), names.end());
    const auto r = nearest_similar(ids, values.data(), n, m, w, k, Standardisation::z);

    std::vector<double> z(n * m, NaN);
    for (std::size_t i = 0; i < m; ++i) {
        const auto s = smup::indicator_scale(values.data() + i, n, m, Standardisation::z);
        for (std::size_t u = 0; u < n; ++u)
            if (!std::isnan(values[u * m + i])) z[u * m + i] = (values[u * m + i] - s.centre) / s.spread;
    }
    auto eligible = [&](std::size_t u) {
        int missing = 0;
        for (std::size_t i = 0; i < m; ++i) missing += w[i] > 0 && std::isnan(z[u * m + i]);
        return 2 * missing <= 3;
    };
    std::size_t rows = 0;
    for (std::size_t a = 0; a < n; ++a) {
        if (!eligible(a)) {
            EXPECT_TRUE(peers_of(r, a).empty());
            continue;
        }
        std::vector<std::pair<double, std::size_t>> all;
        for (std::size_t b = 0; b < n; ++b) {
            if (b == a || !eligible(b)) continue;
            double sum = 0, present = 0;
            for (std::size_t i = 0; i < m; ++i) {
                if (w[i] == 0 || std::isnan(z[a * m + i]) || std::isnan(z[b * m + i])) continue;
                sum += w[i] * (z[a * m + i] - z[b * m + i]) * (z[a * m + i] - z[b * m + i]);
                present += w[i];
            }
            if (present > 0) all.push_back({sum * (3.5 / present), b});
        }
        std::sort(all.begin(), all.end(), [&](const auto& x, const auto& y) {
            return x.first < y.first || (x.first == y.first && ids[x.second] < ids[y.second]);
        });
        all.resize(std::min(k, all.size()));
        std::vector<std::size_t> expected;
        for (const auto& [d2, b] : all) expected.push_back(b);
        ASSERT_EQ(peers_of(r, a), expected) << "unit " << ids[a];
        for (const auto& [d2, b] : all) EXPECT_NEAR(distance(r, a, b), std::sqrt(d2), 1e-12);
        rows += expected.size();
    }
    EXPECT_EQ(r.peers.size(), rows);
    EXPECT_GT(rows, 200 * k);  // most units answered
}
