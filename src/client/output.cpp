// The check's two renderings: JSON (versioned, what `analyze --client-check` reads) and text.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sshpath/client/check.h"
#include "sshpath/core/error.h"

namespace sshpath::client {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json hit_json(const fw::Hit& h) {
    ordered_json j;
    j["source"] = h.source;
    j["family"] = h.family;
    j["table"] = h.table;
    j["chain"] = h.chain;
    j["rule"] = h.rule_text;
    j["id"] = h.rule_id;
    j["match"] = std::string(fw::tri_name(h.match));
    j["reached"] = h.reached;
    j["action"] = std::string(fw::verdict_name(h.action.verdict));
    j["target"] = h.action.target;
    j["detail"] = h.action.detail;
    j["packets"] = h.packets ? json(*h.packets) : json(nullptr);
    j["bytes"] = h.bytes ? json(*h.bytes) : json(nullptr);
    j["remove_command"] = h.remove_command;
    j["manager"] = h.manager;
    j["manager_command"] = h.manager_command;
    j["policy"] = h.policy;
    j["decided"] = h.decided;
    j["unknown"] = h.unknown;
    return j;
}

std::string range_text(const fw::Range& r) { return r.lo == r.hi ? std::to_string(r.lo) : fmt::format("{}-{}", r.lo, r.hi); }

std::string iface_text(const fw::Interface& i) { return !i.known ? "?" : i.name; }

ordered_json packet_json(const fw::Packet& p) {
    ordered_json j;
    j["family"] = p.family;
    j["saddr"] = p.saddr.version ? p.saddr.to_string() : "?";
    j["daddr"] = p.daddr.version ? p.daddr.to_string() : "?";
    j["sport"] = range_text(p.sport);
    j["dport"] = range_text(p.dport);
    j["iif"] = iface_text(p.iif);
    j["oif"] = iface_text(p.oif);
    std::string flags;
    if (p.tcp_flags & packet::kSyn) flags += "S";
    if (p.tcp_flags & packet::kAck) flags += "A";
    if (p.tcp_flags & packet::kPsh) flags += "P";
    j["tcp_flags"] = flags;
    j["ct_state"] = p.ct_state == fw::kCtNew ? "new" : p.ct_state == fw::kCtEstablished ? "established" : std::to_string(p.ct_state);
    j["ct_direction"] = p.ct_direction ? "reply" : "original";
    j["uid"] = p.uid ? json(*p.uid) : json(nullptr);
    return j;
}

ordered_json file_json(const FileCheck& f) {
    ordered_json j;
    j["role"] = std::string(role_name(f.role));
    j["path"] = f.stat.path;
    j["display"] = f.display;
    j["exists"] = f.stat.exists;
    j["mode"] = f.stat.exists ? fmt::format("{:04o}", f.stat.mode) : "";
    j["uid"] = f.stat.uid;
    j["gid"] = f.stat.gid;
    j["recommended"] = f.recommended;
    j["as_recommended"] = f.as_recommended;
    j["readable"] = f.readable;
    j["refused"] = f.refused;
    j["ssh_says"] = f.ssh_says;
    j["problem"] = f.problem;
    j["fix"] = f.fix;
    return j;
}

ordered_json route_json(const Route& r) {
    ordered_json j;
    j["destination"] = r.destination.to_string();
    j["found"] = r.found;
    j["error"] = r.error;
    j["type"] = r.type;
    j["interface"] = r.interface;
    j["interface_kind"] = r.interface_kind;
    j["gateway"] = r.gateway ? r.gateway->to_string() : "";
    j["source"] = r.source ? r.source->to_string() : "";
    j["table"] = table_name(r.table);
    j["prefix"] = r.prefix_length < 0 ? "" : fmt::format("{}/{}", r.prefix ? r.prefix->to_string() : (r.destination.version == 6 ? "::" : "0.0.0.0"), r.prefix_length);
    j["metric"] = r.metric;
    j["on_link"] = r.on_link();
    return j;
}

std::vector<std::string> texts(const std::vector<IpAddress>& a) {
    std::vector<std::string> out;
    for (const auto& x : a) out.push_back(x.to_string());
    return out;
}

ordered_json firewall_json(const CheckResult& r) {
    ordered_json fwj;
    fwj["read"] = r.firewall_read;
    fwj["sources"] = ordered_json::array();
    for (const auto& s : r.firewall_sources)
        fwj["sources"].push_back({{"name", s.name}, {"command", s.command}, {"read", s.read}, {"error", s.error}, {"tables", s.tables}});
    fwj["managers_installed"] = r.managers;
    fwj["notes"] = r.ruleset.notes;
    fwj["paths"] = ordered_json::array();
    for (const auto& p : r.paths) {
        ordered_json pj;
        pj["name"] = p.name;
        pj["description"] = p.description;
        pj["packet"] = packet_json(p.packet);
        pj["verdict"] = p.verdict;
        pj["reject_type"] = p.reject_type;
        pj["certain"] = p.certain;
        pj["decided_by"] = p.decided_by ? hit_json(*p.decided_by) : ordered_json(nullptr);
        pj["hits"] = ordered_json::array();
        for (const auto& h : p.hits) pj["hits"].push_back(hit_json(h));
        pj["diversions"] = ordered_json::array();
        for (const auto& h : p.diversions) pj["diversions"].push_back(hit_json(h));
        pj["notes"] = p.notes;
        fwj["paths"].push_back(pj);
    }
    fwj["tproxy"] = ordered_json::array();
    for (const auto& h : r.tproxy) fwj["tproxy"].push_back(hit_json(h));
    return fwj;
}

}  // namespace

std::string to_json(const CheckResult& r, const std::string& verdict_json) {
    ordered_json j;
    j["format"] = "sshpath-client-check";
    j["schema_version"] = 1;
    j["sshpath_version"] = r.version;
    j["time"] = r.time;
    j["machine"] = r.machine;
    j["host"] = r.host;
    j["port"] = r.port;
    j["user"] = {{"uid", r.user.uid}, {"gid", r.user.gid}, {"name", r.user.name}, {"home", r.user.home}, {"via_sudo", r.user.via_sudo}};
    j["root"] = r.root;
    if (!verdict_json.empty()) j["verdict"] = ordered_json::parse(verdict_json);
    j["facts"] = ordered_json::array();
    const facts::FactSet fs = client_fact_set(r);
    for (const auto& spec : facts::facts_of(facts::Scope::kClient)) {
        ordered_json fj;
        fj["name"] = spec.name;
        fj["type"] = facts::type_name(spec.type);
        std::visit([&](const auto& v) { fj["value"] = v; }, fs.get(spec));
        fj["description"] = spec.description;
        j["facts"].push_back(fj);
    }
    j["findings"] = ordered_json::array();
    for (const auto& f : r.findings) j["findings"].push_back({{"level", f.level}, {"area", f.area}, {"text", f.text}, {"fix", f.fix}});
    j["skipped"] = ordered_json::array();
    for (const auto& s : r.skipped) j["skipped"].push_back({{"check", s.check}, {"why", s.why}});

    ordered_json ssh;
    ssh["version"] = r.ssh_version;
    ssh["command"] = r.ssh_command;
    ssh["ran"] = r.ssh_ran;
    ssh["error"] = r.ssh_error;
    ssh["settings"] = r.ssh.all;
    ssh["origins"] = ordered_json::array();
    for (const auto& o : r.origins) ssh["origins"].push_back({{"key", o.key}, {"value", o.value}, {"origin", o.origin}, {"files", o.files}});
    ssh["proxy_env"] = ordered_json::array();
    for (const auto& v : r.proxy_env) ssh["proxy_env"].push_back({{"name", v.name}, {"value", v.value}, {"used_by_ssh", v.used_by_ssh}});
    ssh["proxy_env_from"] = r.proxy_env_from;
    j["ssh"] = ssh;

    j["resolution"] = {{"name", r.resolution.name}, {"is_address", r.resolution.is_address}, {"resolved", r.resolution.resolved},
                       {"error", r.resolution.error}, {"ipv4", texts(r.resolution.v4)}, {"ipv6", texts(r.resolution.v6)},
                       {"order", texts(r.resolution.ordered)}};
    j["routes"] = ordered_json::array();
    for (const auto& rt : r.routes) j["routes"].push_back(route_json(rt));
    std::vector<std::string> rules;
    for (const auto& p : r.policy_rules) rules.push_back(p.text);
    j["policy_rules"] = rules;
    j["rules_for_host"] = r.rules_for_host;
    j["files"] = ordered_json::array();
    for (const auto& f : r.files) j["files"].push_back(file_json(f));
    ordered_json kh;
    kh["name"] = r.known_hosts_name;
    kh["files"] = ordered_json::array();
    for (const auto& k : r.known_hosts) {
        ordered_json kj = file_json(k.check);
        kj["error"] = k.error;
        kj["keys"] = ordered_json::array();
        for (const auto& key : k.keys)
            kj["keys"].push_back({{"marker", key.marker}, {"type", key.type}, {"fingerprint", key.fingerprint}, {"line", key.line}});
        kh["files"].push_back(kj);
    }
    j["known_hosts"] = kh;
    ordered_json cap;
    cap["file"] = r.capture_file;
    cap["host_keys"] = ordered_json::array();
    for (const auto& h : r.host_keys) cap["host_keys"].push_back({{"server", h.server}, {"type", h.type}, {"fingerprint", h.fingerprint}, {"status", h.status}});
    j["capture"] = cap;
    j["firewall"] = firewall_json(r);
    return j.dump(2) + "\n";
}

}  // namespace sshpath::client

namespace sshpath::client {

std::vector<std::string> finding_lines(const CheckResult& r) {
    std::vector<std::string> out;
    for (const auto& f : r.findings)
        if (f.level != "info") out.push_back(fmt::format("{}: {}{}", f.level, f.text, f.fix.empty() ? "" : " (fix: " + f.fix + ")"));
    return out;
}

SavedCheck read_saved_check(std::string_view text, const std::string& file) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::exception& e) {
        throw InputError(fmt::format("{}: not JSON: {}", file, e.what()));
    }
    if (!doc.is_object() || doc.value("format", "") != "sshpath-client-check")
        throw InputError(fmt::format("{}: not a client check (sshpath check --format json)", file));
    if (doc.value("schema_version", 0) != 1)
        throw InputError(fmt::format("{}: a client check of schema version {}; this sshpath reads version 1", file, doc.value("schema_version", 0)));
    SavedCheck saved;
    saved.host = doc.value("host", "");
    saved.machine = doc.value("machine", "");
    saved.time = doc.value("time", "");
    if (!doc.contains("facts") || !doc["facts"].is_array()) throw InputError(fmt::format("{}: no facts", file));
    for (const auto& f : doc["facts"]) {
        if (!f.is_object() || !f.contains("name") || !f["name"].is_string() || !f.contains("value"))
            throw InputError(fmt::format("{}: a fact without a name or a value", file));
        const std::string name = f["name"].get<std::string>();
        const facts::Spec* spec = facts::find(name, facts::Scope::kClient);
        if (spec == nullptr) continue;  // written by a newer sshpath
        const json& v = f["value"];
        facts::Value value;
        if (spec->type == facts::Type::kBool && v.is_boolean()) value = v.get<bool>();
        else if (spec->type == facts::Type::kInt && v.is_number_integer()) value = v.get<std::int64_t>();
        else if (spec->type == facts::Type::kReal && v.is_number()) value = v.get<double>();
        else if (spec->type == facts::Type::kString && v.is_string()) value = v.get<std::string>();
        else throw InputError(fmt::format("{}: fact '{}' should be {}", file, name, facts::type_name(spec->type)));
        saved.facts.set(*spec, value);
    }
    if (doc.contains("findings") && doc["findings"].is_array())
        for (const auto& f : doc["findings"])
            if (f.is_object() && f.value("level", "") != "info")
                saved.notes.push_back(fmt::format("{}: {}{}", f.value("level", ""), f.value("text", ""),
                                                  f.value("fix", "").empty() ? "" : " (fix: " + f.value("fix", "") + ")"));
    return saved;
}

}  // namespace sshpath::client
