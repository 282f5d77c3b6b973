// contiguity_graph.cpp: higher-order neighbours from first-order pairs (see contiguity.hpp).
#include <algorithm>
#include <cmath>

#include "contiguity.hpp"

namespace smup {

std::vector<NeighbourPair> higher_order(size_t n, const std::vector<NeighbourPair>& first, int order,
                                        CancelPoll& poll) {
    if (order < 1) throw InvalidArgument("order must be at least 1");
    if (order == 1) return first;
    std::vector<uint32_t> deg_start(n + 1, 0);
    for (const auto& p : first) {
        if (p.a >= n || p.b >= n) throw InvalidArgument("pair index out of range");
        ++deg_start[p.a + 1];
        ++deg_start[p.b + 1];
    }
    for (size_t i = 1; i <= n; ++i) deg_start[i] += deg_start[i - 1];
    std::vector<uint32_t> adj(deg_start[n]);
    {
        std::vector<uint32_t> fill(deg_start.begin(), deg_start.end() - 1);
        for (const auto& p : first) {
            adj[fill[p.a]++] = p.b;
            adj[fill[p.b]++] = p.a;
        }
    }
    std::vector<int> depth(n, -1);
    std::vector<uint32_t> frontier, next, seen;
    std::vector<NeighbourPair> out;
    for (uint32_t s = 0; s < n; ++s) {
        frontier.assign(1, s);
        depth[s] = 0;
        seen.assign(1, s);
        for (int d = 1; d <= order && !frontier.empty(); ++d) {
            next.clear();
            for (uint32_t v : frontier)
                for (uint32_t k = deg_start[v]; k < deg_start[v + 1]; ++k) {
                    poll();
                    const uint32_t w = adj[k];
                    if (depth[w] >= 0) continue;
                    depth[w] = d;
                    seen.push_back(w);
                    next.push_back(w);
                }
            frontier.swap(next);
        }
        for (uint32_t v : frontier)
            if (s < v) out.push_back({s, v, NAN});
        for (uint32_t v : seen) depth[v] = -1;
    }
    std::sort(out.begin(), out.end(),
              [](const NeighbourPair& l, const NeighbourPair& r) { return l.a != r.a ? l.a < r.a : l.b < r.b; });
    return out;
}

}  // namespace smup
