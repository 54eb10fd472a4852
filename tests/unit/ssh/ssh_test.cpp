#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "sshpath/core/archive.h"
#include "sshpath/core/error.h"
#include "sshpath/ssh/ssh.h"
#include "sshpath/ssh/stream.h"

using namespace sshpath::ssh;

namespace {

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

void put32(std::vector<std::uint8_t>& b, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(v >> shift));
}

void put_string(std::vector<std::uint8_t>& b, std::string_view s) {
    put32(b, static_cast<std::uint32_t>(s.size()));
    b.insert(b.end(), s.begin(), s.end());
}

std::vector<std::uint8_t> kexinit_payload(std::string_view kex, std::string_view hostkey, std::string_view cipher,
                                          std::string_view mac = "hmac-sha2-256", std::string_view comp = "none") {
    std::vector<std::uint8_t> p{20};
    p.insert(p.end(), 16, 0xaa);  // cookie
    for (auto s : {kex, hostkey, cipher, cipher, mac, mac, comp, comp, std::string_view(), std::string_view()}) put_string(p, s);
    p.push_back(0);
    put32(p, 0);
    return p;
}

// Wraps a payload in an unencrypted binary packet (RFC 4253 6).
std::vector<std::uint8_t> packet(const std::vector<std::uint8_t>& payload) {
    std::uint8_t padding = static_cast<std::uint8_t>(8 - (payload.size() + 5) % 8);
    if (padding < 4) padding += 8;
    std::vector<std::uint8_t> p;
    put32(p, static_cast<std::uint32_t>(payload.size() + padding + 1));
    p.push_back(padding);
    p.insert(p.end(), payload.begin(), payload.end());
    p.insert(p.end(), padding, 0);
    return p;
}

}  // namespace

TEST(BannerTest, AcceptsRfcIdentificationString) {
    Banner b = parse_banner("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6\r");
    EXPECT_TRUE(b.valid) << b.problem;
    EXPECT_EQ(b.proto_version, "2.0");
    EXPECT_EQ(b.software_version, "OpenSSH_9.2p1");
    EXPECT_EQ(b.comments, "Debian-2+deb12u6");
    EXPECT_EQ(b.text, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6");
}

TEST(BannerTest, FlagsMissingCarriageReturn) {
    Banner b = parse_banner("SSH-2.0-paramiko_1.15.2");
    EXPECT_FALSE(b.valid);
    EXPECT_EQ(b.problem, "ends with LF only, not CR LF");
    EXPECT_EQ(b.software_version, "paramiko_1.15.2");
}

TEST(BannerTest, FlagsOverlongLine) {
    std::string line = "SSH-2.0-" + std::string(260, 'x') + "\r";
    EXPECT_EQ(parse_banner(line).problem, "longer than 255 characters");
}

TEST(BannerTest, RejectsNonSshLine) {
    Banner b = parse_banner("HTTP/1.1 400 Bad Request\r");
    EXPECT_FALSE(b.valid);
    EXPECT_TRUE(b.proto_version.empty());
}

TEST(KexInitTest, NegotiatesFirstClientChoiceServerOffers) {
    auto c = parse_kexinit(kexinit_payload("sntrup761x25519-sha512@openssh.com,curve25519-sha256,ext-info-c", "ssh-ed25519,rsa-sha2-512",
                                           "chacha20-poly1305@openssh.com,aes128-ctr"));
    auto s = parse_kexinit(kexinit_payload("curve25519-sha256,diffie-hellman-group14-sha256,kex-strict-s-v00@openssh.com",
                                           "rsa-sha2-512,ssh-ed25519", "aes128-ctr,chacha20-poly1305@openssh.com"));
    ASSERT_TRUE(c && s);
    Negotiated n = negotiate(*c, *s);
    EXPECT_EQ(n.kex, "curve25519-sha256");
    EXPECT_EQ(n.host_key, "ssh-ed25519");
    EXPECT_EQ(n.cipher, "chacha20-poly1305@openssh.com");
    EXPECT_EQ(n.no_common, "");
}

TEST(KexInitTest, ReportsCategoryWithoutCommonAlgorithm) {
    auto c = parse_kexinit(kexinit_payload("diffie-hellman-group1-sha1", "ssh-ed25519", "aes128-ctr"));
    auto s = parse_kexinit(kexinit_payload("curve25519-sha256", "ssh-ed25519", "aes128-ctr"));
    ASSERT_TRUE(c && s);
    EXPECT_EQ(negotiate(*c, *s).no_common, "kex");
}

TEST(KexInitTest, RejectsTruncatedPayload) {
    auto p = kexinit_payload("curve25519-sha256", "ssh-ed25519", "aes128-ctr");
    for (std::size_t n = 0; n + 5 < p.size(); ++n)  // the trailing reserved uint32 is optional
        EXPECT_FALSE(parse_kexinit(std::span(p.data(), n)).has_value()) << n;
    // A name-list length far beyond the payload.
    std::vector<std::uint8_t> bad{20};
    bad.insert(bad.end(), 16, 0);
    put32(bad, 0xfffffff0u);
    EXPECT_FALSE(parse_kexinit(bad).has_value());
}

// A KEXINIT met before (the same lists, another cookie) reads as it did the first time; one that
// differs after the cookie, even in its last byte, reads as itself; a cut one stays unreadable.
TEST(KexInitTest, AMessageMetAgainReadsTheSame) {
    const auto lists = [](const KexInit& k) {
        return std::vector<std::string>{k.kex.text(),     k.host_key.text(),        k.cipher_c2s.text(),
                                        k.cipher_s2c.text(), k.mac_c2s.text(),      k.mac_s2c.text(),
                                        k.compression_c2s.text(), k.compression_s2c.text()};
    };
    auto p = kexinit_payload("mlkem768x25519-sha256,curve25519-sha256", "ssh-ed25519", "aes256-gcm@openssh.com",
                             "hmac-sha2-512", "none,zlib@openssh.com");
    const auto first = parse_kexinit(p);
    ASSERT_TRUE(first);
    EXPECT_FALSE(first->first_kex_packet_follows);
    for (std::uint8_t cookie : {0x00, 0x17, 0xff}) {
        std::fill(p.begin() + 1, p.begin() + 17, cookie);
        const auto again = parse_kexinit(p);
        ASSERT_TRUE(again);
        EXPECT_EQ(lists(*again), lists(*first));
        EXPECT_FALSE(again->first_kex_packet_follows);
    }
    auto follows = p;
    follows[follows.size() - 5] = 1;  // first_kex_packet_follows, before the reserved uint32
    const auto guessed = parse_kexinit(follows);
    ASSERT_TRUE(guessed);
    EXPECT_TRUE(guessed->first_kex_packet_follows);
    EXPECT_EQ(lists(*guessed), lists(*first));
    auto other = p;
    other[17 + 4] = 'M';  // the first name's first byte
    const auto changed = parse_kexinit(other);
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->kex.front(), "Mlkem768x25519-sha256");
    for (int round = 0; round < 2; ++round)
        for (std::size_t n = 0; n + 5 < p.size(); ++n)
            EXPECT_FALSE(parse_kexinit(std::span(p.data(), n)).has_value()) << n << " round " << round;
}

TEST(StreamTest, ReadsPreBannerLinesBannerAndKexinit) {
    auto s = bytes("Welcome\r\nauthorised use only\r\nSSH-2.0-OpenSSH_9.2\r\n");
    auto k = packet(kexinit_payload("curve25519-sha256", "ssh-ed25519", "aes128-ctr"));
    s.insert(s.end(), k.begin(), k.end());
    DirectionView v = read_direction(s, true);
    ASSERT_TRUE(v.banner);
    EXPECT_EQ(v.banner->text, "SSH-2.0-OpenSSH_9.2");
    ASSERT_EQ(v.pre_banner_lines.size(), 2u);
    EXPECT_EQ(v.pre_banner_lines[0], "Welcome");
    EXPECT_EQ(v.first_line, "Welcome");
    ASSERT_TRUE(v.kexinit);
    EXPECT_EQ(v.kexinit->kex.front(), "curve25519-sha256");
    EXPECT_EQ(v.kexinit_end, s.size());
}

TEST(StreamTest, ClientMustStartWithIdentification) {
    DirectionView v = read_direction(bytes("hello\r\nSSH-2.0-x\r\n"), false);
    EXPECT_FALSE(v.banner);
    EXPECT_EQ(v.first_line, "hello");
}

TEST(StreamTest, ReadsDisconnectInTheClear) {
    auto s = bytes("SSH-2.0-OpenSSH_9.2\r\n");
    std::vector<std::uint8_t> d{1};
    put32(d, 3);
    put_string(d, "no matching key exchange method found");
    put_string(d, "");
    auto p = packet(d);
    s.insert(s.end(), p.begin(), p.end());
    DirectionView v = read_direction(s, true);
    ASSERT_TRUE(v.disconnect);
    EXPECT_EQ(v.disconnect->reason, 3u);
    EXPECT_EQ(v.disconnect->description, "no matching key exchange method found");
    EXPECT_EQ(disconnect_reason_name(3), "key exchange failed");
}

TEST(StreamTest, StopsAtNewkeys) {
    auto s = bytes("SSH-2.0-x\r\n");
    auto nk = packet({21});
    s.insert(s.end(), nk.begin(), nk.end());
    s.insert(s.end(), {0xff, 0xff, 0xff, 0xff, 0x01, 0x02});  // encrypted garbage
    DirectionView v = read_direction(s, true);
    EXPECT_TRUE(v.newkeys);
    EXPECT_EQ(v.message_types, std::vector<std::uint8_t>{21});
}

TEST(StreamTest, WithoutDetailsReadsOnlyHowFarItGot) {
    auto s = bytes("banner line\r\nSSH-2.0-x\r\n");
    for (const auto& body : {kexinit_payload("curve25519-sha256", "ssh-ed25519", "aes128-ctr"), std::vector<std::uint8_t>{21}}) {
        auto p = packet(body);
        s.insert(s.end(), p.begin(), p.end());
    }
    const DirectionView full = read_direction(s, true);
    const DirectionView brief = read_direction(s, true, true, false);
    ASSERT_TRUE(full.kexinit);
    EXPECT_TRUE(full.newkeys);
    EXPECT_EQ(full.pre_banner_lines.size(), 1u);
    EXPECT_TRUE(brief.newkeys);
    ASSERT_TRUE(brief.banner);
    EXPECT_EQ(brief.banner->proto_version, "2.0");
    EXPECT_TRUE(brief.banner->software_version.empty());
    EXPECT_TRUE(brief.banner->text.empty());
    EXPECT_EQ(brief.banner_end, full.banner_end);
    EXPECT_EQ(brief.message_types, full.message_types);
    EXPECT_FALSE(brief.kexinit);
    EXPECT_TRUE(brief.pre_banner_lines.empty());
    EXPECT_TRUE(brief.first_line.empty());
    // NEWKEYS cut to its first 4 bytes (of 16): neither sees it.
    s.resize(s.size() - 12);
    EXPECT_FALSE(read_direction(s, true).newkeys);
    EXPECT_FALSE(read_direction(s, true, true, false).newkeys);
}

TEST(StreamTest, WithoutDetailsFindsTheProtocolVersionAsParseBannerDoes) {
    // The version decides whether binary packets follow (SSH-2) or not (SSH-1, anything else).
    for (const char* line : {"SSH-2.0-OpenSSH_9.2", "SSH-1.99-Cisco-1.25", "SSH-1.5-x", "SSH-2.0", "SSH--x", "SSH-\x012.0-x",
                             "SSH-2.0-x y\tz", "SSH-", "SSH-3.0-x"}) {
        auto s = bytes(std::string(line) + "\r\n");
        auto nk = packet({21});
        s.insert(s.end(), nk.begin(), nk.end());
        const DirectionView full = read_direction(s, true);
        const DirectionView brief = read_direction(s, true, true, false);
        ASSERT_TRUE(full.banner && brief.banner) << line;
        EXPECT_EQ(brief.banner->proto_version, full.banner->proto_version) << line;
        EXPECT_EQ(brief.banner->proto_version, parse_banner(line).proto_version) << line;
        EXPECT_EQ(brief.newkeys, full.newkeys) << line;
        EXPECT_EQ(brief.message_types, full.message_types) << line;
    }
}

TEST(StreamTest, LimitsLinesBeforeIdentification) {
    std::string s;
    for (int i = 0; i < 1100; ++i) s += "x\r\n";
    DirectionView v = read_direction(bytes(s), true);
    EXPECT_TRUE(v.too_many_lines);
    EXPECT_FALSE(v.banner);
}

TEST(ClassifyTest, RecognisesProtocols) {
    EXPECT_EQ(classify_first_bytes(bytes("SSH-2.0-x\r\n")), "ssh");
    EXPECT_EQ(classify_first_bytes(bytes("HTTP/1.0 400 Bad Request\r\n")), "http");
    EXPECT_EQ(classify_first_bytes(std::vector<std::uint8_t>{0x16, 0x03, 0x01, 0x00}), "tls");
    EXPECT_EQ(classify_first_bytes(bytes("220 mail ESMTP\r\n")), "text");
    EXPECT_EQ(classify_first_bytes(std::vector<std::uint8_t>{0x00, 0x01, 0xfe}), "binary");
    EXPECT_EQ(classify_first_bytes({}), "");
}

TEST(ProxyTest, ParsesHttpConnectAndRefusal) {
    auto req = parse_proxy_request(bytes("CONNECT 203.0.113.7:22 HTTP/1.0\r\n\r\nSSH-2.0-x\r\n"));
    EXPECT_EQ(req.kind, ProxyKind::kHttpConnect);
    EXPECT_TRUE(req.complete);
    EXPECT_EQ(req.target_host, "203.0.113.7");
    EXPECT_EQ(req.target_port, 22);
    EXPECT_EQ(req.consumed, 35u);
    auto rep = parse_proxy_reply(ProxyKind::kHttpConnect, bytes("HTTP/1.0 403 Access violation\r\nServer: tinyproxy\r\n\r\n<html>"));
    EXPECT_TRUE(rep.complete);
    EXPECT_FALSE(rep.granted);
    EXPECT_EQ(rep.status, 403);
    EXPECT_EQ(rep.text, "HTTP/1.0 403 Access violation");
}

TEST(ProxyTest, ParsesIpv6ConnectTarget) {
    auto req = parse_proxy_request(bytes("CONNECT [2001:db8:4::7]:2222 HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(req.target_host, "2001:db8:4::7");
    EXPECT_EQ(req.target_port, 2222);
}

TEST(ProxyTest, ParsesSocks5RequestAndFailure) {
    std::vector<std::uint8_t> c{0x05, 0x01, 0x00, 0x05, 0x01, 0x00, 0x01, 203, 0, 113, 7, 0x00, 22};
    auto req = parse_proxy_request(c);
    EXPECT_EQ(req.kind, ProxyKind::kSocks5);
    EXPECT_TRUE(req.complete);
    EXPECT_EQ(req.target_host, "203.0.113.7");
    EXPECT_EQ(req.target_port, 22);
    std::vector<std::uint8_t> s{0x05, 0x00, 0x05, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
    auto rep = parse_proxy_reply(ProxyKind::kSocks5, s);
    EXPECT_TRUE(rep.complete);
    EXPECT_FALSE(rep.granted);
    EXPECT_EQ(rep.status, 2);
    EXPECT_EQ(rep.text, "connection not allowed by ruleset");
}

TEST(ProxyTest, ParsesSocks4aRequest) {
    std::vector<std::uint8_t> c{0x04, 0x01, 0x00, 22, 0, 0, 0, 1, 'u', 0, 'v', 'm', 0};
    auto req = parse_proxy_request(c);
    EXPECT_EQ(req.kind, ProxyKind::kSocks4);
    EXPECT_TRUE(req.complete);
    EXPECT_EQ(req.target_host, "vm");
    EXPECT_EQ(req.target_port, 22);
    auto rep = parse_proxy_reply(ProxyKind::kSocks4, std::vector<std::uint8_t>{0, 0x5b, 0, 0, 0, 0, 0, 0});
    EXPECT_FALSE(rep.granted);
    EXPECT_EQ(rep.status, 0x5b);
}

TEST(ProxyTest, IgnoresSshAndRandomBytes) {
    EXPECT_EQ(parse_proxy_request(bytes("SSH-2.0-OpenSSH\r\n")).kind, ProxyKind::kNone);
    EXPECT_EQ(parse_proxy_request(bytes("GET / HTTP/1.1\r\n")).kind, ProxyKind::kNone);
}

TEST(PrintableTest, EscapesControlBytes) {
    EXPECT_EQ(printable(std::string_view("a\x01" "b\tc", 5)), "a\\x01b\\tc");
    EXPECT_EQ(printable(std::string(200, 'x'), 10), std::string(10, 'x') + "...");
}

namespace sshpath::ssh {
namespace {

TEST(NameListTest, ContainsOnlyWholeNames) {
    const std::vector<std::string> lists = {"",
                                            "a",
                                            "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256",
                                            "aes128-ctr,aes128-gcm@openssh.com,aes256-ctr",
                                            "x,,y,",
                                            "ssh-ed25519-cert-v01@openssh.com,ssh-ed25519"};
    const std::vector<std::string> probes = {"",          "a",          "curve25519-sha256", "curve25519",   "sha256",
                                             "ecdh-sha2-nistp256", "nistp256", "aes128-ctr", "aes128",   "aes256-ctr",
                                             "x",         "y",          "x,y",               ",",            "ssh-ed25519",
                                             "ssh-ed25519-cert", "aes128-gcm@openssh.com", "c"};
    for (const auto& text : lists) {
        const NameList list = NameList::from_text(text);
        for (const auto& probe : probes) {
            bool expected = false;  // the names one by one
            list.for_each([&](std::string_view n) { expected = expected || n == probe; });
            EXPECT_EQ(list.contains(probe), expected) << "'" << text << "' contains '" << probe << "'";
        }
    }
    EXPECT_TRUE(NameList::from_text("aes128-ctr,aes128-gcm@openssh.com").contains("aes128-gcm@openssh.com"));
    EXPECT_FALSE(NameList::from_text("aes128-ctr2,xaes128-ctr").contains("aes128-ctr"));
}

// The first name of one list that the other holds: the same answer every time a pair is met
// again (remembered lists) as for lists too long to be remembered, and "" when none is common.
TEST(NameListTest, FirstCommonIsTheClientsFirstTheServerOffers) {
    const std::string long_tail = "," + std::string(5000, 'z');  // too long to be remembered
    struct Case {
        std::string client, server, first;
    };
    const std::vector<Case> cases = {
        {"curve25519-sha256,ecdh-sha2-nistp256", "ecdh-sha2-nistp256,curve25519-sha256", "curve25519-sha256"},
        {"ecdh-sha2-nistp256,curve25519-sha256", "curve25519-sha256,ecdh-sha2-nistp256", "ecdh-sha2-nistp256"},
        {"aes128-ctr,aes256-ctr", "aes256-ctr", "aes256-ctr"},
        {"aes128-ctr,aes256-ctr", "aes128-ctr2,xaes256-ctr", ""},
        {"aes128-ctr,aes256-ctr", "", ""},
        {"", "aes128-ctr", ""},
        {"x,,y,", "y", "y"},
        {"aes128-ctr,aes256-ctr" + long_tail, "aes256-ctr", "aes256-ctr"},
        {"aes128-ctr", "aes256-ctr,aes128-ctr" + long_tail, "aes128-ctr"},
    };
    for (int round = 0; round < 3; ++round) {
        for (const auto& c : cases) {
            const NameList client = NameList::from_text(c.client);
            const NameList server = NameList::from_text(c.server);
            EXPECT_EQ(client.first_common(server), c.first) << c.client.substr(0, 40) << " / " << c.server.substr(0, 40);
        }
    }
    // Another thread has a table of its own and finds the same.
    std::string elsewhere = "-";
    std::thread([&] {
        elsewhere = std::string(NameList::from_text(cases[0].client).first_common(NameList::from_text(cases[0].server)));
    }).join();
    EXPECT_EQ(elsewhere, cases[0].first);
}

// In a temporary file a list met before is its number, any other its text; both read back as the
// same list, on any thread, and a number no list has is an error, not a crash.
TEST(NameListTest, ComesBackFromARecordAsTheSameList) {
    const std::string long_list = std::string(5000, 'k');  // too long to be remembered: written as text
    const std::vector<std::string> lists = {"", "aes128-ctr,aes256-ctr", "x,,y,", long_list};
    for (const auto& text : lists) {
        NameList list = NameList::from_text(text);
        const std::vector<char> bytes = archive::to_bytes(list);
        const bool remembered = !list.empty() && text.size() <= 4096;  // the number alone
        EXPECT_EQ(bytes.size() == sizeof(std::uint32_t), remembered) << text.substr(0, 20);
        NameList back = NameList::from_text("something,else");
        archive::from_bytes(std::span<const char>(bytes), back);
        EXPECT_EQ(back.text(), list.text());
        NameList elsewhere;
        std::thread([&] { archive::from_bytes(std::span<const char>(bytes), elsewhere); }).join();
        EXPECT_EQ(elsewhere, list);
        const std::vector<char> again = archive::to_bytes(back);
        EXPECT_EQ(again, bytes);
    }
    std::vector<char> unknown(4, '\xee');  // a number far beyond the lists met
    NameList l;
    EXPECT_THROW(archive::from_bytes(std::span<const char>(unknown), l), Error);
}

}  // namespace
}  // namespace sshpath::ssh
