#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sshpath/capture/reader.h"
#include "sshpath/packet/packet.h"

namespace sshpath::capture {

/// Reading and decoding on a thread of their own, ahead of the caller, who only gets the decoded
/// packets (in order, with their frames). The reading thread copies each frame into a batch and
/// decodes it there; full batches go to the caller through a short queue, and come back empty.
/// What the reading thread throws reaches the caller after the packets read before it.
///
/// While it runs, the calling thread blocks the stop signals (SIGINT, SIGTERM, SIGHUP) and SIGALRM,
/// so that they interrupt the reading thread's blocked read(): a pipe that goes quiet still stops.
class ReadAhead {
public:
    /// One frame as read: copies it into the batch being filled and returns the copy, to be
    /// decoded into the packet returned beside it.
    struct Slot {
        RawFrame& frame;
        packet::Packet& packet;
    };
    using Produce = std::function<void(ReadAhead&)>;
    using Consume = std::function<void(const packet::Packet&, const RawFrame&)>;

    /// Runs `produce` on the reading thread (it calls add() per frame) and `consume` here, per
    /// packet, until `produce` returns or throws; rethrows what either threw. `cancelled` tells
    /// the reading thread that the caller gave up (it should return soon).
    static void run(const Produce& produce, const Consume& consume, std::atomic<bool>& cancelled);

    /// Reading thread: a slot for a frame of `caplen` bytes, whose bytes are copied from `data`.
    Slot add(const std::uint8_t* data, std::uint32_t caplen);

private:
    struct Batch {
        std::vector<std::uint8_t> bytes;   ///< the frames, copied (reserved once: never moves)
        std::vector<RawFrame> frames;
        std::vector<packet::Packet> packets;
        std::exception_ptr error;          ///< thrown after these packets
        bool last = false;
        void clear() {
            bytes.clear();
            frames.clear();
            packets.clear();
            error = nullptr;
            last = false;
        }
    };
    explicit ReadAhead(std::atomic<bool>& cancelled) : cancelled_(cancelled) {}
    void publish(bool last, std::exception_ptr error = nullptr);
    std::unique_ptr<Batch> take_free();
    void produce_all(const Produce& produce);
    void consume_all(const Consume& consume);

    std::atomic<bool>& cancelled_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::unique_ptr<Batch>> ready_;
    std::vector<std::unique_ptr<Batch>> free_;
    std::unique_ptr<Batch> filling_;  ///< reading thread's own
};

}  // namespace sshpath::capture
