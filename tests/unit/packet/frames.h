#pragma once
// Helpers shared by the packet and capture tests: frame building and capture-file writing.
#include <tins/tins.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

namespace sshpath::test_util {

using Bytes = std::vector<std::uint8_t>;

inline Bytes serialize(Tins::PDU& pdu) {
    const Tins::PDU::serialization_type s = pdu.serialize();
    return Bytes(s.begin(), s.end());
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

inline Bytes be16(std::uint16_t v) { return {std::uint8_t(v >> 8), std::uint8_t(v)}; }

inline Bytes be32(std::uint32_t v) {
    return {std::uint8_t(v >> 24), std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)};
}

inline Bytes le32(std::uint32_t v) {
    return {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)};
}

inline Bytes le16(std::uint16_t v) { return {std::uint8_t(v), std::uint8_t(v >> 8)}; }

/// Fixed IPv6 header; libtins 4.0 cannot be trusted to chain extension headers.
inline Bytes ipv6_header(std::uint8_t next, std::uint16_t payload_len, const std::string& src,
                         const std::string& dst, std::uint8_t hop_limit = 64) {
    Bytes h = cat({{0x60, 0, 0, 0}, be16(payload_len), {next, hop_limit}});
    const Tins::IPv6Address s(src), d(dst);
    h.insert(h.end(), s.begin(), s.end());
    h.insert(h.end(), d.begin(), d.end());
    return h;
}

/// An 8-byte IPv6 extension header (hop-by-hop, routing or destination options) of padding.
inline Bytes ipv6_ext8(std::uint8_t next) { return {next, 0, 1, 4, 0, 0, 0, 0}; }

inline Bytes ipv6_fragment(std::uint8_t next, std::uint16_t offset_units, bool more) {
    return cat({{next, 0}, be16(std::uint16_t(offset_units << 3 | (more ? 1 : 0))), be32(0x1234)});
}

/// A TCP segment with the usual SYN options, serialized on its own (no checksum context).
inline Tins::TCP syn_segment(std::uint16_t sport, std::uint16_t dport, std::uint32_t seq) {
    Tins::TCP tcp(dport, sport);
    tcp.flags(Tins::TCP::SYN);
    tcp.seq(seq);
    tcp.window(64240);
    tcp.mss(1460);
    tcp.sack_permitted();
    tcp.timestamp(1111, 0);
    tcp.winscale(7);
    return tcp;
}

struct Record {
    Bytes data;
    std::uint32_t wirelen = 0;  ///< 0: same as data.size()
    std::uint32_t sec = 1700000000;
    std::uint32_t usec = 0;
};

inline Bytes pcap_file(int link_type, const std::vector<Record>& records,
                       std::uint32_t snaplen = 65535) {
    Bytes f = cat({le32(0xa1b2c3d4), le16(2), le16(4), le32(0), le32(0), le32(snaplen),
                   le32(std::uint32_t(link_type))});
    for (const Record& r : records) {
        const auto caplen = std::uint32_t(r.data.size());
        f = cat({f, le32(r.sec), le32(r.usec), le32(caplen), le32(r.wirelen ? r.wirelen : caplen),
                 r.data});
    }
    return f;
}

inline Bytes pcapng_block(std::uint32_t type, const Bytes& body) {
    Bytes padded = body;
    while (padded.size() % 4 != 0) padded.push_back(0);
    const auto total = std::uint32_t(padded.size() + 12);
    return cat({le32(type), le32(total), padded, le32(total)});
}

/// A pcapng file: section header, one interface, one enhanced packet block per record.
inline Bytes pcapng_file(int link_type, const std::vector<Record>& records) {
    Bytes f = pcapng_block(
        0x0a0d0d0a, cat({le32(0x1a2b3c4d), le16(1), le16(0), le32(0xffffffff), le32(0xffffffff)}));
    f = cat({f, pcapng_block(1, cat({le16(std::uint16_t(link_type)), le16(0), le32(65535)}))});
    for (const Record& r : records) {
        const std::uint64_t ts = std::uint64_t(r.sec) * 1000000 + r.usec;
        const auto caplen = std::uint32_t(r.data.size());
        f = cat({f, pcapng_block(
                        6, cat({le32(0), le32(std::uint32_t(ts >> 32)), le32(std::uint32_t(ts)),
                                le32(caplen), le32(r.wirelen ? r.wirelen : caplen), r.data}))});
    }
    return f;
}

/// A directory under the system temp dir, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "sshpath-capture-XXXXXX").string();
        if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string write(const std::string& name, const Bytes& data) const {
        const std::string file = (path_ / name).string();
        std::ofstream out(file, std::ios::binary);
        out.write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
        return file;
    }
    std::string path(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

}  // namespace sshpath::test_util
