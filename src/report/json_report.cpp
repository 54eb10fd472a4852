#include <nlohmann/json.hpp>

#include <cmath>
#include <ostream>
#include <sstream>

#include "sshpath/core/contract.h"
#include "sshpath/report/json.h"
#include "sshpath/report/json_writer.h"
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

void write_verdict(JsonWriter& j, const verdict::Verdict& v, bool explain, bool with_file) {
    j.begin_object();
    j.member("cause", name(v.cause));
    j.member("component", name(v.component));
    j.key("candidates").begin_array();
    for (auto c : v.candidates) j.value(name(c));
    j.end_array();
    j.member("confidence", name(v.confidence));
    if (v.segment) j.member("segment", name(*v.segment));
    j.member("summary", v.summary);
    j.key("evidence").begin_array();
    for (const auto& e : v.evidence) {
        j.begin_object();
        const bool paired = !e.peer_file.empty();
        if (with_file || paired) j.member("file", e.file);
        // In a pair, a packet may be missing from one capture: its number is then null.
        j.key("packet");
        if (paired && e.packet == 0)
            j.null();
        else
            j.value(e.packet);
        j.member("time", round3(e.time));
        j.member("what", e.what);
        if (paired) {
            j.key("peer").begin_object();
            j.member("file", e.peer_file);
            j.key("packet");
            if (e.peer_packet)
                j.value(e.peer_packet);
            else
                j.null();
            j.member("time", round3(e.peer_time));
            j.end_object();
        }
        j.end_object();
    }
    j.end_array();
    j.member("next_steps", v.next_steps);
    j.member("rule", v.rule);
    if (!v.explanation.empty()) j.member("explanation", v.explanation);
    if (explain) {
        j.key("matched_rules").begin_array();
        for (const auto& match : v.matched) {
            j.begin_object();
            j.member("rule", match.rule);
            j.member("priority", match.priority);
            j.member("cause", name(match.cause));
            j.member("condition", match.condition);
            j.key("inputs").begin_object();
            // As an object: a name read twice keeps its first place and its last value.
            const auto& in = match.inputs;
            for (std::size_t i = 0; i < in.size(); ++i) {
                bool seen = false;
                for (std::size_t k = 0; k < i && !seen; ++k) seen = in[k].first == in[i].first;
                if (seen) continue;
                std::size_t last = i;
                for (std::size_t k = i + 1; k < in.size(); ++k)
                    if (in[k].first == in[i].first) last = k;
                j.member(in[i].first, in[last].second);
            }
            j.end_object();
            j.end_object();
        }
        j.end_array();
    }
    j.end_object();
}

ordered_json verdict_to_json(const verdict::Verdict& v, bool explain, bool with_file) {
    std::string text;
    JsonWriter j(text, -1);
    write_verdict(j, v, explain, with_file);
    return ordered_json::parse(text);
}

namespace {

void write_names(JsonWriter& j, std::string_view key, const ssh::NameList& names) {
    j.key(key).begin_array();
    names.for_each([&](std::string_view n) { j.value(n); });
    j.end_array();
}

void write_direction(JsonWriter& j, const evidence::SshSide& d) {
    j.begin_object();
    j.key("identification");
    if (d.identification)
        j.value(*d.identification);
    else
        j.null();
    if (!d.identification_problem.empty()) j.member("identification_problem", d.identification_problem);
    j.member("pre_banner_lines", d.pre_banner_lines);
    j.key("kexinit");
    if (d.kexinit) {
        const auto& k = *d.kexinit;
        j.begin_object();
        write_names(j, "kex", k.kex);
        write_names(j, "host_key", k.host_key);
        write_names(j, "cipher_c2s", k.cipher_c2s);
        write_names(j, "cipher_s2c", k.cipher_s2c);
        write_names(j, "mac_c2s", k.mac_c2s);
        write_names(j, "mac_s2c", k.mac_s2c);
        write_names(j, "compression_c2s", k.compression_c2s);
        write_names(j, "compression_s2c", k.compression_s2c);
        j.end_object();
    } else {
        j.null();
    }
    j.key("messages").begin_array();
    for (std::uint8_t m : d.messages) j.value(m);
    j.end_array();
    j.end_object();
}

void write_facts(JsonWriter& j, const facts::FactSet& fs) {
    j.begin_object();
    for (const auto& spec : facts::facts_of(fs.scope())) {
        j.key(spec.name);
        switch (spec.type) {
        case facts::Type::kBool: j.value(fs.bool_at(spec.index)); break;
        case facts::Type::kInt: j.value(fs.int_at(spec.index)); break;
        case facts::Type::kReal: j.value(round3(fs.real_at(spec.index))); break;
        case facts::Type::kString: j.value(fs.string_at(spec.index)); break;
        }
    }
    j.end_object();
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
void put(std::ostream& os, const ordered_json& v, int level) {
    const std::string text = v.dump(2, ' ', false, kJsonReplace);
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

// One attempt; `index` >= 0 (JSON Lines) puts its type and index first.
void write_flow(JsonWriter& j, const engine::Analysis& a, const verdict::Attempt& f, const ReportOptions& o, bool full,
                std::int64_t index = -1) {
    j.begin_object();
    if (index >= 0) {
        j.member("type", "attempt");
        j.member("index", static_cast<std::uint64_t>(index));
    }
    j.member("file", f.file);
    j.member("client", f.facts.string_at(F::client.index));
    j.member("server", f.facts.string_at(F::server.index));
    j.member("first_packet", f.conversation.first_packet);
    j.member("start_time", round3(f.facts.get(F::start_time)));
    j.member("stage", f.facts.string_at(F::ssh_stage.index));
    j.key("verdict");
    write_verdict(j, f.verdict, o.explain, false);
    if (!full) {
        j.member("brief", true);  // a report of many attempts: no facts, ssh details or timeline
        j.end_object();
        return;
    }
    j.key("facts");
    write_facts(j, f.facts);
    for (const auto& set : f.beside) {
        j.key(std::string(facts::scope_name(set.scope())) + "_facts");
        write_facts(j, set);
    }
    j.key("ssh").begin_object();
    j.key("client");
    write_direction(j, f.conversation.client);
    j.key("server");
    write_direction(j, f.conversation.server);
    j.end_object();
    double t0 = 0;
    for (const auto& c : a.captures)
        if (c.file == f.file) t0 = c.start_time;
    j.key("timeline").begin_array();
    for (const auto& e : f.conversation.timeline) {
        j.begin_object();
        j.member("packet", e.packet);
        j.member("time", round3(e.time - t0));
        j.member("from", flow::side_name(e.from));
        j.member("what", describe(e));
        event_fields(j, e);
        j.end_object();
    }
    j.end_array();
    if (f.conversation.timeline_omitted) j.member("timeline_omitted", f.conversation.timeline_omitted);
    j.end_object();
}

ordered_json capture_json(const engine::CaptureInfo& c) {
    ordered_json x;
    x["file"] = c.file;
    if (!c.parts.empty()) x["parts"] = c.parts;
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
        std::string text;
        each_attempt(a, brief, [&](const verdict::Attempt& f, std::size_t i, bool full) {
            text.assign(i ? ",\n    " : "    ");
            JsonWriter j(text, 2, 2);
            write_flow(j, a, f, o, full);
            os.write(text.data(), static_cast<std::streamsize>(text.size()));
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
    auto line = [&](const ordered_json& j) { os << j.dump(-1, ' ', false, kJsonReplace) << '\n'; };
    std::string text;
    each_attempt(a, brief, [&](const verdict::Attempt& f, std::size_t i, bool full) {
        text.clear();
        JsonWriter j(text, -1);
        write_flow(j, a, f, o, full, static_cast<std::int64_t>(i));
        text += '\n';
        os.write(text.data(), static_cast<std::streamsize>(text.size()));
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
