#pragma once
#include <nlohmann/json.hpp>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sshpath::report {

/// Text that is not UTF-8 is written with U+FFFD in its place, by every JSON report.
inline constexpr auto kJsonReplace = nlohmann::ordered_json::error_handler_t::replace;

/// Writes JSON text straight into a string, byte for byte as nlohmann::ordered_json::dump()
/// writes the same document (indent 2, or compact), without building the document first: a
/// report of thousands of attempts writes each one this way. Strings are escaped once, on the
/// way out.
class JsonWriter {
public:
    /// indent: 2 for the indented layout, -1 for one line; level: the nesting the first value
    /// is written at (its continuation lines are indented as if it were that deep).
    JsonWriter(std::string& out, int indent, int level = 0) : out_(out), indent_(indent), base_(level) {
        stack_.reserve(kUsualDepth);
    }

    JsonWriter& begin_object() { return open('{'); }
    JsonWriter& end_object() { return close('}'); }
    JsonWriter& begin_array() { return open('['); }
    JsonWriter& end_array() { return close(']'); }
    /// The key of the next member of the object being written.
    JsonWriter& key(std::string_view k);

    JsonWriter& value(std::string_view s);
    JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(bool b);
    JsonWriter& value(double d);
    template <std::integral T>
        requires(!std::is_same_v<T, bool>)
    JsonWriter& value(T v) {
        if constexpr (std::is_signed_v<T>)
            return integer(static_cast<std::int64_t>(v), false);
        else
            return integer(static_cast<std::int64_t>(v), true, static_cast<std::uint64_t>(v));
    }
    JsonWriter& null();
    /// A value built by nlohmann (a part of the report not worth writing by hand).
    JsonWriter& value(const nlohmann::ordered_json& j);
    /// An array of strings.
    JsonWriter& value(const std::vector<std::string>& items);

    /// key(k).value(v)
    template <class T>
    JsonWriter& member(std::string_view k, const T& v) {
        key(k);
        return value(v);
    }

private:
    /// Nesting made room for at once: an attempt's object is a few levels deep (one writer each).
    static constexpr std::size_t kUsualDepth = 8;
    struct Level {
        bool array;
        bool empty = true;
    };
    JsonWriter& open(char c);
    JsonWriter& close(char c);
    // Before a value: the separator and line break of an array element (a member's were written
    // by key()).
    void before_value();
    void newline(std::size_t depth);
    JsonWriter& integer(std::int64_t v, bool is_unsigned, std::uint64_t u = 0);

    std::string& out_;
    int indent_;
    int base_;
    std::vector<Level> stack_;
    bool after_key_ = false;
};

}  // namespace sshpath::report
