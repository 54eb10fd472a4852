#include "sshpath/core/record_file.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "sshpath/core/archive.h"
#include "sshpath/core/error.h"

namespace sshpath {

namespace {

// Records are collected and written in blocks this large: one write per block, not per record.
constexpr std::size_t kBlock = std::size_t{1} << 20;
// And read back in blocks this large, this many of them cached.
constexpr std::size_t kReadBlock = std::size_t{32} << 10;
constexpr std::size_t kReadBlocks = 64;
// Index blocks read back and kept (get() and key() walk the records mostly in order).
constexpr std::size_t kIndexBlocksCached = 4;
// Index entries a sorted run is read ahead by while merging.
constexpr std::size_t kRunBuffer = 128;

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

std::uint64_t RecordFile::append(std::span<const char> bytes) {
    if (end_ >> 40) throw Error("cannot write a temporary file: more than 1 TiB");
    if (pending_.size() + bytes.size() > kBlock && !pending_.empty()) flush();
    if (pending_.capacity() < kBlock) pending_.reserve(kBlock);
    pending_.insert(pending_.end(), bytes.begin(), bytes.end());
    const std::uint64_t offset = end_;
    end_ += bytes.size();
    return offset;
}

void RecordFile::put(std::span<const char> bytes, std::uint64_t key) {
    archive::pack_zero_words(bytes, packed_);
    const std::uint64_t offset = append(packed_);
    const std::uint64_t size = packed_.size();
    if (size >= kBigRecord) big_[offset] = size;
    if (tail_.capacity() < kIndexBlock) tail_.reserve(kIndexBlock);
    tail_.push_back(Slot{key, offset << 24 | std::min(size, kBigRecord)});
    ++count_;
    if (tail_.size() == kIndexBlock) {
        index_blocks_.push_back(append({reinterpret_cast<const char*>(tail_.data()), tail_.size() * sizeof(Slot)}));
        tail_.clear();
    }
}

void RecordFile::sort() {
    runs_.clear();
    std::vector<Slot> run;
    auto write_run = [&] {
        std::stable_sort(run.begin(), run.end(), [](const Slot& a, const Slot& b) { return a.key < b.key; });
        runs_.emplace_back(append({reinterpret_cast<const char*>(run.data()), run.size() * sizeof(Slot)}), run.size());
    };
    for (const std::uint64_t offset : index_blocks_) {
        run.resize(kIndexBlock);
        read_back(reinterpret_cast<char*>(run.data()), kIndexBlock * sizeof(Slot), offset);
        write_run();
    }
    if (!tail_.empty()) {
        run = tail_;
        write_run();
    }
    sorted_count_ = count_;
}

void RecordFile::read_at(char* out, std::size_t size, std::uint64_t offset) const {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fileno(file_), out + done, size - done, static_cast<off_t>(offset + done));
        ++reads_;
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Error(std::string("cannot read back a temporary file: ") + std::strerror(n < 0 ? errno : EIO));
        done += static_cast<std::size_t>(n);
    }
}

void RecordFile::read_back(char* out, std::size_t size, std::uint64_t offset) const {
    if (size == 0) return;
    if (offset >= written_) {  // still in the block not yet written
        std::memcpy(out, pending_.data() + (offset - written_), size);
        return;
    }
    if (offset + size > written_) flush();
    read_at(out, size, offset);
}

const char* RecordFile::cached(std::uint64_t offset, std::size_t size, bool in_order) const {
    if (size > kReadBlock) return nullptr;
    Block* found = nullptr;
    // A block holds the bytes from its offset on, as far as they were written when it was read
    // (the file's bytes never change once written).
    for (Block& b : blocks_)
        if (b.offset <= offset && offset + size <= b.offset + b.bytes.size()) found = &b;
    if (found == nullptr) {
        // Out of order, a record of more than a few hundred bytes is read alone: a block read
        // for it would mostly be thrown away before its other records are asked for. In order
        // (a few blocks at most past where a run of records read ends: an index block may lie
        // between), the block read starts at the record, so the run goes on in it.
        if (!in_order && size > kReadBlock / 64) return nullptr;
        if (blocks_.size() < kReadBlocks) {
            found = &blocks_.emplace_back();
        } else {
            found = &*std::min_element(blocks_.begin(), blocks_.end(), [](const Block& a, const Block& b) { return a.used < b.used; });
        }
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kReadBlock, written_ - offset));
        found->offset = ~std::uint64_t{0};  // not valid while it is being read
        found->bytes.resize(n);
        read_at(found->bytes.data(), n, offset);
        found->offset = offset;
    }
    found->used = ++clock_;
    return found->bytes.data() + (offset - found->offset);
}

const std::vector<char>& RecordFile::read_record(const Slot& s) const {
    const std::uint64_t offset = s.offset();
    const std::size_t size = size_of(s);
    std::span<const char> packed;
    if (offset >= written_) {
        packed_read_.resize(size);
        read_back(packed_read_.data(), size, offset);
        packed = packed_read_;
    } else {
        if (offset + size > written_) flush();
        std::uint64_t* head = head_before(offset);
        if (const char* p = cached(offset, size, head != nullptr)) {
            packed = {p, size};
        } else {
            packed_read_.resize(size);
            read_at(packed_read_.data(), size, offset);
            packed = packed_read_;
        }
        if (head == nullptr) head = &read_heads_[next_head_++ % kReadHeads];  // a new run starts here
        *head = offset + size;
    }
    archive::unpack_zero_words(packed, buffer_);
    return buffer_;
}

std::uint64_t* RecordFile::head_before(std::uint64_t offset) const {
    for (std::uint64_t& h : read_heads_)
        if (offset >= h && offset - h <= 4 * kReadBlock) return &h;
    return nullptr;
}

const RecordFile::Slot& RecordFile::slot(std::size_t i) const {
    if (i >= count_) throw std::out_of_range("RecordFile: no record at that index");
    const std::size_t number = i / kIndexBlock;
    if (number == index_blocks_.size()) return tail_[i % kIndexBlock];
    IndexBlock* found = nullptr;
    for (IndexBlock& b : index_cache_)
        if (b.number == number) found = &b;
    if (found == nullptr) {
        if (index_cache_.size() < kIndexBlocksCached) {
            found = &index_cache_.emplace_back();
        } else {
            found = &*std::min_element(index_cache_.begin(), index_cache_.end(),
                                       [](const IndexBlock& a, const IndexBlock& b) { return a.used < b.used; });
        }
        found->number = static_cast<std::size_t>(-1);  // not valid while it is being read
        found->slots.resize(kIndexBlock);
        read_back(reinterpret_cast<char*>(found->slots.data()), kIndexBlock * sizeof(Slot), index_blocks_[number]);
        found->number = number;
    }
    found->used = ++clock_;
    return found->slots[i % kIndexBlock];
}

const std::vector<char>& RecordFile::get(std::size_t i) const {
    const Slot s = slot(i);
    return read_record(s);
}

std::uint64_t RecordFile::key(std::size_t i) const { return slot(i).key; }

RecordFile::SortedReader::SortedReader(const RecordFile& file) : file_(file) {
    if (file.sorted_count_ != file.count_) throw std::logic_error("RecordFile: records put since the last sort()");
    runs_.resize(file.runs_.size());
    for (std::size_t r = 0; r < runs_.size(); ++r) {
        runs_[r].offset = file.runs_[r].first;
        runs_[r].left = file.runs_[r].second;
        fill(runs_[r]);
        if (!runs_[r].buffer.empty()) heap_.push_back(static_cast<std::uint32_t>(r));
    }
    std::make_heap(heap_.begin(), heap_.end(), [this](std::uint32_t a, std::uint32_t b) { return less(b, a); });
}

bool RecordFile::SortedReader::less(std::uint32_t a, std::uint32_t b) const {
    // Runs hold records in the order they were put: among equal keys the earlier run comes first.
    const std::uint64_t ka = runs_[a].buffer[runs_[a].at].key, kb = runs_[b].buffer[runs_[b].at].key;
    return ka < kb || (ka == kb && a < b);
}

void RecordFile::SortedReader::fill(Run& r) const {
    const std::size_t n = std::min(kRunBuffer, r.left);
    r.buffer.resize(n);
    r.at = 0;
    file_.read_back(reinterpret_cast<char*>(r.buffer.data()), n * sizeof(Slot), r.offset);
    r.offset += n * sizeof(Slot);
    r.left -= n;
}

const std::vector<char>* RecordFile::SortedReader::next() {
    if (heap_.empty()) return nullptr;
    auto later = [this](std::uint32_t a, std::uint32_t b) { return less(b, a); };
    std::pop_heap(heap_.begin(), heap_.end(), later);
    Run& run = runs_[heap_.back()];
    const Slot s = run.buffer[run.at++];
    if (run.at == run.buffer.size()) fill(run);
    if (run.buffer.empty())
        heap_.pop_back();
    else
        std::push_heap(heap_.begin(), heap_.end(), later);
    key_ = s.key;
    return &file_.read_record(s);
}

}  // namespace sshpath
