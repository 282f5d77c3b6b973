// libFuzzer: contiguity of two geometries given as arbitrary (E)WKB bytes (make fuzz): the WKB
// reader and the exact predicates must reject or accept, never crash or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "smup_capi.h"
#include "smup_capi_spatial.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 3) return 0;
    const char* rule = (data[0] & 1) ? "rook" : "queen";
    double tolerance = (data[0] & 2) ? 0.5 : 0.0;
    size_t split = 2 + data[1] % (size - 2);
    // copies, so that ASan sees the exact extent of each geometry
    std::vector<uint8_t> a(data + 2, data + split), b(data + split, data + size);
    const char* ids[] = {"a", "b"};
    const uint8_t* wkb[] = {a.data(), b.data()};
    size_t len[] = {a.size(), b.size()};
    smup_pairs pairs;
    smup_error err;
    if (smup_contiguity(2, ids, wkb, len, nullptr, rule, tolerance, 1, nullptr, &pairs, &err) == SMUP_OK)
        smup_pairs_free(&pairs);
    return 0;
}
