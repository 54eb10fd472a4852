#include "report_util.h"

#include "sshpath/report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace sshpath::report {

std::vector<std::pair<std::string, std::string>> wire_lines(const facts::FactSet& flow) {
    namespace F = facts::flow;
    std::vector<std::pair<std::string, std::string>> out;
    if (const std::string& t = flow.get(F::tunnel); !t.empty()) out.emplace_back("tunnel", "seen inside " + t);
    if (const auto n = flow.get(F::duplicate_frames); n > 0)
        out.emplace_back("copies", fmt::format("{} frame{} captured twice, each analysed once (not retransmissions)", n,
                                               n == 1 ? "" : "s"));
    if (const auto c = flow.get(F::client_bytes_missed), s = flow.get(F::server_bytes_missed); c + s > 0)
        out.emplace_back("gaps", fmt::format("the capture lacks {} client and {} server bytes that their receiver acknowledged: "
                                             "packets the capture lost, not the network",
                                             c, s));
    if (flow.get(F::mptcp_join)) {
        const std::string& joined = flow.get(F::mptcp_joined);
        out.emplace_back("mptcp", "a subflow (MP_JOIN) of the MPTCP connection " + (joined.empty() ? std::string("it names (not in the capture)") : joined));
    }
    return out;
}

double start_of(const engine::Analysis& a, const std::string& file) {
    for (const auto& c : a.captures)
        if (c.file == file) return c.start_time;
    return 0;
}

std::string candidates_text(const verdict::Verdict& v, std::string_view separator) {
    std::string out;
    for (auto c : v.candidates) {
        if (!out.empty()) out += separator;
        out += contract::name(c);
    }
    return out;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string md_text(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        if (c == '\n' || c == '\r') {
            out += ' ';
        } else if (c == '<') {
            out += "&lt;";  // a backslash does not stop every renderer from reading an HTML tag
        } else if (c == '>') {
            out += "&gt;";
        } else if (c == '&') {
            out += "&amp;";
        } else {
            // CommonMark: any ASCII punctuation may be escaped with a backslash.
            if (std::string_view("\\`*_[]|#~!").find(c) != std::string_view::npos) out += '\\';
            out += c;
        }
    }
    return out;
}

namespace {

std::size_t longest_backtick_run(std::string_view text) {
    std::size_t longest = 0, run = 0;
    for (char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

}  // namespace

std::string md_code(std::string_view text) {
    std::string clean(text);
    std::replace(clean.begin(), clean.end(), '\n', ' ');
    const std::string ticks(longest_backtick_run(clean) + 1, '`');
    const bool pad = !clean.empty() && (clean.front() == '`' || clean.back() == '`');
    return ticks + (pad ? " " : "") + clean + (pad ? " " : "") + ticks;
}

std::string md_fence(std::string_view text) { return std::string(std::max<std::size_t>(3, longest_backtick_run(text) + 1), '`'); }

}  // namespace sshpath::report

namespace sshpath::report {

std::string render(const engine::Analysis& a, const ReportOptions& o, const std::string& format) {
    if (format == "json") return render_json(a, o);
    if (format == "jsonl") {
        std::ostringstream os;
        write_jsonl(os, a, o);
        return std::move(os).str();
    }
    if (format == "markdown") return render_markdown(a, o);
    if (format == "html") return render_html(a, o);
    return render_text(a, o);
}

}  // namespace sshpath::report
