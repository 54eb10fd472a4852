#include "sshpath/report/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace sshpath::report {
namespace {

using nlohmann::ordered_json;

// The same document written by hand and built as nlohmann's DOM: the bytes must be equal, in
// both layouts, at any starting depth.
void write_sample(JsonWriter& j) {
    j.begin_object();
    j.member("plain", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10");
    j.member("escapes", std::string("quote \" backslash \\ tab \t newline \n nul \0 del \x7f", 48));
    j.member("utf8", "caf\xc3\xa9 \xe2\x80\x94 ok");
    j.member("invalid", "bad \xff\xfe bytes \xc3");
    j.member("int", -42);
    j.member("unsigned", std::numeric_limits<std::uint64_t>::max());
    j.member("byte", std::uint8_t{64});
    for (double d : {0.0, -0.0, 1.0, 0.608, 1e-5, 123456789012.345, 1e21, 0.1 + 0.2})
        j.member("real", d);
    j.member("nan", std::nan(""));
    j.member("yes", true);
    j.key("none").null();
    j.key("empty_object").begin_object().end_object();
    j.key("empty_array").begin_array().end_array();
    j.key("nested").begin_array();
    j.begin_object().member("a", 1).key("b").begin_array().value(2).value("three").end_array().end_object();
    j.value(std::vector<std::string>{"x", "y"});
    j.value(ordered_json{{"from", "nlohmann"}, {"list", {1, 2}}});
    j.end_array();
    j.end_object();
}

ordered_json sample_dom() {
    ordered_json j;
    j["plain"] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10";
    j["escapes"] = std::string("quote \" backslash \\ tab \t newline \n nul \0 del \x7f", 48);
    j["utf8"] = "caf\xc3\xa9 \xe2\x80\x94 ok";
    j["invalid"] = "bad \xff\xfe bytes \xc3";
    j["int"] = -42;
    j["unsigned"] = std::numeric_limits<std::uint64_t>::max();
    j["byte"] = std::uint8_t{64};
    // A key written twice stays once in a DOM: the last value, here 0.1 + 0.2.
    j["real"] = 0.1 + 0.2;
    j["nan"] = std::nan("");
    j["yes"] = true;
    j["none"] = nullptr;
    j["empty_object"] = ordered_json::object();
    j["empty_array"] = ordered_json::array();
    j["nested"] = {ordered_json{{"a", 1}, {"b", {2, "three"}}}, {"x", "y"}, ordered_json{{"from", "nlohmann"}, {"list", {1, 2}}}};
    return j;
}

std::string written(int indent, int level) {
    std::string out;
    JsonWriter j(out, indent, level);
    write_sample(j);
    return out;
}

// The DOM's text with each duplicate "real" member restored, indented as at `level`.
std::string expected(int indent, int level) {
    const auto replace = ordered_json::error_handler_t::replace;
    std::string text = sample_dom().dump(indent, ' ', false, replace);
    std::string reals;
    const std::string sep = indent < 0 ? "," : ",\n  ";
    const std::string colon = indent < 0 ? ":" : ": ";
    for (double d : {0.0, -0.0, 1.0, 0.608, 1e-5, 123456789012.345, 1e21})
        reals += "\"real\"" + colon + ordered_json(d).dump() + sep;
    const std::string at = "\"real\"" + colon;
    text.insert(text.find(at), reals);
    if (indent >= 0) {
        const std::string pad(static_cast<std::size_t>(level * indent), ' ');
        for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', nl + 1)) text.insert(nl + 1, pad);
    }
    return text;
}

TEST(JsonWriterTest, IndentedAsNlohmannDumps) { EXPECT_EQ(written(2, 0), expected(2, 0)); }

TEST(JsonWriterTest, IndentedAtADepth) { EXPECT_EQ(written(2, 2), expected(2, 2)); }

TEST(JsonWriterTest, OnOneLineAsNlohmannDumps) { EXPECT_EQ(written(-1, 0), expected(-1, 0)); }

}  // namespace
}  // namespace sshpath::report
