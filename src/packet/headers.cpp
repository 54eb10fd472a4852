#include "sshpath/packet/headers.h"

#include "layers.h"

namespace sshpath::packet {

const char* read_ip_header(Bytes b, IpFields& h) {
    h = IpFields{};
    if (b.empty()) return "not an IPv4 or IPv6 header";
    const int version = b[0] >> 4;
    if (version == 4) {
        if (b.size() < detail::kIpv4Header) return "truncated IPv4 header";
        h.version = 4;
        h.header_len = std::size_t{b[0] & 0x0fu} * 4;
        h.tos = b[1];
        h.length = be16(&b[2]);
        h.id = be16(&b[4]);
        const std::uint16_t frag = be16(&b[6]);
        h.df = (frag & 0x4000) != 0;
        h.mf = (frag & 0x2000) != 0;
        h.fragment_offset = frag & 0x1fff;
        h.ttl = b[8];
        h.protocol = b[9];
        h.src = IpAddress::v4(&b[12]);
        h.dst = IpAddress::v4(&b[16]);
        if (h.header_len < detail::kIpv4Header) return "IPv4 header length below 20";
        if (h.header_len > b.size()) return "truncated IPv4 header";
        h.options = b.subspan(detail::kIpv4Header, h.header_len - detail::kIpv4Header);
        return nullptr;
    }
    if (version == 6) {
        if (b.size() < detail::kIpv6Header) return "truncated IPv6 header";
        h.version = 6;
        h.header_len = detail::kIpv6Header;
        h.tos = static_cast<std::uint8_t>((b[0] & 0x0f) << 4 | b[1] >> 4);
        h.flow_label = static_cast<std::uint32_t>(b[1] & 0x0f) << 16 | static_cast<std::uint32_t>(b[2]) << 8 | b[3];
        h.length = be16(&b[4]);
        h.protocol = b[6];
        h.ttl = b[7];
        h.src = IpAddress::v6(&b[8]);
        h.dst = IpAddress::v6(&b[24]);
        return nullptr;
    }
    return "not an IPv4 or IPv6 header";
}

TcpFields read_tcp_header(Bytes t) {
    TcpFields h;
    if (t.size() < 8) return h;
    h.has_ports_seq = true;
    h.sport = be16(&t[0]);
    h.dport = be16(&t[2]);
    h.seq = be32(&t[4]);
    if (t.size() < 20) return h;
    h.has_fixed = true;
    h.ack = be32(&t[8]);
    h.data_offset = t[12] >> 4;
    h.flags = static_cast<std::uint16_t>((t[12] & 0x0f) << 8 | t[13]);
    h.window = be16(&t[14]);
    h.checksum = be16(&t[16]);
    h.urgent = be16(&t[18]);
    const std::size_t doff = std::size_t{h.data_offset} * 4;
    if (doff < 20) return h;
    h.has_options = t.size() >= doff;
    h.options = t.subspan(20, (h.has_options ? doff : t.size()) - 20);
    return h;
}

bool TcpOptionReader::next(std::uint8_t& kind, Bytes& data) {
    if (done_ || at_ >= bytes_.size()) return false;
    kind = bytes_[at_];
    data = {};
    if (kind == 0) {
        done_ = true;  // the rest is padding
        return true;
    }
    if (kind == 1) {
        ++at_;
        return true;
    }
    // Two limits because the snap length can end the option bytes before the data offset does,
    // and only running past the data offset makes an option length wrong.
    if (at_ + 1 >= header_len_) return done_ = malformed_ = true, false;
    if (at_ + 1 >= bytes_.size()) return done_ = true, false;
    const std::size_t len = bytes_[at_ + 1];
    if (len < 2 || at_ + len > header_len_) return done_ = malformed_ = true, false;
    if (at_ + len > bytes_.size()) return done_ = true, false;
    data = bytes_.subspan(at_ + 2, len - 2);
    at_ += len;
    return true;
}

}  // namespace sshpath::packet
