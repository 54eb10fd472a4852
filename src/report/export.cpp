#include "sshpath/report/export.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <map>
#include <set>
#include <tuple>

#include "sshpath/capture/live.h"
#include "sshpath/core/error.h"

namespace sshpath::report {

namespace {

namespace F = facts::flow;
using packet::IpAddress;

struct Endpoint {
    IpAddress address;
    std::uint16_t port = 0;
    bool operator<(const Endpoint& o) const { return std::tie(address, port) < std::tie(o.address, o.port); }
};

// "198.51.100.10:40522" or "[2001:db8::1]:22".
bool parse_endpoint(const std::string& text, Endpoint& out) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    try {
        out.port = static_cast<std::uint16_t>(std::stoi(text.substr(colon + 1)));
    } catch (const std::exception&) {
        return false;
    }
    return IpAddress::parse(host, out.address);
}

// What to keep of one capture: the attempts' connections and their servers, and the comments.
struct Selection {
    std::set<std::pair<Endpoint, Endpoint>> connections;  // (client, server)
    std::set<IpAddress> servers;
    std::map<std::uint64_t, std::vector<std::string>> comments;
    int ssh_port = -1;  // a capture without attempts: its connections to the SSH port (what it reports on)

    bool connection(const IpAddress& a, std::uint16_t pa, const IpAddress& b, std::uint16_t pb) const {
        return connections.count({{a, pa}, {b, pb}}) || connections.count({{b, pb}, {a, pa}});
    }
    bool wanted(const packet::Packet& p) const {
        if (p.arp.op != 0 || p.icmp.nd.type != 0) return true;
        if (p.transport == packet::Transport::kTcp)
            return connection(p.src, p.tcp.sport, p.dst, p.tcp.dport) || servers.count(p.src) || servers.count(p.dst) ||
                   p.tcp.sport == ssh_port || p.tcp.dport == ssh_port;
        if (p.transport == packet::Transport::kIcmp && p.icmp.is_error && p.icmp.quote.valid)
            return connection(p.icmp.quote.src, p.icmp.quote.sport, p.icmp.quote.dst, p.icmp.quote.dport);
        return false;
    }
};

void cite(Selection& s, const verdict::Verdict& v, const std::string& capture, const std::string& label) {
    for (const auto& e : v.evidence) {
        if (!e.file.empty() && e.file != capture) continue;
        std::string text = fmt::format("sshpath: {} ({}, rule {}), packet {} of the original: {}", contract::name(v.cause), label,
                                       v.rule.empty() ? "none" : v.rule, e.packet, e.what);
        auto& list = s.comments[e.packet];
        if (std::find(list.begin(), list.end(), text) == list.end()) list.push_back(std::move(text));
    }
}

Selection select(const engine::Analysis& a, const std::string& capture) {
    Selection s;
    std::size_t index = 0;
    for (const auto& f : a.attempts) {
        ++index;
        if (f.file != capture) continue;
        Endpoint client, server;
        if (parse_endpoint(f.facts.get(F::client), client) && parse_endpoint(f.facts.get(F::server), server)) {
            s.connections.insert({client, server});
            s.servers.insert(server.address);
        }
        cite(s, f.verdict, capture, fmt::format("connection {}", index));
    }
    if (a.verdict_attempt < 0) cite(s, a.verdict, capture, "the verdict");  // else its evidence is the deciding connection's
    if (s.connections.empty())
        for (const auto& c : a.captures)
            if (c.file == capture) s.ssh_port = static_cast<int>(c.facts.get(facts::capture::ssh_port));
    return s;
}

}  // namespace

std::string export_path(const std::string& path, const std::string& capture, bool several) {
    if (!several) return path;
    namespace fs = std::filesystem;
    const fs::path p(path);
    const std::string stem = fs::path(capture).stem().string();
    return (p.parent_path() / (p.stem().string() + "." + (stem.empty() ? "capture" : stem) + p.extension().string())).string();
}

std::vector<ExportedFile> export_packets(const engine::Analysis& a, const std::vector<ExportSource>& sources, const std::string& path,
                                         const std::string& application, posix::Fd opened) {
    std::vector<ExportedFile> out;
    for (const auto& source : sources) {
        const Selection s = select(a, source.capture);
        capture::Reader reader(source.file);
        if (source.rewrite && !source.rewrite_after_choosing) reader.set_rewrite(source.rewrite);
        std::vector<std::uint8_t> scratch;
        ExportedFile done{source.capture, export_path(path, source.capture, sources.size() > 1), 0, 0};
        std::optional<capture::DumpWriter> writer;
        try {
            const int snaplen = reader.stats().snaplen > 0 ? reader.stats().snaplen : 262144;
            const std::string interface = std::filesystem::path(source.capture).filename().string();
            if (opened.valid())
                writer.emplace(std::move(opened), done.path, capture::DumpFormat::kPcapng, reader.link_type(), snaplen, interface, "",
                               application);
            else
                writer.emplace(done.path, capture::DumpFormat::kPcapng, reader.link_type(), snaplen, interface, "", application);
        } catch (const InputError& e) {
            std::string message = e.what();  // the writer speaks of --write
            if (message.rfind("--write", 0) == 0) message.replace(0, 7, "--export");
            throw InputError(message);
        }
        reader.for_each_frame([&](const packet::Packet& p, const capture::RawFrame& frame) {
            if (!s.wanted(p)) return;
            std::string comment;
            if (auto it = s.comments.find(p.number); it != s.comments.end()) {
                for (const auto& c : it->second) comment += (comment.empty() ? "" : "\n") + c;
                ++done.comments;
            }
            if (source.rewrite && source.rewrite_after_choosing) {
                scratch.assign(frame.data.begin(), frame.data.end());
                source.rewrite(reader.link_type(), std::span<std::uint8_t>(scratch));
                capture::RawFrame rewritten = frame;
                rewritten.data = scratch;
                writer->add(rewritten, comment);
            } else {
                writer->add(frame, comment);
            }
            ++done.packets;
            if (done.packets % 4096 == 0) writer->flush();
        });
        writer->close(capture::LiveStats{}, fmt::format("{} packets of {} exported by {}", done.packets, source.capture, application));
        if (!writer->error().empty())
            throw InputError(fmt::format("--export: cannot write '{}': {}", done.path, writer->error()));
        out.push_back(std::move(done));
    }
    return out;
}

}  // namespace sshpath::report
