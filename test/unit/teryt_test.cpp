#include <gtest/gtest.h>

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
