// libFuzzer: the statistics core on arbitrary doubles (make fuzz): sort, validate, ranks,
// quantiles and summary must return a status for NaN, infinities, denormals and duplicates.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "smup_capi.h"
#include "smup_capi_stats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    size_t n = size / sizeof(double);
    if (n < 2) return 0;
    std::vector<double> v(n);
    std::memcpy(v.data(), data, n * sizeof(double));
    double x = v.back();
    v.pop_back();
    smup_error err;
    if (smup_dist_sort(v.data(), v.size(), nullptr, &err) != SMUP_OK) return 0;
    if (smup_dist_validate(v.data(), v.size(), &err) != SMUP_OK) __builtin_trap();  // sorted finite must validate
    double pr, cd;
    smup_dist_ranks(v.data(), v.size(), x, &pr, &cd, &err);
    double p[] = {0, 0.25, 0.5, 1, x}, q[5];
    smup_dist_quantiles(v.data(), v.size(), p, nullptr, 5, q, &err);
    smup_dist_summary s;
    smup_dist_summarize(v.data(), v.size(), &s, &err);
    return 0;
}
