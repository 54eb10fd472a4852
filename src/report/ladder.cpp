#include "ladder.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "report_util.h"
#include "sshpath/evidence/position.h"
#include "sshpath/report/timeline.h"

namespace sshpath::report {

namespace {

namespace F = facts::flow;
using flow::EventKind;
using flow::Side;

constexpr int kLeft = 150;      // the packet number and time, left of the client's column
constexpr int kWidth = 620;     // from the client's column to the server's
constexpr int kTop = 54;        // column titles
constexpr int kRow = 30;
constexpr std::size_t kLabel = 64;  // characters of a label drawn; the whole text is the arrow's tooltip

struct Column {
    int position = 0;           // client 0, hop N at N, the server at its hop distance + 1
    std::string title, subtitle;
};

struct Row {
    std::uint64_t packet = 0;
    double time = 0;
    std::string text;
    std::string from, to;       // column keys
    bool evidence = false;
};

std::string shorten(const std::string& s) {
    if (s.size() <= kLabel) return s;
    std::size_t cut = kLabel - 1;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
    return s.substr(0, cut) + "\xE2\x80\xA6";
}

bool has_ttl(EventKind k) {
    return k == EventKind::kSyn || k == EventKind::kSynAck || k == EventKind::kRst || k == EventKind::kFin || k == EventKind::kIcmp;
}

// Where each packet's sender sits, and the columns that makes.
class Layout {
public:
    explicit Layout(const verdict::Attempt& a) : server_hops_(static_cast<int>(a.facts.get(F::server_hops))) {
        server_address_ = a.facts.get(F::server_address);
        columns_["client"] = {0, "client", a.facts.get(F::client)};
        columns_["server"] = {server_hops_ >= 0 ? server_hops_ + 1 : 1000, "server",
                              server_hops_ >= 0 ? fmt::format("{} ({} hops)", a.facts.get(F::server), server_hops_)
                                                : a.facts.get(F::server)};
    }

    // The column a server-side or ICMP packet came from.
    std::string sender(const flow::TimelineEvent& e) {
        if (e.from == Side::kClient) return "client";
        const int hops = has_ttl(e.kind) ? evidence::hop_distance(e.ttl) : -1;
        if (e.kind == EventKind::kIcmp) {
            const std::string source = e.source.to_string();
            if (source == server_address_) return "server";
            const std::string key = "icmp " + source;
            if (!columns_.count(key))
                columns_[key] = {hops >= 0 ? hops + 1 : 999, hops >= 0 ? fmt::format("hop {}", hops + 1) : "a router", source};
            return key;
        }
        if (hops < 0 || server_hops_ < 0 || hops == server_hops_) return "server";
        const std::string key = fmt::format("hop {}", hops + 1);
        if (!columns_.count(key)) columns_[key] = {hops + 1, key, "as the server"};
        return key;
    }

    // Left to right: by position, then by title.
    std::vector<std::pair<std::string, Column>> ordered() const {
        std::vector<std::pair<std::string, Column>> out(columns_.begin(), columns_.end());
        std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            if (a.second.position != b.second.position) return a.second.position < b.second.position;
            return a.first < b.first;
        });
        return out;
    }

private:
    int server_hops_;
    std::string server_address_;
    std::map<std::string, Column> columns_;
};

// A packet the verdict cites but the timeline does not list: its side, from the words.
std::pair<std::string, std::string> cited_direction(const std::string& what) {
    const auto server = what.find("server"), client = what.find("client");
    if (server != std::string::npos && (client == std::string::npos || server < client)) return {"server", "client"};
    return {"client", "server"};
}

std::vector<Row> rows_of(const verdict::Attempt& a, double t0, Layout& layout) {
    std::set<std::uint64_t> cited;
    for (const auto& e : a.verdict.evidence)
        if (e.file == a.file || e.file.empty()) cited.insert(e.packet);
    std::vector<Row> rows;
    std::set<std::uint64_t> listed;
    for (const auto& e : a.conversation.timeline) {
        Row r{e.packet, e.time - t0, describe(e), "", "", cited.count(e.packet) > 0};
        if (e.from == Side::kClient) {
            r.from = "client", r.to = "server";
        } else {
            r.from = layout.sender(e);
            r.to = e.kind == EventKind::kIcmp && !e.has(flow::kQuotesClient) ? "server" : "client";
        }
        listed.insert(e.packet);
        rows.push_back(std::move(r));
    }
    for (const auto& e : a.verdict.evidence) {
        if (!cited.count(e.packet) || listed.count(e.packet)) continue;
        auto [from, to] = cited_direction(e.what);
        rows.push_back(Row{e.packet, e.time, e.what, from, to, true});
        listed.insert(e.packet);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return x.packet < y.packet; });
    return rows;
}

}  // namespace

std::string ladder_svg(const verdict::Attempt& attempt, double t0, const std::string& id) {
    Layout layout(attempt);
    const std::vector<Row> rows = rows_of(attempt, t0, layout);
    const auto columns = layout.ordered();
    std::map<std::string, int> x;
    const int gaps = std::max<int>(1, static_cast<int>(columns.size()) - 1);
    for (std::size_t i = 0; i < columns.size(); ++i) x[columns[i].first] = kLeft + static_cast<int>(i) * kWidth / gaps;
    const int width = kLeft + kWidth + 110;
    const int height = kTop + static_cast<int>(rows.size()) * kRow + 16;
    std::string out = fmt::format(
        "<svg class=\"ladder\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" "
        "role=\"img\" aria-labelledby=\"{2}-title\">\n<title id=\"{2}-title\">Ladder diagram of {3} -&gt; {4}</title>\n"
        "<defs><marker id=\"{2}-head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
        "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"head\"/></marker>"
        "<marker id=\"{2}-head-evidence\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"5\" markerHeight=\"5\" "
        "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"head evidence\"/></marker></defs>\n",
        width, height, id, html_escape(attempt.facts.get(F::client)), html_escape(attempt.facts.get(F::server)));
    for (const auto& [key, c] : columns) {
        const int cx = x[key];
        out += fmt::format(
            "<g class=\"column\"><text x=\"{0}\" y=\"18\" text-anchor=\"middle\" class=\"title\">{1}</text>"
            "<text x=\"{0}\" y=\"34\" text-anchor=\"middle\" class=\"address\">{2}</text>"
            "<line x1=\"{0}\" y1=\"42\" x2=\"{0}\" y2=\"{3}\" class=\"life\"/></g>\n",
            cx, html_escape(c.title), html_escape(c.subtitle), height - 4);
    }
    int y = kTop + kRow / 2;
    for (const auto& r : rows) {
        const int x1 = x[r.from], x2 = x[r.to];
        const int gap = x2 > x1 ? 3 : -3;  // arrow heads stop short of the line they point at
        out += fmt::format(
            "<g class=\"arrow{0}\" data-packet=\"{1}\"><title>#{1} {2:.3f} s: {3}</title>"
            "<text x=\"4\" y=\"{4}\" class=\"when\">#{1} {2:.3f} s</text>"
            "<line x1=\"{5}\" y1=\"{4}\" x2=\"{6}\" y2=\"{4}\" marker-end=\"url(#{7}-head{8})\"/>"
            "<text x=\"{9}\" y=\"{10}\" text-anchor=\"middle\" class=\"label\">{11}</text></g>\n",
            r.evidence ? " evidence" : "", r.packet, r.time, html_escape(r.text), y + 4, x1, x2 - gap, id,
            r.evidence ? "-evidence" : "", (x1 + x2) / 2, y - 5, html_escape(shorten(r.text)));
        y += kRow;
    }
    out += "</svg>\n";
    return out;
}

}  // namespace sshpath::report
