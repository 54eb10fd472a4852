#include "sshpath/posix/mapped_window.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sshpath/core/error.h"

namespace sshpath::posix {

std::unique_ptr<MappedWindow> MappedWindow::open(int fd, std::uint64_t offset, std::size_t window) {
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
    std::unique_ptr<MappedWindow> w(new MappedWindow(fd, std::max<std::size_t>(window, 1)));
    if (!w->map(offset, static_cast<std::uint64_t>(st.st_size))) return nullptr;
    // The kernel reads ahead for read(), not for pages mapped: say the file goes front to back.
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return w;
}

MappedWindow::~MappedWindow() { unmap(); }

void MappedWindow::unmap() {
    if (map_ != nullptr) munmap(map_, map_len_);
    map_ = nullptr;
    map_len_ = 0;
}

bool MappedWindow::map(std::uint64_t offset, std::uint64_t file_size) {
    offset_ = offset;
    data_ = nullptr;
    size_ = 0;
    if (offset >= file_size) return true;  // nothing (yet) beyond the offset
    static const std::uint64_t page = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
    const std::uint64_t start = offset - offset % page;
    const std::size_t skew = static_cast<std::size_t>(offset - start);
    const auto len = static_cast<std::size_t>(std::min<std::uint64_t>(skew + window_, file_size - start));
    void* p = mmap(nullptr, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd_, static_cast<off_t>(start));
    if (p == MAP_FAILED) return false;
    map_ = p;
    map_len_ = len;
    data_ = static_cast<const std::uint8_t*>(p) + skew;
    size_ = len - skew;
    return true;
}

std::size_t MappedWindow::advance(std::size_t from) {
    from = std::min(from, size_);
    const std::size_t kept = size_ - from;
    struct stat st {};
    if (fstat(fd_, &st) != 0) throw InputError(fmt::format("fstat failed: {}", std::strerror(errno)));
    unmap();
    if (!map(offset_ + from, static_cast<std::uint64_t>(st.st_size)))
        throw InputError(fmt::format("mmap failed: {}", std::strerror(errno)));
    return size_ > kept ? size_ - kept : 0;
}

}  // namespace sshpath::posix
