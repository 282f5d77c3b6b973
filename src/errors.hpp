// errors.hpp: the core's exception types; capi.cpp maps each one to a smup_status.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace smup {

// The length of the longest prefix of text of at most max bytes that does not end inside a
// UTF-8 sequence (a message cut there stays valid text in the server encoding).
inline std::size_t utf8_prefix_length(std::string_view text, std::size_t max) {
    if (text.size() <= max) return text.size();
    std::size_t cut = max;
    // back off over continuation bytes (10xxxxxx) to the lead byte of the cut character
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return cut;
}

// User input quoted in a message: at most kQuotedBytes bytes of it, cut at a character
// boundary, "..." marking a cut (a 100 kB bad field does not make a 100 kB message).
constexpr std::size_t kQuotedBytes = 100;
inline std::string quoted(std::string_view text) {
    const std::size_t keep = utf8_prefix_length(text, kQuotedBytes);
    return "\"" + std::string(text.substr(0, keep)) + (keep < text.size() ? "...\"" : "\"");
}

// A malformed argument value (SQLSTATE 22023 at the SQL level).
struct InvalidArgument : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// A text representation that cannot be parsed (22P02).
struct InvalidText : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// A number outside the domain of the operation (22003).
struct OutOfRange : std::out_of_range {
    using std::out_of_range::out_of_range;
};

// NaN or an infinity where a finite number is required (22000).
struct NotFinite : std::domain_error {
    using std::domain_error::domain_error;
};

// A geometry the algorithm cannot use (22023).
struct InvalidGeometry : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// Thrown by long loops when the cancel callback fires; the glue then raises the real error.
struct Cancelled : std::exception {
    const char* what() const noexcept override { return "canceling statement"; }
};

// Polls a cancel callback every `period` calls, cheaply, from inner loops.
class CancelPoll {
public:
    using Callback = int (*)();
    explicit CancelPoll(Callback cb, unsigned period = 4096) : cb_(cb), period_(period) {}
    void operator()() {
        if (cb_ && ++count_ >= period_) {
            count_ = 0;
            if (cb_()) throw Cancelled();
        }
    }

private:
    Callback cb_;
    unsigned period_;
    unsigned count_ = 0;
};

}  // namespace smup
