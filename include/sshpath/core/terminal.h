#pragma once
#include <cstddef>
#include <string>
#include <string_view>

/// Laying text out for a terminal: wrapping to a width, and colour (ANSI SGR escapes).
namespace sshpath::terminal {

/// The colours the text report uses.
enum class Colour { kNone, kBold, kRed, kGreen, kYellow, kCyan, kBoldRed, kBoldGreen, kBoldYellow };

/// Columns `text` takes on a terminal: UTF-8 code points, colour escapes (ESC [ ... m) none.
std::size_t display_width(std::string_view text);

/// `text` in colour `c` (then back to normal) when `on`, else `text` unchanged.
std::string paint(std::string_view text, Colour c, bool on);

/// One line (no newline) broken at spaces into rows of at most `width` columns, each ending
/// in a newline; rows after the first start with `hang` spaces. A word, or a quoted string
/// ("..." as quotes of packets are shown; '...' as firewall rules and commands to copy, opening
/// at a word's start) that does not fit a row is kept whole on a row of its own, wider than
/// `width`. Width 0: the line unchanged (plus the newline).
std::string wrap(std::string_view line, std::size_t width, std::size_t hang);

/// Text of paragraphs whose lines were broken elsewhere (a rule's explanation), joined and
/// broken again at `width`. Blank lines separate paragraphs; a line that starts with "- " or
/// with a space starts a new row, as in a list. Width 0: the text unchanged.
std::string reflow(std::string_view text, std::size_t width);

/// Every line of `text` wrapped by `wrap`, with `hang` for lines that start with a space and
/// 0 for the others.
std::string wrap_lines(std::string_view text, std::size_t width, std::size_t hang);

/// Every line of `text` wrapped by `wrap`, its rows after the first `extra` columns in from the
/// line's own indent (a list's items and their notes keep their place).
std::string wrap_indented(std::string_view text, std::size_t width, std::size_t extra);

}  // namespace sshpath::terminal
