#include "sshpath/ssh/stream.h"

#include <algorithm>

#include "sshpath/core/byte_order.h"

namespace sshpath::ssh {

namespace {

constexpr std::size_t kMaxPreBannerLines = 1024;  // OpenSSH's limit (ssh_exchange_identification)
constexpr std::size_t kMaxLineLength = 8192;
constexpr std::uint32_t kMaxPacketLength = 256 * 1024;  // RFC 4253 6.1 requires 35000; be lenient

bool is_ssh2(const Banner& b) { return b.proto_version == "2.0" || b.proto_version == "1.99"; }

// Of an identification string, only what decides how the bytes after it are read: the protocol
// version, as parse_banner() finds it.
Banner banner_version(std::string_view line) {
    Banner b;
    const std::string_view rest = line.substr(4);
    if (const auto dash = rest.find('-'); dash != std::string_view::npos)
        b.proto_version = printable(rest.substr(0, dash), std::string::npos);
    return b;
}

}  // namespace

DirectionView read_direction(Bytes stream, bool is_server, bool binary_packets, bool details) {
    DirectionView v;
    if (details) v.first_bytes = classify_first_bytes(stream);
    std::size_t pos = 0, lines = 0;
    while (pos < stream.size()) {
        auto begin = stream.begin() + static_cast<std::ptrdiff_t>(pos);
        auto lf = std::find(begin, stream.end(), std::uint8_t('\n'));
        std::size_t len = static_cast<std::size_t>(lf - begin);
        if (lf == stream.end()) {
            // An unterminated line: keep the first line's text for the report, nothing more.
            if (lines == 0 && details)
                v.first_line = printable(std::string_view(reinterpret_cast<const char*>(&*begin), len));
            if (len > kMaxLineLength) v.overlong_line = true;
            return v;
        }
        std::string_view line(reinterpret_cast<const char*>(&*begin), len);
        if (lines == 0 && details) {
            std::string_view shown = line;
            if (!shown.empty() && shown.back() == '\r') shown.remove_suffix(1);
            v.first_line = printable(shown);
        }
        ++lines;
        pos += len + 1;
        if (len > kMaxLineLength) v.overlong_line = true;
        if (line.substr(0, 4) == "SSH-") {
            v.banner = details ? parse_banner(line) : banner_version(line);
            v.banner_end = pos;
            break;
        }
        if (!is_server) break;  // a client must start with its identification string
        if (details && v.pre_banner_lines.size() < 64) {
            std::string_view shown = line;
            if (!shown.empty() && shown.back() == '\r') shown.remove_suffix(1);
            v.pre_banner_lines.push_back(printable(shown));
        }
        if (lines > kMaxPreBannerLines) {
            v.too_many_lines = true;
            return v;
        }
    }
    if (!v.banner) return v;
    v.data_after_banner = v.banner_end < stream.size();
    if (!binary_packets || !is_ssh2(*v.banner)) return v;

    // Binary packets (RFC 4253 6) until NEWKEYS: packet_length, padding_length, payload.
    pos = v.banner_end;
    // A key exchange is a handful of messages: room for them at once, not at each doubling.
    if (stream.size() - pos >= 6) v.message_types.reserve(16);
    while (!v.newkeys && stream.size() - pos >= 6) {
        std::uint32_t packet_length = be32(&stream[pos]);
        std::uint8_t padding = stream[pos + 4];
        if (packet_length < 2 || packet_length > kMaxPacketLength || padding + 1u > packet_length) break;
        std::size_t payload_len = packet_length - padding - 1;
        std::size_t avail = std::min<std::size_t>(payload_len, stream.size() - pos - 5);
        Bytes payload = stream.subspan(pos + 5, avail);
        std::uint8_t type = payload.empty() ? 0 : payload[0];
        v.message_types.push_back(type);
        bool whole = stream.size() - pos - 4 >= packet_length;
        if (!details) {
            v.newkeys = type == 21;
        } else if (type == 20 && !v.kexinit) {
            v.kexinit = parse_kexinit(payload);
            if (v.kexinit) v.kexinit_end = pos + 4 + packet_length;
        } else if (type == 1 && !v.disconnect) {
            v.disconnect = parse_disconnect(payload);
            if (v.disconnect) v.disconnect_end = pos + 4 + packet_length;
        } else if (type == 21) {
            v.newkeys = true;
        } else if (type >= 30 && type <= 49) {
            v.kex_messages = true;
            if (is_server && !v.host_key && whole) v.host_key = parse_kex_reply_host_key(payload);
        }
        if (!whole) break;
        pos += 4 + packet_length;
    }
    return v;
}

bool is_ssh1_conversation(const Banner& client, const Banner& server) {
    auto only_v1 = [](const Banner& b) { return !b.proto_version.empty() && b.proto_version[0] == '1' && b.proto_version != "1.99"; };
    return only_v1(client) || only_v1(server);
}

}  // namespace sshpath::ssh
