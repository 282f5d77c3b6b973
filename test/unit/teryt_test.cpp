#include <gtest/gtest.h>

#include <string>

#include "capi_guard.hpp"
#include "errors.hpp"
#include "smup_capi.h"
#include "teryt.hpp"

using smup::JstLevel;
using smup::parse_teryt;

TEST(Teryt, ParsesEveryLevel) {
    EXPECT_EQ(parse_teryt("PL").level, JstLevel::Kraj);
    EXPECT_EQ(parse_teryt("00").id, "PL");
    EXPECT_EQ(parse_teryt("28").level, JstLevel::Wojewodztwo);
    EXPECT_EQ(parse_teryt("2802").level, JstLevel::Powiat);
    const auto frombork = parse_teryt("2802033");
    EXPECT_EQ(frombork.id, "280203");
    EXPECT_EQ(frombork.teryt7, "2802033");
    EXPECT_EQ(frombork.rodz, 3);
    EXPECT_EQ(frombork.level, JstLevel::Gmina);
    EXPECT_EQ(parse_teryt(" 126101 ").id, "126101");
    EXPECT_EQ(parse_teryt("126101").rodz, 0);
}

TEST(Teryt, RestoresDroppedLeadingZero) {
    // BDL writes Bolesławiec (0201011) as 201011: with the width known it is a 7-digit code.
    const auto b = parse_teryt("201011", 7);
    EXPECT_EQ(b.id, "020101");
    EXPECT_EQ(b.rodz, 1);
    EXPECT_EQ(parse_teryt("20101").id, "020101");   // inferred: 5 digits = gmina key
    EXPECT_EQ(parse_teryt("201").id, "0201");
    EXPECT_EQ(parse_teryt("2").id, "02");
    EXPECT_EQ(parse_teryt("201011").id, "201011");  // without a width, 6 digits is a key as written
}

TEST(Teryt, RejectsMalformedCodesWithTheCodeInTheMessage) {
    EXPECT_THROW(parse_teryt(""), smup::InvalidText);
    EXPECT_THROW(parse_teryt("28a203"), smup::InvalidText);
    EXPECT_THROW(parse_teryt("12345678"), smup::InvalidText);
    EXPECT_THROW(parse_teryt("03"), smup::InvalidText);    // odd województwo
    EXPECT_THROW(parse_teryt("34"), smup::InvalidText);    // beyond 32
    EXPECT_THROW(parse_teryt("2800"), smup::InvalidText);  // powiat 00
    EXPECT_THROW(parse_teryt("280200"), smup::InvalidText);
    EXPECT_THROW(parse_teryt("2802036"), smup::InvalidText);  // RODZ 6
    EXPECT_THROW(parse_teryt("28020", 7), smup::InvalidText);
    EXPECT_THROW(parse_teryt("28", 3), smup::InvalidArgument);
    try {
        parse_teryt("28x");
        FAIL();
    } catch (const smup::InvalidText& e) {
        EXPECT_NE(std::string(e.what()).find("\"28x\""), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("character 3"), std::string::npos);
    }
}

TEST(CApi, TurnsExceptionsIntoStatuses) {
    smup_teryt out;
    smup_error err;
    EXPECT_EQ(smup_teryt_parse("2802033", 7, 0, &out, &err), SMUP_OK);
    EXPECT_STREQ(out.id, "280203");
    EXPECT_STREQ(out.level, "gmina");
    EXPECT_EQ(smup_teryt_parse("99", 2, 0, &out, &err), SMUP_INVALID_TEXT);
    EXPECT_NE(std::string(err.message).find("\"99\""), std::string::npos);
    EXPECT_EQ(smup_teryt_parse("02", 2, 5, &out, &err), SMUP_INVALID_ARGUMENT);
}

namespace {
// Whether s is well-formed UTF-8 (lead byte, then the right number of continuation bytes).
bool valid_utf8(const std::string& s) {
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}
std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}
}  // namespace

TEST(CApi, MessagesCutAtACharacterBoundaryAndInputQuotedShort) {
    smup_error err;
    // a long multibyte code: at most 100 bytes of it quoted, cut between characters
    const std::string code = "x" + repeat("\xC5\xBC", 600);  // x and 600 times "ż"
    EXPECT_EQ(smup_teryt_parse(code.data(), code.size(), 0, nullptr, &err), SMUP_INVALID_TEXT);
    const std::string msg = err.message;
    EXPECT_TRUE(valid_utf8(msg)) << msg;
    EXPECT_NE(msg.find("\"x" + repeat("\xC5\xBC", 49) + "...\""), std::string::npos) << msg;
    EXPECT_LT(msg.size(), 200u);
    // any message longer than the buffer: cut before a character, "..." marks the cut
    const std::string long_text = "x" + repeat("\xC5\xBC", 400);  // 801 bytes; byte 508 is inside a "ż"
    EXPECT_EQ(smup::guarded(&err, [&] { throw smup::InvalidText(long_text); }), SMUP_INVALID_TEXT);
    const std::string cut = err.message;
    EXPECT_TRUE(valid_utf8(cut));
    EXPECT_EQ(cut, "x" + repeat("\xC5\xBC", 253) + "...");
    EXPECT_EQ(smup::utf8_prefix_length("a\xC5\xBC", 2), 1u);
    EXPECT_EQ(smup::utf8_prefix_length("a\xC5\xBC", 3), 3u);
    EXPECT_EQ(smup::quoted("abc"), "\"abc\"");
}
