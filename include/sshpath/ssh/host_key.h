#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/core/archive.h"
#include "sshpath/ssh/ssh.h"

/// The server's host key, which travels in the clear in its key-exchange reply, and the
/// fingerprint OpenSSH prints for it.
namespace sshpath::ssh {

/// A public key blob (RFC 4253 6.6): string key type, then the key's own fields.
struct HostKey {
    std::vector<std::uint8_t> blob;
    std::string type;   ///< the blob's key type: "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", ...
};

/// K_S, the first field of a server's key-exchange reply: SSH_MSG_KEXDH_REPLY and
/// SSH_MSG_KEX_ECDH_REPLY (31, RFC 4253 8, RFC 5656 4, and the hybrid methods) or
/// SSH_MSG_KEX_DH_GEX_REPLY (33, RFC 4419 3). `payload` starts at the message number. nullopt
/// for any other message, including SSH_MSG_KEX_DH_GEX_GROUP, which reuses number 31 but starts
/// with the mpint p instead of a key blob.
std::optional<HostKey> parse_kex_reply_host_key(Bytes payload);

/// The key type named at the start of a blob, or "" when the blob does not start with one.
std::string key_blob_type(Bytes blob);

/// SHA-256 (FIPS 180-4) of the bytes.
std::array<std::uint8_t, 32> sha256(Bytes data);

/// "SHA256:" and the unpadded base64 of the blob's SHA-256, as `ssh-keygen -l` and ssh print it.
std::string sha256_fingerprint(Bytes blob);

/// Base64 (RFC 4648), with or without '=' padding.
std::string base64_encode(Bytes data, bool pad = true);
/// Decodes base64 (padding optional); nullopt on any other character.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

// Field list for temporary files (sshpath/core/archive.h).
template <typename Ar>
void field(Ar& ar, HostKey& v) {
    archive::fields(ar, v.blob, v.type);
}

}  // namespace sshpath::ssh
