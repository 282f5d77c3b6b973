// libFuzzer: smup_csv_parse on any bytes with any one-byte delimiter (make fuzz); every field
// it returns must lie inside its text buffer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "smup_capi.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    smup_csv csv;
    smup_error err;
    if (smup_csv_parse(reinterpret_cast<const char*>(data + 1), size - 1, static_cast<char>(data[0]), nullptr, &csv,
                       &err) == SMUP_OK) {
        size_t fields = csv.first_field[csv.n_records];
        size_t text_len = 0;
        for (size_t f = 0; f < fields; f++)
            if (csv.offset[f] + csv.length[f] > text_len) text_len = csv.offset[f] + csv.length[f];
        volatile char sink = 0;
        for (size_t f = 0; f < fields; f++)
            for (size_t i = 0; i < csv.length[f]; i++) sink = sink ^ csv.text[csv.offset[f] + i];  // ASan checks bounds
        if (fields > size) abort();  // more fields than bytes: impossible
        smup_csv_free(&csv);
    }
    return 0;
}
