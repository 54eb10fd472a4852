#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <type_traits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/core/archive.h"

/// SSH protocol pieces readable in the clear (RFC 4253): identification strings, the binary
/// packets before NEWKEYS (KEXINIT, DISCONNECT), and the proxy handshakes that may precede them.
namespace sshpath::ssh {

using Bytes = std::span<const std::uint8_t>;

/// Result of checking an identification string against RFC 4253 4.2.
struct Banner {
    std::string text;        ///< the line without CR LF (non-printable bytes escaped as \xNN)
    std::string proto_version;   ///< "2.0", "1.99", "1.5"
    std::string software_version;
    std::string comments;
    bool valid = false;
    std::string problem;     ///< why not valid (e.g. "longer than 255 characters", "no CR before LF")
};

/// Checks one line (without its LF; a trailing CR is expected and removed) as an identification string.
Banner parse_banner(std::string_view line);

/// An SSH name-list (RFC 4251 5): names separated by commas, kept as one string (one
/// allocation however many names) and split when read. Empty names are dropped. Lists met
/// before are shared, not copied: the thousands of sessions of a server's capture send a handful
/// of distinct lists (the first few hundred the process meets are remembered, each with a number).
class NameList {
public:
    NameList() = default;
    NameList(std::initializer_list<std::string_view> names);
    /// The list as sent: names separated by commas (empty names are dropped).
    static NameList from_text(std::string_view text);

    /// The names joined by commas.
    const std::string& text() const { return text_ ? *text_ : empty_text(); }
    bool empty() const { return text().empty(); }
    std::size_t size() const;
    std::string_view front() const { return at(0); }
    /// The i-th name; throws std::out_of_range past the end.
    std::string_view at(std::size_t i) const;
    bool contains(std::string_view name) const;
    /// The first of these names that `offered` holds too (RFC 4253 7.1's choice, this list
    /// being the client's), or "" when none. Remembered per pair of remembered lists: a server's
    /// capture negotiates the same few pairs thousands of times.
    std::string_view first_common(const NameList& offered) const;
    /// Calls f(std::string_view) for each name, in order.
    template <class F>
    void for_each(F&& f) const {
        std::string_view rest = text();
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            f(rest.substr(0, comma));
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    std::vector<std::string> names() const;
    bool operator==(const NameList& o) const { return text() == o.text(); }

    // In the process's temporary files, a remembered list is written as its number, any other
    // as its text; read back, the number is the same list again (sshpath::Error when no list has it).
    friend void field(archive::Out& ar, NameList& v);
    friend void field(archive::In& ar, NameList& v);

private:
    static constexpr std::uint32_t kUnlisted = UINT32_MAX;  ///< not among the remembered lists
    static const std::string& empty_text();
    std::shared_ptr<const std::string> text_;
    std::uint32_t number_ = kUnlisted;  ///< its number among the remembered lists
};

/// The algorithm name-lists of a KEXINIT (RFC 4253 7.1).
struct KexInit {
    NameList kex, host_key, cipher_c2s, cipher_s2c, mac_c2s, mac_s2c, compression_c2s, compression_s2c;
    bool first_kex_packet_follows = false;
};

/// Parses the payload of an SSH_MSG_KEXINIT (starting at the message number byte 20).
/// Returns nullopt when the payload is too short or a name-list overruns it.
std::optional<KexInit> parse_kexinit(Bytes payload);

/// The negotiated algorithms: for each category, the first client algorithm the server also offers.
struct Negotiated {
    std::string kex, host_key, cipher, mac, compression;  ///< client-to-server direction; "" when none common
    std::string no_common;   ///< first category with no common algorithm ("kex", "host_key", "cipher", "mac", "compression") or ""
};
Negotiated negotiate(const KexInit& client, const KexInit& server);

/// SSH_MSG_DISCONNECT (RFC 4253 11.1).
struct Disconnect {
    std::uint32_t reason = 0;
    std::string description;
};
std::optional<Disconnect> parse_disconnect(Bytes payload);

/// Name of a disconnect reason code ("protocol error", "key exchange failed", ...).
std::string_view disconnect_reason_name(std::uint32_t code);

/// Classifies the first bytes a server sent: "ssh", "http", "tls", "text", "binary" or "" (empty).
std::string classify_first_bytes(Bytes data);

/// Printable form of bytes for reports: non-printable as \xNN, at most max_len characters.
std::string printable(std::string_view s, std::size_t max_len = 120);

// ----- proxies -----

enum class ProxyKind { kNone, kHttpConnect, kSocks4, kSocks5 };
std::string_view proxy_kind_name(ProxyKind k);  ///< "", "http-connect", "socks4", "socks5"

/// What the client asked a proxy for. `consumed` is the number of request bytes (the SSH
/// stream starts after them). complete=false: looks like the start of a request, more bytes needed.
struct ProxyRequest {
    ProxyKind kind = ProxyKind::kNone;
    bool complete = false;
    std::size_t consumed = 0;
    std::string target_host;
    int target_port = -1;
};
/// Recognises an HTTP CONNECT, SOCKS4/4a or SOCKS5 request at the start of the client's stream.
ProxyRequest parse_proxy_request(Bytes client_stream);

/// The proxy's answer.
struct ProxyReply {
    bool complete = false;
    std::size_t consumed = 0;
    bool granted = false;
    int status = -1;          ///< HTTP status code, SOCKS4 CD or SOCKS5 REP
    std::string text;         ///< status line or meaning of the code
};
/// Parses the proxy's reply at the start of the server's stream for a request of this kind.
ProxyReply parse_proxy_reply(ProxyKind kind, Bytes server_stream);


// Field lists for temporary files (sshpath/core/archive.h).
using archive::field;
using archive::fields;

template <typename Ar>
void field(Ar& ar, Banner& v) {
    fields(ar, v.text, v.proto_version, v.software_version, v.comments, v.valid, v.problem);
}

template <typename Ar>
void field(Ar& ar, KexInit& v) {
    fields(ar, v.kex, v.host_key, v.cipher_c2s, v.cipher_s2c, v.mac_c2s, v.mac_s2c, v.compression_c2s,
           v.compression_s2c, v.first_kex_packet_follows);
}

template <typename Ar>
void field(Ar& ar, Disconnect& v) {
    fields(ar, v.reason, v.description);
}

template <typename Ar>
void field(Ar& ar, Negotiated& v) {
    fields(ar, v.kex, v.host_key, v.cipher, v.mac, v.compression, v.no_common);
}

template <typename Ar>
void field(Ar& ar, ProxyRequest& v) {
    fields(ar, v.kind, v.complete, v.consumed, v.target_host, v.target_port);
}

template <typename Ar>
void field(Ar& ar, ProxyReply& v) {
    fields(ar, v.complete, v.consumed, v.granted, v.status, v.text);
}

}  // namespace sshpath::ssh
