#pragma once
#include <memory>
#include <type_traits>
#include <utility>

#include "sshpath/core/archive.h"

namespace sshpath {

/// A value held on the heap, and only once it is written to: until then it reads as a
/// default-constructed T and costs one pointer. For a large part of a structure that most
/// instances never fill (a connection's SSH view, read when it finishes, while thousands of
/// connections are live without one). Copies are deep.
template <class T>
class Boxed {
public:
    Boxed() = default;
    Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
    Boxed(Boxed&&) noexcept = default;
    Boxed& operator=(const Boxed& o) {
        if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
        return *this;
    }
    Boxed& operator=(Boxed&&) noexcept = default;
    Boxed& operator=(T v) {
        if (p_)
            *p_ = std::move(v);
        else
            p_ = std::make_unique<T>(std::move(v));
        return *this;
    }

    /// The value, or a default one when never written.
    const T& operator*() const { return p_ ? *p_ : empty(); }
    const T* operator->() const { return &**this; }
    /// The value for writing (allocated now if it was not yet).
    T& operator*() {
        if (!p_) p_ = std::make_unique<T>();
        return *p_;
    }
    T* operator->() { return &**this; }
    /// Whether the value was ever written.
    bool has_value() const { return p_ != nullptr; }
    void reset() { p_.reset(); }

    template <typename Ar>
    friend void field(Ar& ar, Boxed& b) {
        bool has = b.has_value();
        archive::field(ar, has);
        if (has) {
            using archive::field;
            field(ar, *b);
        } else if constexpr (std::is_same_v<Ar, archive::In>) {
            b.reset();
        }
    }

private:
    static const T& empty() {
        static const T value{};
        return value;
    }
    std::unique_ptr<T> p_;
};

}  // namespace sshpath
