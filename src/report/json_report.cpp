#include <nlohmann/json.hpp>

#include <cmath>
#include <ostream>
#include <sstream>

#include "sshpath/core/contract.h"
#include "sshpath/report/json.h"
#include "sshpath/report/report.h"
#include "sshpath/report/timeline.h"
#include "live_trailer.h"
#include "pair_report.h"
#include "summary.h"

namespace sshpath::report {

using nlohmann::ordered_json;

double round3(double t) {
    // NaN, infinities and magnitudes no capture time reaches (a damaged time stamp) have no
    // thousandths to round, and would overflow the integer below.
    if (!(std::fabs(t) < 1e12)) return t;
    return static_cast<double>(static_cast<long long>(t * 1000.0 + (t >= 0 ? 0.5 : -0.5))) / 1000.0;
}

namespace {

namespace F = facts::flow;
using contract::name;

}  // namespace

ordered_json fact_json(const facts::Value& v) {
    if (auto* b = std::get_if<bool>(&v)) return *b;
    if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (auto* d = std::get_if<double>(&v)) return round3(*d);
    return std::get<std::string>(v);
}

ordered_json verdict_to_json(const verdict::Verdict& v, bool explain, bool with_file) {
    ordered_json j;
    j["cause"] = name(v.cause);
    j["component"] = name(v.component);
    ordered_json candidates = ordered_json::array();
    for (auto c : v.candidates) candidates.push_back(name(c));
    j["candidates"] = candidates;
    j["confidence"] = name(v.confidence);
    if (v.segment) j["segment"] = name(*v.segment);
    j["summary"] = v.summary;
    ordered_json ev = ordered_json::array();
    for (const auto& e : v.evidence) {
        ordered_json x;
        const bool paired = !e.peer_file.empty();
        if (with_file || paired) x["file"] = e.file;
        // In a pair, a packet may be missing from one capture: its number is then null.
        x["packet"] = paired && e.packet == 0 ? ordered_json(nullptr) : ordered_json(e.packet);
        x["time"] = round3(e.time);
        x["what"] = e.what;
        if (paired)
            x["peer"] = {{"file", e.peer_file},
                         {"packet", e.peer_packet ? ordered_json(e.peer_packet) : ordered_json(nullptr)},
                         {"time", round3(e.peer_time)}};
        ev.push_back(x);
    }
    j["evidence"] = ev;
    j["next_steps"] = v.next_steps;
    j["rule"] = v.rule;
    if (!v.explanation.empty()) j["explanation"] = v.explanation;
    if (explain) {
        ordered_json m = ordered_json::array();
        for (const auto& match : v.matched) {
            ordered_json x;
            x["rule"] = match.rule;
            x["priority"] = match.priority;
            x["cause"] = name(match.cause);
            x["condition"] = match.condition;
            ordered_json inputs = ordered_json::object();
            for (const auto& [name, value] : match.inputs) inputs[name] = value;
            x["inputs"] = inputs;
            m.push_back(x);
        }
        j["matched_rules"] = m;
    }
    return j;
}

namespace {

ordered_json direction_json(const evidence::SshSide& d) {
    ordered_json j;
    j["identification"] = d.identification ? ordered_json(*d.identification) : ordered_json(nullptr);
    if (!d.identification_problem.empty()) j["identification_problem"] = d.identification_problem;
    j["pre_banner_lines"] = d.pre_banner_lines;
    if (d.kexinit) {
        const auto& k = *d.kexinit;
        j["kexinit"] = {{"kex", k.kex.names()},
                        {"host_key", k.host_key.names()},
                        {"cipher_c2s", k.cipher_c2s.names()},
                        {"cipher_s2c", k.cipher_s2c.names()},
                        {"mac_c2s", k.mac_c2s.names()},
                        {"mac_s2c", k.mac_s2c.names()},
                        {"compression_c2s", k.compression_c2s.names()},
                        {"compression_s2c", k.compression_s2c.names()}};
    } else {
        j["kexinit"] = nullptr;
    }
    j["messages"] = d.messages;
    return j;
}

ordered_json facts_json(const facts::FactSet& fs) {
    ordered_json j = ordered_json::object();
    for (const auto& spec : facts::facts_of(fs.scope())) j[std::string(spec.name)] = fact_json(fs.get(spec));
    return j;
}

}  // namespace

namespace {

// The report is written piece by piece, each flow as its own small document, so that its size
// never has to fit in memory at once; the bytes are those of one document dumped with indent 2.
// A capture can put any bytes in a string: never let invalid UTF-8 abort the report.
constexpr auto kReplace = ordered_json::error_handler_t::replace;

void put(std::ostream& os, const ordered_json& v, int level) {
    const std::string text = v.dump(2, ' ', false, kReplace);
    const std::string pad(static_cast<std::size_t>(2 * level), ' ');
    std::size_t from = 0;
    for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
        os.write(text.data() + from, static_cast<std::streamsize>(nl + 1 - from));
        os << pad;
        from = nl + 1;
    }
    os.write(text.data() + from, static_cast<std::streamsize>(text.size() - from));
}

// "key": value, at the first level of the report.
void member(std::ostream& os, const char* key, const ordered_json& v, bool last = false) {
    os << "  \"" << key << "\": ";
    put(os, v, 1);
    os << (last ? "\n" : ",\n");
}

template <typename Items, typename Make>
void array_member(std::ostream& os, const char* key, const Items& items, Make make) {
    os << "  \"" << key << "\": ";
    if (items.empty()) {
        os << "[],\n";
        return;
    }
    os << "[\n";
    bool first = true;
    for (const auto& item : items) {
        if (!first) os << ",\n";
        first = false;
        os << "    ";
        put(os, make(item), 2);
    }
    os << "\n  ],\n";
}

// `x` may hold members that go first (JSON Lines: type and index).
ordered_json flow_json(const engine::Analysis& a, const verdict::Attempt& f, const ReportOptions& o, bool full = true,
                       ordered_json x = ordered_json::object()) {
    x["file"] = f.file;
    x["client"] = f.facts.get(F::client);
    x["server"] = f.facts.get(F::server);
    x["first_packet"] = f.conversation.first_packet;
    x["start_time"] = round3(f.facts.get(F::start_time));
    x["stage"] = f.facts.get(F::ssh_stage);
    x["verdict"] = verdict_to_json(f.verdict, o.explain, false);
    if (!full) {
        x["brief"] = true;  // a report of many attempts: no facts, ssh details or timeline
        return x;
    }
    x["facts"] = facts_json(f.facts);
    for (const auto& set : f.beside) x[std::string(facts::scope_name(set.scope())) + "_facts"] = facts_json(set);
    x["ssh"] = {{"client", direction_json(f.conversation.client)}, {"server", direction_json(f.conversation.server)}};
    ordered_json tl = ordered_json::array();
    double t0 = 0;
    for (const auto& c : a.captures)
        if (c.file == f.file) t0 = c.start_time;
    for (const auto& e : f.conversation.timeline) {
        ordered_json line = {{"packet", e.packet}, {"time", round3(e.time - t0)}, {"from", flow::side_name(e.from)}, {"what", describe(e)}};
        event_fields(line, e);
        tl.push_back(std::move(line));
    }
    x["timeline"] = tl;
    if (f.conversation.timeline_omitted) x["timeline_omitted"] = f.conversation.timeline_omitted;
    return x;
}

ordered_json capture_json(const engine::CaptureInfo& c) {
    ordered_json x;
    x["file"] = c.file;
    x["link_type"] = c.link_type;
    x["packets"] = c.stats.packets;
    x["duration_s"] = round3(c.end_time - c.start_time);
    x["truncated"] = c.stats.truncated;
    x["malformed_packets"] = c.stats.malformed;
    x["payload_cut_packets"] = c.stats.snaplen_cut;
    x["facts"] = facts_json(c.facts);
    return x;
}

// Walks the attempts in order, saying of each whether the report shows it in full.
template <typename Fn>
void each_attempt(const engine::Analysis& a, bool brief, Fn fn) {
    std::size_t i = 0, next = 0;
    for (const auto& f : a.attempts) {
        fn(f, i, in_full(a, brief, i, next));
        ++i;
    }
}

}  // namespace

void write_json(std::ostream& os, const engine::Analysis& a, const ReportOptions& o) {
    const bool many = a.captures.size() > 1;
    const bool brief = summarised(a, o);
    os << "{\n";
    member(os, "schema_version", contract::kSchemaVersion);
    member(os, "sshpath_version", o.version);
    member(os, "verdict", verdict_to_json(a.verdict, o.explain, many));
    if (brief) {
        member(os, "verdict_attempt", a.verdict_attempt);
        member(os, "summary", summary_json(a));
    }
    if (a.attempts.empty()) {
        os << "  \"flows\": [],\n";
    } else {
        os << "  \"flows\": [\n";
        each_attempt(a, brief, [&](const verdict::Attempt& f, std::size_t i, bool full) {
            os << (i ? ",\n    " : "    ");
            put(os, flow_json(a, f, o, full), 2);
        });
        os << "\n  ],\n";
    }
    array_member(os, "captures", a.captures, capture_json);
    if (a.pair) member(os, "pair", pair_json(*a.pair, o.explain));
    const bool client = !a.client_check.empty();
    member(os, "warnings", a.warnings, o.live == nullptr && !client);
    if (client)
        member(os, "client_check", ordered_json{{"source", a.client_check}, {"findings", a.client_findings}}, o.live == nullptr);
    if (o.live != nullptr) {
        if (o.live->capture_file) member(os, "capture_file", o.live->capture_file->path);
        member(os, "live", live_json(*o.live), true);
    }
    os << "}\n";
}

void write_jsonl(std::ostream& os, const engine::Analysis& a, const ReportOptions& o) {
    const bool brief = summarised(a, o);
    auto line = [&](const ordered_json& j) { os << j.dump(-1, ' ', false, kReplace) << '\n'; };
    each_attempt(a, brief, [&](const verdict::Attempt& f, std::size_t i, bool full) {
        line(flow_json(a, f, o, full, ordered_json{{"type", "attempt"}, {"index", i}}));
    });
    ordered_json s;
    s["type"] = "summary";
    s["schema_version"] = contract::kSchemaVersion;
    s["sshpath_version"] = o.version;
    s["verdict"] = verdict_to_json(a.verdict, o.explain, a.captures.size() > 1);
    s["verdict_attempt"] = a.verdict_attempt;
    s["summary"] = summary_json(a);
    ordered_json caps = ordered_json::array();
    for (const auto& c : a.captures) caps.push_back(capture_json(c));
    s["captures"] = caps;
    if (a.pair) s["pair"] = pair_json(*a.pair, o.explain);
    s["warnings"] = a.warnings;
    if (!a.client_check.empty()) s["client_check"] = ordered_json{{"source", a.client_check}, {"findings", a.client_findings}};
    if (o.live != nullptr) {
        if (o.live->capture_file) s["capture_file"] = o.live->capture_file->path;
        s["live"] = live_json(*o.live);
    }
    line(s);
}

std::string render_json(const engine::Analysis& a, const ReportOptions& o) {
    std::ostringstream os;
    write_json(os, a, o);
    return std::move(os).str();
}

}  // namespace sshpath::report
