#include "sshpath/report/json_writer.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstring>

#include "sshpath/core/ascii.h"

namespace sshpath::report {

namespace {

// Bytes that nlohmann writes as they are (with ensure_ascii off): all printable ASCII but the
// quote and the backslash. Anything else goes through nlohmann itself, for the same escapes and
// the same replacement of invalid UTF-8.
bool plain(std::string_view s) { return ascii::printable(s, '"', '\\'); }

// `s` as a JSON string, then `after` (a key's colon): the string grows once, not once a piece.
void quoted(std::string& out, std::string_view s, std::string_view after = {}) {
    if (!plain(s)) {
        out += nlohmann::ordered_json(std::string(s)).dump(-1, ' ', false, kJsonReplace);
        out += after;
        return;
    }
    const std::size_t at = out.size();
    out.resize(at + s.size() + 2 + after.size());
    char* p = out.data() + at;
    *p++ = '"';
    // An empty view's data() may be null, which memcpy must not be given even for no bytes.
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    p += s.size();
    *p++ = '"';
    if (!after.empty()) std::memcpy(p, after.data(), after.size());
}

}  // namespace

void JsonWriter::newline(std::size_t depth) {
    out_ += '\n';
    out_.append(depth * static_cast<std::size_t>(indent_), ' ');
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (stack_.empty()) return;
    Level& l = stack_.back();
    if (!l.empty) out_ += ',';
    l.empty = false;
    if (indent_ >= 0) newline(static_cast<std::size_t>(base_) + stack_.size());
}

JsonWriter& JsonWriter::key(std::string_view k) {
    Level& l = stack_.back();
    if (!l.empty) out_ += ',';
    l.empty = false;
    if (indent_ >= 0) newline(static_cast<std::size_t>(base_) + stack_.size());
    quoted(out_, k, indent_ >= 0 ? std::string_view(": ") : std::string_view(":"));
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::open(char c) {
    before_value();
    out_ += c;
    stack_.push_back(Level{c == '['});
    return *this;
}

JsonWriter& JsonWriter::close(char c) {
    const bool empty = stack_.back().empty;
    stack_.pop_back();
    if (!empty && indent_ >= 0) newline(static_cast<std::size_t>(base_) + stack_.size());
    out_ += c;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
    before_value();
    quoted(out_, s);
    return *this;
}

JsonWriter& JsonWriter::value(bool b) {
    before_value();
    out_ += b ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::value(double d) {
    before_value();
    if (!std::isfinite(d)) {
        out_ += "null";
        return *this;
    }
    // nlohmann's own shortest form (Grisu2, ".0" on whole numbers), as dump() writes it.
    std::array<char, 64> buffer{};
    char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), d);
    out_.append(buffer.data(), end);
    return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t v, bool is_unsigned, std::uint64_t u) {
    before_value();
    const auto text = is_unsigned ? fmt::format_int(u) : fmt::format_int(v);
    out_.append(text.data(), text.size());
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    out_ += "null";
    return *this;
}

JsonWriter& JsonWriter::value(const nlohmann::ordered_json& j) {
    before_value();
    if (indent_ < 0) {
        out_ += j.dump(-1, ' ', false, kJsonReplace);
        return *this;
    }
    const std::string text = j.dump(indent_, ' ', false, kJsonReplace);
    const std::string pad((static_cast<std::size_t>(base_) + stack_.size()) * static_cast<std::size_t>(indent_), ' ');
    std::size_t from = 0;
    for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
        out_.append(text, from, nl + 1 - from);
        out_ += pad;
        from = nl + 1;
    }
    out_.append(text, from, std::string::npos);
    return *this;
}

JsonWriter& JsonWriter::value(const std::vector<std::string>& items) {
    begin_array();
    for (const auto& s : items) value(s);
    return end_array();
}

}  // namespace sshpath::report
