#include "csv.hpp"

namespace smup {

std::vector<CsvRecord> parse_csv(std::string_view text, char delimiter, CancelPoll& poll) {
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r')
        throw InvalidArgument(std::string("the delimiter cannot be ") +
                              (delimiter == '"' ? "a quote" : "a line break"));
    std::vector<CsvRecord> records;
    size_t pos = 0, line = 1;
    const size_t n = text.size();
    // A trailing run of line breaks is the end of the file, not blank records.
    size_t end = n;
    while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r')) --end;

    while (pos < end) {
        CsvRecord rec{line, {}};
        std::string field;
        bool record_done = false;
        while (!record_done) {
            poll();
            field.clear();
            if (pos < end && text[pos] == '"') {
                const size_t quote_line = line;
                ++pos;
                for (;;) {
                    if (pos >= end)
                        throw InvalidText("line " + std::to_string(quote_line) + ": unterminated quoted field");
                    const char c = text[pos];
                    if (c == '"') {
                        if (pos + 1 < end && text[pos + 1] == '"') {
                            field += '"';
                            pos += 2;
                            continue;
                        }
                        ++pos;
                        break;
                    }
                    if (c == '\n') ++line;
                    field += c;
                    ++pos;
                }
                if (pos < end && text[pos] != delimiter && text[pos] != '\n' && text[pos] != '\r')
                    throw InvalidText("line " + std::to_string(line) + ": text after a closing quote in field " +
                                      std::to_string(rec.fields.size() + 1));
            } else {
                while (pos < end && text[pos] != delimiter && text[pos] != '\n' && text[pos] != '\r') {
                    if (text[pos] == '"')
                        throw InvalidText("line " + std::to_string(line) + ": stray quote in unquoted field " +
                                          std::to_string(rec.fields.size() + 1));
                    field += text[pos++];
                }
            }
            rec.fields.push_back(field);
            if (pos < end && text[pos] == delimiter) {
                ++pos;
                if (pos >= end) {  // a delimiter ending the file: one last empty field
                    rec.fields.emplace_back();
                    record_done = true;
                }
            } else {
                if (pos < end && text[pos] == '\r') ++pos;
                if (pos < end && text[pos] == '\n') ++pos;
                ++line;
                record_done = true;
            }
        }
        records.push_back(std::move(rec));
    }
    return records;
}

}  // namespace smup
