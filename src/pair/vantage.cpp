#include "sshpath/pair/vantage.h"

#include <fmt/format.h>

#include "sshpath/flow/neighbours.h"

namespace sshpath::pair {

namespace {
constexpr std::string_view kNames[] = {"unknown", "client", "vm", "middle"};
}

std::string_view vantage_name(Vantage v) { return kNames[static_cast<std::size_t>(v)]; }

CaptureArg parse_capture_arg(const std::string& text) {
    const auto at = text.rfind('@');
    if (at != std::string::npos && at > 0) {
        const std::string_view word = std::string_view(text).substr(at + 1);
        for (Vantage v : {Vantage::kClient, Vantage::kVm, Vantage::kMiddle})
            if (word == vantage_name(v)) return CaptureArg{text.substr(0, at), v};
    }
    return CaptureArg{text, std::nullopt};
}

VantageFinding find_vantage(const PacketLog& log, const std::vector<Connection>& connections) {
    int client = 0, vm = 0, middle = 0;
    for (const Connection& c : connections) {
        int client_initial = -1, server_initial = -1;  // -1: no packet from that end
        for (std::size_t i : c.segments) {
            const TcpRecord& r = log.tcp()[i];
            int& slot = c.from_client(r) ? client_initial : server_initial;
            // The first packet of each end decides: a reset forged later in the server's name
            // does not make a client's capture look like the server's.
            if (slot < 0) slot = flow::is_initial_ttl(r.ttl) ? 1 : 0;
        }
        for (std::size_t i : c.icmp) {
            const IcmpRecord& e = log.icmp()[i];
            if (e.src == c.server.address && flow::is_initial_ttl(e.ttl) && server_initial < 0) server_initial = 1;
        }
        if (client_initial == 1)
            ++client;
        else if (client_initial == 0 && server_initial == 1)
            ++vm;
        else if (client_initial == 0 && server_initial == 0)
            ++middle;
        else if (client_initial < 0 && server_initial == 1)
            ++vm;
    }
    VantageFinding f;
    if (client > vm && client > middle) {
        f.vantage = Vantage::kClient;
        f.why = fmt::format("{} connection{} whose client's packets left at an initial TTL", client, client == 1 ? "" : "s");
    } else if (vm > client && vm > middle) {
        f.vantage = Vantage::kVm;
        f.why = fmt::format("{} connection{} whose server's packets left at an initial TTL and whose client's crossed routers",
                            vm, vm == 1 ? "" : "s");
    } else if (middle > client && middle > vm) {
        f.vantage = Vantage::kMiddle;
        f.why = fmt::format("{} connection{} whose packets crossed routers both ways", middle, middle == 1 ? "" : "s");
    } else {
        f.why = connections.empty() ? "no TCP connection in the capture" : "the TTLs point to no one place";
    }
    return f;
}

}  // namespace sshpath::pair
