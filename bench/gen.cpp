// Deterministic generator of a large, realistic client-side capture for benchmarking sshpath.
//
//   gen --size 1G --seed 1 -o big.pcap --truth big.truth.json --manifest big.attempts.tsv
//   gen --size 10G --seed 1 | sshpath analyze -
//
// The capture is what a packet capture on a busy client network would hold: bulk TCP transfers,
// short web connections, connection probes to closed ports, DNS over UDP, media over UDP, pings,
// a few ICMP errors for UDP; some hosts on an 802.1Q VLAN, some over IPv6. Drowned in it, SSH
// attempts that succeed or fail in every way sshpath's rules know. Each attempt is written with
// the cause sshpath's rules should give it (--truth: {cause: count}; --manifest: one line per
// attempt). Same --size and --seed give the same bytes, to a file or to standard output.
//
// Addresses come only from 198.18.0.0/15, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32.
// IPv4 header, TCP, UDP, ICMP and ICMPv6 checksums are valid.

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Usec = std::int64_t;  // simulated time, microseconds since the capture's epoch
using Bytes = std::vector<std::uint8_t>;

constexpr Usec kMs = 1000;
constexpr Usec kSec = 1000 * kMs;
constexpr std::int64_t kEpochSec = 1767225600;  // 2026-01-01T00:00:00Z

// ---------------------------------------------------------------------------------------------
// Random numbers: xoshiro256** seeded by splitmix64, so a seed gives the same capture anywhere.

class Rng {
public:
    explicit Rng(std::uint64_t seed) {
        for (auto& s : s_) {
            seed += 0x9e3779b97f4a7c15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            s = z ^ (z >> 31);
        }
    }
    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    std::uint32_t u32() { return static_cast<std::uint32_t>(next() >> 32); }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Integer in [lo, hi].
    std::int64_t range(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    bool chance(double p) { return uniform() < p; }
    double exponential(double mean) { return -mean * std::log(1.0 - uniform()); }
    double normal() {
        const double u1 = 1.0 - uniform(), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * M_PI * u2);
    }
    double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
    template <class T>
    const T& pick(const std::vector<T>& v) { return v[static_cast<std::size_t>(next() % v.size())]; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<std::uint64_t, 4> s_{};
};

// ---------------------------------------------------------------------------------------------
// Checksums.

std::uint64_t sum_bytes(const std::uint8_t* p, std::size_t n, std::uint64_t acc = 0) {
    while (n >= 8) {
        std::uint32_t a, b;
        std::memcpy(&a, p, 4);
        std::memcpy(&b, p + 4, 4);
        acc += a;
        acc += b;
        p += 8;
        n -= 8;
    }
    while (n >= 2) {
        std::uint16_t a;
        std::memcpy(&a, p, 2);
        acc += a;
        p += 2;
        n -= 2;
    }
    if (n) {
        std::uint16_t a = 0;
        std::memcpy(&a, p, 1);  // the odd byte is the high byte in network order
        acc += a;
    }
    return acc;
}

std::uint16_t fold(std::uint64_t acc) {
    while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
    return static_cast<std::uint16_t>(~acc & 0xffff);
}

void put16(std::uint8_t* p, std::uint16_t v) { p[0] = static_cast<std::uint8_t>(v >> 8), p[1] = static_cast<std::uint8_t>(v); }
void put32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24), p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8), p[3] = static_cast<std::uint8_t>(v);
}
void append(Bytes& b, std::string_view s) { b.insert(b.end(), s.begin(), s.end()); }
void append16(Bytes& b, std::uint16_t v) { b.push_back(static_cast<std::uint8_t>(v >> 8)), b.push_back(static_cast<std::uint8_t>(v)); }
void append32(Bytes& b, std::uint32_t v) {
    append16(b, static_cast<std::uint16_t>(v >> 16));
    append16(b, static_cast<std::uint16_t>(v));
}

// ---------------------------------------------------------------------------------------------
// Hosts and frames.

struct Host {
    std::array<std::uint8_t, 16> addr{};
    bool v6 = false;
    std::array<std::uint8_t, 6> mac{};
    int ttl = 64;             // TTL / hop limit of its packets as captured
    std::uint16_t ip_id = 0;  // next IPv4 identification
    std::uint16_t next_port = 0;
    std::string text() const {
        char buf[INET6_ADDRSTRLEN];
        inet_ntop(v6 ? AF_INET6 : AF_INET, addr.data(), buf, sizeof buf);
        return buf;
    }
    std::string endpoint(int port) const { return v6 ? "[" + text() + "]:" + std::to_string(port) : text() + ":" + std::to_string(port); }
};

constexpr std::array<std::uint8_t, 6> kGatewayMac{0x02, 0x00, 0x5e, 0x00, 0x00, 0x01};
constexpr std::uint8_t kProtoTcp = 6, kProtoUdp = 17, kProtoIcmp = 1, kProtoIcmp6 = 58;

struct Pkt {
    Usec t = 0;
    Bytes frame;
};

// Wraps an L4 segment (whose checksum field is zero) into Ethernet (+802.1Q) and IP, filling in
// the checksums. `ttl` as captured.
Bytes make_frame(const Host& src, const Host& dst, std::uint16_t vlan, std::uint8_t proto, const Bytes& l4, int ttl,
                 std::uint16_t ip_id, bool dont_fragment = true) {
    const bool v6 = src.v6;
    const std::size_t l2 = vlan ? 18 : 14, l3 = v6 ? 40 : 20;
    Bytes f(l2 + l3 + l4.size());
    std::uint8_t* p = f.data();
    // A capture on the client: the remote side is always behind the gateway's MAC.
    const bool from_local = src.mac != kGatewayMac;
    std::memcpy(p, from_local ? kGatewayMac.data() : dst.mac.data(), 6);
    std::memcpy(p + 6, from_local ? src.mac.data() : kGatewayMac.data(), 6);
    if (vlan) {
        put16(p + 12, 0x8100);
        put16(p + 14, vlan);
        put16(p + 16, v6 ? 0x86dd : 0x0800);
    } else {
        put16(p + 12, v6 ? 0x86dd : 0x0800);
    }
    std::uint8_t* ip = p + l2;
    std::uint8_t* seg = ip + l3;
    std::memcpy(seg, l4.data(), l4.size());
    std::uint64_t pseudo = 0;
    if (v6) {
        put32(ip, 0x60000000u);
        put16(ip + 4, static_cast<std::uint16_t>(l4.size()));
        ip[6] = proto;
        ip[7] = static_cast<std::uint8_t>(ttl);
        std::memcpy(ip + 8, src.addr.data(), 16);
        std::memcpy(ip + 24, dst.addr.data(), 16);
        pseudo = sum_bytes(ip + 8, 32);
    } else {
        ip[0] = 0x45;
        ip[1] = 0;
        put16(ip + 2, static_cast<std::uint16_t>(20 + l4.size()));
        put16(ip + 4, ip_id);
        put16(ip + 6, dont_fragment ? 0x4000 : 0);
        ip[8] = static_cast<std::uint8_t>(ttl);
        ip[9] = proto;
        std::memcpy(ip + 12, src.addr.data(), 4);
        std::memcpy(ip + 16, dst.addr.data(), 4);
        const std::uint16_t c = fold(sum_bytes(ip, 20));
        std::memcpy(ip + 10, &c, 2);
        pseudo = sum_bytes(ip + 12, 8);
    }
    std::uint8_t len_proto[8] = {};
    put32(len_proto, static_cast<std::uint32_t>(l4.size()));
    put32(len_proto + 4, proto);
    std::size_t ck = 0;
    bool with_pseudo = true;
    if (proto == kProtoTcp) ck = 16;
    else if (proto == kProtoUdp) ck = 6;
    else if (proto == kProtoIcmp6) ck = 2;
    else ck = 2, with_pseudo = false;  // ICMPv4
    std::uint64_t acc = with_pseudo ? pseudo + sum_bytes(len_proto, 8) : 0;
    std::uint16_t c = fold(sum_bytes(seg, l4.size(), acc));
    if (proto == kProtoUdp && c == 0) c = 0xffff;
    std::memcpy(seg + ck, &c, 2);
    return f;
}

// The IP packet inside a frame (for ICMP quotes).
Bytes ip_part(const Bytes& frame) {
    const std::size_t l2 = (frame[12] == 0x81 && frame[13] == 0x00) ? 18 : 14;
    return Bytes(frame.begin() + static_cast<std::ptrdiff_t>(l2), frame.end());
}

// ---------------------------------------------------------------------------------------------
// A TCP conversation as captured on the client: both sides' sequence state and a packet list.

enum class Opts { kNone, kSyn, kTs };
constexpr std::uint8_t FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;

struct Ep {
    Host* h = nullptr;
    std::uint16_t port = 0;
    std::uint32_t isn = 0, nxt = 0, rcv = 0;  // own ISN, next own seq, next expected from the peer
    std::uint32_t ts0 = 0;
    std::uint16_t win = 502;
};

class Conv {
public:
    Conv(Rng& rng, Host& client, std::uint16_t cport, Host& server, std::uint16_t sport, std::uint16_t vlan, Usec t0)
        : rng_(rng), vlan_(vlan), t0_(t0) {
        c.h = &client, c.port = cport, s.h = &server, s.port = sport;
        c.isn = rng.u32(), s.isn = rng.u32();
        c.nxt = c.isn, s.nxt = s.isn;
        c.ts0 = rng.u32(), s.ts0 = rng.u32();
        c.win = static_cast<std::uint16_t>(rng.range(63, 512));
        s.win = static_cast<std::uint16_t>(rng.range(64, 509));
        mss_ = client.v6 ? 1428 : 1448;  // MSS 1460/1440 minus the 12-byte timestamp option
    }
    Ep c, s;
    std::vector<Pkt> out;

    int mss() const { return mss_; }
    Ep& ep(bool from_client) { return from_client ? c : s; }

    // One TCP segment. Returns its index in out.
    std::size_t tcp(Usec t, bool fc, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, const std::uint8_t* data,
                    std::size_t n, Opts opts, int ttl = -1, std::optional<std::uint16_t> window = std::nullopt) {
        Ep& me = ep(fc);
        Ep& peer = ep(!fc);
        std::uint8_t ob[20];
        std::size_t ol = 0;
        const std::uint32_t tsval = me.ts0 + static_cast<std::uint32_t>((t - t0_) / kMs);
        if (opts == Opts::kSyn) {
            const std::uint8_t o[20] = {2, 4, 0, 0, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3, 10};
            std::memcpy(ob, o, 20);
            put16(ob + 2, static_cast<std::uint16_t>(me.h->v6 ? 1440 : 1460));
            put32(ob + 8, tsval);
            put32(ob + 12, fc ? 0 : last_tsval_[1]);
            ol = 20;
        } else if (opts == Opts::kTs) {
            const std::uint8_t o[12] = {1, 1, 8, 10};
            std::memcpy(ob, o, 12);
            put32(ob + 4, tsval);
            put32(ob + 8, last_tsval_[fc ? 0 : 1]);
            ol = 12;
        }
        last_tsval_[fc ? 1 : 0] = tsval;  // what the peer will echo
        Bytes seg(20 + ol + n);
        std::uint8_t* p = seg.data();
        put16(p, me.port);
        put16(p + 2, peer.port);
        put32(p + 4, seq);
        put32(p + 8, (flags & ACK) ? ack : 0);
        p[12] = static_cast<std::uint8_t>(((20 + ol) / 4) << 4);
        p[13] = flags;
        std::uint16_t w = window ? *window : (flags & SYN) ? (me.h->v6 ? 64800 : 64240) : me.win;
        if ((flags & RST) && !window) w = 0;
        put16(p + 14, w);
        std::memcpy(p + 20, ob, ol);
        if (n) std::memcpy(p + 20 + ol, data, n);
        Host& src = *me.h;
        const int t_ttl = ttl >= 0 ? ttl : src.ttl;
        const std::uint16_t id = (flags & SYN) && !fc ? 0 : src.ip_id++;
        out.push_back(Pkt{t, make_frame(src, *peer.h, vlan_, kProtoTcp, seg, t_ttl, id)});
        return out.size() - 1;
    }

    void syn(Usec t) {
        tcp(t, true, SYN, c.isn, 0, nullptr, 0, Opts::kSyn);
        c.nxt = c.isn + 1;
    }
    void synack(Usec t) {
        tcp(t, false, SYN | ACK, s.isn, c.isn + 1, nullptr, 0, Opts::kSyn);
        s.nxt = s.isn + 1;
        s.rcv = c.isn + 1;
    }
    void ack(Usec t, bool fc) { tcp(t, fc, ACK, ep(fc).nxt, ep(fc).rcv, nullptr, 0, Opts::kTs); }
    // Client SYN, server SYN-ACK after rtt, client ACK. Returns the time of the ACK.
    Usec handshake(Usec t, Usec rtt) {
        syn(t);
        synack(t + rtt);
        c.rcv = s.isn + 1;
        ack(t + rtt + 30, true);
        return t + rtt + 30;
    }
    // Sends `d` from one side in MSS-sized segments `gap` apart; the peer receives it unless
    // deliver is false. Returns the time of the last segment.
    Usec send(Usec t, bool fc, const std::uint8_t* d, std::size_t n, Usec gap = 15, bool deliver = true) {
        Ep& me = ep(fc);
        Ep& peer = ep(!fc);
        std::size_t off = 0;
        Usec last = t;
        while (off < n) {
            const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(mss_), n - off);
            const bool end = off + k == n;
            tcp(t, fc, static_cast<std::uint8_t>(ACK | (end ? PSH : 0)), me.nxt, me.rcv, d + off, k, Opts::kTs);
            me.nxt += static_cast<std::uint32_t>(k);
            if (deliver) peer.rcv += static_cast<std::uint32_t>(k);
            off += k;
            last = t;
            t += gap;
        }
        return last;
    }
    Usec send(Usec t, bool fc, const Bytes& d, Usec gap = 15, bool deliver = true) { return send(t, fc, d.data(), d.size(), gap, deliver); }
    Usec send(Usec t, bool fc, std::string_view d, Usec gap = 15) {
        return send(t, fc, reinterpret_cast<const std::uint8_t*>(d.data()), d.size(), gap);
    }
    void fin(Usec t, bool fc) {
        Ep& me = ep(fc);
        tcp(t, fc, FIN | ACK, me.nxt, me.rcv, nullptr, 0, Opts::kTs);
        me.nxt += 1;
        ep(!fc).rcv += 1;
    }
    // Orderly close started by one side: FIN, the peer's FIN, the last ACK.
    Usec close(Usec t, bool first_client, Usec rtt) {
        fin(t, first_client);
        fin(t + rtt, !first_client);
        ack(t + rtt + 40, first_client);
        return t + rtt + 40;
    }
    void rst(Usec t, bool fc, bool with_ack, int ttl = -1) {
        Ep& me = ep(fc);
        tcp(t, fc, static_cast<std::uint8_t>(RST | (with_ack ? ACK : 0)), me.nxt, me.rcv, nullptr, 0, Opts::kNone, ttl);
    }
    // Sorts the packets by time (stable: same-time packets keep their order).
    void finish() {
        std::stable_sort(out.begin(), out.end(), [](const Pkt& a, const Pkt& b) { return a.t < b.t; });
    }

private:
    Rng& rng_;
    std::uint16_t vlan_;
    Usec t0_;
    int mss_;
    std::uint32_t last_tsval_[2] = {0, 0};  // [0]: client's last, [1]: server's last
};

// ---------------------------------------------------------------------------------------------
// SSH wire pieces.

const std::vector<std::string> kClientBanners = {
    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10", "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5",
    "SSH-2.0-PuTTY_Release_0.81",            "SSH-2.0-OpenSSH_for_Windows_9.5",         "SSH-2.0-OpenSSH_9.8"};
const std::vector<std::string> kServerBanners = {
    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", "SSH-2.0-OpenSSH_8.0", "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5",
    "SSH-2.0-OpenSSH_7.4",                   "SSH-2.0-dropbear_2022.83"};

const char* kClientKex =
    "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
    "ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,"
    "diffie-hellman-group14-sha256,ext-info-c,kex-strict-c-v00@openssh.com";
const char* kClientHostKey =
    "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,"
    "ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
    "rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
    "ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";
const char* kClientCiphers = "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com";
const char* kClientMacs =
    "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
    "hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1";
const char* kServerKex =
    "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
    "ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,"
    "diffie-hellman-group14-sha256,ext-info-s,kex-strict-s-v00@openssh.com";
const char* kServerHostKey = "rsa-sha2-512,rsa-sha2-256,ecdsa-sha2-nistp256,ssh-ed25519";
const char* kLegacyKex = "diffie-hellman-group1-sha1,diffie-hellman-group14-sha1";
const char* kLegacyCiphers = "aes128-cbc,3des-cbc,aes256-cbc";

// RFC 4253 binary packet, unencrypted: block size 8, padding at least 4.
Bytes ssh_packet(const Bytes& payload, Rng& rng) {
    std::size_t pad = 8 - (payload.size() + 5) % 8;
    if (pad < 4) pad += 8;
    Bytes b;
    append32(b, static_cast<std::uint32_t>(payload.size() + pad + 1));
    b.push_back(static_cast<std::uint8_t>(pad));
    b.insert(b.end(), payload.begin(), payload.end());
    for (std::size_t i = 0; i < pad; ++i) b.push_back(static_cast<std::uint8_t>(rng.u32()));
    return b;
}

void append_string(Bytes& b, std::string_view s) {
    append32(b, static_cast<std::uint32_t>(s.size()));
    append(b, s);
}

Bytes kexinit(Rng& rng, const char* kex, const char* hostkey, const char* ciphers, const char* macs) {
    Bytes p{20};
    for (int i = 0; i < 16; ++i) p.push_back(static_cast<std::uint8_t>(rng.u32()));
    append_string(p, kex);
    append_string(p, hostkey);
    append_string(p, ciphers);
    append_string(p, ciphers);
    append_string(p, macs);
    append_string(p, macs);
    append_string(p, "none,zlib@openssh.com");
    append_string(p, "none,zlib@openssh.com");
    append_string(p, "");
    append_string(p, "");
    p.push_back(0);
    append32(p, 0);
    return ssh_packet(p, rng);
}

Bytes random_bytes(Rng& rng, std::size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng.u32());
    return b;
}

// A clear-text SSH message with a random body of n bytes after the message number.
Bytes ssh_msg(Rng& rng, std::uint8_t type, std::size_t n) {
    Bytes p{type};
    Bytes r = random_bytes(rng, n);
    p.insert(p.end(), r.begin(), r.end());
    return ssh_packet(p, rng);
}

// SSH_MSG_KEX_ECDH_INIT (RFC 5656 4): the client's ephemeral key (sntrup761x25519: 1190 bytes).
Bytes kex_ecdh_init(Rng& rng, bool pq) {
    Bytes p{30};
    Bytes q = random_bytes(rng, pq ? 1190 : 32);
    append_string(p, std::string_view(reinterpret_cast<const char*>(q.data()), q.size()));
    return ssh_packet(p, rng);
}

// SSH_MSG_KEX_ECDH_REPLY: host key blob, the server's ephemeral key, the signature.
Bytes kex_ecdh_reply(Rng& rng, bool pq) {
    auto blob = [&](std::string_view alg, std::size_t n) {
        Bytes b;
        append_string(b, alg);
        Bytes k = random_bytes(rng, n);
        append_string(b, std::string_view(reinterpret_cast<const char*>(k.data()), k.size()));
        return std::string(b.begin(), b.end());
    };
    Bytes p{31};
    append_string(p, blob("ssh-ed25519", 32));
    Bytes q = random_bytes(rng, pq ? 1071 : 32);
    append_string(p, std::string_view(reinterpret_cast<const char*>(q.data()), q.size()));
    append_string(p, blob("ssh-ed25519", 64));
    return ssh_packet(p, rng);
}

Bytes concat(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// ---------------------------------------------------------------------------------------------
// TLS 1.3 as it looks on the wire (RFC 8446): a ClientHello padded to 517 bytes, a ServerHello,
// then application-data records (the encrypted rest) of up to 16401 bytes each.

constexpr std::uint64_t kTlsRecord = 16401;  // content bytes of a full record

Bytes tls_record(std::uint8_t type, const Bytes& body) {
    Bytes r{type, 0x03, static_cast<std::uint8_t>(type == 0x16 ? 0x01 : 0x03)};
    append16(r, static_cast<std::uint16_t>(body.size()));
    r.insert(r.end(), body.begin(), body.end());
    return r;
}

Bytes tls_handshake(std::uint8_t type, const Bytes& body) {
    Bytes h{type, static_cast<std::uint8_t>(body.size() >> 16)};
    append16(h, static_cast<std::uint16_t>(body.size()));
    h.insert(h.end(), body.begin(), body.end());
    return h;
}

void append_ext(Bytes& b, std::uint16_t type, const Bytes& data) {
    append16(b, type);
    append16(b, static_cast<std::uint16_t>(data.size()));
    b.insert(b.end(), data.begin(), data.end());
}

Bytes tls_client_hello(Rng& rng, std::string_view sni) {
    Bytes ch;
    append16(ch, 0x0303);
    Bytes rnd = random_bytes(rng, 32);
    ch.insert(ch.end(), rnd.begin(), rnd.end());
    ch.push_back(32);
    Bytes sid = random_bytes(rng, 32);
    ch.insert(ch.end(), sid.begin(), sid.end());
    append16(ch, 6), append16(ch, 0x1301), append16(ch, 0x1302), append16(ch, 0x1303);
    ch.push_back(1), ch.push_back(0);
    Bytes ext;
    Bytes sn;
    append16(sn, static_cast<std::uint16_t>(sni.size() + 3));
    sn.push_back(0);
    append16(sn, static_cast<std::uint16_t>(sni.size()));
    append(sn, sni);
    append_ext(ext, 0x0000, sn);
    append_ext(ext, 0x002b, Bytes{2, 0x03, 0x04});
    append_ext(ext, 0x000a, Bytes{0, 2, 0x00, 0x1d});
    append_ext(ext, 0x000d, Bytes{0, 4, 0x04, 0x03, 0x08, 0x04});
    Bytes ks{0, 36, 0x00, 0x1d, 0, 32};
    Bytes key = random_bytes(rng, 32);
    ks.insert(ks.end(), key.begin(), key.end());
    append_ext(ext, 0x0033, ks);
    const std::size_t so_far = 5 + 4 + ch.size() + 2 + ext.size();
    if (so_far + 4 < 517) append_ext(ext, 0x0015, Bytes(517 - so_far - 4, 0));
    append16(ch, static_cast<std::uint16_t>(ext.size()));
    ch.insert(ch.end(), ext.begin(), ext.end());
    return tls_record(0x16, tls_handshake(1, ch));
}

// ServerHello, ChangeCipherSpec, and `encrypted` bytes of encrypted handshake in one record.
Bytes tls_server_flight(Rng& rng, std::size_t encrypted) {
    Bytes sh;
    append16(sh, 0x0303);
    Bytes rnd = random_bytes(rng, 32);
    sh.insert(sh.end(), rnd.begin(), rnd.end());
    sh.push_back(32);
    Bytes sid = random_bytes(rng, 32);
    sh.insert(sh.end(), sid.begin(), sid.end());
    append16(sh, 0x1301);
    sh.push_back(0);
    Bytes ext;
    append_ext(ext, 0x002b, Bytes{0x03, 0x04});
    Bytes ks{0x00, 0x1d, 0, 32};
    Bytes key = random_bytes(rng, 32);
    ks.insert(ks.end(), key.begin(), key.end());
    append_ext(ext, 0x0033, ks);
    append16(sh, static_cast<std::uint16_t>(ext.size()));
    sh.insert(sh.end(), ext.begin(), ext.end());
    Bytes out = tls_record(0x16, tls_handshake(2, sh));
    Bytes ccs = tls_record(0x14, Bytes{1});
    out.insert(out.end(), ccs.begin(), ccs.end());
    Bytes app = tls_record(0x17, random_bytes(rng, encrypted));
    out.insert(out.end(), app.begin(), app.end());
    return out;
}

// Writes the record headers that fall in buf (n bytes at offset `off` of an application-data
// stream of `total` bytes made of back-to-back records), leaving the rest (the ciphertext) as is.
void tls_frame(std::uint8_t* buf, std::size_t n, std::uint64_t off, std::uint64_t total) {
    constexpr std::uint64_t period = kTlsRecord + 5;
    for (std::uint64_t h = off / period * period; h < off + n; h += period) {
        const std::uint64_t content = std::min<std::uint64_t>(kTlsRecord, total > h + 5 ? total - h - 5 : 0);
        const std::uint8_t hdr[5] = {0x17, 0x03, 0x03, static_cast<std::uint8_t>(content >> 8), static_cast<std::uint8_t>(content)};
        for (std::uint64_t j = 0; j < 5; ++j)
            if (h + j >= off && h + j < off + n) buf[h + j - off] = hdr[j];
    }
}

// n bytes of application data as complete records.
Bytes tls_app_data(const std::uint8_t* random, std::size_t n) {
    Bytes out;
    for (std::size_t off = 0; off < n; off += kTlsRecord) {
        const std::size_t k = std::min<std::size_t>(kTlsRecord, n - off);
        out.insert(out.end(), {0x17, 0x03, 0x03, static_cast<std::uint8_t>(k >> 8), static_cast<std::uint8_t>(k)});
        out.insert(out.end(), random + off, random + off + k);
    }
    return out;
}

Bytes dns_name(std::string_view name);

Bytes dns_query(std::string_view name, bool aaaa, std::uint16_t id) {
    Bytes q;
    append16(q, id);
    append16(q, 0x0100);
    append16(q, 1), append16(q, 0), append16(q, 0), append16(q, 1);
    Bytes qn = dns_name(name);
    q.insert(q.end(), qn.begin(), qn.end());
    append16(q, aaaa ? 28 : 1), append16(q, 1);
    // EDNS0 OPT record
    const std::uint8_t opt[] = {0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0};
    q.insert(q.end(), opt, opt + sizeof opt);
    return q;
}

// ---------------------------------------------------------------------------------------------
// The attempts: each kind and the cause sshpath's rules give it.

enum class Kind {
    kHealthy,
    kHealthySplitBanner,
    kHealthyRetransmittedBanner,
    kHealthyPreBanner,
    kHealthyTransfer,
    kHealthyOtherPort,
    kSilentDrop,
    kIcmpAdminRouter,
    kIcmpPortServer,
    kForgedResetNearClient,
    kForgedResetNearServer,
    kPortClosed,
    kLocalFirewall,
    kClosedBeforeBannerFin,
    kClosedBeforeBannerRst,
    kMaxStartupsText,
    kBannerTimeout,
    kNotSshHttp,
    kNotSshTls,
    kPmtuBlackhole,
    kLossyPath,
    kKexNoCommonKex,
    kKexNoCommonCipher,
    kKexDisconnect,
    kLossyOtherPort,
    kProxyHttp403,
    kProxySocks5Refused,
    kBruteForce,
    kScannerSyn,
    kScannerSynClosed,
    kScannerSynAckRst,
    kBannerGrab,
    kCount
};

struct KindInfo {
    const char* name;
    const char* cause;
    int weight;        // cards in the deck of 100 of the sparse (client-side) mix
    int dense_weight;  // cards in the deck of 100 of the dense (server-side, mirror-port) mix
};

const KindInfo kKinds[] = {
    {"healthy", "ok", 7, 8},
    {"healthy-split-banner", "ok", 3, 1},
    {"healthy-retransmitted-banner", "ok", 3, 0},
    {"healthy-pre-banner-lines", "ok", 3, 1},
    {"healthy-transfer", "ok", 3, 0},
    {"healthy-other-port", "ok", 3, 0},
    {"silent-drop", "silent-drop", 8, 0},
    {"icmp-admin-prohibited-router", "icmp-reject", 4, 0},
    {"icmp-port-unreachable-server", "icmp-reject", 4, 0},
    {"forged-reset-near-client", "forged-reset", 4, 0},
    {"forged-reset-near-server", "forged-reset", 3, 0},
    {"port-closed", "port-closed", 6, 6},
    {"local-firewall", "local-firewall", 6, 0},
    {"closed-before-banner-fin", "closed-before-banner", 3, 0},
    {"closed-before-banner-rst", "closed-before-banner", 2, 3},
    {"maxstartups-text", "closed-before-banner", 2, 5},
    {"banner-timeout", "banner-timeout", 6, 0},
    {"not-ssh-http", "not-ssh", 4, 0},
    {"not-ssh-tls", "not-ssh", 2, 0},
    {"pmtu-blackhole", "pmtu-blackhole", 5, 0},
    {"lossy-path", "lossy-path", 5, 3},
    {"kex-no-common-kex", "kex-failed", 3, 3},
    {"kex-no-common-cipher", "kex-failed", 2, 2},
    {"kex-disconnect", "kex-failed", 2, 0},
    {"lossy-path-other-port", "lossy-path", 1, 0},
    {"proxy-http-403", "proxy-refused", 4, 0},
    {"proxy-socks5-refused", "proxy-refused", 2, 0},
    {"brute-force", "ok", 0, 40},
    {"scanner-syn", "silent-drop", 0, 12},
    {"scanner-syn-closed", "port-closed", 0, 4},
    {"scanner-synack-rst", "unknown", 0, 8},
    {"banner-grab", "unknown", 0, 4},
};
static_assert(std::size(kKinds) == static_cast<std::size_t>(Kind::kCount));

// ---------------------------------------------------------------------------------------------
// Packet sources: each yields time-ordered packets, in batches (lazily for long transfers).

struct Source {
    std::deque<Pkt> q;
    std::function<bool(Source&)> more;  // appends the next batch; false when there is none
    std::uint64_t id = 0;
    bool refill() {
        while (q.empty()) {
            if (!more || !more(*this)) return false;
        }
        return true;
    }
};

class Generator {
public:
    Generator(std::uint64_t seed, std::uint64_t target_bytes, std::int64_t attempts, FILE* out, const std::vector<bool>& enabled,
              bool dense)
        : rng_(seed), target_(target_bytes), out_(out), enabled_(enabled), dense_(dense) {
        pool_ = random_bytes(rng_, std::size_t{8} << 20);
        build_hosts();
        if (dense_) build_dense_hosts();
        // Background byte rate of the simulated network: 100 Mbit/s on average.
        rate_ = 12.5e6;
        duration_ = static_cast<double>(target_) / rate_;
        const double per_gb = dense_ ? 30000.0 : 300.0;
        attempts_total_ = attempts >= 0 ? attempts : std::max<std::int64_t>(static_cast<std::int64_t>(static_cast<double>(target_) / 1e9 * per_gb), 100);
        buf_.reserve(std::size_t{4} << 20);
    }

    void run();
    void write_truth(FILE* f) const;
    void write_manifest(FILE* f) const;
    void report(FILE* f) const;

private:
    struct Attempt {
        Kind kind;
        std::string client, server;
        double start;
    };

    // ---- hosts
    void build_hosts();
    void build_dense_hosts();
    Host& dense_client(Kind kind, bool v6);
    Host make_host(bool v6, std::uint32_t n, int net, int ttl);
    Host& client(bool v6) { return v6 ? clients6_[rng_.next() % clients6_.size()] : clients4_[rng_.next() % clients4_.size()]; }
    std::uint16_t port_of(Host& h) {
        h.next_port = static_cast<std::uint16_t>(h.next_port + rng_.range(1, 7));
        if (h.next_port < 32768 || h.next_port > 60999) h.next_port = static_cast<std::uint16_t>(32768 + rng_.range(0, 999));
        return h.next_port;
    }
    std::uint16_t vlan() { return rng_.chance(0.2) ? (rng_.chance(0.5) ? 100 : 210) : 0; }

    // ---- spawning
    double bulk_size(Rng& r) const { return std::clamp(r.lognormal(700e3, 1.5), 20e3, std::min(80e6, static_cast<double>(target_) / 50)); }
    void spawn_bulk(Usec t, bool at_start = false);
    void spawn_short(Usec t);
    void spawn_probe(Usec t);
    void spawn_dns(Usec t);
    void spawn_media(Usec t);
    void spawn_misc(Usec t);
    void spawn_attempt(Usec t);
    void add_source(std::unique_ptr<Source> s);
    void add_packets(std::vector<Pkt>&& pkts, std::uint64_t bytes_hint = 0);

    // ---- SSH scripts: each fills conv.out
    void ssh_healthy(Conv& cv, Usec t, Usec rtt, Kind kind);
    void ssh_brute_force(Conv& cv, Usec t, Usec rtt, const std::string& cb, const std::string& sb);
    Usec ssh_kex_and_session(Conv& cv, Usec t, Usec rtt, bool transfer, int loss_events);

    // ---- output
    void write_packet(Usec t, const Bytes& frame);
    void flush();

    Rng rng_;
    std::uint64_t target_;
    FILE* out_;
    std::vector<bool> enabled_;
    bool dense_ = false;
    Bytes pool_;
    double rate_ = 0, duration_ = 0;
public:
    double probe_rate_ = 120;  // connections per second to closed ports and health checks
private:
    std::int64_t attempts_total_ = 0, attempts_done_ = 0;
    std::vector<std::size_t> deck_;
    std::size_t deck_pos_ = 0;

    std::vector<Host> clients4_, clients6_, servers4_, servers6_, ssh4_, ssh6_, web4_, web6_;
    Host router4_, router6_, proxy4_, resolver4_, resolver6_, dead_resolver4_;
    // The dense mix: remote clients (many /24 and /64 networks, a few busy bots) and local SSH
    // servers (a bastion host and a subnet of VMs behind the mirror port).
    std::vector<Host> dclients4_, dclients6_, dservers4_, dservers6_;
    std::vector<std::size_t> dbots4_, dbots6_;  // indices into dclients4_, dclients6_

    struct HeapItem {
        Usec t;
        std::uint64_t id;
        Source* s;
        bool operator>(const HeapItem& o) const { return t != o.t ? t > o.t : id > o.id; }
    };
    std::priority_queue<HeapItem, std::vector<HeapItem>, std::greater<>> heap_;
    std::map<std::uint64_t, std::unique_ptr<Source>> live_;
    std::uint64_t next_id_ = 0;

    std::uint64_t committed_ = 0;  // bytes written plus bytes promised by live sources
    std::uint64_t written_ = 0, packets_ = 0;
    std::uint64_t tcp_flows_ = 0, udp_flows_ = 0;
    Usec last_ts_ = -1;
    std::string buf_;
    std::vector<Attempt> attempts_;
    std::map<std::string, std::int64_t> truth_;
};

Host Generator::make_host(bool v6, std::uint32_t n, int net, int ttl) {
    Host h;
    h.v6 = v6;
    h.ttl = ttl;
    if (!v6) {
        // net 0: 198.18.0.0/16 (clients), 1: 198.19.0.0/16 (servers), 2: 198.51.100.0/24, 3: 203.0.113.0/24
        std::uint32_t a = net == 0 ? (198u << 24 | 18u << 16) : net == 1 ? (198u << 24 | 19u << 16)
                          : net == 2 ? (198u << 24 | 51u << 16 | 100u << 8) : (203u << 24 | 0u << 16 | 113u << 8);
        a |= n;
        put32(h.addr.data(), a);
    } else {
        // 2001:db8:<net>::<n>
        h.addr[0] = 0x20, h.addr[1] = 0x01, h.addr[2] = 0x0d, h.addr[3] = 0xb8;
        h.addr[5] = static_cast<std::uint8_t>(net);
        put32(h.addr.data() + 12, n);
    }
    if (ttl == 64 && net != 1 && net != 3)  // local hosts have their own MAC
        h.mac = {0x02, 0x42, static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(net)};
    else
        h.mac = kGatewayMac;
    h.ip_id = static_cast<std::uint16_t>(rng_.u32());
    h.next_port = static_cast<std::uint16_t>(32768 + rng_.range(0, 20000));
    return h;
}

void Generator::build_hosts() {
    // Clients: local hosts, TTL 64 as captured (the capture is on the client side).
    for (std::uint32_t i = 10; i < 250; ++i) clients4_.push_back(make_host(false, i, 2, 64));
    for (std::uint32_t i = 1; i <= 1500; ++i) clients4_.push_back(make_host(false, (i / 250) << 8 | (i % 250 + 1), 0, 64));
    for (std::uint32_t i = 1; i <= 300; ++i) clients6_.push_back(make_host(true, 0x1000 + i, 1, 64));
    // Remote servers: behind 4..22 hops, initial TTL 64.
    for (std::uint32_t i = 1; i <= 2000; ++i)
        servers4_.push_back(make_host(false, (i / 250) << 8 | (i % 250 + 1), 1, 64 - static_cast<int>(rng_.range(4, 22))));
    for (std::uint32_t i = 1; i <= 300; ++i) servers6_.push_back(make_host(true, 0x2000 + i, 2, 64 - static_cast<int>(rng_.range(4, 22))));
    // SSH servers (a few dozen VMs); hop counts >= 6 so that forged resets can sit near either end.
    for (std::uint32_t i = 1; i <= 60; ++i) ssh4_.push_back(make_host(false, i, 3, 64 - static_cast<int>(rng_.range(6, 20))));
    for (std::uint32_t i = 1; i <= 12; ++i) ssh6_.push_back(make_host(true, 0x22 + i, 3, 64 - static_cast<int>(rng_.range(6, 20))));
    router4_ = make_host(false, 1, 2, 64);
    router4_.mac = kGatewayMac;
    router6_ = make_host(true, 1, 1, 64);
    router6_.mac = kGatewayMac;
    proxy4_ = make_host(false, 2, 2, 64);
    resolver4_ = make_host(false, 53, 2, 64);
    resolver6_ = make_host(true, 0x53, 1, 64);
    dead_resolver4_ = make_host(false, 54, 2, 64);
}

void Generator::build_dense_hosts() {
    auto remote = [&](bool v6, std::uint32_t n, int net) {
        Host h = make_host(v6, n, net, 64 - static_cast<int>(rng_.range(5, 25)));
        h.mac = kGatewayMac;
        return h;
    };
    // 198.18.16.0-198.18.255.255 and 2001:db8:5::/48: 240 /24 networks, 64 /64 networks; each
    // address once (the same address twice would make two attempts share a connection).
    std::set<std::array<std::uint8_t, 16>> taken;
    while (dclients4_.size() < 6000) {
        Host h = remote(false, 0, 0);
        put32(h.addr.data(), 198u << 24 | 18u << 16 | static_cast<std::uint32_t>(16 + rng_.range(0, 239)) << 8 |
                                 static_cast<std::uint32_t>(rng_.range(1, 254)));
        if (taken.insert(h.addr).second) dclients4_.push_back(h);
    }
    while (dclients6_.size() < 800) {
        Host h = remote(true, static_cast<std::uint32_t>(rng_.range(1, 0xffff)), 5);
        h.addr[7] = static_cast<std::uint8_t>(rng_.range(0, 63));  // 2001:db8:5:NN::/64
        if (taken.insert(h.addr).second) dclients6_.push_back(h);
    }
    for (std::size_t i = 0; i < 40; ++i) dbots4_.push_back(i * 37);
    for (std::size_t i = 0; i < 8; ++i) dbots6_.push_back(i * 41);
    // The bastion (203.0.113.200 and 2001:db8:13::200) and 160 VMs in 203.0.113.0/24 and 2001:db8:13::/64,
    // on the captured segment: TTL 64 as captured, their own MAC addresses.
    auto local = [&](bool v6, std::uint32_t n) {
        Host h = make_host(v6, n, v6 ? 0x13 : 3, 64);
        h.mac = {0x02, 0x56, 0x4d, static_cast<std::uint8_t>(v6), static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
        return h;
    };
    dservers4_.push_back(local(false, 200));
    dservers6_.push_back(local(true, 0x200));
    for (std::uint32_t i = 61; i < 221; ++i)
        if (i != 200) dservers4_.push_back(local(false, i));
    for (std::uint32_t i = 1; i <= 40; ++i) dservers6_.push_back(local(true, 0x100 + i));
}

// Brute-force sessions come from a few busy bots half of the time; the rest from anywhere.
Host& Generator::dense_client(Kind kind, bool v6) {
    if (kind == Kind::kBruteForce && rng_.chance(0.5))
        return v6 ? dclients6_[dbots6_[rng_.next() % dbots6_.size()]] : dclients4_[dbots4_[rng_.next() % dbots4_.size()]];
    return v6 ? dclients6_[rng_.next() % dclients6_.size()] : dclients4_[rng_.next() % dclients4_.size()];
}

void Generator::add_source(std::unique_ptr<Source> s) {
    if (!s->refill()) return;
    s->id = next_id_++;
    heap_.push(HeapItem{s->q.front().t, s->id, s.get()});
    live_[s->id] = std::move(s);
}

void Generator::add_packets(std::vector<Pkt>&& pkts, std::uint64_t) {
    if (pkts.empty()) return;
    auto s = std::make_unique<Source>();
    for (auto& p : pkts) {
        committed_ += p.frame.size() + 16;
        s->q.push_back(std::move(p));
    }
    add_source(std::move(s));
}

void Generator::write_packet(Usec t, const Bytes& frame) {
    if (t <= last_ts_) t = last_ts_ + 1;  // strictly increasing timestamps
    last_ts_ = t;
    const std::int64_t abs_us = kEpochSec * 1000000 + t;
    std::uint8_t rec[16];
    const std::uint32_t sec = static_cast<std::uint32_t>(abs_us / 1000000), usec = static_cast<std::uint32_t>(abs_us % 1000000);
    const std::uint32_t len = static_cast<std::uint32_t>(frame.size());
    std::memcpy(rec, &sec, 4);
    std::memcpy(rec + 4, &usec, 4);
    std::memcpy(rec + 8, &len, 4);
    std::memcpy(rec + 12, &len, 4);
    buf_.append(reinterpret_cast<const char*>(rec), 16);
    buf_.append(reinterpret_cast<const char*>(frame.data()), frame.size());
    written_ += 16 + frame.size();
    ++packets_;
    if (buf_.size() >= (std::size_t{4} << 20)) flush();
}

void Generator::flush() {
    if (buf_.empty()) return;
    if (std::fwrite(buf_.data(), 1, buf_.size(), out_) != buf_.size()) {
        if (errno == EPIPE) std::exit(0);  // the reader went away
        std::perror("gen: write");
        std::exit(1);
    }
    buf_.clear();
}

// ---- background traffic -------------------------------------------------------------------

// A bulk TCP transfer (download mostly), generated lazily in batches.
void Generator::spawn_bulk(Usec t, bool at_start) {
    const bool v6 = rng_.chance(0.15);
    Host& cl = client(v6);
    Host& sv = v6 ? servers6_[rng_.next() % servers6_.size()] : servers4_[rng_.next() % servers4_.size()];
    static const std::vector<std::uint16_t> ports = {443, 443, 443, 443, 443, 80, 8080, 445, 873, 9000, 5201};
    const std::uint16_t sport = rng_.pick(ports);
    double size = bulk_size(rng_);
    const bool download = rng_.chance(0.8);
    const double flow_rate = rng_.uniform() * 10e6 + 1e6;  // bytes/s
    const Usec rtt = rng_.range(2, 60) * kMs;
    const bool ack_every = rng_.chance(0.8);  // quick-ack receivers acknowledge every segment
    const double loss = rng_.chance(0.3) ? 0.002 : 0.0;
    auto cv = std::make_shared<Conv>(rng_, cl, port_of(cl), sv, sport, vlan(), t);
    ++tcp_flows_;
    auto remaining = std::make_shared<std::int64_t>(static_cast<std::int64_t>(size));
    const std::int64_t seg = cv->mss();
    const std::int64_t n_seg = (static_cast<std::int64_t>(size) + seg - 1) / seg;
    const std::int64_t n_acks = ack_every ? n_seg : n_seg / 2;
    committed_ += static_cast<std::uint64_t>(n_seg * (seg + 16 + 66 + (v6 ? 20 : 0)) + n_acks * (16 + 66));

    auto s = std::make_unique<Source>();
    auto phase = std::make_shared<int>(at_start ? 1 : 0);
    auto clock = std::make_shared<Usec>(t);
    auto since_ack = std::make_shared<int>(0);
    // Capture started mid-transfer: no handshake, sequence numbers somewhere in the stream.
    if (at_start) {
        cv->c.nxt = cv->c.isn + 1 + static_cast<std::uint32_t>(rng_.range(100, 5000));
        cv->s.nxt = cv->s.isn + 1 + static_cast<std::uint32_t>(rng_.range(100000, 5000000));
        cv->c.rcv = cv->s.nxt, cv->s.rcv = cv->c.nxt;
    }
    const bool http = sport == 80 || sport == 8080 || sport == 9000;
    const bool tls = sport == 443;
    auto sent = std::make_shared<std::uint64_t>(0);
    const std::uint64_t total = static_cast<std::uint64_t>(size);
    s->more = [this, cv, remaining, phase, clock, since_ack, download, flow_rate, rtt, ack_every, loss, sport, http, tls, sent, total](Source& src) {
        Rng& r = rng_;
        Conv& c = *cv;
        c.out.clear();
        Usec t = *clock;
        if (*phase == 0) {
            t = c.handshake(t, rtt);
            const std::string size_text = std::to_string(*remaining);
            if (http) {
                const std::string req = download ? "GET /dl/" + std::to_string(r.u32()) + ".bin HTTP/1.1\r\nHost: files.example.net\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"
                                                 : "PUT /upload/" + std::to_string(r.u32()) + ".bin HTTP/1.1\r\nHost: files.example.net\r\nUser-Agent: curl/8.5.0\r\nContent-Length: " + size_text + "\r\n\r\n";
                t = c.send(t + 200, true, std::string_view(req));
                c.ack(t + rtt / 2, false);
                t += rtt;
                if (download) t = c.send(t, false, std::string_view("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size_text + "\r\n\r\n")) + 100;
            } else if (sport == 873) {
                // rsync: the server speaks first
                t = c.send(t + rtt, false, std::string_view("@RSYNCD: 31.0 sha512 sha256 sha1 md5 md4\n"));
                t = c.send(t + 200, true, std::string_view("@RSYNCD: 31.0\n"));
                t += rtt;
            } else if (sport == 5201) {
                // iperf3: a 37-byte cookie, then the test data
                t = c.send(t + 200, true, std::string_view("k2ws5zbttqmuwbg7gpdyiuuexuqahwhwklqv\0", 37));
                t += rtt;
            } else if (tls) {
                t = c.send(t + 200, true, tls_client_hello(r, "files.example.net"));
                t = c.send(t + rtt, false, tls_server_flight(r, static_cast<std::size_t>(r.range(2500, 5000))), 40);
                c.ack(t + 20, true);
                t = c.send(t + 200, true, concat(tls_record(0x14, Bytes{1}), tls_app_data(pool_.data() + r.range(0, 1 << 20), 74)));
                t = c.send(t + 100, true, tls_app_data(pool_.data() + r.range(0, 1 << 20), static_cast<std::size_t>(r.range(100, 600))));
                t += rtt;
            } else {
                t = c.send(t + 200, true, pool_.data() + 4096, static_cast<std::size_t>(r.range(64, 600)));
                t += rtt;
            }
            *phase = 1;
        } else if (*phase == 1) {
            // One batch: up to 16 segments of the transfer with their ACKs.
            const bool fc = !download;
            Ep& snd = c.ep(fc);
            Ep& rcv = c.ep(!fc);
            const Usec gap = static_cast<Usec>(static_cast<double>(c.mss()) / flow_rate * 1e6) + 1;
            // The next n bytes of the stream: ciphertext (TLS records) or file data.
            std::uint8_t scratch[4][1500];
            int next_scratch = 0;
            auto bytes = [&](std::size_t n) -> const std::uint8_t* {
                const std::uint8_t* d = pool_.data() + r.range(0, static_cast<std::int64_t>(pool_.size() - 2000));
                if (tls) {
                    std::uint8_t* b = scratch[next_scratch++ % 4];
                    std::memcpy(b, d, n);
                    tls_frame(b, n, *sent, total);
                    d = b;
                }
                *sent += n;
                return d;
            };
            for (int i = 0; i < 16 && *remaining > 0; ++i) {
                const std::size_t n = static_cast<std::size_t>(std::min<std::int64_t>(*remaining, c.mss()));
                const std::uint8_t* d = bytes(n);
                if (loss > 0 && r.chance(loss) && *remaining > 4 * c.mss()) {
                    // Lost before the capture point (download) or after it (upload): the receiver
                    // sees the next segments out of order, sends duplicate ACKs, the sender repeats it.
                    const std::uint32_t lost_seq = snd.nxt;
                    std::uint8_t lost[1500];
                    std::memcpy(lost, d, n);
                    d = lost;
                    if (fc) c.tcp(t, true, ACK, lost_seq, snd.rcv, d, n, Opts::kTs);  // an upload: captured, then lost
                    snd.nxt += static_cast<std::uint32_t>(n);
                    for (int k = 0; k < 3; ++k) {
                        t += gap;
                        const std::uint8_t* d2 = bytes(static_cast<std::size_t>(c.mss()));
                        c.tcp(t, fc, ACK, snd.nxt, snd.rcv, d2, static_cast<std::size_t>(c.mss()), Opts::kTs);
                        snd.nxt += static_cast<std::uint32_t>(c.mss());
                        c.tcp(t + (fc ? rtt : 30), !fc, ACK, rcv.nxt, lost_seq, nullptr, 0, Opts::kTs);  // duplicate ACK
                    }
                    t += fc ? rtt : rtt;
                    c.tcp(t, fc, ACK, lost_seq, snd.rcv, d, n, Opts::kTs);  // the repeat
                    rcv.rcv = snd.nxt;
                    c.ack(t + (fc ? rtt : 30), !fc);
                    *remaining -= static_cast<std::int64_t>(n) + 3 * c.mss();
                    continue;
                }
                c.tcp(t, fc, static_cast<std::uint8_t>(ACK | (*remaining <= c.mss() ? PSH : 0)), snd.nxt, snd.rcv, d, n, Opts::kTs);
                snd.nxt += static_cast<std::uint32_t>(n);
                rcv.rcv = snd.nxt;
                *remaining -= static_cast<std::int64_t>(n);
                if (++*since_ack >= (ack_every ? 1 : 2) || *remaining <= 0) {
                    *since_ack = 0;
                    // The ACK of a download is sent by the client right away; the ACK of an upload
                    // comes back one RTT later.
                    c.ack(t + (fc ? rtt : 25), !fc);
                }
                t += gap;
            }
            if (*remaining <= 0) *phase = 2;
        } else if (*phase == 2) {
            if (http && !download) t = c.send(t + rtt, false, std::string_view("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));
            c.close(t + rtt, !download || r.chance(0.5), rtt);
            *phase = 3;
        } else {
            return false;
        }
        *clock = t;
        c.finish();
        for (auto& p : c.out) src.q.push_back(std::move(p));
        c.out.clear();
        return true;
    };
    add_source(std::move(s));
}

// A short web connection: TLS handshake, a request, a response of a few KB.
void Generator::spawn_short(Usec t) {
    const bool v6 = rng_.chance(0.25);
    Host& cl = client(v6);
    Host& sv = v6 ? web6_[rng_.next() % web6_.size()] : web4_[rng_.next() % web4_.size()];
    const bool http = rng_.chance(0.1);
    Conv cv(rng_, cl, port_of(cl), sv, http ? 80 : 443, vlan(), t);
    ++tcp_flows_;
    const Usec rtt = rng_.range(3, 90) * kMs;
    t = cv.handshake(t, rtt);
    auto slice = [&](std::size_t n) {
        const std::size_t off = static_cast<std::size_t>(rng_.range(0, static_cast<std::int64_t>(pool_.size() - n - 1)));
        return Bytes(pool_.begin() + static_cast<std::ptrdiff_t>(off), pool_.begin() + static_cast<std::ptrdiff_t>(off + n));
    };
    const std::size_t response = static_cast<std::size_t>(std::exp(std::log(500.0) + rng_.uniform() * (std::log(30000.0) - std::log(500.0))));
    if (http) {
        std::string req = "GET /api/v1/items/" + std::to_string(rng_.u32() % 100000) + " HTTP/1.1\r\nHost: www.example.com\r\nAccept: application/json\r\n\r\n";
        t = cv.send(t + 100, true, std::string_view(req));
        Bytes resp;
        append(resp, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(response) + "\r\n\r\n");
        Bytes body = slice(response);
        resp.insert(resp.end(), body.begin(), body.end());
        t = cv.send(t + rtt, false, resp, 120);
    } else {
        t = cv.send(t + 100, true, tls_client_hello(rng_, "www.example.com"));
        t = cv.send(t + rtt, false, tls_server_flight(rng_, static_cast<std::size_t>(rng_.range(2500, 5200))), 40);
        cv.ack(t + 20, true);
        t = cv.send(t + 200, true, concat(tls_record(0x14, Bytes{1}), tls_app_data(slice(74).data(), 74)));
        t = cv.send(t + 100, true, tls_app_data(slice(700).data(), static_cast<std::size_t>(rng_.range(80, 700))));
        const Bytes body = slice(response);
        t = cv.send(t + rtt, false, tls_app_data(body.data(), body.size()), 100);
    }
    cv.ack(t + 25, true);
    cv.close(t + rng_.range(5, 2000) * kMs, rng_.chance(0.5), rtt);
    cv.finish();
    add_packets(std::move(cv.out));
}

// A probe to a closed port (SYN, RST+ACK) or a health check (connect, close).
void Generator::spawn_probe(Usec t) {
    const bool v6 = rng_.chance(0.2);
    Host& cl = client(v6);
    Host& sv = v6 ? servers6_[rng_.next() % servers6_.size()] : servers4_[rng_.next() % servers4_.size()];
    static const std::vector<std::uint16_t> ports = {8443, 9090, 3306, 5432, 6379, 8081, 25, 110, 3389, 9100};
    Conv cv(rng_, cl, port_of(cl), sv, rng_.pick(ports), vlan(), t);
    ++tcp_flows_;
    const Usec rtt = rng_.range(2, 50) * kMs;
    if (rng_.chance(0.5)) {
        cv.syn(t);
        cv.s.rcv = cv.c.isn + 1;
        cv.s.nxt = 0;
        cv.rst(t + rtt, false, true);
    } else {
        t = cv.handshake(t, rtt);
        cv.close(t + 100, true, rtt);
    }
    cv.finish();
    add_packets(std::move(cv.out));
}

Bytes dns_name(std::string_view name) {
    Bytes b;
    std::size_t start = 0;
    while (start < name.size()) {
        std::size_t dot = name.find('.', start);
        if (dot == std::string_view::npos) dot = name.size();
        b.push_back(static_cast<std::uint8_t>(dot - start));
        append(b, name.substr(start, dot - start));
        start = dot + 1;
    }
    b.push_back(0);
    return b;
}

void Generator::spawn_dns(Usec t) {
    const bool v6 = rng_.chance(0.2);
    Host& cl = client(v6);
    Host& rs = v6 ? resolver6_ : resolver4_;
    static const std::vector<std::string> domains = {"example.com", "example.net", "example.org", "cdn.example.com", "api.example.net"};
    const std::string name = "h" + std::to_string(rng_.u32() % 50000) + "." + rng_.pick(domains);
    const bool aaaa = rng_.chance(0.4);
    const std::uint16_t id = static_cast<std::uint16_t>(rng_.u32());
    const std::uint16_t cport = port_of(cl);
    const std::uint16_t vl = vlan();
    Bytes q = dns_query(name, aaaa, id);
    const Bytes qn = dns_name(name);
    auto udp = [&](std::uint16_t sp, std::uint16_t dp, const Bytes& payload) {
        Bytes u(8 + payload.size());
        put16(u.data(), sp);
        put16(u.data() + 2, dp);
        put16(u.data() + 4, static_cast<std::uint16_t>(u.size()));
        std::memcpy(u.data() + 8, payload.data(), payload.size());
        return u;
    };
    std::vector<Pkt> pk;
    pk.push_back(Pkt{t, make_frame(cl, rs, vl, kProtoUdp, udp(cport, 53, q), cl.ttl, cl.ip_id++, false)});
    Bytes r(q.begin(), q.begin() + 12 + static_cast<std::ptrdiff_t>(qn.size()) + 4);
    put16(r.data() + 2, 0x8180);
    const int answers = static_cast<int>(rng_.range(1, 6));
    put16(r.data() + 6, static_cast<std::uint16_t>(answers));
    put16(r.data() + 10, 0);
    for (int i = 0; i < answers; ++i) {
        append16(r, 0xc00c);
        append16(r, aaaa ? 28 : 1), append16(r, 1);
        append32(r, static_cast<std::uint32_t>(rng_.range(30, 3600)));
        if (aaaa) {
            append16(r, 16);
            const std::uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
                                         static_cast<std::uint8_t>(rng_.u32()), static_cast<std::uint8_t>(rng_.u32())};
            r.insert(r.end(), a6, a6 + 16);
        } else {
            append16(r, 4);
            append16(r, 198 << 8 | 19);
            append16(r, static_cast<std::uint16_t>(rng_.u32()));
        }
    }
    pk.push_back(Pkt{t + rng_.range(1, 40) * kMs, make_frame(rs, cl, vl, kProtoUdp, udp(53, cport, r), rs.ttl, rs.ip_id++, false)});
    ++udp_flows_;
    add_packets(std::move(pk));
}

// Media over UDP (a video call): a burst of 1-2 s of packets of 200-1200 bytes both ways.
void Generator::spawn_media(Usec t) {
    const bool v6 = rng_.chance(0.2);
    Host& cl = client(v6);
    Host& sv = v6 ? servers6_[rng_.next() % servers6_.size()] : servers4_[rng_.next() % servers4_.size()];
    const std::uint16_t cport = port_of(cl), sport = static_cast<std::uint16_t>(rng_.range(3478, 3497));
    const std::uint16_t vl = vlan();
    std::vector<Pkt> pk;
    const int n = static_cast<int>(rng_.range(50, 150));
    for (int i = 0; i < n; ++i) {
        const bool up = rng_.chance(0.35);
        const std::size_t len = static_cast<std::size_t>(rng_.range(160, 600));
        Bytes u(8 + len);
        put16(u.data(), up ? cport : sport);
        put16(u.data() + 2, up ? sport : cport);
        put16(u.data() + 4, static_cast<std::uint16_t>(u.size()));
        std::memcpy(u.data() + 8, pool_.data() + rng_.range(0, 1 << 22), len);
        u[8] = 0x80, u[9] = 0x60;  // RTP v2
        Host& a = up ? cl : sv;
        Host& b = up ? sv : cl;
        pk.push_back(Pkt{t, make_frame(a, b, vl, kProtoUdp, u, a.ttl, a.ip_id++, false)});
        t += rng_.range(2, 20) * kMs;
    }
    ++udp_flows_;
    add_packets(std::move(pk));
}

// Pings and ICMP port-unreachable for a DNS query to a dead resolver (ICMP quoting UDP).
void Generator::spawn_misc(Usec t) {
    Host& cl = client(false);
    std::vector<Pkt> pk;
    if (rng_.chance(0.6)) {
        Host& sv = servers4_[rng_.next() % servers4_.size()];
        const std::uint16_t id = static_cast<std::uint16_t>(rng_.u32());
        for (int i = 0; i < 4; ++i) {
            Bytes e(64);
            e[0] = 8;
            put16(e.data() + 4, id);
            put16(e.data() + 6, static_cast<std::uint16_t>(i + 1));
            std::memcpy(e.data() + 8, pool_.data() + rng_.range(0, 1 << 20), 56);
            pk.push_back(Pkt{t, make_frame(cl, sv, 0, kProtoIcmp, e, cl.ttl, cl.ip_id++)});
            e[0] = 0;
            e[2] = e[3] = 0;
            pk.push_back(Pkt{t + rng_.range(5, 60) * kMs, make_frame(sv, cl, 0, kProtoIcmp, e, sv.ttl, sv.ip_id++, false)});
            t += kSec;
        }
    } else {
        const Bytes q = dns_query("ntp" + std::to_string(rng_.u32() % 100) + ".example.org", false, static_cast<std::uint16_t>(rng_.u32()));
        Bytes u(8 + q.size());
        const std::uint16_t cport = port_of(cl);
        put16(u.data(), cport);
        put16(u.data() + 2, 53);
        put16(u.data() + 4, static_cast<std::uint16_t>(u.size()));
        std::memcpy(u.data() + 8, q.data(), q.size());
        Bytes f = make_frame(cl, dead_resolver4_, 0, kProtoUdp, u, cl.ttl, cl.ip_id++, false);
        Bytes quote = ip_part(f);
        pk.push_back(Pkt{t, std::move(f)});
        Bytes icmp(8);
        icmp[0] = 3, icmp[1] = 3;
        icmp.insert(icmp.end(), quote.begin(), quote.end());
        pk.push_back(Pkt{t + 400, make_frame(dead_resolver4_, cl, 0, kProtoIcmp, icmp, 64, dead_resolver4_.ip_id++, false)});
    }
    add_packets(std::move(pk));
}

// ---- SSH attempts ---------------------------------------------------------------------------

// Key exchange and a short session (or a transfer) after both identification strings.
// loss_events > 0 makes a lossy path: retransmissions and a gap filled later, in both directions.
Usec Generator::ssh_kex_and_session(Conv& cv, Usec t, Usec rtt, bool transfer, int loss_events) {
    Rng& r = rng_;
    Bytes ckex = kexinit(r, kClientKex, kClientHostKey, kClientCiphers, kClientMacs);
    Bytes skex = kexinit(r, kServerKex, kServerHostKey, kClientCiphers, kClientMacs);
    int lost = 0;
    // Client KEXINIT, its first segment lost after the capture point on a lossy path.
    if (loss_events > lost) {
        const std::uint32_t seq0 = cv.c.nxt;
        const std::size_t first = static_cast<std::size_t>(cv.mss());
        cv.send(t, true, ckex.data(), first, 15, false);
        cv.send(t + 15, true, ckex.data() + first, ckex.size() - first, 15, false);
        // The server's duplicate ACK (the tail arrived out of order), then the repeat at RTO.
        cv.ack(t + rtt, false);
        cv.tcp(t + rtt + 200 * kMs, true, ACK, seq0, cv.c.rcv, ckex.data(), first, Opts::kTs);
        cv.s.rcv += static_cast<std::uint32_t>(ckex.size());
        t += rtt + 200 * kMs;
        ++lost;
    } else {
        t = cv.send(t, true, ckex);
    }
    cv.ack(t + rtt / 2, false);
    t = cv.send(t + rtt / 2 + 3 * kMs, false, skex);
    cv.ack(t + 40 * kMs, true);
    t += 40 * kMs + r.range(1, 100) * kMs;
    // Key exchange: ECDH init (sntrup761x25519 is 1190 bytes of public key) and the reply with
    // NEWKEYS in the same write.
    const bool pq = r.chance(0.6);  // sntrup761x25519 (OpenSSH 9) or curve25519
    Bytes init = kex_ecdh_init(r, pq);
    Bytes reply = concat(kex_ecdh_reply(r, pq), ssh_msg(r, 21, 0));
    t = cv.send(t, true, init);
    if (loss_events > lost) {
        // A spurious retransmission of the client's key-exchange packet.
        cv.tcp(t + 2 * rtt + 210 * kMs, true, ACK | PSH, cv.c.nxt - static_cast<std::uint32_t>(init.size()), cv.c.rcv, init.data(),
               std::min<std::size_t>(init.size(), static_cast<std::size_t>(cv.mss())), Opts::kTs);
        ++lost;
    }
    t += rtt + r.range(2, 30) * kMs;
    if (loss_events > lost && reply.size() > static_cast<std::size_t>(cv.mss())) {
        // The reply's first segment is lost before the capture point: a gap, duplicate ACKs, the fill.
        const std::uint32_t seq0 = cv.s.nxt;
        const std::size_t first = static_cast<std::size_t>(cv.mss());
        cv.s.nxt += static_cast<std::uint32_t>(first);
        cv.tcp(t, false, ACK | PSH, cv.s.nxt, cv.s.rcv, reply.data() + first, reply.size() - first, Opts::kTs);
        cv.s.nxt += static_cast<std::uint32_t>(reply.size() - first);
        cv.ack(t + 20, true);  // duplicate ACK (cv.c.rcv unchanged)
        cv.tcp(t + rtt + 20 * kMs, false, ACK, seq0, cv.s.rcv, reply.data(), first, Opts::kTs);
        cv.c.rcv += static_cast<std::uint32_t>(reply.size());
        t += rtt + 20 * kMs;
        ++lost;
    } else {
        t = cv.send(t, false, reply);
    }
    cv.ack(t + 30, true);
    t += r.range(1, 20) * kMs;
    // Client NEWKEYS and its first encrypted packet; then encrypted traffic both ways.
    t = cv.send(t, true, concat(ssh_msg(r, 21, 0), random_bytes(r, 44)));
    const int exchanges = static_cast<int>(r.range(4, 14));
    for (int i = 0; i < exchanges; ++i) {
        t = cv.send(t + r.range(1, 300) * kMs, true, random_bytes(r, static_cast<std::size_t>(r.range(36, 600))));
        if (loss_events > lost && i == 1) {
            // An encrypted client segment retransmitted after an RTO.
            const std::uint32_t seq = cv.c.nxt - 36;
            Bytes again = random_bytes(r, 36);
            cv.tcp(t + 220 * kMs, true, ACK | PSH, seq, cv.c.rcv, again.data(), again.size(), Opts::kTs);
            t += 220 * kMs;
            ++lost;
        }
        t = cv.send(t + rtt, false, random_bytes(r, static_cast<std::size_t>(r.range(36, 900))));
        cv.ack(t + 40 * kMs, true);
        t += 40 * kMs;
    }
    while (loss_events > lost) {
        // Further client retransmissions (each a repeat of the last encrypted segment).
        t = cv.send(t + r.range(1, 300) * kMs, true, random_bytes(r, 52));
        Bytes again = random_bytes(r, 52);
        cv.tcp(t + 230 * kMs, true, ACK | PSH, cv.c.nxt - 52, cv.c.rcv, again.data(), again.size(), Opts::kTs);
        cv.ack(t + 230 * kMs + rtt, false);
        t += 230 * kMs + rtt;
        ++lost;
    }
    if (transfer) {
        // scp of a file from the server: encrypted bulk data, ACK every second segment.
        std::int64_t remaining = static_cast<std::int64_t>(std::clamp(r.lognormal(2e6, 1.0), 100e3, 12e6));
        const double flow_rate = 3e6 + r.uniform() * 9e6;
        const Usec gap = static_cast<Usec>(cv.mss() / flow_rate * 1e6) + 1;
        int k = 0;
        while (remaining > 0) {
            const std::size_t n = static_cast<std::size_t>(std::min<std::int64_t>(remaining, cv.mss()));
            cv.tcp(t, false, ACK, cv.s.nxt, cv.s.rcv, pool_.data() + r.range(0, 1 << 22), n, Opts::kTs);
            cv.s.nxt += static_cast<std::uint32_t>(n);
            cv.c.rcv += static_cast<std::uint32_t>(n);
            remaining -= static_cast<std::int64_t>(n);
            if (++k % 2 == 0 || remaining <= 0) cv.ack(t + 20, true);
            t += gap;
        }
    }
    // The session ends: an encrypted disconnect, then the client closes.
    t = cv.send(t + r.range(100, 3000) * kMs, true, random_bytes(r, 36));
    return cv.close(t + 5 * kMs, true, rtt);
}

void Generator::ssh_healthy(Conv& cv, Usec t, Usec rtt, Kind kind) {
    Rng& r = rng_;
    const std::string cb = r.pick(kClientBanners) + "\r\n";
    const std::string sb = r.pick(kServerBanners) + "\r\n";
    t = cv.handshake(t, rtt);
    t = cv.send(t + r.range(1, 10) * kMs, true, std::string_view(cb));
    cv.ack(t + rtt, false);
    t += rtt + r.range(2, 40) * kMs;
    if (kind == Kind::kHealthyPreBanner) {
        t = cv.send(t, false, std::string_view("Welcome to bastion-" + std::to_string(r.range(1, 9)) + ".example.net\r\n"));
        t = cv.send(t + 200, false, std::string_view("Unauthorized access is prohibited.\r\n"));
        cv.ack(t + 30, true);
        t += 500;
    }
    if (kind == Kind::kHealthySplitBanner) {
        const std::size_t cut = static_cast<std::size_t>(r.range(3, static_cast<std::int64_t>(sb.size() - 3)));
        t = cv.send(t, false, std::string_view(sb).substr(0, cut));
        cv.ack(t + 40 * kMs, true);
        t = cv.send(t + 60 * kMs, false, std::string_view(sb).substr(cut));
    } else if (kind == Kind::kHealthyRetransmittedBanner) {
        const std::uint32_t seq = cv.s.nxt;
        t = cv.send(t, false, std::string_view(sb));
        // A spurious retransmission: the client's ACK was lost on the way back.
        cv.ack(t + 30, true);
        cv.tcp(t + 210 * kMs, false, ACK | PSH, seq, cv.s.rcv, reinterpret_cast<const std::uint8_t*>(sb.data()), sb.size(), Opts::kTs);
        t += 210 * kMs;
    } else {
        t = cv.send(t, false, std::string_view(sb));
    }
    cv.ack(t + 30, true);
    t += r.range(1, 5) * kMs;
    const bool transfer = kind == Kind::kHealthyTransfer;
    const int loss = (kind == Kind::kLossyPath || kind == Kind::kLossyOtherPort) ? static_cast<int>(r.range(3, 5)) : 0;
    ssh_kex_and_session(cv, t, rtt, transfer, loss);
}

// A password-guessing bot: key exchange to NEWKEYS with real SSH binary packets, a few
// encrypted authentication attempts, each refused after sshd's delay, then the close.
void Generator::ssh_brute_force(Conv& cv, Usec t, Usec rtt, const std::string& cb, const std::string& sb) {
    Rng& r = rng_;
    t = cv.handshake(t, rtt);
    t = cv.send(t + r.range(1, 5) * kMs, true, std::string_view(cb));
    cv.ack(t + 60, false);
    t = cv.send(t + r.range(1, 8) * kMs, false, std::string_view(sb));
    cv.ack(t + rtt, true);
    t = cv.send(t + rtt + 300, true, kexinit(r, kClientKex, kClientHostKey, kClientCiphers, kClientMacs));
    t = cv.send(t + 2 * kMs, false, kexinit(r, kServerKex, kServerHostKey, kClientCiphers, kClientMacs));
    cv.ack(t + rtt, true);
    const bool pq = r.chance(0.3);
    t = cv.send(t + rtt + 3 * kMs, true, kex_ecdh_init(r, pq));
    t = cv.send(t + r.range(2, 15) * kMs, false, concat(kex_ecdh_reply(r, pq), ssh_msg(r, 21, 0)));
    t = cv.send(t + rtt + 2 * kMs, true, concat(ssh_msg(r, 21, 0), random_bytes(r, 44)));
    t = cv.send(t + 2 * kMs, false, random_bytes(r, 44));
    const int tries = static_cast<int>(r.range(2, 6));
    for (int i = 0; i < tries; ++i) {
        t = cv.send(t + rtt + r.range(1, 20) * kMs, true, random_bytes(r, static_cast<std::size_t>(r.range(84, 148))));
        t = cv.send(t + r.range(300, 2500) * kMs, false, random_bytes(r, 52));
    }
    cv.close(t + r.range(1, 30) * kMs, r.chance(0.5), rtt);
}

void Generator::spawn_attempt(Usec t) {
    Rng& r = rng_;
    // The kind: drawn from a shuffled deck holding each enabled kind `weight` times, so that
    // every 100 attempts (the weights' sum) hold every kind.
    if (deck_pos_ >= deck_.size()) {
        deck_.clear();
        for (std::size_t k = 0; k < std::size(kKinds); ++k)
            if (enabled_[k]) deck_.insert(deck_.end(), static_cast<std::size_t>(dense_ ? kKinds[k].dense_weight : kKinds[k].weight), k);
        // --kinds may name only kinds the mix does not draw: one card each.
        if (deck_.empty())
            for (std::size_t k = 0; k < std::size(kKinds); ++k)
                if (enabled_[k]) deck_.push_back(k);
        for (std::size_t i = deck_.size(); i > 1; --i) std::swap(deck_[i - 1], deck_[static_cast<std::size_t>(r.next() % i)]);
        deck_pos_ = 0;
    }
    const std::size_t ki = deck_[deck_pos_++];
    const Kind kind = static_cast<Kind>(ki);
    const bool proxy = kind == Kind::kProxyHttp403 || kind == Kind::kProxySocks5Refused;
    const bool v6 = !proxy && r.chance(0.2);
    // The dense mix: a remote client, a local server (the bastion for 40 % of the attempts).
    Host& cl = dense_ ? dense_client(kind, v6) : client(v6);
    Host& target = !dense_ ? (v6 ? ssh6_[r.next() % ssh6_.size()] : ssh4_[r.next() % ssh4_.size()])
                   : r.chance(0.4) ? (v6 ? dservers6_[0] : dservers4_[0])
                   : (v6 ? dservers6_[r.next() % dservers6_.size()] : dservers4_[r.next() % dservers4_.size()]);
    Host& sv = proxy ? proxy4_ : target;
    std::uint16_t sport = 22;
    if (kind == Kind::kHealthyOtherPort || kind == Kind::kLossyOtherPort) sport = r.chance(0.5) ? 2222 : 8022;
    if (kind == Kind::kProxyHttp403) sport = 3128;
    if (kind == Kind::kProxySocks5Refused) sport = 1080;
    const std::uint16_t cport = port_of(cl);
    Conv cv(r, cl, cport, sv, sport, vlan(), t);
    ++tcp_flows_;
    const Usec rtt = proxy ? r.range(1, 3) * kMs : r.range(8, 120) * kMs;
    const int server_hops = 64 - target.ttl;
    const std::string cb = r.pick(kClientBanners) + "\r\n";
    const std::string sb = r.pick(kServerBanners) + "\r\n";

    switch (kind) {
    case Kind::kHealthy:
    case Kind::kHealthySplitBanner:
    case Kind::kHealthyRetransmittedBanner:
    case Kind::kHealthyPreBanner:
    case Kind::kHealthyTransfer:
    case Kind::kHealthyOtherPort:
    case Kind::kLossyPath:
    case Kind::kLossyOtherPort:
        if (kind == Kind::kLossyPath && r.chance(0.5)) {
            // The first SYN lost too (not counted by the rules: a data retransmission is).
            cv.syn(t);
            t += kSec + r.range(10, 40) * kMs;
        }
        ssh_healthy(cv, t, rtt, kind);
        break;
    case Kind::kSilentDrop: {
        // SYN, retransmitted with back-off (1 s, 2 s, 4 s ...), nothing comes back.
        const int syns = static_cast<int>(r.range(3, 7));
        Usec gap = kSec;
        for (int i = 0; i < syns; ++i) {
            cv.tcp(t, true, SYN, cv.c.isn, 0, nullptr, 0, Opts::kSyn);
            t += gap + r.range(0, 30) * kMs;
            gap *= 2;
        }
        break;
    }
    case Kind::kIcmpAdminRouter:
    case Kind::kIcmpPortServer: {
        const bool router = kind == Kind::kIcmpAdminRouter;
        const std::size_t i = cv.tcp(t, true, SYN, cv.c.isn, 0, nullptr, 0, Opts::kSyn);
        Bytes quote = ip_part(cv.out[i].frame);
        // The quoted packet as the sender of the error saw it: its TTL lowered by the hops on the way.
        const int hops = router ? static_cast<int>(r.range(1, 3)) : server_hops;
        if (!v6) {
            quote[8] = static_cast<std::uint8_t>(64 - hops + 1);
            quote[10] = quote[11] = 0;
            const std::uint16_t c = fold(sum_bytes(quote.data(), 20));
            std::memcpy(&quote[10], &c, 2);
        } else {
            quote[7] = static_cast<std::uint8_t>(64 - hops + 1);
        }
        Bytes icmp(8);
        if (!v6) icmp[0] = 3, icmp[1] = router ? 13 : 3;
        else icmp[0] = 1, icmp[1] = router ? 1 : 4;
        icmp.insert(icmp.end(), quote.begin(), quote.end());
        Host& from = router ? (v6 ? router6_ : router4_) : sv;
        const int ttl = router ? 64 - hops + 1 : sv.ttl;
        cv.out.push_back(Pkt{t + (router ? r.range(1, 5) * kMs : rtt),
                             make_frame(from, cl, 0, v6 ? kProtoIcmp6 : kProtoIcmp, icmp, ttl, from.ip_id++, false)});
        break;
    }
    case Kind::kForgedResetNearClient:
    case Kind::kForgedResetNearServer: {
        t = cv.handshake(t, rtt);
        t = cv.send(t + r.range(1, 10) * kMs, true, std::string_view(cb));
        if (kind == Kind::kForgedResetNearClient) {
            // An IPS a hop or two from the client sees the identification string and resets both ends.
            const int hops = static_cast<int>(r.range(1, std::max(1, std::min(3, server_hops / 2))));
            cv.rst(t + r.range(100, 900), false, false, 64 - hops);
            t = cv.send(t + rtt, false, std::string_view(sb));
            cv.rst(t + 20, true, false);
        } else {
            // A filter one hop in front of the VM.
            cv.rst(t + rtt - 2 * kMs, false, true, sv.ttl + 1);
        }
        break;
    }
    case Kind::kPortClosed:
        cv.syn(t);
        cv.s.rcv = cv.c.isn + 1;
        cv.s.nxt = 0;
        cv.rst(t + rtt, false, true);
        break;
    case Kind::kLocalFirewall: {
        // The SYN-ACK arrives, the client's firewall drops it; its TCP sends the SYN again.
        const int syns = static_cast<int>(r.range(3, 6));
        Usec gap = kSec;
        for (int i = 0; i < syns; ++i) {
            cv.tcp(t, true, SYN, cv.c.isn, 0, nullptr, 0, Opts::kSyn);
            cv.c.nxt = cv.c.isn + 1;
            cv.tcp(t + rtt, false, SYN | ACK, cv.s.isn, cv.c.isn + 1, nullptr, 0, Opts::kSyn);
            if (i > 0 && r.chance(0.5)) cv.tcp(t + rtt + 20, false, SYN | ACK, cv.s.isn, cv.c.isn + 1, nullptr, 0, Opts::kSyn);
            t += gap + r.range(0, 30) * kMs;
            gap *= 2;
        }
        break;
    }
    case Kind::kClosedBeforeBannerFin:
        // sshd closes at once (MaxStartups, TCP wrappers): FIN before the client's banner, then a reset.
        t = cv.handshake(t, rtt);
        cv.fin(t + rtt / 2, false);
        t = cv.send(t + rtt / 2 + 200, true, std::string_view(cb));
        cv.rst(t + rtt, false, false);
        break;
    case Kind::kClosedBeforeBannerRst:
        t = cv.handshake(t, rtt);
        t = cv.send(t + r.range(1, 10) * kMs, true, std::string_view(cb));
        cv.rst(t + rtt, false, true);
        break;
    case Kind::kMaxStartupsText:
        t = cv.handshake(t, rtt);
        t = cv.send(t + r.range(1, 10) * kMs, true, std::string_view(cb));
        cv.ack(t + rtt, false);
        t = cv.send(t + rtt + 5 * kMs, false, std::string_view("Exceeded MaxStartups\r\n"));
        cv.ack(t + 20, true);
        cv.rst(t + 40, false, true);
        break;
    case Kind::kBannerTimeout: {
        // Connected; the server never speaks; the client gives up (ConnectTimeout) after 6-30 s.
        t = cv.handshake(t, rtt);
        t = cv.send(t + r.range(1, 10) * kMs, true, std::string_view(cb));
        cv.ack(t + rtt, false);
        t += r.range(6, 30) * kSec;
        cv.close(t, true, rtt);
        break;
    }
    case Kind::kNotSshHttp: {
        t = cv.handshake(t, rtt);
        t = cv.send(t + r.range(1, 10) * kMs, true, std::string_view(cb));
        cv.ack(t + rtt, false);
        const std::string body = "<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        const std::string resp = "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nContent-Type: text/html\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        t = cv.send(t + rtt + 100, false, std::string_view(resp));
        cv.fin(t + 50, false);
        cv.ack(t + 80, true);
        // The client's FIN answers the server's, which is already acknowledged: one more ACK ends it.
        cv.fin(t + 2 * kMs, true);
        cv.ack(t + 2 * kMs + rtt, false);
        break;
    }
    case Kind::kNotSshTls: {
        t = cv.handshake(t, rtt);
        t = cv.send(t + r.range(1, 10) * kMs, true, std::string_view(cb));
        const Bytes alert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32};
        t = cv.send(t + rtt + 100, false, alert);
        cv.fin(t + 20, false);
        cv.ack(t + 60, true);
        cv.fin(t + 1 * kMs, true);
        cv.ack(t + 1 * kMs + rtt, false);
        break;
    }
    case Kind::kPmtuBlackhole: {
        t = cv.handshake(t, rtt);
        t = cv.send(t + r.range(1, 10) * kMs, true, std::string_view(cb));
        cv.ack(t + rtt, false);
        t = cv.send(t + rtt + r.range(2, 40) * kMs, false, std::string_view(sb));
        cv.ack(t + 20, true);
        Bytes ckex = kexinit(r, kClientKex, kClientHostKey, kClientCiphers, kClientMacs);
        const std::uint32_t seq0 = cv.c.nxt;
        const std::size_t first = static_cast<std::size_t>(cv.mss());
        // The full-size first segment vanishes on the path; the small tail arrives.
        cv.send(t + 200, true, ckex.data(), first, 15, false);
        cv.send(t + 215, true, ckex.data() + first, ckex.size() - first, 15, false);
        cv.ack(t + rtt, false);  // the server still acknowledges only the identification string
        Bytes skex = kexinit(r, kServerKex, kServerHostKey, kClientCiphers, kClientMacs);
        const Usec ts = cv.send(t + rtt + 3 * kMs, false, skex);
        cv.ack(ts + 40 * kMs, true);
        Usec rto = 200 * kMs;
        Usec at = t + 200;
        const int tries = static_cast<int>(r.range(3, 7));
        for (int i = 0; i < tries; ++i) {
            at += rto;
            rto *= 2;
            cv.tcp(at, true, ACK, seq0, cv.c.rcv, ckex.data(), first, Opts::kTs);
        }
        // The user gives up.
        cv.fin(at + r.range(1, 5) * kSec, true);
        break;
    }
    case Kind::kKexNoCommonKex:
    case Kind::kKexNoCommonCipher:
    case Kind::kKexDisconnect: {
        t = cv.handshake(t, rtt);
        t = cv.send(t + r.range(1, 10) * kMs, true, std::string_view(cb));
        cv.ack(t + rtt, false);
        t = cv.send(t + rtt + r.range(2, 40) * kMs, false, std::string_view(sb));
        cv.ack(t + 20, true);
        t = cv.send(t + 300, true, kexinit(r, kClientKex, kClientHostKey, kClientCiphers, kClientMacs));
        cv.ack(t + rtt / 2, false);
        const bool bad_kex = kind == Kind::kKexNoCommonKex, bad_cipher = kind == Kind::kKexNoCommonCipher;
        t = cv.send(t + rtt / 2 + 2 * kMs, false,
                    kexinit(r, bad_kex ? kLegacyKex : kServerKex, kServerHostKey, bad_cipher ? kLegacyCiphers : kClientCiphers, kClientMacs));
        if (kind == Kind::kKexDisconnect) {
            t = cv.send(t + 40 * kMs, true, kex_ecdh_init(r, false));
            Bytes d{1};
            append32(d, 3);
            append_string(d, "error in libcrypto");
            append_string(d, "");
            t = cv.send(t + rtt + 5 * kMs, false, ssh_packet(d, r));
            cv.close(t + 100, false, rtt);
        } else {
            // The client finds no common algorithm and closes.
            cv.ack(t + 20, true);
            cv.close(t + 300, true, rtt);
        }
        break;
    }
    case Kind::kProxyHttp403: {
        t = cv.handshake(t, rtt);
        const std::string host = target.text();
        const std::string req = "CONNECT " + host + ":22 HTTP/1.1\r\nHost: " + host + ":22\r\nUser-Agent: corkscrew\r\n\r\n";
        t = cv.send(t + 100, true, std::string_view(req));
        cv.ack(t + 100, false);
        const bool auth = r.chance(0.3);
        const std::string body = "<html><body><h1>" + std::string(auth ? "Proxy Authentication Required" : "Access Denied") + "</h1></body></html>\n";
        const std::string resp = std::string(auth ? "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"proxy\"\r\n"
                                                  : "HTTP/1.1 403 Forbidden\r\n") +
                                 "Server: squid/5.7\r\nContent-Type: text/html\r\nContent-Length: " + std::to_string(body.size()) +
                                 "\r\nConnection: close\r\n\r\n" + body;
        t = cv.send(t + r.range(1, 20) * kMs, false, std::string_view(resp));
        cv.fin(t + 20, false);
        cv.ack(t + 200, true);
        cv.rst(t + 400, true, true);
        break;
    }
    case Kind::kProxySocks5Refused: {
        t = cv.handshake(t, rtt);
        t = cv.send(t + 100, true, Bytes{0x05, 0x01, 0x00});
        t = cv.send(t + rtt, false, Bytes{0x05, 0x00});
        Bytes req{0x05, 0x01, 0x00, 0x01};
        req.insert(req.end(), target.addr.begin(), target.addr.begin() + 4);
        append16(req, 22);
        t = cv.send(t + 50, true, req);
        t = cv.send(t + rtt, false, Bytes{0x05, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0});
        cv.fin(t + 30, false);
        cv.rst(t + 200, true, true);
        break;
    }
    case Kind::kBruteForce:
        ssh_brute_force(cv, t, rtt, cb, sb);
        break;
    case Kind::kScannerSyn:
        // A scanner's single SYN to an address where nothing answers.
        cv.syn(t);
        break;
    case Kind::kScannerSynClosed:
        // A scanner's single SYN to a VM without sshd: the VM's RST+ACK.
        cv.syn(t);
        cv.s.rcv = cv.c.isn + 1;
        cv.s.nxt = 0;
        cv.rst(t + 80, false, true);
        break;
    case Kind::kScannerSynAckRst:
        // A stateless SYN scanner (masscan, zmap): one SYN, the server's SYN-ACK, the scanner's
        // kernel resets the connection it never opened.
        cv.syn(t);
        cv.synack(t + 70);
        cv.c.rcv = cv.s.isn + 1;
        cv.rst(t + 70 + rtt, true, false);
        break;
    case Kind::kBannerGrab:
        // A banner grabber: connects, reads the server's identification string, closes.
        t = cv.handshake(t, rtt);
        t = cv.send(t + 2 * kMs, false, std::string_view(sb));
        cv.ack(t + rtt, true);
        cv.close(t + rtt + 200, true, rtt);
        break;
    case Kind::kCount: break;
    }
    cv.finish();
    const KindInfo& info = kKinds[ki];
    ++truth_[info.cause];
    attempts_.push_back(Attempt{kind, cl.endpoint(cport), sv.endpoint(sport), static_cast<double>(cv.out.front().t) / 1e6});
    add_packets(std::move(cv.out));
}

// ---- main loop ------------------------------------------------------------------------------

void Generator::run() {
    // Global header: pcap 2.4, microseconds, snap length 262144, Ethernet.
    std::uint8_t gh[24] = {};
    const std::uint32_t magic = 0xa1b2c3d4, snap = 262144, link = 1;
    const std::uint16_t major = 2, minor = 4;
    std::memcpy(gh, &magic, 4);
    std::memcpy(gh + 4, &major, 2);
    std::memcpy(gh + 6, &minor, 2);
    std::memcpy(gh + 16, &snap, 4);
    std::memcpy(gh + 20, &link, 4);
    buf_.append(reinterpret_cast<const char*>(gh), 24);
    written_ = 24;

    for (std::uint32_t i = 1; i <= 250; ++i) web4_.push_back(make_host(false, 0x0a00 + i, 1, 64 - static_cast<int>(rng_.range(3, 16))));
    for (std::uint32_t i = 1; i <= 60; ++i) web6_.push_back(make_host(true, 0x3000 + i, 2, 64 - static_cast<int>(rng_.range(3, 16))));

    // Mean arrivals per second of each class, for the byte shares: bulk ~60 %, short web ~12 %,
    // media ~14 %, DNS ~8 %, probes ~0.5 %, SSH attempts ~3 %, pings the rest.
    struct Class {
        double per_sec;
        Usec next;
        int which;
    };
    // The mean transfer size, by sampling the distribution spawn_bulk draws from (with its own
    // generator, so that the capture's random stream does not depend on it).
    double bulk_mean = 0;
    {
        Rng est(12345);
        for (int i = 0; i < 20000; ++i) bulk_mean += bulk_size(est);
        bulk_mean = bulk_mean / 20000 * 1.06;  // with headers and ACKs
    }
    const double short_mean = 13.5e3, media_mean = 100 * 396.0, dns_mean = 2 * 110 + 32;
    std::vector<Class> classes = {
        {0.60 * rate_ / bulk_mean, 0, 0}, {0.12 * rate_ / short_mean, 0, 1}, {0.14 * rate_ / media_mean, 0, 2},
        {0.08 * rate_ / dns_mean, 0, 3},  {probe_rate_, 0, 4},                 {2.0, 0, 5},
    };
    for (auto& c : classes) c.next = static_cast<Usec>(rng_.exponential(1e6 / c.per_sec));
    // Transfers already under way when the capture started.
    for (int i = 0; i < 3; ++i) spawn_bulk(static_cast<Usec>(i) * 1000, true);

    const double per_attempt = static_cast<double>(target_) * 0.85 / static_cast<double>(std::max<std::int64_t>(attempts_total_, 1));
    bool spawning = true;
    Usec now = 0;
    for (;;) {
        // Next spawn (if still spawning) or next packet, whichever is earlier.
        Class* next_class = nullptr;
        if (spawning)
            for (auto& c : classes)
                if (!next_class || c.next < next_class->next) next_class = &c;
        const bool have_pkt = !heap_.empty();
        if (!next_class && !have_pkt) {
            if (attempts_done_ < attempts_total_) {  // (tiny targets) the rest of the attempts
                spawn_attempt(last_ts_ + 1000 + rng_.range(0, 999));
                ++attempts_done_;
                continue;
            }
            break;
        }
        if (next_class && (!have_pkt || next_class->next <= heap_.top().t)) {
            now = next_class->next;
            switch (next_class->which) {
            case 0: spawn_bulk(now); break;
            case 1: spawn_short(now); break;
            case 2: spawn_media(now); break;
            case 3: spawn_dns(now); break;
            case 4: spawn_probe(now); break;
            case 5: spawn_misc(now); break;
            }
            next_class->next = now + std::max<Usec>(1, static_cast<Usec>(rng_.exponential(1e6 / next_class->per_sec)));
            if (committed_ >= target_) spawning = false;
            continue;
        }
        HeapItem top = heap_.top();
        // SSH attempts are spread evenly over the bytes written: attempt i starts once i/N of
        // the target is written (all of them before the end).
        if (attempts_done_ < attempts_total_ && static_cast<double>(written_) >= per_attempt * static_cast<double>(attempts_done_)) {
            spawn_attempt(std::max(now, top.t) + rng_.range(0, 999));
            ++attempts_done_;
            continue;
        }
        heap_.pop();
        Source* s = top.s;
        Pkt p = std::move(s->q.front());
        s->q.pop_front();
        write_packet(p.t, p.frame);
        if (s->refill()) {
            heap_.push(HeapItem{s->q.front().t, s->id, s});
        } else {
            live_.erase(s->id);
        }
    }
    flush();
}

void Generator::write_truth(FILE* f) const {
    std::fprintf(f, "{");
    bool first = true;
    for (const auto& [cause, n] : truth_) {
        std::fprintf(f, "%s\n  \"%s\": %lld", first ? "" : ",", cause.c_str(), static_cast<long long>(n));
        first = false;
    }
    std::fprintf(f, "\n}\n");
}

void Generator::write_manifest(FILE* f) const {
    std::fprintf(f, "kind\tcause\tclient\tserver\tstart_s\n");
    for (const auto& a : attempts_) {
        const KindInfo& k = kKinds[static_cast<std::size_t>(a.kind)];
        std::fprintf(f, "%s\t%s\t%s\t%s\t%.6f\n", k.name, k.cause, a.client.c_str(), a.server.c_str(), a.start);
    }
}

void Generator::report(FILE* f) const {
    std::fprintf(f, "gen: %llu bytes, %llu packets, %.1f s of traffic, %llu TCP connections, %llu UDP exchanges, %zu SSH attempts\n",
                 static_cast<unsigned long long>(written_), static_cast<unsigned long long>(packets_), static_cast<double>(last_ts_) / 1e6,
                 static_cast<unsigned long long>(tcp_flows_), static_cast<unsigned long long>(udp_flows_), attempts_.size());
}

bool parse_size(const std::string& s, std::uint64_t& out) {
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || v <= 0) return false;
    std::string unit(end);
    double mult = 1;
    if (unit.empty() || unit == "B") mult = 1;
    else if (unit == "K" || unit == "k" || unit == "KB" || unit == "kB") mult = 1e3;
    else if (unit == "M" || unit == "MB") mult = 1e6;
    else if (unit == "G" || unit == "GB") mult = 1e9;
    else if (unit == "T" || unit == "TB") mult = 1e12;
    else if (unit == "Ki" || unit == "KiB") mult = 1024.0;
    else if (unit == "Mi" || unit == "MiB") mult = 1024.0 * 1024;
    else if (unit == "Gi" || unit == "GiB") mult = 1024.0 * 1024 * 1024;
    else return false;
    out = static_cast<std::uint64_t>(v * mult);
    return true;
}

constexpr const char* kUsage =
    "Usage: gen [--size SIZE] [--seed N] [--mix sparse|dense] [--attempts N] [-o FILE|-] [--truth FILE] [--manifest FILE] [--quiet]\n"
    "\n"
    "Writes a deterministic pcap (Ethernet, some 802.1Q, IPv4 and IPv6) of about SIZE bytes\n"
    "(K, M, G, T: powers of 1000; Ki, Mi, Gi: powers of 1024; default 1G) to FILE or standard output,\n"
    "with SSH attempts of every kind sshpath's rules know, drowned in unrelated traffic.\n"
    "  --seed N        the random seed (default 1); same size and seed, same bytes\n"
    "  --mix MIX       sparse (default): a capture on a busy client network, every kind of\n"
    "                  failure; dense: a capture on a server network (a bastion host and a subnet\n"
    "                  of VMs, as on a mirror port), remote clients, brute-force bots and scanners\n"
    "  --attempts N    number of SSH attempts (default: 300 per GB sparse, 30000 per GB dense, at\n"
    "                  least 100; every 100 attempts hold every kind of the mix, in proportion to its weight)\n"
    "  --truth FILE    write the expected per-cause counts as JSON {cause: count}\n"
    "  --manifest FILE write one line per attempt: kind, cause, client, server, start time\n"
    "  --kinds A,B     generate only these kinds of attempt (for testing the generator)\n"
    "  --probe-rate R  short connections to closed ports and health checks per second (default 120)\n"
    "  --list-kinds    print the attempt kinds, their causes and their weights (sparse, dense)\n";

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t size = 1000000000ULL, seed = 1;
    std::int64_t attempts = -1;
    std::string out = "-", truth, manifest;
    bool quiet = false;
    double probe_rate = 120;
    std::string mix = "sparse";
    std::vector<bool> enabled(std::size(kKinds), true);
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "gen: %s needs a value\n%s", a.c_str(), kUsage);
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--size") {
            if (!parse_size(value(), size)) {
                std::fprintf(stderr, "gen: bad --size\n");
                return 2;
            }
        } else if (a == "--seed") {
            seed = std::strtoull(value().c_str(), nullptr, 10);
        } else if (a == "--attempts") {
            attempts = std::strtoll(value().c_str(), nullptr, 10);
        } else if (a == "-o" || a == "--output") {
            out = value();
        } else if (a == "--truth") {
            truth = value();
        } else if (a == "--manifest") {
            manifest = value();
        } else if (a == "--kinds") {
            // Comma-separated kind names (see --list-kinds): only these attempts.
            const std::string list = value();
            std::fill(enabled.begin(), enabled.end(), false);
            std::size_t start = 0;
            while (start <= list.size()) {
                std::size_t comma = list.find(',', start);
                if (comma == std::string::npos) comma = list.size();
                const std::string name = list.substr(start, comma - start);
                bool found = false;
                for (std::size_t k = 0; k < std::size(kKinds); ++k)
                    if (name == kKinds[k].name) enabled[k] = found = true;
                if (!found) {
                    std::fprintf(stderr, "gen: unknown kind '%s' (see --list-kinds)\n", name.c_str());
                    return 2;
                }
                start = comma + 1;
            }
        } else if (a == "--mix") {
            mix = value();
            if (mix != "sparse" && mix != "dense") {
                std::fprintf(stderr, "gen: --mix is sparse or dense\n");
                return 2;
            }
        } else if (a == "--probe-rate") {
            probe_rate = std::strtod(value().c_str(), nullptr);
        } else if (a == "--quiet" || a == "-q") {
            quiet = true;
        } else if (a == "--list-kinds") {
            for (const auto& k : kKinds) std::printf("%-30s %-22s %3d %3d\n", k.name, k.cause, k.weight, k.dense_weight);
            return 0;
        } else if (a == "-h" || a == "--help") {
            std::fputs(kUsage, stdout);
            return 0;
        } else {
            std::fprintf(stderr, "gen: unknown argument '%s'\n%s", a.c_str(), kUsage);
            return 2;
        }
    }
    FILE* f = out == "-" ? stdout : std::fopen(out.c_str(), "wb");
    if (!f) {
        std::perror(out.c_str());
        return 1;
    }
    if (f == stdout && isatty(fileno(stdout))) {
        std::fprintf(stderr, "gen: refusing to write a capture to a terminal (use -o FILE or a pipe)\n");
        return 2;
    }
    Generator g(seed, size, attempts, f, enabled, mix == "dense");
    g.probe_rate_ = probe_rate;
    g.run();
    if (f != stdout) std::fclose(f);
    else std::fflush(stdout);
    auto write_to = [](const std::string& path, auto fn) {
        FILE* t = std::fopen(path.c_str(), "w");
        if (!t) {
            std::perror(path.c_str());
            std::exit(1);
        }
        fn(t);
        std::fclose(t);
    };
    if (!truth.empty()) write_to(truth, [&](FILE* t) { g.write_truth(t); });
    if (!manifest.empty()) write_to(manifest, [&](FILE* t) { g.write_manifest(t); });
    if (!quiet) g.report(stderr);
    return 0;
}
