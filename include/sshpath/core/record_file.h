#pragma once
#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <span>
#include <vector>

/// Records (byte strings) in an unnamed temporary file, read back one at a time by number or in
/// order of a key: what keeps memory flat when a capture holds more attempts than fit in memory.
///
/// The index (where each record is, and its key) goes to the same file in blocks of
/// RecordFile::kIndexBlock entries as they fill: memory holds one offset per index block, the
/// block being filled and a few blocks read back, never an entry per record.
namespace sshpath {

class RecordFile {
public:
    /// Index entries per index block (16 bytes each); also the length of a sorted run.
    static constexpr std::size_t kIndexBlock = 4096;

    /// Opens the temporary file (tmpfile(): in /tmp, unnamed, gone when closed). Throws
    /// sshpath::Error ("cannot create a temporary file: ...") if it cannot be created.
    RecordFile();
    ~RecordFile();
    RecordFile(const RecordFile&) = delete;
    RecordFile& operator=(const RecordFile&) = delete;

    /// Appends a record with a key (any 64-bit value: a sort key, or what the caller wants to scan
    /// without reading the records). Records are written in blocks of 1 MiB, their words of zeros
    /// left out (archive::pack_zero_words). Throws
    /// sshpath::Error on a write error (disk full).
    void put(std::span<const char> bytes, std::uint64_t key = 0);
    std::size_t size() const { return count_; }
    /// The i-th record put, valid until the next get() or SortedReader::next(). Read through a
    /// few cached blocks. Throws sshpath::Error on a read error, std::out_of_range past the end.
    const std::vector<char>& get(std::size_t i) const;
    /// The i-th record's key, without reading the record (its index block is read, cached).
    std::uint64_t key(std::size_t i) const;
    /// Reads from the file so far (each a system call): what the block cache saves.
    std::size_t reads() const { return reads_; }
    /// Prepares reading in order of key (SortedReader): each index block is written again sorted
    /// by key (stable), as one sorted run. Call after the last put(); get() is unchanged.
    void sort();

    /// The records in order of their keys, equal keys in the order they were put (below).
    class SortedReader;

private:
    struct Slot {
        std::uint64_t key = 0;
        std::uint64_t place = 0;  ///< offset << 24 | size (kBigRecord: the size is in big_)
        std::uint64_t offset() const { return place >> 24; }
    };
    static_assert(sizeof(Slot) == 16);
    static constexpr std::uint64_t kBigRecord = (std::uint64_t{1} << 24) - 1;
    std::uint64_t size_of(const Slot& s) const { return (s.place & kBigRecord) == kBigRecord ? big_.at(s.offset()) : s.place & kBigRecord; }
    /// Appends bytes to the file (through pending_); returns their offset.
    std::uint64_t append(std::span<const char> bytes);
    void flush() const;
    void read_at(char* out, std::size_t size, std::uint64_t offset) const;
    /// Reads [offset, offset + size) wherever it is (pending_ or the file), without the cache.
    void read_back(char* out, std::size_t size, std::uint64_t offset) const;
    const std::vector<char>& read_record(const Slot& s) const;
    const Slot& slot(std::size_t i) const;
    /// A cached block holding [offset, offset + size), read in from `offset` on if needed (when
    /// reading goes on `in_order`, or the record is small); nullptr when the record is better read
    /// alone (larger than a block, or out of order and more than a few hundred bytes).
    const char* cached(std::uint64_t offset, std::size_t size, bool in_order) const;

    std::FILE* file_ = nullptr;
    std::uint64_t end_ = 0;                ///< bytes put so far (written or pending)
    mutable std::uint64_t written_ = 0;    ///< bytes written to the file; the rest are in pending_
    mutable std::vector<char> pending_;
    std::size_t count_ = 0;
    std::vector<Slot> tail_;                    ///< the index block being filled (in memory)
    std::vector<std::uint64_t> index_blocks_;   ///< offsets of the full index blocks, in order
    /// Sorted runs written by sort(): offset and entries of each.
    std::vector<std::pair<std::uint64_t, std::size_t>> runs_;
    std::size_t sorted_count_ = 0;              ///< size() when sort() wrote runs_
    std::map<std::uint64_t, std::uint64_t> big_;  ///< sizes of records of 16 MiB and more, by offset
    mutable std::vector<char> buffer_;       ///< the record read back, unpacked
    std::vector<char> packed_;               ///< the record being put, packed (archive::pack_zero_words)
    mutable std::vector<char> packed_read_;  ///< a packed record read back outside the block cache
    /// Index blocks read back, the least recently used replaced.
    struct IndexBlock {
        std::size_t number = static_cast<std::size_t>(-1);
        std::uint64_t used = 0;
        std::vector<Slot> slots;
    };
    mutable std::vector<IndexBlock> index_cache_;
    /// Stretches of the file read back whole (32 KiB from where a record starts): records are
    /// read in nearly the order they were written in (or their keys), so one read serves many.
    struct Block {
        std::uint64_t offset = ~std::uint64_t{0};
        std::uint64_t used = 0;   ///< when it was last read from (for replacement)
        std::vector<char> bytes;
    };
    mutable std::vector<Block> blocks_;
    mutable std::uint64_t clock_ = 0;
    mutable std::size_t reads_ = 0;
    /// Where the last records read end, one per run of records read in order: records taken in
    /// key order jump about the file, but mostly as a few such runs interleaved (connections of
    /// different lengths were written at different times). A miss just after one of them reads
    /// on in order (a block); a miss elsewhere reads only the record.
    static constexpr std::size_t kReadHeads = 16;
    mutable std::array<std::uint64_t, kReadHeads> read_heads_{};
    mutable std::size_t next_head_ = 0;  ///< the head replaced when a record starts a new run
    /// The head a record at `offset` continues (at most a few blocks past it), or nullptr.
    std::uint64_t* head_before(std::uint64_t offset) const;
};

/// The records in order of their keys, equal keys in the order they were put: a merge of the
/// sorted runs, each read through a small buffer. Valid while the file is not put to.
class RecordFile::SortedReader {
public:
    /// Throws std::logic_error if records were put since the last sort().
    explicit SortedReader(const RecordFile& file);
    /// The next record's bytes (valid until the next get() or next()), or nullptr after the
    /// last. Throws sshpath::Error on a read error.
    const std::vector<char>* next();
    /// The key of the record next() returned last.
    std::uint64_t key() const { return key_; }

private:
    struct Run {
        std::uint64_t offset = 0;  ///< of the next entry not yet in buffer
        std::size_t left = 0;      ///< entries not yet in buffer
        std::vector<Slot> buffer;
        std::size_t at = 0;        ///< the run's current entry in buffer
    };
    const RecordFile& file_;
    std::vector<Run> runs_;
    std::vector<std::uint32_t> heap_;  ///< runs with entries left, the smallest (key, run) first
    std::uint64_t key_ = 0;
    bool less(std::uint32_t a, std::uint32_t b) const;
    void fill(Run& r) const;
};

}  // namespace sshpath
