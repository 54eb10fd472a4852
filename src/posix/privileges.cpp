#include "sshpath/posix/privileges.h"

#include <fmt/format.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <utility>

namespace sshpath::posix {

namespace {

std::optional<unsigned> env_number(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0' || std::strlen(v) > 10 || std::strspn(v, "0123456789") != std::strlen(v)) return std::nullopt;
    const unsigned long n = std::strtoul(v, nullptr, 10);
    if (n > std::numeric_limits<uid_t>::max() - 1) return std::nullopt;
    return static_cast<unsigned>(n);
}

bool set_capabilities(std::uint64_t caps) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    for (int i = 0; i < 2; ++i) {
        data[i].effective = data[i].permitted = static_cast<std::uint32_t>(caps >> (32 * i));
        data[i].inheritable = 0;
    }
    return syscall(SYS_capset, &header, data) == 0;
}

// errno is read before `what` is made, so that formatting cannot change it.
template <typename... Args>
std::string system_error(fmt::format_string<Args...> what, Args&&... args) {
    const int e = errno;
    return fmt::format("{}: {}", fmt::format(what, std::forward<Args>(args)...), std::strerror(e));
}

}  // namespace

Identity identity_of(uid_t uid, gid_t gid) {
    Identity id;
    id.uid = uid;
    id.gid = gid;
    if (const passwd* pw = getpwuid(uid)) {
        id.name = pw->pw_name;
        id.home = pw->pw_dir;
        id.has_passwd = true;
    }
    return id;
}

Identity current_user() { return identity_of(getuid(), getgid()); }

std::optional<Identity> sudo_user() {
    if (getuid() != 0) return std::nullopt;
    const auto uid = env_number("SUDO_UID");
    if (!uid || *uid == 0) return std::nullopt;
    const auto gid = env_number("SUDO_GID");
    Identity id = identity_of(*uid, 0);
    if (gid)
        id.gid = *gid;
    else if (const passwd* pw = getpwuid(*uid))
        id.gid = pw->pw_gid;
    else
        id.gid = *uid;
    return id;
}

Identity nobody() {
    if (const passwd* pw = getpwnam("nobody")) return identity_of(pw->pw_uid, pw->pw_gid);
    return identity_of(65534, 65534);
}

std::string describe(const Identity& who) {
    return who.has_passwd ? fmt::format("uid {} ({})", who.uid, who.name) : fmt::format("uid {}", who.uid);
}

bool is_root() { return getuid() == 0; }

std::optional<std::string> become(const Identity& who, bool keep_kill, bool user_groups) {
    if (getuid() != 0 && geteuid() != 0) {
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        if (!set_capabilities(0)) return system_error("cannot drop capabilities");
        return std::nullopt;
    }
    if (keep_kill && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return system_error("prctl(PR_SET_KEEPCAPS)");
    const int groups_rc = user_groups && who.has_passwd ? initgroups(who.name.c_str(), who.gid) : setgroups(0, nullptr);
    if (groups_rc != 0) return system_error("cannot set the groups of {}", describe(who));
    if (setgid(who.gid) != 0) return system_error("cannot set gid {}", who.gid);
    if (setuid(who.uid) != 0) return system_error("cannot set uid {}", who.uid);
    if (getuid() != who.uid || geteuid() != who.uid || getgid() != who.gid || getegid() != who.gid)
        return fmt::format("still running as uid {}/{} gid {}/{} after switching to {}", getuid(), geteuid(), getgid(), getegid(),
                           describe(who));
    if (who.uid != 0 && setuid(0) == 0) return "could switch back to root after dropping privileges";
    if (keep_kill) {
        if (!set_capabilities(std::uint64_t{1} << CAP_KILL)) return system_error("cannot keep CAP_KILL");
        prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
    }
    return std::nullopt;
}

bool has_capability(int cap) {
    if (geteuid() == 0) return true;
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capget, &header, data) != 0) return false;
    return cap >= 0 && cap < 64 && (data[cap / 32].effective & (1u << (cap % 32))) != 0;
}

void set_user_environment(const Identity& who) {
    if (!who.has_passwd || who.uid == 0) return;
    setenv("HOME", who.home.c_str(), 1);
    setenv("USER", who.name.c_str(), 1);
    setenv("LOGNAME", who.name.c_str(), 1);
}

}  // namespace sshpath::posix
