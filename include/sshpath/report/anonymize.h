#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "sshpath/capture/reader.h"
#include "sshpath/packet/ip_address.h"
#include "sshpath/packet/link.h"

/// --anonymize: addresses mapped consistently and prefix-preservingly, payload dropped past what
/// the verdict reads, for a report and a capture that can go to a public ticket.
namespace sshpath::report {

/// Maps addresses with a keyed pseudo-random function, as Crypto-PAn does: two addresses that
/// share their first n bits are mapped to two that share their first n bits. The kind of an
/// address survives (public stays public, RFC 1918 stays in its block, link-local keeps its
/// prefix, multicast and loopback stay as they are), so the verdict read from mapped packets is
/// the verdict read from the real ones. MAC addresses are mapped to locally administered ones
/// (broadcast and multicast kept, except the solicited-node part, mapped as in the IPv6 address).
class AddressMap {
public:
    /// The key: any text (the same text gives the same mapping), or "" for a random one.
    explicit AddressMap(std::string_view key);
    packet::IpAddress map(const packet::IpAddress& a) const;
    packet::MacAddress map(const packet::MacAddress& m) const;
    /// `text` with every IPv4 or IPv6 address and MAC address in it mapped; with `same_length`
    /// (text inside a packet), an address whose mapped text has another length becomes x's.
    std::string map_text(std::string_view text, bool same_length = false) const;

private:
    std::uint64_t prf(std::string_view tag, std::span<const std::uint8_t> data) const;
    void permute(std::uint8_t* bytes, int bits) const;
    std::uint32_t map24(std::uint32_t low) const;
    std::array<std::uint64_t, 2> key_{};
    mutable std::map<packet::IpAddress, packet::IpAddress> cache_;
};

/// Anonymises the frames of one capture file: addresses (IP headers, the headers quoted by ICMP
/// errors, ARP, neighbour discovery, inside tunnels) and MAC addresses mapped, checksums
/// recomputed, and every payload byte zeroed except what the analysis reads in the clear: a
/// proxy's request and reply, the lines up to each side's SSH identification string, the SSH
/// packets' lengths and message numbers before NEWKEYS, and the algorithm lists of KEXINIT
/// (its random cookie zeroed). Lengths never change. Needs two passes over the file: learn()
/// reads its TCP streams, then rewrite() (a capture::RewriteFrame) changes each frame.
class CaptureAnonymizer {
public:
    explicit CaptureAnonymizer(const AddressMap& map);
    ~CaptureAnonymizer();
    /// Reads the capture once to find, in each TCP stream, the bytes that are kept. InputError
    /// when it cannot be read (standard input cannot be read twice).
    void learn(const std::string& file);
    /// The frame rewriter for the second pass (capture::Reader::set_rewrite).
    capture::RewriteFrame rewriter();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sshpath::report
