#pragma once
#include <yaml-cpp/yaml.h>

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/core/error.h"

// The YAML files of rules/ (rules, parameters, data tables): one document each, keys checked,
// problems reported as RuleError "file:line: problem" with a line (and column) found in the text.
namespace sshpath::rules {

// Messages are one line: the CLI prints them as "file:line: problem".
std::string one_line(std::string_view s, std::size_t max = std::string_view::npos);
std::string in_quotes(std::string_view s);
std::string_view rtrim(std::string_view s);
std::string_view kind_of(const YAML::Node& n);
int line_of(const YAML::Node& n);
std::string join(std::span<const std::string_view> words);

struct Where {
    int line;
    int column;  // 0: unknown
};

// The text of a file being parsed, for messages and for finding positions inside scalars.
class Source {
public:
    Source(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {
        std::size_t start = 0;
        while (start <= text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string_view::npos) end = text.size();
            std::string_view line = text.substr(start, end - start);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            lines_.push_back(line);
            start = end + 1;
        }
    }

    const std::string& file() const { return file_; }
    std::string_view text() const { return text_; }

    [[noreturn]] void fail(int line, std::string_view problem) const {
        throw RuleError(file_, line, one_line(problem));
    }

    // Where byte `offset` of a scalar's value (as yaml-cpp returned it) is in the file. Block
    // scalars (| and >) and multi-line plain scalars fold their lines, so each source line of
    // the scalar is looked up in the value in turn. Escapes in quoted scalars defeat the lookup;
    // the position is then the nearest line found, which is close enough for a message.
    Where locate(const YAML::Node& value, std::string_view parsed, std::size_t offset) const;

private:
    static std::size_t indent(std::string_view line) {
        const auto i = line.find_first_not_of(' ');
        return i == std::string_view::npos ? line.size() : i;
    }

    std::string_view text_;
    std::string file_;
    std::vector<std::string_view> lines_;
};


// The file's single document (a null node when there is none).
YAML::Node load_document(const Source& src);

struct Entry {
    YAML::Node key;
    YAML::Node value;
};

// The keys of a mapping, checked: scalar, not repeated, known.
std::map<std::string, Entry, std::less<>> read_keys(const Source& src, const YAML::Node& map,
                                                    std::span<const std::string_view> known, std::string_view what);

// Where a problem with a value is: the value's line, or its key's when the value is empty
// (yaml-cpp marks an empty value at the next token).
int value_line(const Entry& e);

}  // namespace sshpath::rules
