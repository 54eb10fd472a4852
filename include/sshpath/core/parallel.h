#pragma once
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace sshpath {

/// Calls fn(i) for every i in [0, n) on up to `threads` threads (the caller's among them), the
/// indices taken in increasing order. After an exception no new index is started; every index
/// before the failing one has then been started, and the exception of the lowest index that
/// threw is rethrown here once all threads are done. One thread, or n < 2: a plain loop.
template <class Fn>
void parallel_for(std::size_t n, unsigned threads, Fn&& fn) {
    if (threads <= 1 || n < 2) {
        for (std::size_t i = 0; i < n; ++i) fn(i);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::vector<std::exception_ptr> errors(n);
    auto work = [&] {
        for (std::size_t i; !failed.load(std::memory_order_relaxed) && (i = next++) < n;) {
            try {
                fn(i);
            } catch (...) {
                errors[i] = std::current_exception();
                failed = true;
            }
        }
    };
    std::vector<std::thread> pool;
    const std::size_t extra = std::min<std::size_t>(threads, n) - 1;
    for (std::size_t t = 0; t < extra; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

/// The threads to use when asked for `requested`: 0 means one per CPU.
inline unsigned thread_count(unsigned requested) {
    if (requested > 0) return requested;
    const unsigned cpus = std::thread::hardware_concurrency();
    return cpus > 0 ? cpus : 1;
}

}  // namespace sshpath
