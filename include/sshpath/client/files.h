#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/ssh/host_key.h"

/// The user's ssh files: modes and owners against what OpenSSH refuses and what the guide
/// recommends, and the host keys known_hosts holds for a host.
namespace sshpath::client {

/// What stat() said about a file.
struct FileStat {
    std::string path;
    bool exists = false;
    bool is_dir = false;
    unsigned mode = 0;       ///< permission bits (07777)
    uid_t uid = 0;
    gid_t gid = 0;
    std::string error;       ///< stat()'s error other than "does not exist"
};

/// The role of a file, which decides what is checked.
enum class FileRole { kSshDir, kConfig, kPrivateKey, kPublicKey, kKnownHosts };
std::string_view role_name(FileRole r);  ///< ssh-dir, config, private-key, public-key, known-hosts

/// Who reads the files: the user ssh runs as.
struct FileUser {
    uid_t uid = 0;
    std::vector<gid_t> groups;   ///< primary group first
    /// OpenSSH as Debian and Ubuntu build it accepts a group-writable ~/.ssh/config when the
    /// group holds no one but its owner (`secure_permissions`); upstream OpenSSH refuses it.
    bool debian_group_rule = false;
    /// For that rule: whether the file's group has the user as its only member.
    bool group_is_private = false;
};

/// A file checked.
struct FileCheck {
    FileRole role = FileRole::kConfig;
    FileStat stat;
    std::string display;          ///< the path as the user knows it (~/.ssh/id_ed25519)
    std::string recommended;      ///< the guide's mode: "0700", "0600", "0644"
    bool as_recommended = true;   ///< the mode is no more open than recommended and the user owns it
    bool readable = true;         ///< the user can read it (search it, for a directory)
    bool refused = false;         ///< OpenSSH itself refuses it
    std::vector<std::string> ssh_says;  ///< what ssh prints when it refuses it
    std::string problem;          ///< one sentence, "" when nothing is wrong
    std::string fix;              ///< the command that fixes it, "" when nothing is to do
};

/// Applies OpenSSH's checks and the guide's recommendation to one file:
/// - a private key owned by the user and accessible by group or others (mode & 077) is
///   ignored by ssh: "WARNING: UNPROTECTED PRIVATE KEY FILE!" (authfile.c, sshkey_perm_ok);
/// - ~/.ssh/config not owned by the user or root, or writable by others (or by the group,
///   unless the Debian rule allows it) makes ssh stop: "Bad owner or permissions on FILE"
///   (readconf.c, read_config_file_depth);
/// - ~/.ssh, public keys and known_hosts are not checked by the ssh client: only the guide's
///   modes apply (700, 644, 644).
FileCheck check_file(FileRole role, const FileStat& st, const FileUser& user, const std::string& display);

/// A key line of known_hosts as `ssh-keygen -F` prints it.
struct KnownKey {
    std::string marker;      ///< "", "@cert-authority" or "@revoked"
    std::string hosts;       ///< the host field (hashed: |1|...)
    std::string type;        ///< key type: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, ...
    std::vector<std::uint8_t> blob;
    std::string fingerprint; ///< SHA256:...
    int line = 0;            ///< line number in the file (from ssh-keygen's "# Host ... found: line N")
};

/// Reads the output of `ssh-keygen -F HOST -f FILE`.
std::vector<KnownKey> parse_keygen_find(std::string_view text);

/// The name known_hosts files the host under: HostKeyAlias, else the host name; with a port
/// other than 22, "[name]:port".
std::string known_hosts_name(const std::string& hostname, int port, const std::string& host_key_alias);

/// How the host key a server sent compares with known_hosts:
/// match            a line holds that very key;
/// changed          lines hold keys of the same type, none equal: ssh stops with "REMOTE HOST
///                  IDENTIFICATION HAS CHANGED" (or asks, for a key it never saw of that type);
/// revoked          the key is marked @revoked;
/// other-type-known only keys of other types are known for the host;
/// not-known        the host is not in known_hosts: ssh asks (or refuses with
///                  StrictHostKeyChecking yes).
std::string compare_host_key(const std::vector<KnownKey>& known, const ssh::HostKey& seen);

}  // namespace sshpath::client
