#pragma once
#include <sys/types.h>

#include <optional>
#include <string>

namespace sshpath::posix {

/// A user to run as.
struct Identity {
    uid_t uid = 0;
    gid_t gid = 0;
    std::string name;          ///< "" when the uid has no passwd entry
    std::string home;
    bool has_passwd = false;
};

/// The uid with this gid, its name and home from the passwd database when it has an entry.
Identity identity_of(uid_t uid, gid_t gid);
/// The real uid and gid of this process.
Identity current_user();
/// The user who ran `sudo sshpath ...`: SUDO_UID and SUDO_GID (the gid from passwd, else the
/// uid, when SUDO_GID is missing). nullopt when this process is not root or SUDO_UID is
/// missing, malformed or 0.
std::optional<Identity> sudo_user();
/// The `nobody` user (65534:65534 when passwd has none).
Identity nobody();
/// "uid 1000 (alice)", or "uid 4242" without a passwd entry.
std::string describe(const Identity& who);
/// True when the real uid is 0.
bool is_root();

/// Becomes `who` for good, as tcpdump -Z does: supplementary groups (with `user_groups` the
/// user's own, from initgroups; otherwise none), gid, uid; checked afterwards, including that
/// root cannot be regained. With `keep_kill` the process keeps CAP_KILL alone (to stop a
/// command that runs as another user). A process that is not root (CAP_NET_RAW from file or
/// ambient capabilities) only gives every capability up. Returns what went wrong, nullopt on
/// success.
[[nodiscard]] std::optional<std::string> become(const Identity& who, bool keep_kill, bool user_groups);

/// True when capability `cap` (CAP_NET_RAW, ...) is in this process's effective set, or the
/// effective uid is 0.
bool has_capability(int cap);

/// HOME, USER and LOGNAME of `who` (from passwd), as login would set them; nothing for root or
/// a uid without a passwd entry.
void set_user_environment(const Identity& who);

}  // namespace sshpath::posix
