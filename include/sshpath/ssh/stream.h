#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sshpath/ssh/host_key.h"
#include "sshpath/ssh/ssh.h"

namespace sshpath::ssh {

/// What one direction of an SSH conversation showed, read from its reassembled byte stream
/// (after any proxy handshake).
struct DirectionView {
    std::vector<std::string> pre_banner_lines;   ///< lines before the identification string (printable form)
    std::optional<Banner> banner;
    std::size_t banner_end = 0;                  ///< stream offset just after the identification line
    std::string first_line;                      ///< first line of the stream (printable, <= 120 chars)
    std::string first_bytes;                     ///< classify_first_bytes() of the stream
    std::optional<KexInit> kexinit;
    std::size_t kexinit_end = 0;                 ///< stream offset after the KEXINIT packet
    std::optional<Disconnect> disconnect;
    std::size_t disconnect_end = 0;
    std::vector<std::uint8_t> message_types;     ///< message numbers of clear-text packets, in order
    bool newkeys = false;                        ///< SSH_MSG_NEWKEYS seen (what follows is encrypted)
    bool kex_messages = false;                   ///< a key-exchange message (30..49) seen after KEXINIT
    std::optional<HostKey> host_key;             ///< the server's host key, from its key-exchange reply (31 or 33)
    bool data_after_banner = false;              ///< any byte after the identification line
    bool too_many_lines = false;                 ///< more than 1024 lines before an identification string
    bool overlong_line = false;                  ///< a line over 8192 bytes before the identification string
};

/// Reads one direction. `is_server` allows lines before the identification string (a client
/// must start with it, RFC 4253 4.2). `binary_packets` false skips the SSH-2 binary packet
/// layer (for an SSH-1 conversation, whose packets have another format). `details` false reads
/// only how far the direction got: where the identification string ends and its protocol version
/// (its other parts left empty), the message numbers and NEWKEYS (no lines before it, first line,
/// KEXINIT, DISCONNECT or host key).
DirectionView read_direction(Bytes stream, bool is_server, bool binary_packets = true, bool details = true);

/// True when the two identification strings lead to protocol 1 (one side speaks only 1.x).
bool is_ssh1_conversation(const Banner& client, const Banner& server);


// Field list for temporary files (sshpath/core/archive.h).
template <typename Ar>
void field(Ar& ar, DirectionView& v) {
    fields(ar, v.pre_banner_lines, v.banner, v.banner_end, v.first_line, v.first_bytes, v.kexinit, v.kexinit_end,
           v.disconnect, v.disconnect_end, v.message_types, v.newkeys, v.kex_messages, v.host_key, v.data_after_banner,
           v.too_many_lines, v.overlong_line);
}

}  // namespace sshpath::ssh
