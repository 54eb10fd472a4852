#include "sshpath/report/json.h"
#include "sshpath/probe/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace sshpath::probe {

namespace {

using nlohmann::ordered_json;

using report::round3;

std::string addr(const IpAddress& a) { return a.version ? a.to_string() : ""; }

std::string endpoint(const IpAddress& a, int port) {
    return a.version == 6 ? fmt::format("[{}]:{}", a.to_string(), port) : fmt::format("{}:{}", a.to_string(), port);
}

/// Short word for a diagram cell.
std::string cell(const Trace& t, int ttl) {
    bool probed = false, seen = false;
    std::string terminal;
    for (const auto& h : t.hops) {
        if (h.ttl != ttl) continue;
        probed = true;
        for (const auto& p : h.probes) {
            if (p.reply.kind == ReplyKind::kTimeExceeded) seen = true;
            if (is_terminal(p.reply.kind) && terminal.empty()) {
                switch (p.reply.kind) {
                case ReplyKind::kSynAck: terminal = "SYN-ACK"; break;
                case ReplyKind::kRst: terminal = "RST"; break;
                case ReplyKind::kUnreachable: terminal = "ICMP " + p.reply.icmp_kind; break;
                default: terminal = "ICMP"; break;
                }
            }
        }
    }
    if (!terminal.empty()) return terminal;
    if (seen) return "seen";
    return probed ? "." : "";
}

/// The address that answered at a TTL, over the port and control traces.
std::string hop_address(const ProbeResult& r, int ttl, bool* is_destination) {
    *is_destination = false;
    // A router's time-exceeded names the hop best; a terminal answer may be forged in the
    // destination's name by a device nearer.
    for (bool terminal : {false, true})
        for (TraceRole role : {TraceRole::kPort, TraceRole::kControl}) {
            const Trace* t = r.trace(role);
            if (!t) continue;
            for (const auto& h : t->hops) {
                if (h.ttl != ttl) continue;
                for (const auto& p : h.probes)
                    if (p.reply.kind != ReplyKind::kNone && is_terminal(p.reply.kind) == terminal) {
                        *is_destination = p.reply.from == r.address;
                        return p.reply.from.to_string();
                    }
            }
        }
    return "*";
}

int max_ttl(const ProbeResult& r) {
    int m = 0;
    for (TraceRole role : {TraceRole::kPort, TraceRole::kControl})
        if (const Trace* t = r.trace(role))
            for (const auto& h : t->hops) m = std::max(m, h.ttl);
    return m;
}

std::string marker(const Decision& d, int port) {
    const auto& v = d.verdict;
    if (v.cause == contract::Cause::kSilentDrop) return fmt::format("X-- port {} dropped after this", port);
    if (v.cause == contract::Cause::kForgedReset) return fmt::format("X-- a RST in the host's name is forged here (port {})", port);
    if (v.cause == contract::Cause::kIcmpReject) return fmt::format("X-- port {} rejected with ICMP here", port);
    return "";
}

std::string rtt_text(const Probe& p) {
    const double rtt = p.rtt_ms();
    if (rtt < 0) return "*";
    return rtt < 10 ? fmt::format("{:.2f} ms", rtt) : fmt::format("{:.1f} ms", rtt);
}

std::string hop_notes(const Hop& h) {
    std::vector<std::string> notes;
    for (const auto& p : h.probes) {
        for (const auto& c : p.reply.changes) {
            std::string n = fmt::format("{} {}->{}", c.field, c.sent, c.quoted);
            if (std::find(notes.begin(), notes.end(), n) == notes.end()) notes.push_back(n);
        }
        if (is_terminal(p.reply.kind) && p.reply.hops >= 0) {
            std::string n = fmt::format("ttl {} ({} hops)", p.reply.ttl, p.reply.hops);
            if (std::find(notes.begin(), notes.end(), n) == notes.end()) notes.push_back(n);
        }
    }
    std::string out;
    for (const auto& n : notes) out += (out.empty() ? "" : ", ") + n;
    return out;
}

std::string trace_title(const ProbeResult& r, const Trace& t) {
    int lo = 0, hi = 0;
    if (!t.hops.empty()) {
        lo = t.hops.front().ttl;
        hi = t.hops.back().ttl;
    }
    const char* what = t.role == TraceRole::kPort      ? "SSH port"
                       : t.role == TraceRole::kControl ? "control port"
                                                       : "last hop that saw the SYN, at its own address";
    std::string ttls = lo == hi ? fmt::format("TTL {}", lo) : fmt::format("TTL {}-{}", lo, hi);
    return fmt::format("{} ({}): SYN to {}, {}, up to {} per hop; stopped: {}", trace_role_name(t.role), what,
                       endpoint(t.destination, t.dport), ttls, r.probes_per_hop, t.stop_reason == TraceStop::kNotStopped ? std::string_view("-") : trace_stop_name(t.stop_reason));
}

/// One line per TTL: ttl, addresses, answers, RTTs, notes. Runs of silent TTLs are folded.
std::vector<std::array<std::string, 5>> hop_rows(const Trace& t) {
    std::vector<std::array<std::string, 5>> rows;
    std::size_t i = 0;
    while (i < t.hops.size()) {
        const Hop& h = t.hops[i];
        auto silent = [](const Hop& x) {
            return std::all_of(x.probes.begin(), x.probes.end(), [](const Probe& p) { return p.reply.kind == ReplyKind::kNone; });
        };
        if (silent(h)) {
            std::size_t j = i;
            while (j + 1 < t.hops.size() && silent(t.hops[j + 1])) ++j;
            std::string ttl = j == i ? std::to_string(h.ttl) : fmt::format("{}-{}", h.ttl, t.hops[j].ttl);
            std::string rtts;
            for (std::size_t k = 0; k < h.probes.size(); ++k) rtts += (k ? "  " : "") + std::string("*");
            rows.push_back({ttl, "*", "none", rtts, ""});
            i = j + 1;
            continue;
        }
        std::vector<std::string> addrs, kinds;
        std::string rtts;
        for (const auto& p : h.probes) {
            if (p.reply.kind != ReplyKind::kNone) {
                std::string a = p.reply.from.to_string();
                if (std::find(addrs.begin(), addrs.end(), a) == addrs.end()) addrs.push_back(a);
                std::string k = std::string(reply_kind_name(p.reply.kind));
                if (p.reply.kind == ReplyKind::kUnreachable) k += " " + p.reply.icmp_kind;
                if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
            }
            rtts += (rtts.empty() ? "" : "  ") + rtt_text(p);
        }
        auto join = [](const std::vector<std::string>& v) {
            std::string out;
            for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
            return out;
        };
        rows.push_back({std::to_string(h.ttl), join(addrs), join(kinds), rtts, hop_notes(h)});
        ++i;
    }
    return rows;
}

std::string connect_line(const ConnectTest& c) {
    if (!c.ran) return "not run";
    if (c.result == ConnectResult::kConnected) return fmt::format("connected in {:.1f} ms (local port {})", c.connect_ms, c.sport);
    return fmt::format("{}: {} (after {:.0f} ms)", connect_result_name(c.result), c.error, c.connect_ms);
}

std::string banner_line(const ConnectTest& c) {
    if (c.result != ConnectResult::kConnected) return "-";
    if (c.banner_outcome == BannerOutcome::kSsh)
        return fmt::format("{} (after {:.1f} ms){}", c.banner, c.banner_ms,
                           c.after_banner == AfterBanner::kReset    ? "; then the connection was reset"
                           : c.after_banner == AfterBanner::kClosed ? "; then the connection was closed"
                                                        : "");
    if (c.banner_outcome == BannerOutcome::kTimeout) return "none: the server sent nothing in time";
    if (c.banner_outcome == BannerOutcome::kClosed) return "none: the server closed the connection";
    if (c.banner_outcome == BannerOutcome::kReset) return "none: the connection was reset";
    if (c.banner_outcome == BannerOutcome::kNotSsh)
        return fmt::format("none: not SSH (first bytes look like {})", first_bytes_name(c.first_bytes));
    return std::string(banner_outcome_name(c.banner_outcome));
}

ordered_json probe_json(const Probe& p, double t0) {
    ordered_json j;
    j["ttl"] = p.ttl;
    j["seq"] = p.seq;
    if (p.bytes.size() && (p.bytes[0] >> 4) == 4) j["ip_id"] = p.ip_id;
    j["packet"] = p.packet;
    j["sent"] = round3(std::max(0.0, p.sent - t0));
    j["reply"] = reply_kind_name(p.reply.kind);
    if (p.reply.kind != ReplyKind::kNone) {
        j["from"] = p.reply.from.to_string();
        j["reply_packet"] = p.reply.packet;
        j["rtt_ms"] = round3(p.rtt_ms());
        j["reply_ttl"] = p.reply.ttl;
        j["reply_hops"] = p.reply.hops;
        if (p.reply.icmp_type >= 0) {
            j["icmp_type"] = p.reply.icmp_type;
            j["icmp_code"] = p.reply.icmp_code;
            j["icmp_kind"] = p.reply.icmp_kind;
            j["quote_bytes"] = p.reply.quote_bytes;
            j["quote_full"] = p.reply.quote_full;
            ordered_json ch = ordered_json::array();
            for (const auto& c : p.reply.changes) ch.push_back({{"field", c.field}, {"sent", c.sent}, {"quoted", c.quoted}});
            j["changes"] = ch;
        }
        if (p.reply.duplicates) j["duplicates"] = p.reply.duplicates;
    }
    return j;
}

double start_time(const ProbeResult& r) { return r.packets.empty() ? r.started : std::min(r.started, r.packets.front().time); }

std::string edge_words(const ProbeResult& r) {
    return r.edge_hop_given ? "given by --edge-hop" : "guessed: the last private address, else the first router";
}

}  // namespace

std::vector<ChangeAt> changes_by_hop(const ProbeResult& r) {
    std::vector<ChangeAt> out;
    std::map<std::tuple<std::string, std::string, std::string>, std::size_t> index;
    for (TraceRole role : {TraceRole::kPort, TraceRole::kControl}) {
        const Trace* t = r.trace(role);
        if (!t) continue;
        for (const auto& h : t->hops)
            for (const auto& p : h.probes) {
                if (p.reply.kind != ReplyKind::kTimeExceeded) continue;
                for (const auto& c : p.reply.changes) {
                    auto key = std::make_tuple(c.field, c.field == "ttl" ? std::string() : c.sent, c.quoted);
                    auto it = index.find(key);
                    if (it == index.end()) {
                        index[key] = out.size();
                        out.push_back({c.field, c.sent, c.quoted, p.ttl, p.reply.from.to_string(), 0, "", {t->dport}});
                        continue;
                    }
                    ChangeAt& a = out[it->second];
                    if (std::find(a.ports.begin(), a.ports.end(), t->dport) == a.ports.end()) a.ports.push_back(t->dport);
                    if (p.ttl < a.hop) {
                        a.hop = p.ttl;
                        a.address = p.reply.from.to_string();
                    }
                }
            }
    }
    // The hop before: the highest TTL below the first one whose quote was full and did not show it.
    for (auto& a : out) {
        for (TraceRole role : {TraceRole::kPort, TraceRole::kControl}) {
            const Trace* t = r.trace(role);
            if (!t) continue;
            for (const auto& h : t->hops)
                for (const auto& p : h.probes) {
                    if (p.reply.kind != ReplyKind::kTimeExceeded || p.ttl >= a.hop || p.ttl <= a.previous_hop) continue;
                    if (!p.reply.quote_full) continue;
                    a.previous_hop = p.ttl;
                    a.previous_address = p.reply.from.to_string();
                }
        }
    }
    std::sort(out.begin(), out.end(), [](const ChangeAt& a, const ChangeAt& b) { return a.hop < b.hop; });
    return out;
}

std::string render_diagram(const ProbeResult& r, const Decision& d) {
    const Trace* port = r.trace(TraceRole::kPort);
    const Trace* control = r.trace(TraceRole::kControl);
    std::string out;
    // Nothing lies beyond the destination: the TTLs probed past it are not hops.
    const int top = d.destination_hop > 0 ? std::min(max_ttl(r), d.destination_hop) : max_ttl(r);
    if (!port || top == 0) return out;
    // Column widths.
    std::vector<std::pair<std::string, int>> rows;  // label, ttl (0: marker line)
    std::size_t width = fmt::format("client {}", r.source.to_string()).size();
    std::vector<std::string> labels(static_cast<std::size_t>(top) + 1);
    for (int ttl = 1; ttl <= top; ++ttl) {
        bool dest = false;
        std::string a = hop_address(r, ttl, &dest);
        std::string tag = dest ? " (destination)" : ttl == (r.edge_hop > 0 ? r.edge_hop : 1) && !dest ? " (edge)" : "";
        labels[static_cast<std::size_t>(ttl)] = fmt::format("[{}] {}{}", ttl, a, tag);
        width = std::max(width, labels[static_cast<std::size_t>(ttl)].size());
    }
    width += 2;
    const std::string mark = marker(d, r.port);
    const int mark_after = d.verdict.cause == contract::Cause::kSilentDrop ? d.last_seen_hop : d.blamed_hop;
    out += fmt::format("  {:<{}}:{:<10}{}\n", fmt::format("client {}", r.source.to_string()), width, r.port,
                       control ? fmt::format(":{}", control->dport) : "");
    auto marker_line = [&] { out += fmt::format("      {}\n", mark); };
    if (!mark.empty() && mark_after == 0) marker_line();
    int ttl = 1;
    while (ttl <= top) {
        // Fold runs of TTLs where nothing answered on any trace.
        bool dest = false;
        if (hop_address(r, ttl, &dest) == "*") {
            int end = ttl;
            while (end + 1 <= top && hop_address(r, end + 1, &dest) == "*" && !(mark_after == end && !mark.empty())) ++end;
            if (end > ttl) {
                out += fmt::format("  {:<{}}{:<11}{}\n", fmt::format("[{}-{}] *", ttl, end), width, cell(*port, ttl),
                                   control ? cell(*control, ttl) : "");
                if (!mark.empty() && mark_after >= ttl && mark_after <= end) marker_line();
                ttl = end + 1;
                continue;
            }
        }
        out += fmt::format("  {:<{}}{:<11}{}\n", labels[static_cast<std::size_t>(ttl)], width, cell(*port, ttl),
                           control ? cell(*control, ttl) : "");
        if (!mark.empty() && mark_after == ttl) marker_line();
        ++ttl;
    }
    return out;
}

std::string render_text(const ProbeResult& r, const Decision& d, const std::string& version) {
    const auto& v = d.verdict;
    std::string out;
    out += fmt::format("sshpath {} probe: {} port {} (address {}, from {}{})\n\n", version, r.target, r.port,
                       r.address.to_string(), r.source.to_string(), r.interface.empty() ? "" : " on " + r.interface);
    out += fmt::format("VERDICT     {} (confidence {})\n", contract::name(v.cause), contract::name(v.confidence));
    if (v.component == contract::Component::kUnknown && !v.candidates.empty()) {
        std::string c;
        for (const auto& x : v.candidates) c += (c.empty() ? "" : ", ") + std::string(contract::name(x));
        out += fmt::format("component   unknown - candidates: {}\n", c);
    } else {
        out += fmt::format("component   {}\n", contract::name(v.component));
    }
    out += fmt::format("segment     {}: {}\n", segment_name(d.segment), segment_words(d.segment));
    if (r.raw)
        out += fmt::format("last seen   {}\n", d.last_seen_hop > 0 ? fmt::format("hop {} ({})", d.last_seen_hop, d.last_seen_address)
                                                                 : "no router answered");
    if (!d.drop_scope.empty()) out += fmt::format("drop        {}\n", d.drop_scope);
    out += fmt::format("summary     {}\n", v.summary);
    out += fmt::format("rule        {}\n", v.rule);
    if (!v.explanation.empty()) out += fmt::format("\n{}\n", v.explanation);

    out += "\nConnect test\n";
    out += fmt::format("  tcp {:<22} {}\n", endpoint(r.address, r.port), connect_line(r.connect));
    out += fmt::format("  identification  {}\n", banner_line(r.connect));
    if (r.connect.pre_banner_count > 0) {
        out += fmt::format("  lines before it ({}):\n", r.connect.pre_banner_count);
        for (const auto& l : r.connect.pre_banner_lines) out += fmt::format("    | {}\n", l);
    }

    if (!r.raw) {
        out += fmt::format("\nTTL probes\n  {}\n", r.raw_note);
    } else {
        for (const auto& t : r.traces) {
            out += fmt::format("\n{}\n", trace_title(r, t));
            out += fmt::format("  {:>5}  {:<40} {:<28} {:<20} {}\n", "hop", "address", "answer", "rtt", "notes");
            for (const auto& row : hop_rows(t))
                out += fmt::format("  {:>5}  {:<40} {:<28} {:<20} {}\n", row[0], row[1], row[2], row[3], row[4]);
        }
        out += fmt::format("\nPath (edge: hop {}, {})\n", r.edge_hop, edge_words(r));
        out += render_diagram(r, d);
        const auto changes = changes_by_hop(r);
        out += "\nMiddlebox changes (ICMP quotes compared with the probes sent)\n";
        if (changes.empty()) out += "  none seen\n";
        for (const auto& c : changes)
            out += fmt::format("  {} {} -> {}: first in the quote from hop {} ({}); changed {}\n", c.field, c.sent, c.quoted,
                               c.hop, c.address,
                               c.previous_hop > 0 ? fmt::format("between hop {} ({}) and hop {}", c.previous_hop,
                                                                c.previous_address, c.hop)
                                                  : fmt::format("before hop {}", c.hop));
    }
    if (!v.evidence.empty()) {
        out += "\nEvidence\n";
        for (const auto& e : v.evidence)
            out += fmt::format("  {:<10} {:>8.3f} s  {}\n", e.packet ? fmt::format("#{}", e.packet) : "-", e.time, e.what);
    }
    if (!v.next_steps.empty()) {
        out += "\nNext steps\n";
        int i = 1;
        for (const auto& s : v.next_steps) out += fmt::format("  {}. {}\n", i++, s);
    }
    std::vector<std::string> notes = r.warnings;
    if (r.raw && !r.raw_note.empty()) notes.push_back(r.raw_note);
    if (!notes.empty()) {
        out += "\nWarnings\n";
        for (const auto& w : notes) out += fmt::format("  - {}\n", w);
    }
    if (!r.capture_file.empty())
        out += fmt::format("\nCapture     {} ({} packets; 'sshpath analyze {}' reads it)\n", r.capture_file, r.packets.size(),
                           r.capture_file);
    return out;
}

std::string render_json(const ProbeResult& r, const Decision& d, const std::string& version) {
    const double t0 = start_time(r);
    ordered_json j;
    j["schema_version"] = 1;
    j["sshpath_version"] = version;
    j["verdict"] = report::verdict_to_json(d.verdict);
    ordered_json p;
    p["target"] = r.target;
    p["address"] = r.address.to_string();
    p["port"] = r.port;
    p["control_port"] = r.control_port;
    p["source"] = addr(r.source);
    p["interface"] = r.interface;
    p["segment"] = segment_name(d.segment);
    p["segment_words"] = segment_words(d.segment);
    p["drop_scope"] = d.drop_scope;
    p["last_seen_hop"] = d.last_seen_hop;
    p["last_seen_address"] = d.last_seen_address;
    p["blamed_hop"] = d.blamed_hop;
    p["destination_hop"] = d.destination_hop;
    p["edge_hop"] = r.edge_hop;
    p["edge_hop_source"] = r.edge_hop_given ? "option" : "guessed";
    p["ttl_probes"] = r.raw;
    p["ttl_probes_note"] = r.raw_note;
    const auto& c = r.connect;
    ordered_json cj;
    cj["result"] = connect_result_name(c.ran ? c.result : ConnectResult::kNotRun);
    cj["error"] = c.error;
    cj["connect_ms"] = round3(c.connect_ms);
    cj["local_port"] = c.sport;
    cj["banner_outcome"] = banner_outcome_name(c.banner_outcome);
    cj["banner"] = c.banner;
    cj["banner_ms"] = round3(c.banner_ms);
    cj["after_banner"] = after_banner_name(c.after_banner);
    cj["pre_banner_count"] = c.pre_banner_count;
    cj["pre_banner_lines"] = c.pre_banner_lines;
    cj["first_bytes"] = first_bytes_name(c.first_bytes);
    cj["synack_ttl"] = c.synack_ttl;
    cj["rst_ttl"] = c.rst_ttl;
    p["connect"] = cj;
    ordered_json traces = ordered_json::array();
    for (const auto& t : r.traces) {
        ordered_json tj;
        tj["role"] = trace_role_name(t.role);
        tj["destination"] = t.destination.to_string();
        tj["port"] = t.dport;
        tj["source_port"] = t.sport;
        tj["stop_reason"] = trace_stop_name(t.stop_reason);
        ordered_json hops = ordered_json::array();
        for (const auto& h : t.hops) {
            ordered_json hj;
            hj["ttl"] = h.ttl;
            ordered_json probes = ordered_json::array();
            for (const auto& pr : h.probes) probes.push_back(probe_json(pr, t0));
            hj["probes"] = probes;
            hops.push_back(hj);
        }
        tj["hops"] = hops;
        traces.push_back(tj);
    }
    p["traces"] = traces;
    ordered_json changes = ordered_json::array();
    for (const auto& ch : changes_by_hop(r))
        changes.push_back({{"field", ch.field},
                           {"sent", ch.sent},
                           {"quoted", ch.quoted},
                           {"hop", ch.hop},
                           {"address", ch.address},
                           {"previous_hop", ch.previous_hop},
                           {"previous_address", ch.previous_address},
                           {"ports", ch.ports}});
    p["changes"] = changes;
    p["diagram"] = render_diagram(r, d);
    p["capture"] = r.capture_file;
    p["packets"] = r.packets.size();
    p["duration_s"] = round3(r.finished - r.started);
    p["limits"] = {{"max_hops", r.max_hops}, {"probes_per_hop", r.probes_per_hop}, {"rate", r.rate}};
    j["probe"] = p;
    std::vector<std::string> warnings = r.warnings;
    if (r.raw && !r.raw_note.empty()) warnings.push_back(r.raw_note);
    j["warnings"] = warnings;
    return j.dump(2) + "\n";
}

std::string render_markdown(const ProbeResult& r, const Decision& d, const std::string& version) {
    const auto& v = d.verdict;
    auto esc = [](std::string s) {
        std::string out;
        for (char ch : s) {
            if (ch == '|') out += "\\|";
            else out += ch;
        }
        return out;
    };
    std::string out;
    out += fmt::format("# sshpath probe: {} port {}\n\n", r.target, r.port);
    out += fmt::format("sshpath {}, address {}, from {}{}\n\n", version, r.address.to_string(), r.source.to_string(),
                       r.interface.empty() ? "" : " on " + r.interface);
    std::string cands;
    for (const auto& x : v.candidates) cands += (cands.empty() ? "" : ", ") + std::string(contract::name(x));
    out += "| verdict | |\n|---|---|\n";
    out += fmt::format("| cause | `{}` |\n| component | `{}` |\n", contract::name(v.cause), contract::name(v.component));
    if (!cands.empty()) out += fmt::format("| candidates | {} |\n", cands);
    out += fmt::format("| confidence | {} |\n| segment | `{}`: {} |\n", contract::name(v.confidence), segment_name(d.segment),
                       esc(std::string(segment_words(d.segment))));
    if (r.raw)
        out += fmt::format("| last seen | {} |\n", d.last_seen_hop > 0 ? fmt::format("hop {} ({})", d.last_seen_hop, d.last_seen_address)
                                                                     : "no router answered");
    if (!d.drop_scope.empty()) out += fmt::format("| drop | {} |\n", d.drop_scope);
    out += fmt::format("| rule | `{}` |\n\n", v.rule);
    out += fmt::format("**Summary**: {}\n\n", esc(v.summary));
    if (!v.explanation.empty()) out += v.explanation + "\n\n";
    out += "## Connect test\n\n";
    out += fmt::format("- tcp {}: {}\n- identification: {}\n", endpoint(r.address, r.port), esc(connect_line(r.connect)),
                       esc(banner_line(r.connect)));
    for (const auto& l : r.connect.pre_banner_lines) out += fmt::format("  - line before it: `{}`\n", l);
    out += "\n";
    if (!r.raw) {
        out += fmt::format("## TTL probes\n\n{}\n\n", r.raw_note);
    } else {
        for (const auto& t : r.traces) {
            out += fmt::format("## {}\n\n", esc(trace_title(r, t)));
            out += "| hop | address | answer | rtt | notes |\n|---:|---|---|---|---|\n";
            for (const auto& row : hop_rows(t))
                out += fmt::format("| {} | {} | {} | {} | {} |\n", row[0], row[1], row[2], row[3], esc(row[4]));
            out += "\n";
        }
        out += "## Path\n\n```\n" + render_diagram(r, d) + "```\n\n";
        const auto changes = changes_by_hop(r);
        out += "## Middlebox changes\n\n";
        if (changes.empty()) out += "None seen.\n\n";
        else {
            out += "| field | sent | quoted | first seen at | changed after |\n|---|---|---|---|---|\n";
            for (const auto& c : changes)
                out += fmt::format("| {} | {} | {} | hop {} ({}) | {} |\n", c.field, c.sent, c.quoted, c.hop, c.address,
                                   c.previous_hop > 0 ? fmt::format("hop {} ({})", c.previous_hop, c.previous_address) : "-");
            out += "\n";
        }
    }
    if (!v.evidence.empty()) {
        out += "## Evidence\n\n| packet | time | what |\n|---:|---:|---|\n";
        for (const auto& e : v.evidence) out += fmt::format("| {} | {:.3f} | {} |\n", e.packet, e.time, esc(e.what));
        out += "\n";
    }
    if (!v.next_steps.empty()) {
        out += "## Next steps\n\n";
        int i = 1;
        for (const auto& s : v.next_steps) out += fmt::format("{}. {}\n", i++, s);
        out += "\n";
    }
    std::vector<std::string> notes = r.warnings;
    if (r.raw && !r.raw_note.empty()) notes.push_back(r.raw_note);
    if (!notes.empty()) {
        out += "## Warnings\n\n";
        for (const auto& w : notes) out += "- " + w + "\n";
        out += "\n";
    }
    if (!r.capture_file.empty()) out += fmt::format("Capture: `{}` ({} packets).\n", r.capture_file, r.packets.size());
    return out;
}

}  // namespace sshpath::probe
