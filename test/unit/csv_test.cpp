#include <gtest/gtest.h>

#include "csv.hpp"
#include "smup_capi.h"

namespace {

std::vector<smup::CsvRecord> parse(std::string_view s, char d = ';') {
    smup::CancelPoll poll(nullptr);
    return smup::parse_csv(s, d, poll);
}

}  // namespace

TEST(Csv, BdlHeaderWithQuotedDelimiters) {
    // The first line of a BDL CTAB export: dimension paths are quoted and contain ';'.
    const auto r = parse("Kod;Nazwa;\"gminy;razem;2010;[zł]\";\r\n201011;Bolesławiec (1);75102763,98;\r\n");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].fields, (std::vector<std::string>{"Kod", "Nazwa", "gminy;razem;2010;[zł]", ""}));
    EXPECT_EQ(r[1].fields, (std::vector<std::string>{"201011", "Bolesławiec (1)", "75102763,98", ""}));
    EXPECT_EQ(r[1].line, 2u);
}

TEST(Csv, QuotesEscapesLineBreaksAndTrailingBlankLines) {
    const auto r = parse("a,\"say \"\"hi\"\"\",\"two\nlines\"\nb,,c\n\n\r\n", ',');
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].fields, (std::vector<std::string>{"a", "say \"hi\"", "two\nlines"}));
    EXPECT_EQ(r[1].line, 3u);  // the quoted line break counts
    EXPECT_EQ(r[1].fields, (std::vector<std::string>{"b", "", "c"}));
    EXPECT_TRUE(parse("").empty());
    EXPECT_EQ(parse("x", ',')[0].fields, (std::vector<std::string>{"x"}));
}

TEST(Csv, MalformedQuotingNamesTheLine) {
    try {
        parse("a;b\nc;\"open\nd;e\n");
        FAIL();
    } catch (const smup::InvalidText& e) {
        EXPECT_STREQ(e.what(), "line 2: unterminated quoted field");
    }
    EXPECT_THROW(parse("a;\"x\"y;b\n"), smup::InvalidText);
    EXPECT_THROW(parse("a;b\"c\n"), smup::InvalidText);
    EXPECT_THROW(parse("a", '"'), smup::InvalidArgument);
}

TEST(Csv, CApiFlattensRecords) {
    smup_csv csv;
    smup_error err;
    const std::string s = "k;v\n1;\"x;y\"\n";
    ASSERT_EQ(smup_csv_parse(s.data(), s.size(), ';', nullptr, &csv, &err), SMUP_OK);
    ASSERT_EQ(csv.n_records, 2u);
    EXPECT_EQ(csv.first_field[2], 4u);
    EXPECT_EQ(std::string(csv.text + csv.offset[3], csv.length[3]), "x;y");
    smup_csv_free(&csv);
    const std::string bad = "\"";
    EXPECT_EQ(smup_csv_parse(bad.data(), bad.size(), ';', nullptr, &csv, &err), SMUP_INVALID_TEXT);
    EXPECT_EQ(csv.line, nullptr);
}
