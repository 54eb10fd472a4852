#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sshpath/engine/analysis.h"

// Pieces the writers of this stage share: where a capture starts, the candidates in words, and
// the escaping each format needs for text that comes from packets.
namespace sshpath::report {

/// Time of the first packet of the capture read from `file` (0 when unknown).
double start_of(const engine::Analysis& a, const std::string& file);
/// The verdict's candidates, joined by `separator`.
std::string candidates_text(const verdict::Verdict& v, std::string_view separator);

/// What a connection's frames showed below TCP, as (label, text) lines: the tunnel it was seen
/// through, the duplicate frames dropped, the MPTCP subflow it is. None for a plain connection.
std::vector<std::pair<std::string, std::string>> wire_lines(const facts::FactSet& flow);

/// `&`, `<`, `>`, `"` and `'` as HTML character references.
std::string html_escape(std::string_view text);
/// Text for a Markdown paragraph, list item or table cell: every character Markdown or its
/// HTML could read as markup escaped, `|` included, line breaks turned into spaces.
std::string md_text(std::string_view text);
/// A Markdown code span holding `text` as it is (delimited by more backticks than it contains);
/// not for table cells, where `|` would end the cell (use md_text there).
std::string md_code(std::string_view text);
/// A fence for a Markdown code block holding `text`: more backticks than any run in it (at least 3).
std::string md_fence(std::string_view text);

}  // namespace sshpath::report
