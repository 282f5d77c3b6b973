#include "teryt.hpp"

#include <cctype>

#include "errors.hpp"

namespace smup {

const char* level_name(JstLevel level) {
    switch (level) {
        case JstLevel::Kraj: return "kraj";
        case JstLevel::Wojewodztwo: return "wojewodztwo";
        case JstLevel::Powiat: return "powiat";
        case JstLevel::Gmina: return "gmina";
    }
    return "?";
}

namespace {

[[noreturn]] void reject(std::string_view code, const std::string& why) {
    throw InvalidText("invalid TERYT code " + quoted(code) + ": " + why);
}

int two_digits(const std::string& s, size_t pos) { return (s[pos] - '0') * 10 + (s[pos + 1] - '0'); }

}  // namespace

TerytCode parse_teryt(std::string_view code, int width) {
    std::string_view trimmed = code;
    while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) trimmed.remove_prefix(1);
    while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.remove_suffix(1);

    if (width != 0 && width != 2 && width != 4 && width != 6 && width != 7)
        throw InvalidArgument("TERYT width must be 2, 4, 6, 7 or 0 (infer), not " + std::to_string(width));
    if (trimmed.empty()) reject(code, "empty");
    if (trimmed == "PL" || trimmed == "00") {
        if (width != 0 && width != 2) reject(code, "the country code has no " + std::to_string(width) + "-digit form");
        return TerytCode{"PL", "", JstLevel::Kraj, 0};
    }
    for (size_t i = 0; i < trimmed.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(trimmed[i])))
            reject(code, "character " + std::to_string(i + 1) + " is not a digit");

    std::string digits(trimmed);
    if (width == 0) {
        if (digits.size() > 7) reject(code, "more than 7 digits");
        if (digits.size() % 2 == 1 && digits.size() < 7) digits.insert(0, "0");
    } else if (digits.size() + 1 == static_cast<size_t>(width)) {
        digits.insert(0, "0");  // the exporter dropped the leading zero
    } else if (digits.size() != static_cast<size_t>(width)) {
        reject(code, "expected " + std::to_string(width) + " digits, found " + std::to_string(digits.size()));
    }

    const int woj = two_digits(digits, 0);
    if (woj < 2 || woj > 32 || woj % 2 != 0)
        reject(code, "województwo " + digits.substr(0, 2) + " does not exist (02, 04, ..., 32)");
    TerytCode out;
    if (digits.size() == 2) {
        out.level = JstLevel::Wojewodztwo;
    } else {
        if (two_digits(digits, 2) == 0) reject(code, "powiat 00 does not exist");
        if (digits.size() == 4) {
            out.level = JstLevel::Powiat;
        } else {
            if (two_digits(digits, 4) == 0) reject(code, "gmina 00 does not exist");
            out.level = JstLevel::Gmina;
            if (digits.size() == 7) {
                out.rodz = digits[6] - '0';
                if (out.rodz == 0 || out.rodz == 6 || out.rodz == 7)
                    reject(code, std::string("RODZ digit ") + digits[6] + " is not a TERC unit type (1-5, 8, 9)");
                out.teryt7 = digits;
                digits.resize(6);
            }
        }
    }
    out.id = digits;
    return out;
}

}  // namespace smup
