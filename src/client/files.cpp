#include "sshpath/client/files.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace sshpath::client {

namespace {

// Can the user read it (or, for a directory, search it)? The owner's bits for the owner, the
// group's for a member, the others' for the rest; root reads everything.
bool accessible(const FileStat& st, const FileUser& u) {
    if (u.uid == 0) return true;
    const unsigned want = st.is_dir ? 05 : 04;
    if (st.uid == u.uid) return ((st.mode >> 6) & want) == want;
    if (std::find(u.groups.begin(), u.groups.end(), st.gid) != u.groups.end()) return ((st.mode >> 3) & want) == want;
    return (st.mode & want) == want;
}

std::string octal(unsigned mode) { return fmt::format("{:04o}", mode & 07777); }

}  // namespace

std::string_view role_name(FileRole r) {
    switch (r) {
        case FileRole::kSshDir: return "ssh-dir";
        case FileRole::kConfig: return "config";
        case FileRole::kPrivateKey: return "private-key";
        case FileRole::kPublicKey: return "public-key";
        case FileRole::kKnownHosts: return "known-hosts";
    }
    return "?";
}

FileCheck check_file(FileRole role, const FileStat& st, const FileUser& user, const std::string& display) {
    FileCheck c;
    c.role = role;
    c.stat = st;
    c.display = display;
    switch (role) {
        case FileRole::kSshDir: c.recommended = "0700"; break;
        case FileRole::kConfig: c.recommended = "0600"; break;
        case FileRole::kPrivateKey: c.recommended = "0600"; break;
        case FileRole::kPublicKey: c.recommended = "0644"; break;
        case FileRole::kKnownHosts: c.recommended = "0644"; break;
    }
    if (!st.exists) {
        c.readable = false;
        return c;
    }
    const unsigned rec = static_cast<unsigned>(std::strtoul(c.recommended.c_str(), nullptr, 8));
    const bool owned = st.uid == user.uid;
    c.as_recommended = owned && (st.mode & 0777 & ~rec) == 0;
    c.readable = accessible(st, user);
    const std::string mode = octal(st.mode);
    if (role == FileRole::kPrivateKey && owned && (st.mode & 077) != 0) {
        c.refused = true;
        c.ssh_says = {"WARNING: UNPROTECTED PRIVATE KEY FILE!", fmt::format("Permissions {} for '{}' are too open.", mode, st.path),
                      "It is required that your private key files are NOT accessible by others.", "This private key will be ignored."};
        c.problem = fmt::format("{} has mode {}: readable by others, so ssh ignores this key", display, mode);
        c.fix = fmt::format("chmod 600 {}", display);
        return c;
    }
    if (role == FileRole::kConfig) {
        const bool bad_owner = st.uid != 0 && !owned;
        const bool other_writable = (st.mode & 002) != 0;
        const bool group_writable = (st.mode & 020) != 0 && !(user.debian_group_rule && user.group_is_private);
        if (bad_owner || other_writable || group_writable) {
            c.refused = true;
            c.ssh_says = {fmt::format("Bad owner or permissions on {}", st.path)};
            c.problem = bad_owner ? fmt::format("{} belongs to uid {}, not to the user: ssh refuses to run", display, st.uid)
                                  : fmt::format("{} has mode {}: writable by {}, so ssh refuses to run", display, mode,
                                                other_writable ? "others" : "its group");
            c.fix = bad_owner ? fmt::format("chown {} {}; chmod 600 {}", user.uid, display, display) : fmt::format("chmod 600 {}", display);
            return c;
        }
    }
    if (!c.readable) {
        c.problem = fmt::format("{} (mode {}, uid {}) cannot be read by the user", display, mode, st.uid);
        c.fix = owned ? fmt::format("chmod u+r{} {}", st.is_dir ? "x" : "", display) : fmt::format("chown {} {}", user.uid, display);
        return c;
    }
    if (!c.as_recommended) {
        if (!owned) {
            c.problem = fmt::format("{} belongs to uid {}, not to the user", display, st.uid);
            c.fix = fmt::format("chown {} {}", user.uid, display);
        } else {
            const bool writable = (st.mode & 022) != 0;
            c.problem = fmt::format("{} has mode {} ({} recommended{})", display, mode, c.recommended.substr(1),
                                    writable ? std::string(st.mode & 002 ? ": writable by others" : ": writable by its group") : std::string());
            c.fix = fmt::format("chmod {} {}", c.recommended.substr(1), display);
        }
    }
    return c;
}

std::vector<KnownKey> parse_keygen_find(std::string_view text) {
    std::vector<KnownKey> out;
    int line_no = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        std::string line(text.substr(start, nl - start));
        start = nl + 1;
        if (line.empty()) continue;
        if (line[0] == '#') {
            // "# Host vm found: line 3" (older: "# Host vm found: line 3 type ED25519")
            const auto at = line.find("found: line ");
            if (at != std::string::npos) line_no = std::atoi(line.c_str() + at + 12);
            continue;
        }
        std::vector<std::string> w;
        std::size_t i = 0;
        while (i < line.size() && w.size() < 4) {
            while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
            std::size_t j = i;
            while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
            if (j > i) w.push_back(line.substr(i, j - i));
            i = j;
        }
        KnownKey k;
        std::size_t f = 0;
        if (!w.empty() && w[0][0] == '@') k.marker = w[f++];
        if (w.size() < f + 3) continue;
        k.hosts = w[f];
        k.type = w[f + 1];
        auto blob = ssh::base64_decode(w[f + 2]);
        if (!blob) continue;
        k.blob = std::move(*blob);
        k.fingerprint = ssh::sha256_fingerprint(k.blob);
        k.line = line_no;
        out.push_back(std::move(k));
    }
    return out;
}

std::string known_hosts_name(const std::string& hostname, int port, const std::string& host_key_alias) {
    const std::string name = host_key_alias.empty() ? hostname : host_key_alias;
    return port == 22 ? name : fmt::format("[{}]:{}", name, port);
}

std::string compare_host_key(const std::vector<KnownKey>& known, const ssh::HostKey& seen) {
    bool same_type = false, other_type = false;
    for (const auto& k : known) {
        if (k.marker == "@cert-authority") continue;
        if (k.blob == seen.blob) {
            if (k.marker == "@revoked") return "revoked";
            continue;
        }
        if (k.marker == "@revoked") continue;
        (ssh::key_blob_type(k.blob) == seen.type ? same_type : other_type) = true;
    }
    for (const auto& k : known)
        if (k.marker.empty() && k.blob == seen.blob) return "match";
    if (same_type) return "changed";
    if (other_type) return "other-type-known";
    return "not-known";
}

}  // namespace sshpath::client
