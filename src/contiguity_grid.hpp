// contiguity_grid.hpp: the uniform grid (or hashed buckets) of chunks, each cell's chunks in a row.
// Internal to the contiguity pass (contiguity.cpp), apart so that each part reads and is
// unit-tested on its own; see the glossary in contiguity.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "contiguity_chunks.hpp"

namespace smup {
namespace contiguity_detail {

// A uniform grid of chunks, each cell's chunks copied in a row (the pairs of a cell read
// contiguous memory). Cells are as large as a few chunks, wherever the chunks lie: a layer's box
// says little of that when its parts lie far apart (an island, a territory overseas), and cells
// sized by it would gather thousands of chunks, tested pairwise. The cells are numbered row by
// row when that takes no more numbers than there are chunks, several times over; else (parts far
// apart) they are hashed into buckets: a bucket holds several cells' chunks, each chunk once.
struct Grid {
    struct Entry {
        Chunk chunk;
        uint32_t id;
    };
    Box all;
    double inv = 1;     // 1 / cell size: the same cell function for filling and for the owner test
    uint32_t nx = 0;    // cells in a row when numbered row by row; 0 when hashed
    uint32_t mask = 0;  // when hashed: buckets - 1
    std::vector<uint32_t> start;  // entries of bucket k: [start[k], start[k + 1])
    std::vector<Entry, UninitialisedAllocator<Entry>> entries;  // each written once, by the fill
    static constexpr double kMaxCell = 1 << 30;  // beyond it (absurd spreads) cells merge: still right
    uint32_t cx(double x) const { return uint32_t(std::min(kMaxCell, std::max(0.0, (x - all.x0) * inv))); }
    uint32_t cy(double y) const { return uint32_t(std::min(kMaxCell, std::max(0.0, (y - all.y0) * inv))); }
    uint32_t bucket(uint32_t x, uint32_t y) const {
        return nx ? y * nx + x : uint32_t(mix((uint64_t(y) << 32) | x)) & mask;
    }
    size_t buckets() const { return start.size() - 1; }

    Grid(const std::vector<Chunk>& chunks, const std::vector<uint8_t>& in, const Box& around,
         const std::vector<Box>& polygon_boxes, CancelPoll& poll)
        : all(around) {
        // the chunks in the grid (without a branch: which are in follows no pattern)
        std::vector<uint32_t> member(chunks.size());
        size_t m = 0;
        for (uint32_t ci = 0; ci < chunks.size(); ++ci) {
            member[m] = ci;
            m += in[ci] != 0;
        }
        // cell size: about one chunk a cell over the polygons' boxes (where the chunks are, not
        // the layer's box, which far-apart parts blow up)
        double area = 0;
        for (const Box& g : polygon_boxes) area += (g.x1 - g.x0) * (g.y1 - g.y0);
        const double span = std::max(all.x1 - all.x0, all.y1 - all.y0);
        double cs = std::sqrt(area / double(std::max<size_t>(m, 1)));
        if (!(cs > span * 1e-9)) cs = std::max(span * 1e-6, 1e-9);  // polygons of no area
        // the cells each chunk covers; coarser cells while chunks cover more than 4 on average
        // (a few chunks far larger than most)
        struct Cells {
            uint32_t x0, x1, y0, y1;
        };
        std::vector<Cells> cells(m);
        for (;;) {
            inv = 1.0 / cs;
            double covered = 0;
            for (size_t k = 0; k < m; ++k) {
                poll();
                const Box& b = chunks[member[k]].box;
                const Cells c{cx(b.x0), cx(b.x1), cy(b.y0), cy(b.y1)};
                cells[k] = c;
                covered += (double(c.x1 - c.x0) + 1) * (double(c.y1 - c.y0) + 1);
            }
            if (covered <= 4.0 * double(m) + 64) break;
            cs *= 2;
        }
        const double row = double(cx(all.x1)) + 1, rows = double(cy(all.y1)) + 1;
        if (row * rows <= 4.0 * double(m) + 1024) {
            nx = uint32_t(row);
            start.assign(size_t(row * rows) + 1, 0);
        } else {
            size_t n = 16;
            while (n < 2 * m) n <<= 1;
            mask = uint32_t(n - 1);
            start.assign(n + 1, 0);
        }
        // counted, then filled (each chunk once in a bucket)
        std::vector<uint32_t> own;
        auto buckets_of = [&](const Cells& c) {
            own.clear();
            for (uint32_t y = c.y0; y <= c.y1; ++y)
                for (uint32_t x = c.x0; x <= c.x1; ++x) own.push_back(bucket(x, y));
            if (nx == 0 && own.size() > 1) {
                std::sort(own.begin(), own.end());
                own.erase(std::unique(own.begin(), own.end()), own.end());
            }
        };
        for (size_t k = 0; k < m; ++k) {
            poll();
            buckets_of(cells[k]);
            for (const uint32_t b : own) ++start[b + 1];
        }
        for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
        entries.resize(start.back());
        std::vector<uint32_t> fill(start.begin(), start.end() - 1);
        for (size_t k = 0; k < m; ++k) {
            poll();
            buckets_of(cells[k]);
            const uint32_t ci = member[k];
            for (const uint32_t b : own) entries[fill[b]++] = {chunks[ci], ci};
        }
    }
};

}  // namespace contiguity_detail
}  // namespace smup
