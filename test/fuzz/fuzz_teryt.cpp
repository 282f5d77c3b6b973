// libFuzzer: smup_teryt_parse on any bytes and width (make fuzz). The C API must return a
// status for every input: a crash, a sanitizer report or an escaped exception is a bug.
#include <cstddef>
#include <cstdint>

#include "smup_capi.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    static const int widths[] = {0, 2, 4, 6, 7, 3, -1};
    smup_teryt out;
    smup_error err;
    smup_teryt_parse(reinterpret_cast<const char*>(data + 1), size - 1, widths[data[0] % 7], &out, &err);
    return 0;
}
