#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

namespace sshpath::posix {

/// A regular file read front to back through a window of memory-mapped pages, so that its bytes
/// are not copied out of the page cache. The window holds at most `window` bytes (plus the part
/// of a page before the first byte wanted); moving it unmaps what lies behind, so the pages
/// mapped, and counted in the resident set, stay bounded however large the file.
///
/// A file that grows while it is read is followed: the window reaches the bytes appended, as
/// read() would. The file must not shrink meanwhile (a mapped page beyond the end raises SIGBUS).
class MappedWindow {
public:
    /// Maps `fd` from byte `offset` on, or returns null without an error when the descriptor is
    /// not a regular file or the system refuses the mapping (the caller then reads instead).
    /// The descriptor is borrowed: it must stay open while the window lives.
    static std::unique_ptr<MappedWindow> open(int fd, std::uint64_t offset, std::size_t window);
    ~MappedWindow();
    MappedWindow(const MappedWindow&) = delete;
    MappedWindow& operator=(const MappedWindow&) = delete;

    /// The bytes in view: [data(), data() + size()).
    const std::uint8_t* data() const { return data_; }
    std::size_t size() const { return size_; }
    /// Moves the view to start at data() + from, keeping the bytes from there on, and extends
    /// it as far as the window and the file allow. Returns the bytes added at the end: 0 when the
    /// file has no more. Throws InputError when the file cannot be mapped any further.
    std::size_t advance(std::size_t from);

private:
    MappedWindow(int fd, std::size_t window) : fd_(fd), window_(window) {}
    bool map(std::uint64_t offset, std::uint64_t file_size);
    void unmap();

    int fd_;
    std::size_t window_;
    void* map_ = nullptr;         ///< the mapping (page aligned)
    std::size_t map_len_ = 0;
    std::uint64_t offset_ = 0;    ///< the file offset of data()
    const std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace sshpath::posix
