#include "sshpath/core/record_file.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "sshpath/core/error.h"

namespace sshpath {

namespace {

// Records are collected and written in blocks this large: one write per block, not per record.
constexpr std::size_t kBlock = std::size_t{1} << 20;
// And read back in blocks this large, this many of them cached.
constexpr std::size_t kReadBlock = std::size_t{32} << 10;
constexpr std::size_t kReadBlocks = 64;

}  // namespace

RecordFile::RecordFile() : file_(std::tmpfile()) {
    if (file_ == nullptr) throw Error(std::string("cannot create a temporary file: ") + std::strerror(errno));
}

RecordFile::~RecordFile() {
    if (file_ != nullptr) std::fclose(file_);
}

void RecordFile::flush() const {
    const char* p = pending_.data();
    std::size_t left = pending_.size();
    while (left > 0) {
        const ssize_t n = ::pwrite(fileno(file_), p, left, static_cast<off_t>(written_));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Error(std::string("cannot write a temporary file: ") + std::strerror(n < 0 ? errno : ENOSPC));
        p += n;
        left -= static_cast<std::size_t>(n);
        written_ += static_cast<std::uint64_t>(n);
    }
    pending_.clear();
}

void RecordFile::put(std::span<const char> bytes, std::uint64_t key) {
    if (end_ >> 40) throw Error("cannot write a temporary file: more than 1 TiB");
    if (pending_.size() + bytes.size() > kBlock && !pending_.empty()) flush();
    if (pending_.capacity() < kBlock) pending_.reserve(kBlock);
    pending_.insert(pending_.end(), bytes.begin(), bytes.end());
    const std::uint64_t size = bytes.size();
    if (size >= kBigRecord) big_[end_] = size;
    index_.push_back(Slot{key, end_ << 24 | std::min(size, kBigRecord)});
    end_ += bytes.size();
}

void RecordFile::sort() {
    std::stable_sort(index_.begin(), index_.end(), [](const Slot& a, const Slot& b) { return a.key < b.key; });
}

void RecordFile::read_at(char* out, std::size_t size, std::uint64_t offset) const {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fileno(file_), out + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Error(std::string("cannot read back a temporary file: ") + std::strerror(n < 0 ? errno : EIO));
        done += static_cast<std::size_t>(n);
    }
}

const char* RecordFile::cached(std::uint64_t offset, std::size_t size) const {
    const std::uint64_t start = offset - offset % kReadBlock;
    if (offset + size > start + kReadBlock) return nullptr;
    Block* found = nullptr;
    for (Block& b : blocks_)
        if (b.offset == start) found = &b;
    // A block read while the file ended inside it lacks what was written after.
    if (found != nullptr && offset + size > start + found->bytes.size()) found->offset = ~std::uint64_t{0}, found = nullptr;
    if (found == nullptr) {
        if (blocks_.size() < kReadBlocks) {
            found = &blocks_.emplace_back();
        } else {
            found = &*std::min_element(blocks_.begin(), blocks_.end(), [](const Block& a, const Block& b) { return a.used < b.used; });
        }
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kReadBlock, written_ - start));
        found->offset = ~std::uint64_t{0};  // not valid while it is being read
        found->bytes.resize(n);
        read_at(found->bytes.data(), n, start);
        found->offset = start;
    }
    found->used = ++clock_;
    return found->bytes.data() + (offset - start);
}

const std::vector<char>& RecordFile::get(std::size_t i) const {
    const Slot& s = index_.at(i);
    const std::uint64_t offset = s.offset();
    const std::size_t size = size_of(s);
    buffer_.resize(size);
    if (offset >= written_) {  // still in the block not yet written
        std::memcpy(buffer_.data(), pending_.data() + (offset - written_), size);
        return buffer_;
    }
    if (offset + size > written_) flush();
    if (const char* p = cached(offset, size))
        std::memcpy(buffer_.data(), p, size);
    else
        read_at(buffer_.data(), size, offset);
    return buffer_;
}

}  // namespace sshpath
