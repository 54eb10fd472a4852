#pragma once
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "sshpath/flow/flow.h"

namespace sshpath::flow {

/// Finished connections written to an unnamed temporary file and read back one at a time, so
/// that a capture with thousands of SSH attempts needs memory for one of them, not for all.
/// Only what a finished connection keeps is written (its byte streams are already released).
class FlowSpill {
public:
    /// Opens the temporary file (tmpfile(): in /tmp, unnamed, gone when closed). Throws
    /// sshpath::Error if it cannot be created.
    FlowSpill();
    ~FlowSpill();
    FlowSpill(const FlowSpill&) = delete;
    FlowSpill& operator=(const FlowSpill&) = delete;

    /// Appends a finished connection. Throws sshpath::Error on a write error (disk full).
    void put(const Flow& f);
    std::size_t size() const { return index_.size(); }
    /// Orders the connections by their first packet (as FlowTable::finish() does).
    void sort();
    /// The i-th connection (after sort(): in order of first packet). Throws sshpath::Error on a
    /// read error.
    Flow get(std::size_t i) const;

private:
    struct Slot {
        std::uint64_t first_packet = 0;
        std::uint64_t offset = 0;
        std::uint64_t size = 0;
    };
    std::FILE* file_ = nullptr;
    std::uint64_t end_ = 0;
    std::vector<Slot> index_;
    mutable std::vector<char> buffer_;
};

/// The bytes a finished connection is written as, and back (exposed for tests).
std::vector<char> serialize(const Flow& f);
Flow deserialize(const std::vector<char>& bytes);

}  // namespace sshpath::flow
