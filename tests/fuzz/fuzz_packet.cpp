// Fuzz target: one frame through the whole decode path and the flow table.
//
// Input: byte 0 chooses the link type (byte % 10 indexes kLinkTypes) and a few variations
// (byte / 10: bit 0 analyses the packet's destination port as the SSH port, bit 1 adds the
// packet a second time (a retransmission), bit 2 pretends the snap length cut the frame, bit 3
// adds a copy 10 us later with its TTL one lower (a duplicate frame from a router's other side));
// the rest is the frame as libpcap would hand it over. Every layer of the decoder is reachable:
// ARP, neighbour discovery, MPTCP options, and tunnels (GRE, ERSPAN, VXLAN, Geneve, IP in IP,
// MPLS) nested up to four deep; the flow table's duplicate filter, neighbour table and first-hop
// judgement see the packet too.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>

#include "fuzz_util.h"
#include "sshpath/flow/neighbours.h"
#include "sshpath/packet/decoder.h"
#include "sshpath/evidence/extract.h"
#include "sshpath/flow/flow.h"

namespace {

using namespace sshpath;

constexpr int kLinkTypes[] = {
    packet::kLinkNull, packet::kLinkEthernet, packet::kLinkRawDlt12, packet::kLinkRawDlt14,
    packet::kLinkRaw,  packet::kLinkLoop,     packet::kLinkSll,      packet::kLinkIpv4,
    packet::kLinkIpv6, packet::kLinkSll2,
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const int link_type = kLinkTypes[data[0] % std::size(kLinkTypes)];
    const unsigned variant = data[0] / std::size(kLinkTypes);
    const std::span<const std::uint8_t> frame(data + 1, size - 1);

    packet::Packet p;
    p.number = 1;
    p.time = 1700000000.25;
    p.caplen = static_cast<std::uint32_t>(frame.size());
    p.wirelen = p.caplen + ((variant & 4) ? 1000 : 0);
    packet::decode(link_type, frame, p);

    // The decoder's promises: spans stay inside the frame, the flags agree with the lengths.
    for (const auto span : {p.payload, p.transport_bytes}) {
        if (span.empty()) continue;
        SSHPATH_FUZZ_CHECK(span.data() >= frame.data());
        SSHPATH_FUZZ_CHECK(span.data() + span.size() <= frame.data() + frame.size());
    }
    SSHPATH_FUZZ_CHECK(p.tunnels.depth <= packet::kMaxTunnelDepth);
    for (int i = 0; i < p.tunnels.depth; ++i) SSHPATH_FUZZ_CHECK(p.tunnels.layers[i].kind != packet::TunnelKind::kNone);
    if (p.arp.op != 0) SSHPATH_FUZZ_CHECK(p.ip_version == 0);
    if (p.malformed) SSHPATH_FUZZ_CHECK(p.problem != nullptr);
    if (p.transport == packet::Transport::kTcp || p.transport == packet::Transport::kIcmp)
        SSHPATH_FUZZ_CHECK(p.ip_version == 4 || p.ip_version == 6);
    SSHPATH_FUZZ_CHECK(p.link.vlan_tags <= 4);
    if (p.icmp.nd.type != 0) SSHPATH_FUZZ_CHECK(p.ip_version == 6 && p.transport == packet::Transport::kIcmp);
    // What the reader does with the cut flag.
    const bool cut = p.caplen < p.wirelen;
    if (p.payload_truncated && !cut && !p.malformed) p.malformed = true;

    flow::FlowOptions options;
    if ((variant & 1) && p.transport == packet::Transport::kTcp) options.ssh_port = p.tcp.dport;
    flow::FlowTable table(options);
    table.add(p);
    if (variant & 8) {
        packet::Packet copy = p;
        copy.number = 2;
        copy.time += 0.00001;
        copy.ttl = static_cast<std::uint8_t>(copy.ttl - 1);
        table.add(copy);
    }
    if (variant & 2) {
        p.number = 3;
        p.time += 1.0;
        table.add(p);
    }
    const auto flows = table.finish();
    SSHPATH_FUZZ_CHECK(flows.size() <= 2);
    evidence::CaptureContext ctx;
    ctx.start_time = 1700000000.0;
    ctx.end_time = 1700000010.0;
    ctx.ssh_port = options.ssh_port;
    SSHPATH_FUZZ_CHECK(table.duplicates().frames <= 1);
    for (const auto& f : flows) {
        (void)flow::first_hop(f, table.neighbours());
        SSHPATH_FUZZ_CHECK(f.wire.tunnel.depth <= packet::kMaxTunnelDepth);
        SSHPATH_FUZZ_CHECK(f.c2s.stream.size() <= options.stream_cap);
        SSHPATH_FUZZ_CHECK(f.s2c.stream.size() <= options.stream_cap);
        (void)evidence::extract_flow(f, ctx);
    }
    return 0;
}
