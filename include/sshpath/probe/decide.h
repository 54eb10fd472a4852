#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/facts/facts.h"
#include "sshpath/probe/types.h"
#include "sshpath/rules/rule_set.h"
#include "sshpath/verdict/verdict.h"

/// From what the probes observed to a verdict in the contract's words.
///
/// observe() condenses a ProbeResult into PathFacts: plain observations (who answered which
/// probe, the last hop that saw the SYN, the hop of the destination, the hop of the edge). It
/// does not judge. probe_facts() puts them in the `probe` scope's facts
/// (include/sshpath/facts/probe.def), with the packets that support them as observations.
/// decide() applies the rules of scope `probe` (rules/probe-*.yaml) through verdict::decide(),
/// as `analyze` applies the flow and capture rules: the best matching rule gives cause,
/// component, candidates, confidence, summary, next steps and the packets cited. Besides the
/// verdict, a Decision says where on the path the deciding observation was made (segment,
/// hop): observations too, not judgements. docs/probe.md describes the facts and the rules.
namespace sshpath::probe {

/// Where on the path something happened, as seen from the client.
enum class Segment {
    kNone,          ///< nothing went wrong on the path
    kOrganisation,  ///< before the organisation's edge (the client, its LAN, internal routers)
    kEdge,          ///< at the organisation's edge device (or on the link just after it)
    kInternet,      ///< between the edge and the cloud: after the edge, before the last router in front of the destination
    kDestination,   ///< between the last router and the host: cloud edge ACL, NSG, guest firewall, the host
    kBeyondEdge,    ///< after the edge, but how far the destination is is unknown (it never answered)
    kUnknown,       ///< the probes cannot tell (no TTL probes)
};
/// none, organisation, edge, internet, destination, beyond-edge, unknown.
std::string_view segment_name(Segment s);
/// In words: "before the organisation's edge", "at the organisation's edge", ...
std::string_view segment_words(Segment s);

/// Observations the probe facts are made of. Hops are TTL values (hop 1 is the first router).
struct PathFacts {
    IpAddress destination;            ///< the address probed
    int port = 22;                    ///< the SSH port probed
    bool raw = false;                 ///< TTL probes ran
    // The connect test.
    ConnectResult connect_result = ConnectResult::kNotRun;
    BannerOutcome banner_outcome = BannerOutcome::kNone;
    std::string banner;
    AfterBanner after_banner = AfterBanner::kNone;
    std::string first_line;           ///< first line before the identification string, or ""
    FirstBytes first_bytes = FirstBytes::kNone;
    int connect_synack_hops = -1;     ///< hop distance of the connect test's SYN-ACK
    int connect_rst_hops = -1;        ///< hop distance of the RST that ended it
    std::size_t connect_synack_packet = 0, connect_rst_packet = 0;
    double connect_synack_time = 0, connect_rst_time = 0;
    // The port trace: the first answer that ended it.
    ReplyKind port_answer = ReplyKind::kNone;  ///< syn-ack, rst, unreachable, icmp or none
    int port_answer_ttl = -1;         ///< TTL of the probe it answered
    IpAddress port_answer_from;
    bool port_answer_from_destination = false;
    int port_answer_hops = -1;        ///< its sender's hop distance (from its TTL)
    std::string port_icmp_kind;
    int port_answer_sender_hop = -1;  ///< the hop its sender sits at: where that address answered a
                                      ///< time-exceeded (not for a RST), else its hop distance + 1 (at
                                      ///< most the probe's TTL), else the hop before the probe's TTL
    int last_seen_hop = 0;            ///< highest TTL whose port probe a router answered (time exceeded); 0: none
    IpAddress last_seen_address;
    int port_max_ttl = 0;             ///< highest TTL probed on the port
    int port_syns_on_wire = 0;        ///< port-trace SYNs the capture saw leave the client
    // The control trace (same host, --control-port).
    bool control_ran = false;
    int control_port = 0;
    int control_syns_on_wire = 0;     ///< control-trace SYNs the capture saw leave the client
    ReplyKind control_answer = ReplyKind::kNone;
    bool control_answer_from_destination = false;
    int control_last_seen_hop = 0;    ///< highest TTL answered with time exceeded
    int control_destination_hop = -1; ///< lowest TTL at which the destination itself answered
    // The path.
    int destination_hop = -1;         ///< the destination's hop: from the control trace, else from a
                                      ///< SYN-ACK or ICMP error the destination sent on the port trace
    int destination_hops = -1;        ///< hop distance of the destination's own replies (TTL)
    int edge_hop = 1;                 ///< --edge-hop, else guessed: the last hop of the leading run of
                                      ///< private addresses (RFC 1918, 6598, ULA), else 1
    bool edge_hop_given = false;
    // A SYN to the last hop that saw the port probe, at that router's own address.
    bool last_hop_probed = false;
    ReplyKind last_hop_answer = ReplyKind::kNone;
    // Packets to cite (numbers in the capture, 0 when not captured).
    std::size_t last_seen_packet = 0, first_silent_packet = 0, answer_packet = 0, control_packet = 0;
    double last_seen_time = 0, first_silent_time = 0, answer_time = 0, control_time = 0;
    int first_silent_ttl = -1;

    /// "port-specific" when the control port got further than the SSH port, "host-wide" when
    /// it died at the same hop, "" when there is nothing to compare.
    std::string drop_scope() const;
};

/// Condenses what the probes saw; guesses the edge hop when --edge-hop was not given.
PathFacts observe(const ProbeResult& r);

/// The probe scope's facts (facts::probe::*) from the observations, with the packets that
/// support them recorded as observations (times relative to `t0`), for the rules to cite.
facts::FactSet probe_facts(const PathFacts& f, double t0);

/// The verdict and where on the path it happened.
struct Decision {
    verdict::Verdict verdict;         ///< contract words; verdict.rule is the deciding rule's id
    Segment segment = Segment::kUnknown;
    std::string drop_scope;           ///< see PathFacts::drop_scope, for silent drops
    int last_seen_hop = 0;            ///< the hop at which the SYN was last seen (0: none)
    std::string last_seen_address;
    int blamed_hop = -1;              ///< the hop whose device answered or dropped, -1 unknown
    int destination_hop = -1;         ///< the destination's hop (PathFacts::destination_hop), -1 unknown
};

/// Applies the `probe` rules of `rules` to probe_facts(f, t0). `capture_file` names the packets'
/// file in the evidence ("" none); `t0` is the time evidence times are relative to. The segment
/// and blamed hop are those of the observation the verdict rests on: the connect test's reset
/// or the port trace's answer for a forged reset, the port trace's answer for an ICMP reject,
/// the last hop that saw the SYN for a silent drop seen by the TTL probes, the destination for
/// what the server did once reached; none for ok and the local firewall; unknown otherwise.
Decision decide(const rules::RuleSet& rules, const PathFacts& f, const std::string& capture_file, double t0);

/// Where hop `h` lies, given the edge hop and the destination hop (-1 unknown).
Segment segment_of(int h, int edge_hop, int destination_hop);

}  // namespace sshpath::probe
