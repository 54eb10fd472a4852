#include "read_ahead.h"

#include <pthread.h>

#include <csignal>

namespace sshpath::capture {

namespace {

// A batch holds this many frame bytes (at least one whole record of the largest snap length) or
// this many packets, whichever fills first; this many batches are in flight. Small enough to stay
// in the caches between the two threads.
constexpr std::size_t kBatchBytes = std::size_t{512} << 10;
constexpr std::size_t kBatchPackets = 256;
constexpr std::size_t kBatches = 4;

// Thrown on the reading thread when the caller gave up: unwinds the reading quietly.
struct Cancelled {};

// The signals that must interrupt a read() blocked on a pipe: sent to the process, they reach
// the one thread that does not block them.
sigset_t interrupting_signals() {
    sigset_t s;
    sigemptyset(&s);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGALRM}) sigaddset(&s, sig);
    return s;
}

bool has_handler(int sig) {
    struct sigaction sa {};
    if (sigaction(sig, nullptr, &sa) != 0) return false;
    return (sa.sa_flags & SA_SIGINFO) != 0 || (sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN);
}

}  // namespace

ReadAhead::Slot ReadAhead::add(const std::uint8_t* data, std::uint32_t caplen) {
    if (filling_ && (filling_->bytes.size() + caplen > filling_->bytes.capacity() || filling_->packets.size() == kBatchPackets))
        publish(false);
    if (!filling_) filling_ = take_free();
    Batch& b = *filling_;
    const std::size_t at = b.bytes.size();
    b.bytes.insert(b.bytes.end(), data, data + caplen);  // within the capacity reserved: never moves
    RawFrame& frame = b.frames.emplace_back();
    frame.data = std::span<const std::uint8_t>(b.bytes.data() + at, caplen);
    return Slot{frame, b.packets.emplace_back()};
}

std::unique_ptr<ReadAhead::Batch> ReadAhead::take_free() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !free_.empty() || cancelled_.load(); });
    if (cancelled_) throw Cancelled{};
    auto b = std::move(free_.back());
    free_.pop_back();
    return b;
}

void ReadAhead::publish(bool last, std::exception_ptr error) {
    if (!filling_) filling_ = take_free();
    filling_->last = last;
    filling_->error = std::move(error);
    {
        std::lock_guard lock(mutex_);
        ready_.push_back(std::move(filling_));
    }
    changed_.notify_all();
}

void ReadAhead::produce_all(const Produce& produce) {
    try {
        try {
            produce(*this);
            publish(true);
        } catch (const Cancelled&) {
            throw;
        } catch (...) {
            publish(true, std::current_exception());
        }
    } catch (const Cancelled&) {
        // the caller gave up; nothing waits for more
    }
}

void ReadAhead::consume_all(const Consume& consume) {
    for (;;) {
        std::unique_ptr<Batch> b;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return !ready_.empty(); });
            b = std::move(ready_.front());
            ready_.pop_front();
        }
        for (std::size_t i = 0; i < b->packets.size(); ++i) consume(b->packets[i], b->frames[i]);
        if (b->error) std::rethrow_exception(b->error);
        if (b->last) return;
        b->clear();
        {
            std::lock_guard lock(mutex_);
            free_.push_back(std::move(b));
        }
        changed_.notify_all();
    }
}

void ReadAhead::run(const Produce& produce, const Consume& consume, std::atomic<bool>& cancelled) {
    ReadAhead ra(cancelled);
    for (std::size_t i = 0; i < kBatches; ++i) {
        auto b = std::make_unique<Batch>();
        b->bytes.reserve(kBatchBytes);
        b->frames.reserve(kBatchPackets);
        b->packets.reserve(kBatchPackets);
        ra.free_.push_back(std::move(b));
    }
    const sigset_t block = interrupting_signals();
    sigset_t before;
    pthread_sigmask(SIG_BLOCK, &block, &before);
    std::thread reading([&] {
        pthread_sigmask(SIG_SETMASK, &before, nullptr);
        ra.produce_all(produce);
    });
    try {
        ra.consume_all(consume);
    } catch (...) {
        {
            std::lock_guard lock(ra.mutex_);
            cancelled = true;
        }
        ra.changed_.notify_all();
        // A read() blocked on a quiet pipe returns EINTR, when a handler makes it so.
        if (has_handler(SIGALRM)) pthread_kill(reading.native_handle(), SIGALRM);
        reading.join();
        pthread_sigmask(SIG_SETMASK, &before, nullptr);
        throw;
    }
    reading.join();
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

}  // namespace sshpath::capture
