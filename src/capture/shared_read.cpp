// One capture read once and handed whole to several threads (capture::SharedRead).

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "classic.h"
#include "sshpath/capture/live.h"
#include "sshpath/capture/reader.h"
#include "sshpath/core/error.h"

namespace sshpath::capture {

namespace {
// Blocks in the ring: how far the threads may drift apart (about 4 MiB in all; fewer, larger
// blocks fall out of the cache between the kernel's copy and the decoder, fewer small ones leave
// the threads too little room when a pipe's writer is slow).
constexpr std::size_t kRingBlocks = 16;
constexpr std::uint64_t kNoBlock = ~std::uint64_t{0};
// How far ahead of the record being decoded a block's bytes are fetched into the cache.
constexpr std::size_t kAhead = 4096;
}  // namespace

struct SharedRead::Ring {
    struct Block {
        std::unique_ptr<std::uint8_t[]> data;
        std::size_t records = 0;  ///< bytes of whole records from the start; the rest is the next record's start
        std::size_t held = 0;     ///< bytes held
        std::uint64_t number = kNoBlock;
        unsigned users = 0;  ///< consumers not yet done with it
        bool last = false;
        bool stopped = false;
        std::string truncation;  ///< the capture ends in this record (libpcap's words)
        std::string error;       ///< a read error, or a damaged record header, after the whole records
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<Block> blocks{kRingBlocks};
    unsigned consumers = 0;
    std::uint64_t next_to_read = 0;
    bool reading = false;
    bool ended = false;  ///< the last block was read
    bool abandoned = false;
    std::vector<ReadStats> stats;
    detail::ReaderSource source;

    // Reads block `n` into its place: the part of the record the block before ended in, then
    // as much of the input as fits, walked up to the last whole record.
    void fill(const detail::ReaderSource& in, Block& b, std::uint64_t n) {
        std::size_t carry = 0;
        if (n == 0) {
            carry = in.read_ahead.size();  // bytes the reader had already read ahead, if any
            std::memcpy(b.data.get(), in.read_ahead.data(), carry);
        } else {
            const Block& before = blocks[(n - 1) % kRingBlocks];
            carry = before.held - before.records;
            std::memcpy(b.data.get(), before.data.get() + before.records, carry);
        }
        bool stopped = false;
        const std::size_t room = detail::kBlock - carry;
        const std::size_t got = detail::read_some(in.file, b.data.get() + carry, room, *in.stop, stopped);
        b.held = carry + got;
        b.truncation.clear();
        b.error.clear();
        b.stopped = stopped;
        const bool ends = got < room;  // the end of the input, or told to stop
        if (ends && !stopped && std::ferror(in.file))
            b.error = detail::read_error_message(in.path);
        const bool sw = in.header.swapped;
        const std::uint32_t snapshot = in.header.snapshot;
        std::size_t pos = 0;
        b.last = ends || !b.error.empty();
        while (b.error.empty()) {
            const std::size_t left = b.held - pos;
            if (left < detail::kRecordHeader) {
                if (ends && left > 0 && !stopped) b.truncation = detail::header_cut_message(left);
                break;
            }
            const std::uint32_t caplen = detail::load32(b.data.get() + pos + 8, sw);
            if (caplen > detail::kMaxSnaplen) {
                b.error = detail::bad_caplen_message(in.path, caplen, snapshot);
                b.last = true;
                break;
            }
            if (left < detail::kRecordHeader + caplen) {
                if (ends && !stopped) b.truncation = detail::record_cut_message(caplen, snapshot, left - detail::kRecordHeader);
                break;
            }
            pos += detail::kRecordHeader + caplen;
        }
        b.records = pos;
    }

    // Reads the next block into its place, the lock released meanwhile.
    void read_next(std::unique_lock<std::mutex>& lock, const detail::ReaderSource& in) {
        const std::uint64_t n = next_to_read;
        Block& b = blocks[n % kRingBlocks];
        reading = true;
        lock.unlock();
        try {
            fill(in, b, n);
        } catch (...) {
            lock.lock();
            reading = false;
            abandoned = true;
            changed.notify_all();
            throw;
        }
        lock.lock();
        b.number = n;
        b.users = consumers;
        ended = b.last;
        reading = false;
        ++next_to_read;
        changed.notify_all();
    }

    bool may_read(std::uint64_t n) const {
        return !reading && !ended && next_to_read == n && blocks[n % kRingBlocks].users == 0;
    }

    // Block `n` for a consumer, read first if no one has yet; nullptr once another consumer
    // failed. A consumer that finds its block ready reads the one after it too if it can, so
    // that the others seldom wait for a block being read.
    Block* take(const detail::ReaderSource& in, std::uint64_t n) {
        std::unique_lock lock(mutex);
        for (;;) {
            if (abandoned) return nullptr;
            Block& b = blocks[n % kRingBlocks];
            if (b.number == n) {
                if (may_read(n + 1)) read_next(lock, in);
                return &b;
            }
            if (may_read(n)) {
                read_next(lock, in);
                continue;
            }
            changed.wait(lock);
        }
    }

    void done_with(Block& b) {
        std::lock_guard lock(mutex);
        if (--b.users == 0) changed.notify_all();
    }

    void abandon() {
        std::lock_guard lock(mutex);
        abandoned = true;
        changed.notify_all();
    }
};

SharedRead::SharedRead(Reader& reader, unsigned consumers) : reader_(reader), ring_(std::make_unique<Ring>()) {
    ring_->source = detail::source_of(reader);
    ring_->consumers = std::max(consumers, 1u);
    for (auto& b : ring_->blocks) b.data = std::make_unique_for_overwrite<std::uint8_t[]>(detail::kBlock);
    ring_->stats.assign(ring_->consumers, reader.stats());
}

SharedRead::~SharedRead() = default;

const ReadStats& SharedRead::stats() const { return ring_->stats.front(); }

void SharedRead::for_each(unsigned consumer, const std::function<void(const packet::Packet&)>& fn) {
    Ring& ring = *ring_;
    const detail::ReaderSource& in = ring.source;
    ReadStats& stats = ring.stats.at(consumer);
    packet::Packet packet;
    const bool sw = in.header.swapped;
    const std::uint32_t snapshot = in.header.snapshot;
    for (std::uint64_t n = 0;; ++n) {
        Ring::Block* b = ring.take(in, n);
        if (b == nullptr) return;  // another consumer failed: its error is the answer
        try {
            const std::uint8_t* data = b->data.get();
            // The block was read on another thread, maybe by another CPU: its lines are asked
            // for kAhead bytes before they are needed, each once (records are found one from
            // the other, which the CPU's own prefetching does not follow).
            std::size_t fetched = 0;
            for (std::size_t pos = 0; pos < b->records;) {
                for (const std::size_t to = std::min(pos + kAhead, b->records); fetched < to; fetched += 64)
                    __builtin_prefetch(data + fetched);
                const std::uint8_t* h = data + pos;
                RawFrame raw = detail::record_time(h, in.header);
                const std::uint32_t caplen = detail::load32(h + 8, sw);
                raw.wirelen = detail::load32(h + 12, sw);
                raw.caplen = std::min(caplen, snapshot);  // cut to the snapshot length, as libpcap does
                raw.data = std::span<const std::uint8_t>(h + detail::kRecordHeader, raw.caplen);
                pos += detail::kRecordHeader + caplen;
                decode_frame(stats.link_type, raw, packet, stats);
                fn(packet);
            }
        } catch (...) {
            ring.done_with(*b);
            ring.abandon();
            throw;
        }
        const bool last = b->last;
        stats.stopped = b->stopped;
        if (!b->truncation.empty()) {
            stats.truncated = true;
            stats.truncation_message = b->truncation;
        }
        const std::string error = b->error;
        ring.done_with(*b);
        if (!error.empty()) throw InputError(error);
        if (last) return;
    }
}

}  // namespace sshpath::capture
