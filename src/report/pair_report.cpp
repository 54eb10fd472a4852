#include "pair_report.h"

#include <fmt/format.h>

#include <cmath>

#include "report_util.h"
#include "sshpath/core/terminal.h"
#include "sshpath/report/json.h"

namespace sshpath::report {

namespace {

using nlohmann::ordered_json;

ordered_json number_or_null(std::uint64_t packet) { return packet ? ordered_json(packet) : ordered_json(nullptr); }

std::string column(std::uint64_t packet, double time) {
    return packet ? fmt::format("#{:<6} {:>8.3f}", packet, time) : fmt::format("{:<7} {:>8}", "-", "");
}

const pair::PairedAttempt* answer(const pair::PairAnalysis& p) {
    if (p.verdict_attempt < 0 || static_cast<std::size_t>(p.verdict_attempt) >= p.attempts.size()) return nullptr;
    return &p.attempts[static_cast<std::size_t>(p.verdict_attempt)];
}

std::string offset_text(const pair::PairAnalysis& p) {
    // An offset under half a millisecond shows as +0.000, never as -0.000.
    const double offset = std::abs(p.clock_offset_s) < 0.0005 ? 0.0 : p.clock_offset_s;
    return p.clock_offset_known ? fmt::format("{:+.3f} s (the far capture's clock minus the client's)", offset)
                                : "unknown (no packet seen at both ends; taken as 0)";
}

std::string translation_text(const pair::PairedAttempt& a) {
    if (a.client_at_vm.empty()) return "not seen (the attempt is not in the far capture)";
    if (a.client_at_vm == a.client && a.server_at_vm == a.server) return fmt::format("none ({} -> {} at both ends)", a.client, a.server);
    return fmt::format("{} -> {} at the client is {} -> {} at the far end", a.client, a.server, a.client_at_vm, a.server_at_vm);
}

// Where the packets vanished, in words (docs/pair.md).
std::string_view segment_meaning(contract::Segment s) {
    switch (s) {
        case contract::Segment::kNone: return "nowhere: everything that left one end reached the other";
        case contract::Segment::kClient: return "they never left the client, or the client's own TCP did not take what arrived";
        case contract::Segment::kClientToVm: return "on the way to the far end";
        case contract::Segment::kVmToClient: return "on the way back to the client";
        case contract::Segment::kBetween: return "both ways, the connection still going";
        case contract::Segment::kVm: return "the far end received them and never answered";
    }
    return "";
}

std::string fate_text(const pair::PacketRow& r) {
    std::string fate(pair::fate_name(r.fate));
    if (r.ttl_drop >= 0) fate += fmt::format(", TTL -{}", r.ttl_drop);
    if (!r.change.empty()) fate += ", " + r.change;
    return fate;
}

std::string row_line(const pair::PacketRow& r) {
    return fmt::format("{}  {}  {:<6}  {:<22} {}", column(r.client_packet, r.client_time), column(r.vm_packet, r.vm_time),
                       r.from_client ? "client" : "vm", r.what, fate_text(r));
}

}  // namespace

std::string evidence_packets(const verdict::EvidenceItem& e, bool with_file) {
    if (e.peer_file.empty())
        return fmt::format("{}#{:<6} {:>9.3f} s", with_file ? e.file + " " : "", e.packet, e.time);
    return fmt::format("client {}  far {} ", column(e.packet, e.time), column(e.peer_packet, e.peer_time));
}

ordered_json pair_json(const pair::PairAnalysis& p, bool explain) {
    ordered_json j;
    j["client_capture"] = p.client_file;
    j["far_capture"] = p.far_file;
    j["far_vantage"] = pair::vantage_name(p.places.far);
    j["found_by"] = p.places.found_by;
    j["client_why"] = p.places.client_why;
    j["far_why"] = p.places.far_why;
    j["clock_offset_s"] = round3(p.clock_offset_s);
    j["clock_offset_known"] = p.clock_offset_known;
    if (const auto* a = answer(p)) {
        j["translation"] = {{"client", a->client},
                            {"server", a->server},
                            {"client_at_vm", a->client_at_vm.empty() ? ordered_json(nullptr) : ordered_json(a->client_at_vm)},
                            {"server_at_vm", a->server_at_vm.empty() ? ordered_json(nullptr) : ordered_json(a->server_at_vm)}};
    }
    j["answer"] = p.verdict_attempt;
    ordered_json attempts = ordered_json::array();
    for (const auto& a : p.attempts) {
        ordered_json x;
        x["client_flow"] = a.client_attempt;
        x["far_flow"] = a.vm_attempt;
        x["client"] = a.client;
        x["server"] = a.server;
        x["client_at_vm"] = a.client_at_vm.empty() ? ordered_json(nullptr) : ordered_json(a.client_at_vm);
        x["server_at_vm"] = a.server_at_vm.empty() ? ordered_json(nullptr) : ordered_json(a.server_at_vm);
        x["verdict"] = verdict_to_json(a.verdict, explain, false);
        ordered_json facts = ordered_json::object();
        for (const auto& spec : facts::facts_of(facts::Scope::kPair)) facts[std::string(spec.name)] = fact_json(a.facts.get(spec));
        x["facts"] = facts;
        ordered_json rows = ordered_json::array();
        for (const auto& r : a.packets) {
            ordered_json row;
            row["from"] = r.from_client ? "client" : "vm";
            row["what"] = r.what;
            row["client_packet"] = number_or_null(r.client_packet);
            row["client_time"] = round3(r.client_time);
            row["vm_packet"] = number_or_null(r.vm_packet);
            row["vm_time"] = round3(r.vm_time);
            row["fate"] = pair::fate_name(r.fate);
            row["ttl_drop"] = r.ttl_drop >= 0 ? ordered_json(r.ttl_drop) : ordered_json(nullptr);
            row["change"] = r.change;
            rows.push_back(std::move(row));
        }
        x["packets"] = rows;
        if (a.packets_omitted) x["packets_omitted"] = a.packets_omitted;
        attempts.push_back(std::move(x));
    }
    j["attempts"] = attempts;
    return j;
}

std::string pair_text(const pair::PairAnalysis& p, std::size_t width) {
    std::string out = "\nBoth ends\n";
    // The lines wrapped under their value; the packet table keeps its columns.
    auto line = [&](const std::string& text) { out += terminal::wrap(text, width, 14); };
    line(fmt::format("  client      {} ({}: {})", p.client_file, p.places.found_by, p.places.client_why));
    line(fmt::format("  far end     {} at the {} ({}: {})", p.far_file, pair::vantage_name(p.places.far), p.places.found_by,
                     p.places.far_why));
    line(fmt::format("  clock       {}", offset_text(p)));
    if (const auto* a = answer(p)) {
        line(fmt::format("  translation {}", translation_text(*a)));
        if (a->verdict.segment) line(fmt::format("  segment     {}", contract::name(*a->verdict.segment)));
        if (!a->packets.empty()) {
            out += fmt::format("  packets     {:<16}  {:<16}  {:<6}  {:<22} {}\n", "client", "far end", "from", "what", "fate");
            for (const auto& r : a->packets) out += "              " + row_line(r) + "\n";
            if (a->packets_omitted) out += fmt::format("              ... {} more packets not listed\n", a->packets_omitted);
        }
    }
    return out;
}

std::string pair_markdown(const pair::PairAnalysis& p) {
    // Every cell escaped: file names are the user's, and the rest may quote packets.
    std::string out = "## Both ends\n\n| | |\n|---|---|\n";
    out += fmt::format("| client's capture | {} ({}) |\n", md_text(p.client_file), md_text(p.places.found_by));
    out += fmt::format("| far capture | {}, at the {} |\n", md_text(p.far_file), pair::vantage_name(p.places.far));
    out += fmt::format("| clock offset | {} |\n", md_text(offset_text(p)));
    const auto* a = answer(p);
    if (a) {
        out += fmt::format("| translation | {} |\n", md_text(translation_text(*a)));
        if (a->verdict.segment) out += fmt::format("| segment | `{}` |\n", contract::name(*a->verdict.segment));
    }
    out += "\n";
    if (a && !a->packets.empty()) {
        out += "| client packet | time (s) | far packet | time (s) | from | what | fate |\n|---:|---:|---:|---:|---|---|---|\n";
        for (const auto& r : a->packets) {
            out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", r.client_packet ? std::to_string(r.client_packet) : "-",
                               r.client_packet ? fmt::format("{:.3f}", r.client_time) : "", r.vm_packet ? std::to_string(r.vm_packet) : "-",
                               r.vm_packet ? fmt::format("{:.3f}", r.vm_time) : "", r.from_client ? "client" : "vm", md_text(r.what),
                               md_text(fate_text(r)));
        }
        if (a->packets_omitted) out += fmt::format("\n{} more packets not listed.\n", a->packets_omitted);
        out += "\n";
    }
    return out;
}

std::string pair_html(const pair::PairAnalysis& p) {
    auto row = [](std::string_view key, const std::string& value) {
        return fmt::format("<dt>{}</dt><dd>{}</dd>\n", key, value);
    };
    std::string out = "<h2 id=\"pair\">Both ends</h2>\n<dl class=\"pair\">\n";
    out += row("client's capture", fmt::format("<code>{}</code> ({}: {})", html_escape(p.client_file), html_escape(p.places.found_by),
                                               html_escape(p.places.client_why)));
    out += row("far capture", fmt::format("<code>{}</code>, at the {} ({}: {})", html_escape(p.far_file),
                                          pair::vantage_name(p.places.far), html_escape(p.places.found_by), html_escape(p.places.far_why)));
    out += row("clock offset", html_escape(offset_text(p)));
    const auto* a = answer(p);
    if (a) {
        out += row("translation", html_escape(translation_text(*a)));
        if (a->verdict.segment)
            out += row("segment", fmt::format("<code>{}</code>: {}", contract::name(*a->verdict.segment),
                                              html_escape(segment_meaning(*a->verdict.segment))));
    }
    out += "</dl>\n";
    if (a && !a->packets.empty()) {
        out += "<p>Each packet of the deciding connection as both ends saw it; the rows of packets that vanished on the way "
               "(<code>lost</code>) or that their apparent sender never sent (<code>never-sent</code>) are highlighted.</p>\n";
        out += "<table class=\"pair-packets\">\n<tr><th>client packet</th><th>time (s)</th><th>far packet</th><th>time (s)</th>"
               "<th>from</th><th>what</th><th>fate</th></tr>\n";
        for (const auto& r : a->packets) {
            const bool vanished = r.fate == pair::Fate::kLost || r.fate == pair::Fate::kNeverSent;
            out += fmt::format(
                "<tr class=\"{}{}\" data-fate=\"{}\"><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                "<td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                pair::fate_name(r.fate), vanished ? " evidence" : "", pair::fate_name(r.fate),
                r.client_packet ? fmt::format("#{}", r.client_packet) : "-", r.client_packet ? fmt::format("{:.3f}", r.client_time) : "",
                r.vm_packet ? fmt::format("#{}", r.vm_packet) : "-", r.vm_packet ? fmt::format("{:.3f}", r.vm_time) : "",
                r.from_client ? "client" : "vm", html_escape(r.what), html_escape(fate_text(r)));
        }
        out += "</table>\n";
        if (a->packets_omitted) out += fmt::format("<p>... {} more packets not listed.</p>\n", a->packets_omitted);
    }
    return out;
}

}  // namespace sshpath::report
