#include "summary.h"

#include "report_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <vector>

namespace sshpath::report {

namespace {

using nlohmann::ordered_json;
using contract::name;

// Rows of the server and client-network tables in the text and Markdown reports, and in JSON.
constexpr std::size_t kTextRows = 10;
constexpr std::size_t kJsonRows = 100;

using Named = std::pair<std::string, const engine::Tally*>;

// The busiest first (then by name), at most n.
std::vector<Named> busiest(const std::map<std::string, engine::Tally>& m, std::size_t n) {
    std::vector<Named> rows;
    rows.reserve(m.size());
    for (const auto& [k, t] : m) rows.emplace_back(k, &t);
    const std::size_t keep = std::min(n, rows.size());
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(keep), rows.end(), [](const Named& a, const Named& b) {
        return a.second->attempts != b.second->attempts ? a.second->attempts > b.second->attempts : a.first < b.first;
    });
    rows.resize(keep);
    return rows;
}

// Causes by count, the most frequent first: "ok 120, silent-drop 30".
std::string causes_text(const engine::Tally& t) {
    std::vector<std::pair<std::uint64_t, std::size_t>> c;
    for (std::size_t i = 0; i < t.causes.size(); ++i)
        if (t.causes[i]) c.emplace_back(t.causes[i], i);
    std::stable_sort(c.begin(), c.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string out;
    for (const auto& [n, i] : c) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", contract::kCauses[i], n);
    return out;
}

ordered_json causes_json(const engine::Tally& t) {
    ordered_json j = ordered_json::object();
    for (std::size_t i = 0; i < t.causes.size(); ++i)
        if (t.causes[i]) j[std::string(contract::kCauses[i])] = t.causes[i];
    return j;
}

// A time in a table row of the text report: the time of day when every attempt is of one UTC
// day (the summary's first line gives the day), else date and time.
std::string row_time(double epoch, bool one_day) {
    const std::string t = utc_time(epoch);
    return one_day && t.size() > 11 ? t.substr(11) : t;
}

void table_text(std::ostream& os, const char* title, const std::map<std::string, engine::Tally>& m, bool one_day) {
    const auto rows = busiest(m, kTextRows);
    os << fmt::format("\n  {} ({} of {})\n", title, rows.size(), m.size());
    for (const auto& [k, t] : rows)
        os << fmt::format("    {:<28} {:>7}  {} - {}  {}\n", k, t->attempts, row_time(t->first, one_day), row_time(t->last, one_day),
                          causes_text(*t));
}

void table_markdown(std::ostream& os, const char* title, const char* column, const std::map<std::string, engine::Tally>& m) {
    const auto rows = busiest(m, kTextRows);
    os << fmt::format("### {} ({} of {})\n\n| {} | attempts | first | last | causes |\n|---|---:|---|---|---|\n", title, rows.size(),
                      m.size(), column);
    for (const auto& [k, t] : rows)
        os << fmt::format("| {} | {} | {} | {} | {} |\n", k, t->attempts, utc_time(t->first), utc_time(t->last), causes_text(*t));
    os << "\n";
}

void table_html(std::string& out, const char* title, const char* column, const std::map<std::string, engine::Tally>& m) {
    const auto rows = busiest(m, kTextRows);
    out += fmt::format("<h3>{} ({} of {})</h3>\n<table>\n<tr><th>{}</th><th>attempts</th><th>first</th><th>last</th><th>causes</th></tr>\n",
                       title, rows.size(), m.size(), column);
    for (const auto& [k, t] : rows)
        out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", html_escape(k), t->attempts,
                           utc_time(t->first), utc_time(t->last), causes_text(*t));
    out += "</table>\n";
}

ordered_json table_json(const char* key, const std::map<std::string, engine::Tally>& m) {
    ordered_json rows = ordered_json::array();
    for (const auto& [k, t] : busiest(m, kJsonRows))
        rows.push_back({{key, k}, {"attempts", t->attempts}, {"first", utc_time(t->first, true)}, {"last", utc_time(t->last, true)},
                        {"causes", causes_json(*t)}});
    return rows;
}

}  // namespace

bool summarised(const engine::Analysis& a, const ReportOptions& o) {
    switch (o.detail) {
    case Detail::kAll: return false;
    case Detail::kDeciding: return true;
    case Detail::kAuto: return a.attempts.size() > kAllInFullMax;
    }
    return false;
}

bool in_full(const engine::Analysis& a, bool brief, std::size_t i, std::size_t& next) {
    if (!brief) return true;
    while (next < a.examples.size() && a.examples[next] < i) ++next;
    return next < a.examples.size() && a.examples[next] == i;
}

std::string connections_title(const engine::Analysis& a, bool brief) {
    if (!brief) return fmt::format("{}", a.attempts.size());
    return fmt::format("{}: {} in full, the others one line each; --detail all shows every one in full", a.attempts.size(),
                       a.examples.size());
}

std::string utc_time(double epoch, bool iso) {
    if (!std::isfinite(epoch) || std::fabs(epoch) > 1e12) return iso ? "" : "?";
    const double whole = std::floor(epoch);
    auto ms = static_cast<int>(std::lround((epoch - whole) * 1000));
    auto secs = static_cast<std::time_t>(whole);
    if (ms == 1000) ms = 0, ++secs;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}.{:03}{}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, iso ? "T" : " ",
                       tm.tm_hour, tm.tm_min, tm.tm_sec, ms, iso ? "Z" : "");
}

void write_summary(std::ostream& os, const engine::Analysis& a, bool markdown) {
    const engine::AttemptSummary& s = a.summary;
    if (markdown) {
        os << fmt::format("## Summary\n\n{} attempts, the first at {}, the last at {} (UTC).\n\n", s.all.attempts,
                          utc_time(s.all.first), utc_time(s.all.last));
        os << "### By verdict\n\n| cause | component | attempts | first | last |\n|---|---|---:|---|---|\n";
        for (const auto& [k, t] : s.by_verdict)
            os << fmt::format("| `{}` | `{}` | {} | {} | {} |\n", name(k.first), name(k.second), t.attempts, utc_time(t.first),
                              utc_time(t.last));
        os << "\n";
        table_markdown(os, "By server", "server", s.by_server);
        table_markdown(os, "By client network", "client network", s.by_client_network);
        return;
    }
    os << fmt::format("\nSummary     {} attempts, the first at {}, the last at {} (UTC)\n", s.all.attempts, utc_time(s.all.first),
                      utc_time(s.all.last));
    const bool one_day = utc_time(s.all.first).substr(0, 10) == utc_time(s.all.last).substr(0, 10);
    os << "\n  by verdict\n";
    for (const auto& [k, t] : s.by_verdict)
        os << fmt::format("    {:<28} {:>7}  {} - {}\n", fmt::format("{} / {}", name(k.first), name(k.second)), t.attempts,
                          row_time(t.first, one_day), row_time(t.last, one_day));
    table_text(os, "by server", s.by_server, one_day);
    table_text(os, "by client network", s.by_client_network, one_day);
}

void summary_html(std::string& out, const engine::Analysis& a) {
    const engine::AttemptSummary& s = a.summary;
    out += fmt::format("<h2 id=\"summary\">Summary</h2>\n<p>{} attempts, the first at {}, the last at {} (UTC).</p>\n", s.all.attempts,
                       utc_time(s.all.first), utc_time(s.all.last));
    out += "<h3>By verdict</h3>\n<table>\n<tr><th>cause</th><th>component</th><th>attempts</th><th>first</th><th>last</th></tr>\n";
    for (const auto& [k, t] : s.by_verdict)
        out += fmt::format("<tr><td><code>{}</code></td><td><code>{}</code></td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>\n",
                           name(k.first), name(k.second), t.attempts, utc_time(t.first), utc_time(t.last));
    out += "</table>\n";
    table_html(out, "By server", "server", s.by_server);
    table_html(out, "By client network", "client network", s.by_client_network);
}

ordered_json summary_json(const engine::Analysis& a) {
    const engine::AttemptSummary& s = a.summary;
    ordered_json j;
    j["attempts"] = s.all.attempts;
    j["first"] = utc_time(s.all.first, true);
    j["last"] = utc_time(s.all.last, true);
    j["causes"] = causes_json(s.all);
    ordered_json v = ordered_json::array();
    for (const auto& [k, t] : s.by_verdict)
        v.push_back({{"cause", name(k.first)}, {"component", name(k.second)}, {"attempts", t.attempts},
                     {"first", utc_time(t.first, true)}, {"last", utc_time(t.last, true)}});
    j["by_verdict"] = v;
    j["servers"] = s.by_server.size();
    j["by_server"] = table_json("server", s.by_server);
    j["client_networks"] = s.by_client_network.size();
    j["by_client_network"] = table_json("network", s.by_client_network);
    j["in_full"] = a.examples.size();
    return j;
}

}  // namespace sshpath::report
