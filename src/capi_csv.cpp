// capi_csv.cpp: extern "C" wrapper of the delimited-text reader; results in malloc'd arrays.
#include <cstdlib>
#include <cstring>

#include "capi_guard.hpp"

using smup::alloc_array;
#include "csv.hpp"

extern "C" void smup_csv_free(smup_csv* csv) {
    if (!csv) return;
    std::free(csv->line);
    std::free(csv->first_field);
    std::free(csv->offset);
    std::free(csv->length);
    std::free(csv->text);
    std::memset(csv, 0, sizeof *csv);
}

extern "C" smup_status smup_csv_parse(const char* content, size_t len, char delimiter,
                                      smup_cancel_callback should_cancel, smup_csv* out, smup_error* err) {
    std::memset(out, 0, sizeof *out);
    const smup_status status = smup::guarded(err, [&] {
        smup::CancelPoll poll(should_cancel);
        const auto records = smup::parse_csv(std::string_view(content, len), delimiter, poll);
        size_t n_fields = 0, n_bytes = 0;
        for (const auto& r : records) {
            n_fields += r.fields.size();
            for (const auto& f : r.fields) n_bytes += f.size();
        }
        out->n_records = records.size();
        out->line = alloc_array<size_t>(records.size());
        out->first_field = alloc_array<size_t>(records.size() + 1);
        out->offset = alloc_array<size_t>(n_fields);
        out->length = alloc_array<size_t>(n_fields);
        out->text = alloc_array<char>(n_bytes);
        size_t field = 0, byte = 0;
        for (size_t i = 0; i < records.size(); ++i) {
            out->line[i] = records[i].line;
            out->first_field[i] = field;
            for (const auto& f : records[i].fields) {
                out->offset[field] = byte;
                out->length[field] = f.size();
                if (!f.empty()) std::memcpy(out->text + byte, f.data(), f.size());
                byte += f.size();
                ++field;
            }
        }
        out->first_field[records.size()] = field;
    });
    if (status != SMUP_OK) smup_csv_free(out);
    return status;
}
