#pragma once
#include <streambuf>
#include <string_view>
#include <vector>

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

/// When `fd` reads from a pipe, asks the kernel for a pipe buffer of up to `bytes` (within
/// /proc/sys/fs/pipe-max-size): a reader then gets that much per read and per wake-up instead
/// of 64 KiB. Does nothing for anything else, or when the kernel refuses.
void widen_pipe(int fd, int bytes);

/// Writes all of `data`, going on after short writes and EINTR. Returns 0 when everything was
/// written, else the errno of the failure (ENOSPC, EPIPE, ...).
int write_all(int fd, std::string_view data);

/// A stream buffer that writes to a file descriptor (through write_all) and remembers the first
/// failure, so that a report written to a full disk or a closed pipe is known to be lost. After
/// a failure it writes nothing more and the stream goes bad.
class FdStreamBuf : public std::streambuf {
public:
    explicit FdStreamBuf(int fd, std::size_t buffer_size = 1 << 16);
    ~FdStreamBuf() override;
    FdStreamBuf(const FdStreamBuf&) = delete;
    FdStreamBuf& operator=(const FdStreamBuf&) = delete;
    /// The errno of the first failed write, 0 while every write succeeded.
    int error() const { return error_; }

protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

private:
    bool drain();
    int fd_;
    std::vector<char> buffer_;
    int error_ = 0;
};

}  // namespace sshpath::posix
