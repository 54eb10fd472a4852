#include "sshpath/probe/craft.h"

#include <tins/ip.h>
#include <tins/ipv6.h>
#include <tins/tcp.h>

#include <stdexcept>

namespace sshpath::probe {

namespace {

Tins::TCP syn_segment(const SynSpec& s) {
    Tins::TCP tcp(s.dport, s.sport);
    tcp.seq(s.seq);
    tcp.ack_seq(0);
    tcp.flags(Tins::TCP::SYN);
    tcp.window(64240);
    // The options and their order of a Linux SYN, so middleboxes treat the probe like ssh's own.
    tcp.mss(s.mss);
    tcp.sack_permitted();
    tcp.timestamp(s.ts_val, 0);
    tcp.add_option(Tins::TCP::option(Tins::TCP::NOP));
    tcp.winscale(7);
    return tcp;
}

}  // namespace

std::vector<std::uint8_t> build_syn(const SynSpec& s) {
    if (s.src.version != s.dst.version || (s.src.version != 4 && s.src.version != 6))
        throw std::invalid_argument("build_syn: source and destination must both be IPv4 or IPv6");
    if (s.dst.version == 4) {
        Tins::IP ip(Tins::IPv4Address(s.dst.to_string()), Tins::IPv4Address(s.src.to_string()));
        ip.ttl(s.ttl);
        ip.id(s.ip_id);
        ip.flags(Tins::IP::DONT_FRAGMENT);
        Tins::IP pkt = ip / syn_segment(s);
        return pkt.serialize();
    }
    Tins::IPv6 ip6(Tins::IPv6Address(s.dst.to_string()), Tins::IPv6Address(s.src.to_string()));
    ip6.hop_limit(s.ttl);
    Tins::IPv6 pkt = ip6 / syn_segment(s);
    return pkt.serialize();
}

}  // namespace sshpath::probe
