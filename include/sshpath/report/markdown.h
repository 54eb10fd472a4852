#pragma once
#include <string>
#include <string_view>

/// Escaping for Markdown reports (analyze's and probe's): text that comes from packets or from
/// the user never reads as markup.
namespace sshpath::report {

/// Text for a Markdown paragraph, list item or table cell: every character Markdown or its
/// HTML could read as markup escaped, `|` included, line breaks turned into spaces.
std::string md_text(std::string_view text);
/// A Markdown code span holding `text` as it is (delimited by more backticks than it contains);
/// not for table cells, where `|` would end the cell (use md_text there).
std::string md_code(std::string_view text);
/// A fence for a Markdown code block holding `text`: more backticks than any run in it (at least 3).
std::string md_fence(std::string_view text);

}  // namespace sshpath::report
