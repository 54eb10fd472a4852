#pragma once
#include <cstdint>
#include <cstdio>
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
    /// The i-th record's bytes, valid until the next get(). Throws sshpath::Error on a read error.
    const std::vector<char>& get(std::size_t i) const;

private:
    struct Slot {
        std::uint64_t key = 0;
        std::uint64_t offset = 0;
        std::uint64_t size = 0;
    };
    void flush() const;
    std::FILE* file_ = nullptr;
    std::uint64_t end_ = 0;                ///< bytes put so far (written or pending)
    mutable std::uint64_t written_ = 0;    ///< bytes written to the file; the rest are in pending_
    mutable std::vector<char> pending_;
    std::vector<Slot> index_;
    mutable std::vector<char> buffer_;
};

}  // namespace sshpath
