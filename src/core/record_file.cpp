#include "sshpath/core/record_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "sshpath/core/error.h"

namespace sshpath {

RecordFile::RecordFile() : file_(std::tmpfile()) {
    if (file_ == nullptr) throw Error(std::string("cannot create a temporary file: ") + std::strerror(errno));
}

RecordFile::~RecordFile() {
    if (file_ != nullptr) std::fclose(file_);
}

void RecordFile::put(const std::vector<char>& bytes, std::uint64_t key) {
    if (std::fseek(file_, static_cast<long>(end_), SEEK_SET) != 0 ||
        std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
        throw Error(std::string("cannot write a temporary file: ") + std::strerror(errno));
    index_.push_back(Slot{key, end_, bytes.size()});
    end_ += bytes.size();
}

void RecordFile::sort() {
    std::stable_sort(index_.begin(), index_.end(), [](const Slot& a, const Slot& b) { return a.key < b.key; });
}

const std::vector<char>& RecordFile::get(std::size_t i) const {
    const Slot& s = index_.at(i);
    buffer_.resize(s.size);
    if (std::fflush(file_) != 0 || std::fseek(file_, static_cast<long>(s.offset), SEEK_SET) != 0 ||
        std::fread(buffer_.data(), 1, s.size, file_) != s.size)
        throw Error(std::string("cannot read back a temporary file: ") + std::strerror(errno));
    return buffer_;
}

}  // namespace sshpath
