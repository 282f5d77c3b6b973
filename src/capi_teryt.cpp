// capi_teryt.cpp: extern "C" wrappers of the TERYT parser.
#include <cstring>

#include "capi_guard.hpp"
#include "teryt.hpp"

extern "C" void smup_free(void* ptr) { std::free(ptr); }

extern "C" smup_status smup_teryt_parse(const char* code, size_t len, int width, smup_teryt* out,
                                        smup_error* err) {
    return smup::guarded(err, [&] {
        const smup::TerytCode parsed = smup::parse_teryt(std::string_view(code, len), width);
        std::memset(out, 0, sizeof *out);
        std::snprintf(out->id, sizeof out->id, "%s", parsed.id.c_str());
        std::snprintf(out->teryt7, sizeof out->teryt7, "%s", parsed.teryt7.c_str());
        std::snprintf(out->level, sizeof out->level, "%s", smup::level_name(parsed.level));
        out->rodz = parsed.rodz;
    });
}
