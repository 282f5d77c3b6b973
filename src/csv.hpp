// csv.hpp: a strict reader of delimited text as official statistics publish it
// (GUS BDL CTAB ';' exports, TERC, comma CSV): RFC 4180 quoting with any one-byte delimiter.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "errors.hpp"

namespace smup {

struct CsvRecord {
    size_t line;                      // physical line (1-based) where the record starts
    std::vector<std::string> fields;  // unquoted field values
};

// Splits content into records. Accepts LF and CRLF, quoted fields with "" escapes and line
// breaks inside quotes; ignores blank lines at the end. Throws InvalidText naming the line for
// an unterminated quote or a quote followed by anything but a delimiter or the line's end.
std::vector<CsvRecord> parse_csv(std::string_view content, char delimiter, CancelPoll& poll);

}  // namespace smup
