#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sshpath/engine/analysis.h"
#include "sshpath/report/markdown.h"

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
/// For a capture read from several files (a ring buffer's parts): "N more parts to LAST", the
/// last one's name passed through `quote`; "" for a capture of one file.
template <class Quote>
std::string more_parts(const engine::CaptureInfo& c, Quote quote) {
    if (c.parts.size() < 2) return "";
    const std::size_t more = c.parts.size() - 1;
    return std::to_string(more) + (more == 1 ? " more part, " : " more parts to ") + quote(c.parts.back());
}

}  // namespace sshpath::report
