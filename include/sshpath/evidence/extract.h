#pragma once
#include <map>
#include <string>
#include <vector>

#include "sshpath/capture/reader.h"
#include "sshpath/facts/facts.h"
#include "sshpath/evidence/position.h"
#include "sshpath/flow/flow.h"

namespace sshpath::evidence {


/// Meaning of an ICMP (ip_version 4) or ICMPv6 (6) error: admin-prohibited, port-unreachable,
/// frag-needed, packet-too-big, time-exceeded, ... (the values of the fact icmp_kind).
std::string icmp_kind_name(int ip_version, int type, int code);

/// An address and port as the flow facts write them: "198.51.100.10:40522", "[2001:db8::1]:22".
std::string endpoint(const packet::IpAddress& a, int port);

/// What is known about the capture as a whole when a flow's facts are extracted.
struct CaptureContext {
    double start_time = 0;   ///< time of the capture's first packet
    double end_time = 0;     ///< time of its last packet
    int ssh_port = 22;
    /// Hop distance of each server address, measured on SYN-ACKs of any flow in the capture.
    std::map<packet::IpAddress, int> server_hops;
    /// The capture's ARP, neighbour discovery and router advertisements (the first hop), or null.
    const flow::NeighbourTable* neighbours = nullptr;
    /// The clients each server's SSH port answered with a SYN-ACK (any connection), by server, or null.
    const flow::PortAnswerMap* port_answers = nullptr;
};

/// Builds the context: hop distances learnt from the first SYN-ACK of each server address in
/// any TCP connection of the capture.
CaptureContext make_context(const std::map<packet::IpAddress, std::uint8_t>& synack_ttls, double start_time,
                            double end_time, int ssh_port);

/// The documented facts of one flow, with the packets that support them.
facts::FactSet extract_flow(const flow::Flow& f, const CaptureContext& ctx);

/// Facts about the whole capture.
struct CaptureSummary {
    capture::ReadStats stats;
    std::string link_type_name;
    std::size_t flows = 0;
    std::uint64_t other_tcp_flows = 0;
    std::string host_filter;
    std::string client_filter;  ///< --from
    flow::OtherTraffic other;
    flow::DuplicateStats duplicates;  ///< frames held twice, dropped
    flow::WireStats wire;             ///< ARP, ND, tunnelled packets, MPTCP joins
};
facts::FactSet extract_capture(const CaptureSummary& s, const CaptureContext& ctx);

}  // namespace sshpath::evidence
