#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "sshpath/core/record_file.h"
#include "sshpath/flow/flow.h"

namespace sshpath::flow {

/// Finished connections written to an unnamed temporary file and read back one at a time, so
/// that a capture with thousands of SSH attempts needs memory for one of them, not for all.
/// Only what a finished connection keeps is written (its byte streams are already released).
class FlowSpill {
public:
    /// Throws sshpath::Error if the temporary file cannot be created.
    FlowSpill() = default;

    /// Appends a finished connection. Throws sshpath::Error on a write error (disk full).
    void put(const Flow& f);
    std::size_t size() const { return file_.size(); }
    /// Prepares reading the connections in order of their first packet (as FlowTable::finish()
    /// orders those in memory); call after the last put().
    void sort() { file_.sort(); }

    /// The connections in order of their first packet (those with the same first packet in the
    /// order they were put), one at a time. Valid while the FlowSpill lives and is not put to.
    class Reader {
    public:
        /// Throws std::logic_error if connections were put since the last sort().
        explicit Reader(const FlowSpill& spill) : sorted_(spill.file_) {}
        /// The next connection, or nothing after the last. Throws sshpath::Error on a read error.
        std::optional<Flow> next();
        /// The same, read into `into` (its every field written over, the room of its lists and
        /// strings kept for the next one); false after the last, `into` then unchanged.
        bool next(Flow& into);

    private:
        RecordFile::SortedReader sorted_;
    };

private:
    RecordFile file_;
    std::vector<char> scratch_;  ///< the bytes of the connection being put, reused
};

/// A flow table's finished connections (FlowTable::finish() and spill()), taken one at a time
/// in order of their first packet, from memory or from the temporary file.
class FinishedFlows {
public:
    FinishedFlows(std::deque<Flow> flows, std::shared_ptr<FlowSpill> spill);
    /// The connections not yet taken.
    std::size_t size() const { return left_; }
    /// The next connection, or nullptr after the last; the same until pop(). Throws
    /// sshpath::Error on a read error, or when the temporary file holds fewer than it said.
    Flow* peek();
    /// Done with the connection peek() gave (it may have been moved from).
    void pop();

private:
    std::deque<Flow> flows_;
    std::shared_ptr<FlowSpill> spill_;
    std::optional<FlowSpill::Reader> reader_;
    Flow read_;           ///< the connection read back, each into the last one's room
    bool loaded_ = false;
    std::size_t left_ = 0;
};

/// The bytes a finished connection is written as, and back (exposed for tests).
std::vector<char> serialize(const Flow& f);
Flow deserialize(const std::vector<char>& bytes);

}  // namespace sshpath::flow
