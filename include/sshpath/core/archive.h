#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "sshpath/core/error.h"

/// A binary field list written both ways: Out appends the bytes of each field, In reads them back
/// in the same order. A structure lists its fields once, in an overload of field() found by
/// argument-dependent lookup next to the structure:
///
///     template <typename Ar> void field(Ar& ar, Thing& v) { archive::fields(ar, v.a, v.b); }
///
/// Plain structures (trivially copyable, no pointers) are copied as bytes; strings, vectors,
/// optionals, pairs and maps field by field. Only for data written and read by the same build
/// (temporary files), never for files that outlive the process.
namespace sshpath::archive {

struct Out {
    std::vector<char>& bytes;   ///< holds at least `used` bytes; cut to `used` when done
    std::size_t used = 0;
    // Inline, with the growing out of line: a field of a known size is then a compare and a move
    // or two (a record is hundreds of fields).
    [[gnu::always_inline]] void raw(const void* p, std::size_t n) {
        if (n == 0) return;  // an empty container's data() may be null
        if (bytes.size() - used < n) [[unlikely]]
            grow(n);
        std::memcpy(bytes.data() + used, p, n);
        used += n;
    }
    [[gnu::noinline]] void grow(std::size_t n) { bytes.resize(std::max(bytes.size() * 2, used + n + 1024)); }
};

struct In {
    const char* p;
    const char* end;
    [[gnu::always_inline]] void raw(void* dst, std::size_t n) {
        if (n == 0) return;  // an empty container's data() may be null
        if (static_cast<std::size_t>(end - p) < n) [[unlikely]]
            cut_short();
        std::memcpy(dst, p, n);
        p += n;
    }
    std::size_t left() const { return static_cast<std::size_t>(end - p); }
    [[noreturn, gnu::noinline]] static void cut_short() { throw Error("a record of the temporary file is cut short"); }
};

template <typename T>
constexpr bool kPlain = std::is_trivially_copyable_v<T> && !std::is_pointer_v<T>;

template <typename Ar, typename T>
    requires kPlain<T>
void field(Ar& ar, T& v) {
    ar.raw(&v, sizeof v);
}

template <typename Ar>
[[gnu::always_inline]] inline std::uint64_t count(Ar& ar, std::uint64_t n) {
    ar.raw(&n, sizeof n);
    if constexpr (std::is_same_v<Ar, In>)
        if (n > ar.left()) [[unlikely]]
            In::cut_short();
    return n;
}

/// A string's bytes (a count, then the bytes), written without copying it first; and read back
/// as a view of the record's bytes (valid while they are). field(std::string) is these two.
inline void put_text(Out& ar, std::string_view s) {
    count(ar, s.size());
    ar.raw(s.data(), s.size());
}
inline std::string_view get_text(In& ar) {
    const std::uint64_t n = count(ar, 0);
    const std::string_view s(ar.p, n);
    ar.p += n;
    return s;
}

inline void field(Out& ar, std::string& s) { put_text(ar, s); }
inline void field(In& ar, std::string& s) { s = get_text(ar); }

template <typename Ar, typename A, typename B>
void field(Ar& ar, std::pair<A, B>& p);
template <typename Ar, typename T>
void field(Ar& ar, std::vector<T>& v);
template <typename Ar, typename T>
void field(Ar& ar, std::optional<T>& o);
template <typename Ar, typename K, typename V>
void field(Ar& ar, std::map<K, V>& m);

template <typename Ar, typename... T>
void fields(Ar& ar, T&... v) {
    (field(ar, v), ...);
}

template <typename Ar, typename A, typename B>
void field(Ar& ar, std::pair<A, B>& p) {
    field(ar, p.first);
    field(ar, p.second);
}

template <typename Ar, typename T>
void field(Ar& ar, std::vector<T>& v) {
    const std::uint64_t n = count(ar, v.size());
    if constexpr (std::is_same_v<Ar, In>) v.resize(n);
    if constexpr (kPlain<T>)
        ar.raw(v.data(), v.size() * sizeof(T));
    else
        for (auto& e : v) field(ar, e);
}

template <typename Ar, typename T>
void field(Ar& ar, std::optional<T>& o) {
    bool has = o.has_value();
    field(ar, has);
    if constexpr (std::is_same_v<Ar, In>) {
        if (!has) o.reset();
        if (has && !o) o.emplace();  // a value read into before is written over, its room kept
    }
    if (has) field(ar, *o);
}

template <typename Ar, typename K, typename V>
void field(Ar& ar, std::map<K, V>& m) {
    const std::uint64_t n = count(ar, m.size());
    if constexpr (std::is_same_v<Ar, In>) {
        m.clear();
        for (std::uint64_t i = 0; i < n; ++i) {
            std::pair<K, V> e;
            field(ar, e.first);
            field(ar, e.second);
            m.emplace(std::move(e));
        }
    } else {
        for (auto& [k, v] : m) {
            K key = k;
            field(ar, key);
            field(ar, v);
        }
    }
}

/// The bytes of a value, and the value back (throws sshpath::Error on bytes cut short or left over).
/// Every field() of a structure lists all of its members: a value read into is then the value
/// written, whatever it held before.
/// The overload with a buffer writes into it and returns the bytes written: a buffer reused for
/// every record allocates once, and is never cut back to the record (growing it again would clear
/// the bytes beyond the record each time).
template <typename T>
std::span<const char> to_bytes(const T& v, std::vector<char>& buffer) {
    Out out{buffer};
    field(out, const_cast<T&>(v));  // Out only reads
    return std::span<const char>(buffer.data(), out.used);
}
template <typename T>
std::vector<char> to_bytes(const T& v) {
    std::vector<char> bytes;
    bytes.resize(to_bytes(v, bytes).size());
    return bytes;
}
/// The value read into `v`, every field written over: strings and vectors keep their room, so a
/// value read into again and again (one record after another) allocates little.
template <typename T>
void from_bytes(std::span<const char> bytes, T& v) {
    In in{bytes.data(), bytes.data() + bytes.size()};
    field(in, v);
    if (in.p != in.end) throw Error("a record of the temporary file has trailing bytes");
}
template <typename T>
T from_bytes(const std::vector<char>& bytes) {
    T v{};
    from_bytes(std::span<const char>(bytes), v);
    return v;
}

/// Bytes with their runs of zeros squeezed (a structure's unused fields are mostly zeros): a
/// byte h < 128 is followed by h + 1 bytes as they are; h >= 128 stands for h - 126 zeros.
std::vector<char> pack_zeros(const std::vector<char>& bytes);
/// The bytes pack_zeros() was given (throws sshpath::Error on bytes it did not write).
std::vector<char> unpack_zeros(const std::vector<char>& packed);

/// Bytes with their 8-byte words of zeros left out, written into `out` (replacing what it held):
/// the byte count (4 bytes), then for each 64 words a mask of those that are not zero (8 bytes)
/// and those words, then the last n % 8 bytes as they are. Coarser than pack_zeros() (a record
/// of the temporary files shrinks by two fifths, not three) and several times faster: it
/// costs less than writing and reading back the words it leaves out. Records of 4 GiB and more
/// are not packed (throws sshpath::Error).
void pack_zero_words(std::span<const char> bytes, std::vector<char>& out);
/// The bytes pack_zero_words() was given, written into `out` (throws sshpath::Error on bytes it
/// did not write).
void unpack_zero_words(std::span<const char> packed, std::vector<char>& out);

}  // namespace sshpath::archive
