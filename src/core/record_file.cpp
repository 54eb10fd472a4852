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
    if (pending_.size() + bytes.size() > kBlock && !pending_.empty()) flush();
    if (pending_.capacity() < kBlock) pending_.reserve(kBlock);
    pending_.insert(pending_.end(), bytes.begin(), bytes.end());
    index_.push_back(Slot{key, end_, bytes.size()});
    end_ += bytes.size();
}

void RecordFile::sort() {
    std::stable_sort(index_.begin(), index_.end(), [](const Slot& a, const Slot& b) { return a.key < b.key; });
}

const std::vector<char>& RecordFile::get(std::size_t i) const {
    const Slot& s = index_.at(i);
    buffer_.resize(s.size);
    if (s.offset >= written_) {  // still in the block not yet written
        std::memcpy(buffer_.data(), pending_.data() + (s.offset - written_), s.size);
        return buffer_;
    }
    if (s.offset + s.size > written_) flush();
    std::size_t done = 0;
    while (done < s.size) {
        const ssize_t n = ::pread(fileno(file_), buffer_.data() + done, s.size - done, static_cast<off_t>(s.offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Error(std::string("cannot read back a temporary file: ") + std::strerror(n < 0 ? errno : EIO));
        done += static_cast<std::size_t>(n);
    }
    return buffer_;
}

}  // namespace sshpath
