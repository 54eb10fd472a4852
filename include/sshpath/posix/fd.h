#pragma once
#include <string_view>

/// Operating-system plumbing shared by the live commands: file descriptors, signals, clocks,
/// privileges, child processes and name resolution. Nothing here knows about packets.
namespace sshpath::posix {

/// A file descriptor, closed when the object goes away. Movable, not copyable.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(Fd&& other) noexcept : fd_(other.release()) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) reset(other.release());
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;

    int get() const { return fd_; }
    bool valid() const { return fd_ >= 0; }
    /// Gives the descriptor up without closing it.
    int release() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    /// Closes the descriptor held (if any) and holds `fd` instead.
    void reset(int fd = -1);

private:
    int fd_ = -1;
};

/// Both ends of a pipe (close-on-exec).
struct Pipe {
    Fd read;
    Fd write;
};

/// pipe2(O_CLOEXEC | extra_flags); throws sshpath::Error naming the system's words on failure.
Pipe make_pipe(int extra_flags = 0);

/// Sets O_NONBLOCK on `fd`.
void set_nonblocking(int fd);

/// Writes all of `data`, going on after short writes and EINTR. Returns 0 when everything was
/// written, else the errno of the failure (ENOSPC, EPIPE, ...).
int write_all(int fd, std::string_view data);

}  // namespace sshpath::posix
