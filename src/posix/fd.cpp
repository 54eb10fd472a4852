#include "sshpath/posix/fd.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sshpath/core/error.h"

namespace sshpath::posix {

void Fd::reset(int fd) {
    if (fd_ >= 0 && fd_ != fd) ::close(fd_);
    fd_ = fd;
}

Pipe make_pipe(int extra_flags) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | extra_flags) != 0) throw Error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
    return Pipe{Fd(fds[0]), Fd(fds[1])};
}

void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

int write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno;
        if (n == 0) return EIO;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}

}  // namespace sshpath::posix
