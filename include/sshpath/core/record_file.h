#pragma once
#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <span>
#include <vector>

/// Records (byte strings) in an unnamed temporary file, read back one at a time by number: what
/// keeps memory flat when a capture holds more attempts than fit in memory.
namespace sshpath {

class RecordFile {
public:
    /// Opens the temporary file (tmpfile(): in /tmp, unnamed, gone when closed). Throws
    /// sshpath::Error ("cannot create a temporary file: ...") if it cannot be created.
    RecordFile();
    ~RecordFile();
    RecordFile(const RecordFile&) = delete;
    RecordFile& operator=(const RecordFile&) = delete;

    /// Appends a record with a sort key. Records are written in blocks of 1 MiB. Throws
    /// sshpath::Error on a write error (disk full).
    void put(std::span<const char> bytes, std::uint64_t key = 0);
    std::size_t size() const { return index_.size(); }
    /// Orders the records by key (stable).
    void sort();
    /// The i-th record's bytes, valid until the next get(). Read through a few cached blocks of
    /// 256 KiB. Throws sshpath::Error on a read error.
    const std::vector<char>& get(std::size_t i) const;

private:
    /// 16 bytes per record: a capture of millions of attempts keeps one per attempt.
    struct Slot {
        std::uint64_t key = 0;
        std::uint64_t place = 0;  ///< offset << 24 | size (kBigRecord: the size is in big_)
        std::uint64_t offset() const { return place >> 24; }
    };
    static constexpr std::uint64_t kBigRecord = (std::uint64_t{1} << 24) - 1;
    std::uint64_t size_of(const Slot& s) const { return (s.place & kBigRecord) == kBigRecord ? big_.at(s.offset()) : s.place & kBigRecord; }
    void flush() const;
    void read_at(char* out, std::size_t size, std::uint64_t offset) const;
    /// The cached block holding [offset, offset + size), read in if needed; nullptr when the
    /// range crosses a block boundary.
    const char* cached(std::uint64_t offset, std::size_t size) const;
    std::FILE* file_ = nullptr;
    std::uint64_t end_ = 0;                ///< bytes put so far (written or pending)
    mutable std::uint64_t written_ = 0;    ///< bytes written to the file; the rest are in pending_
    mutable std::vector<char> pending_;
    std::deque<Slot> index_;               ///< a deque: growing never copies (nor holds twice) it all
    std::map<std::uint64_t, std::uint64_t> big_;  ///< sizes of records of 16 MiB and more, by offset
    mutable std::vector<char> buffer_;
    /// Blocks of the file read back whole: records are read in order of their keys, which is
    /// nearly the order they were written in, so one read serves many records.
    struct Block {
        std::uint64_t offset = ~std::uint64_t{0};
        std::uint64_t used = 0;   ///< when it was last read from (for replacement)
        std::vector<char> bytes;
    };
    mutable std::vector<Block> blocks_;
    mutable std::uint64_t clock_ = 0;
};

}  // namespace sshpath
