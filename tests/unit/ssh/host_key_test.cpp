#include "sshpath/ssh/host_key.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sshpath/ssh/stream.h"

using namespace sshpath::ssh;

namespace {

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

void put32(std::vector<std::uint8_t>& b, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(v >> shift));
}

void put_bytes(std::vector<std::uint8_t>& b, const std::vector<std::uint8_t>& s) {
    put32(b, static_cast<std::uint32_t>(s.size()));
    b.insert(b.end(), s.begin(), s.end());
}

std::string hex(const std::array<std::uint8_t, 32>& d) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (auto c : d) out += std::string{digits[c >> 4], digits[c & 15]};
    return out;
}

// A key made by `ssh-keygen -t ed25519`, and what `ssh-keygen -lf` printed for it.
constexpr const char* kEd25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIBPvB+FiJy1UY6ddPNHvbUsGkgTdZeMJqJMygv2Dp7/O";
constexpr const char* kEd25519Fingerprint = "SHA256:KAd8IkInCnuv+LPf1tj1lyT9hIGKiC/HtuHCXkuItZ0";

}  // namespace

TEST(Sha256Test, MatchesFipsVectors) {
    EXPECT_EQ(hex(sha256(bytes(""))), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(hex(sha256(bytes("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex(sha256(bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    std::vector<std::uint8_t> million(1000000, 'a');
    EXPECT_EQ(hex(sha256(million)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Base64Test, RoundTripsEveryLength) {
    EXPECT_EQ(base64_encode(bytes("f")), "Zg==");
    EXPECT_EQ(base64_encode(bytes("fo")), "Zm8=");
    EXPECT_EQ(base64_encode(bytes("foo")), "Zm9v");
    EXPECT_EQ(base64_encode(bytes("fo"), false), "Zm8");
    for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
        auto back = base64_decode(base64_encode(bytes(s)));
        ASSERT_TRUE(back.has_value()) << s;
        EXPECT_EQ(std::string(back->begin(), back->end()), s);
    }
    EXPECT_FALSE(base64_decode("Zm9v!").has_value());
    EXPECT_FALSE(base64_decode("Z").has_value());
}

TEST(HostKeyTest, FingerprintIsWhatSshKeygenPrints) {
    auto blob = base64_decode(kEd25519);
    ASSERT_TRUE(blob.has_value());
    EXPECT_EQ(key_blob_type(*blob), "ssh-ed25519");
    EXPECT_EQ(sha256_fingerprint(*blob), kEd25519Fingerprint);
}

TEST(HostKeyTest, ReadsTheKeyOfAnEcdhReply) {
    auto blob = *base64_decode(kEd25519);
    std::vector<std::uint8_t> reply{31};
    put_bytes(reply, blob);
    put_bytes(reply, std::vector<std::uint8_t>(32, 0x11));  // Q_S
    put_bytes(reply, std::vector<std::uint8_t>(83, 0x22));  // signature
    auto key = parse_kex_reply_host_key(reply);
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->type, "ssh-ed25519");
    EXPECT_EQ(key->blob, blob);
    reply[0] = 33;  // KEX_DH_GEX_REPLY has the same layout
    EXPECT_TRUE(parse_kex_reply_host_key(reply).has_value());
}

TEST(HostKeyTest, IgnoresTheGroupExchangeGroupMessage) {
    // SSH_MSG_KEX_DH_GEX_GROUP is also number 31: mpint p (positive, so a leading zero), mpint g.
    std::vector<std::uint8_t> p(257, 0xff);
    p[0] = 0;
    std::vector<std::uint8_t> group{31};
    put_bytes(group, p);
    put_bytes(group, {2});
    EXPECT_FALSE(parse_kex_reply_host_key(group).has_value());
    EXPECT_FALSE(parse_kex_reply_host_key(std::vector<std::uint8_t>{31, 0, 0}).has_value());
    EXPECT_FALSE(parse_kex_reply_host_key(std::vector<std::uint8_t>{30, 0, 0, 0, 0}).has_value());
}

TEST(HostKeyTest, ServerDirectionCarriesTheHostKey) {
    auto packet = [](const std::vector<std::uint8_t>& payload) {
        std::uint8_t padding = static_cast<std::uint8_t>(8 - (payload.size() + 5) % 8);
        if (padding < 4) padding += 8;
        std::vector<std::uint8_t> p;
        put32(p, static_cast<std::uint32_t>(payload.size() + padding + 1));
        p.push_back(padding);
        p.insert(p.end(), payload.begin(), payload.end());
        p.insert(p.end(), padding, 0);
        return p;
    };
    std::vector<std::uint8_t> kexinit{20};
    kexinit.insert(kexinit.end(), 16, 0xaa);
    for (int i = 0; i < 10; ++i) put_bytes(kexinit, bytes(i < 2 ? "curve25519-sha256" : "none"));
    kexinit.push_back(0);
    put32(kexinit, 0);
    std::vector<std::uint8_t> reply{31};
    put_bytes(reply, *base64_decode(kEd25519));
    put_bytes(reply, std::vector<std::uint8_t>(32, 0x11));
    put_bytes(reply, std::vector<std::uint8_t>(83, 0x22));
    std::vector<std::uint8_t> stream = bytes("SSH-2.0-OpenSSH_9.2\r\n");
    for (const auto& p : {packet(kexinit), packet(reply), packet({21})}) stream.insert(stream.end(), p.begin(), p.end());
    DirectionView server = read_direction(stream, true);
    ASSERT_TRUE(server.host_key.has_value());
    EXPECT_EQ(sha256_fingerprint(server.host_key->blob), kEd25519Fingerprint);
    DirectionView client = read_direction(stream, false);
    EXPECT_FALSE(client.host_key.has_value()) << "only the server sends its host key";
}
