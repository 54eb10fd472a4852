#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "sshpath/client/files.h"

/// The thin layer that reads the system: who the user is, running a command as that user,
/// stat() and reading files.
namespace sshpath::client {

/// The user ssh runs as: the one who ran `sudo sshpath ...` (SUDO_UID, SUDO_GID), else the
/// process's own user.
struct Invoker {
    uid_t uid = 0;
    gid_t gid = 0;
    std::string name;        ///< "" without a passwd entry
    std::string home;        ///< the passwd home: what ssh expands ~ to (not $HOME)
    bool via_sudo = false;
    std::vector<gid_t> groups;   ///< primary first, then the supplementary groups
};
Invoker invoking_user();

/// What a command did.
struct CommandResult {
    bool ran = false;        ///< the program was started
    int status = -1;         ///< exit status; 128+N when killed by signal N
    std::string out, err;
    std::string error;       ///< why it did not run, or "timed out"
};

/// Runs argv (argv[0] looked up in PATH) with stdin from /dev/null and LC_ALL=C; as `user`
/// when this process is root and user is given (groups, gid, uid, HOME, USER, LOGNAME),
/// otherwise as the process itself. Killed after `timeout_s`.
CommandResult run_command(const std::vector<std::string>& argv, const Invoker* user = nullptr, double timeout_s = 10);

/// The program's path in PATH (or the standard sbin directories), nullopt when not installed.
std::optional<std::string> find_program(const std::string& name);

/// lstat()-free stat of a path (symbolic links followed, as ssh's open() does).
FileStat stat_path(const std::string& path);

/// The file's text, at most max_bytes; nullopt when it cannot be read.
std::optional<std::string> read_text(const std::string& path, std::size_t max_bytes = 1 << 20);

/// True when the group has the user as its only member (as primary group or listed member):
/// Debian's OpenSSH then accepts a group-writable ~/.ssh/config.
bool group_is_private(gid_t gid, const Invoker& user);

/// The environment sshpath was started with: under sudo, that of sudo's own process (the
/// user's), read from /proc, since sudo resets it; else this process's. `from` says which.
std::vector<std::string> user_environment(const Invoker& user, std::string& from);

}  // namespace sshpath::client
