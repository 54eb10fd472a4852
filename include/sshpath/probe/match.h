#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include "sshpath/packet/packet.h"
#include "sshpath/probe/types.h"

/// Matching captured packets to the probes that caused them: a SYN-ACK or RST by the
/// acknowledgement number (our sequence number + 1), an ICMP error by the probe it quotes
/// (addresses, ports and sequence number; the IPv4 identification when a middlebox rewrote the
/// sequence number).
namespace sshpath::probe {

/// Where a probe lives: traces[trace].hops[hop].probes[probe].
struct ProbeRef {
    std::size_t trace = 0, hop = 0, probe = 0;
    bool operator==(const ProbeRef&) const = default;
};

/// What a captured packet is to us.
enum class PacketRole : std::uint8_t {
    kIgnore,   ///< someone else's traffic: not written to the capture
    kProbe,    ///< one of our probes, as it left
    kReply,    ///< an answer to one of our probes
    kFlow,     ///< another packet of a probe flow (our kernel's RST to a SYN-ACK, a late duplicate)
    kConnect,  ///< a packet of the connect test's connection (or an ICMP error quoting it)
};

struct Classified {
    PacketRole role = PacketRole::kIgnore;
    std::optional<ProbeRef> ref;   ///< for kProbe and kReply
};

/// Knows every probe sent and the connect test's port; classifies captured packets.
class Matcher {
public:
    Matcher(IpAddress source, std::uint16_t sport) : source_(source), sport_(sport) {}
    void set_connect_port(std::uint16_t port) { connect_port_ = port; }
    /// Registers a probe (call before it is sent).
    void add(const ProbeRef& ref, const Probe& probe, const IpAddress& dst, std::uint16_t dport);
    /// What the packet is; `p` as packet::decode() left it (for ICMP errors, p.payload is the quote).
    Classified classify(const packet::Packet& p) const;

private:
    struct Entry {
        ProbeRef ref;
        IpAddress dst;
        std::uint16_t dport = 0;
    };
    const Entry* by_seq(std::uint32_t seq, const IpAddress& dst, std::uint16_t dport) const;
    const Entry* latest(const IpAddress& dst, std::uint16_t dport) const;

    IpAddress source_;
    std::uint16_t sport_ = 0;
    std::uint16_t connect_port_ = 0;
    std::map<std::uint32_t, Entry> seqs_;
    std::map<std::uint16_t, Entry> ids_;
    std::map<std::pair<IpAddress, std::uint16_t>, Entry> latest_;
};

/// Fills probe.reply from a packet classified as its reply (the first answer counts; later ones
/// only count as duplicates). For ICMP errors the quote is compared with what was sent.
/// `packet_number` is the reply's number in the capture.
void record_reply(Probe& probe, const packet::Packet& p, std::size_t packet_number);

}  // namespace sshpath::probe
