#include "sshpath/core/terminal.h"

#include <cctype>
#include <vector>

namespace sshpath::terminal {

namespace {

// The escape that starts a colour; ends at the 'm'.
bool escape_at(std::string_view s, std::size_t i) { return s[i] == '\033' && i + 1 < s.size() && s[i + 1] == '['; }

const char* sgr(Colour c) {
    switch (c) {
    case Colour::kNone: return "";
    case Colour::kBold: return "1";
    case Colour::kRed: return "31";
    case Colour::kGreen: return "32";
    case Colour::kYellow: return "33";
    case Colour::kCyan: return "36";
    case Colour::kBoldRed: return "1;31";
    case Colour::kBoldGreen: return "1;32";
    case Colour::kBoldYellow: return "1;33";
    }
    return "";
}

// The line's words, each with the spaces before it; a quoted string is one word with its
// spaces, so that a quote of a packet ("...") or a firewall rule or command to copy ('...') is
// never broken.
struct Word {
    std::string_view gap, text;
};

bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// The closing quote of a '...' that opens at `open` (a word's first character, or after its
// opening parenthesis): the next ' not
// followed by a letter or digit, which an apostrophe (the client's) always is; npos when none.
std::size_t single_quote_end(std::string_view line, std::size_t open) {
    for (std::size_t j = line.find('\'', open + 1); j != std::string_view::npos; j = line.find('\'', j + 1))
        if (j + 1 == line.size() || !alnum(line[j + 1])) return j;
    return std::string_view::npos;
}

std::vector<Word> split_words(std::string_view line) {
    std::vector<Word> words;
    std::size_t i = 0;
    while (i < line.size()) {
        const std::size_t gap_start = i;
        while (i < line.size() && line[i] == ' ') ++i;
        if (i == line.size()) break;
        const std::size_t start = i;
        const std::size_t open = line[i] == '(' && i + 1 < line.size() ? i + 1 : i;  // also ('...')
        if (line[open] == '\'') {
            const std::size_t close = single_quote_end(line, open);
            if (close != std::string_view::npos) i = close;
        }
        while (i < line.size() && line[i] != ' ') {
            if (line[i] == '"') {
                const std::size_t close = line.find('"', i + 1);
                if (close != std::string_view::npos) i = close;
            }
            ++i;
        }
        words.push_back({line.substr(gap_start, start - gap_start), line.substr(start, i - start)});
    }
    return words;
}

}  // namespace

std::size_t display_width(std::string_view text) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (escape_at(text, i)) {
            while (i < text.size() && text[i] != 'm') ++i;
            continue;
        }
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
    }
    return n;
}

std::string paint(std::string_view text, Colour c, bool on) {
    if (!on || c == Colour::kNone || text.empty()) return std::string(text);
    return std::string("\033[") + sgr(c) + "m" + std::string(text) + "\033[0m";
}

std::string wrap(std::string_view line, std::size_t width, std::size_t hang) {
    if (width == 0 || display_width(line) <= width) return std::string(line) + "\n";
    // A hanging indent that leaves too little room is given up rather than making rows of a word.
    if (hang + 20 > width) hang = width > 24 ? 4 : 0;
    std::string out;
    std::size_t column = 0;
    bool row_has_word = false;
    for (const auto& w : split_words(line)) {
        const std::size_t gap = display_width(w.gap), len = display_width(w.text);
        if (row_has_word && column + gap + len > width) {
            out += "\n";
            out.append(hang, ' ');
            column = hang;
        } else {
            out += w.gap;
            column += gap;
        }
        out += w.text;
        column += len;
        row_has_word = true;
    }
    return out + "\n";
}

std::string reflow(std::string_view text, std::size_t width) {
    if (width == 0) return std::string(text);
    std::string out, paragraph;
    std::size_t hang = 0;
    bool item = false;
    auto flush = [&] {
        if (!paragraph.empty()) out += wrap(paragraph, width, hang);
        paragraph.clear();
        hang = 0;
        item = false;
    };
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        const bool last = end == text.size();
        pos = end + 1;
        if (last && line.empty()) break;
        if (line.find_first_not_of(' ') == std::string_view::npos) {
            flush();
            out += "\n";
        } else if (line.substr(0, 2) == "- ") {
            flush();
            paragraph = line;
            hang = 2;
            item = true;
        } else if (line.front() == ' ' && !item) {
            flush();
            out += std::string(line) + "\n";  // set out by its author (a command, a table): kept as it is
        } else if (paragraph.empty()) {
            paragraph = line;
        } else {
            paragraph += " ";
            paragraph += line.substr(line.find_first_not_of(' '));
        }
    }
    flush();
    return out;
}

namespace {

// Every line of `text` wrapped by `wrap`, with the hang hang_of(line) gives.
template <class HangOf>
std::string wrap_each(std::string_view text, std::size_t width, HangOf hang_of) {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(pos, end - pos);
        out += wrap(line, width, hang_of(line));
        pos = end + 1;
    }
    return out;
}

}  // namespace

std::string wrap_lines(std::string_view text, std::size_t width, std::size_t hang) {
    return wrap_each(text, width, [hang](std::string_view line) { return !line.empty() && line.front() == ' ' ? hang : 0; });
}

std::string wrap_indented(std::string_view text, std::size_t width, std::size_t extra) {
    return wrap_each(text, width, [extra](std::string_view line) {
        const std::size_t indent = line.find_first_not_of(' ');
        return (indent == std::string_view::npos ? 0 : indent) + extra;
    });
}

}  // namespace sshpath::terminal
