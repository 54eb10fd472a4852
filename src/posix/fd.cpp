#include "sshpath/posix/fd.h"

#include <fcntl.h>
#include <sys/stat.h>
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

void widen_pipe(int fd, int bytes) {
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) return;
    // The kernel caps it at pipe-max-size for users without CAP_SYS_RESOURCE: try smaller.
    for (int size = bytes; size >= (1 << 16); size /= 2)
        if (fcntl(fd, F_SETPIPE_SZ, size) >= 0) return;
}

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

FdStreamBuf::FdStreamBuf(int fd, std::size_t buffer_size) : fd_(fd), buffer_(buffer_size) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
}

FdStreamBuf::~FdStreamBuf() { drain(); }

bool FdStreamBuf::drain() {
    const std::string_view pending(pbase(), static_cast<std::size_t>(pptr() - pbase()));
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    if (error_ == 0 && !pending.empty()) error_ = write_all(fd_, pending);
    return error_ == 0;
}

FdStreamBuf::int_type FdStreamBuf::overflow(int_type c) {
    if (!drain()) return traits_type::eof();
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
    return c;
}

std::streamsize FdStreamBuf::xsputn(const char* s, std::streamsize n) {
    const auto size = static_cast<std::size_t>(n);
    if (size == 0) return 0;  // an empty view may carry a null pointer: memcpy must not see it
    if (size <= static_cast<std::size_t>(epptr() - pptr())) {
        std::memcpy(pptr(), s, size);
        pbump(static_cast<int>(n));
        return n;
    }
    if (!drain()) return 0;
    if (size >= buffer_.size()) {
        error_ = write_all(fd_, std::string_view(s, size));
        return error_ == 0 ? n : 0;
    }
    std::memcpy(pptr(), s, size);
    pbump(static_cast<int>(n));
    return n;
}

int FdStreamBuf::sync() { return drain() ? 0 : -1; }

}  // namespace sshpath::posix
