// teryt.hpp: parsing and normalising TERYT (TERC) codes of Polish territorial units.
#pragma once

#include <string>
#include <string_view>

namespace smup {

enum class JstLevel { Kraj, Wojewodztwo, Powiat, Gmina };

const char* level_name(JstLevel level);

struct TerytCode {
    std::string id;      // "PL", "WW", "WWPP" or "WWPPGG": the unit's stable key
    std::string teryt7;  // "WWPPGGR" when a RODZ digit was present, else empty
    JstLevel level;
    int rodz = 0;        // 0 = none; 1..5, 8, 9 as in TERC
};

// Parses a code as sources write it: digits only, surrounding blanks ignored.
// width: 2, 4, 6 or 7 digits as the source uses them, or 0 to infer from the length
// (1-2 → województwo, 3-4 → powiat, 5-6 → gmina key, 7 → gmina with RODZ; odd lengths
// are codes whose leading zero an exporter dropped). "PL" and "00" name the country.
// Throws InvalidText naming the code and the reason.
TerytCode parse_teryt(std::string_view code, int width = 0);

}  // namespace smup
