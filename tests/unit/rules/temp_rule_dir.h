#pragma once
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "sshpath/core/error.h"
#include "sshpath/rules/rule_set.h"

namespace sshpath::rules::testing {

/// A temporary rule directory, removed when the test ends.
class TempRuleDir {
public:
    TempRuleDir() {
        std::random_device rd;
        const auto base = std::filesystem::temp_directory_path();
        do {
            path_ = base / ("sshpath-rules-test-" + std::to_string(rd()));
        } while (!std::filesystem::create_directory(path_));
    }
    ~TempRuleDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempRuleDir(const TempRuleDir&) = delete;
    TempRuleDir& operator=(const TempRuleDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    /// The name messages use for a file of the directory.
    std::string file(const std::string& name) const { return (path_ / name).string(); }

    void write(const std::string& name, const std::string& text) const {
        std::ofstream out(path_ / name, std::ios::binary);
        out << text;
    }

    /// what() of the RuleError load() throws, or "" when it loads.
    std::string load_error() const {
        try {
            RuleSet::load(path_);
        } catch (const RuleError& e) {
            return e.what();
        }
        return "";
    }

private:
    std::filesystem::path path_;
};

/// A valid flow rule; `extra` lines are appended (and may override nothing: keys must be new).
inline std::string flow_rule(const std::string& id, const std::string& condition, int priority = 50,
                             const std::string& extra = "") {
    return "id: " + id +
           "\n"
           "title: A test rule\n"
           "status: stable\n"
           "description: For tests.\n"
           "priority: " +
           std::to_string(priority) +
           "\n"
           "cause: silent-drop\n"
           "component: unknown\n"
           "candidates: [edge, acl, nsg, vm]\n"
           "confidence: medium\n"
           "condition: " +
           condition +
           "\n"
           "summary: \"rule " +
           id + " matched\"\n" + extra;
}

/// A parameters.yaml with silent_drop_min_syns = 2 and banner_timeout_s = 10.5.
inline const std::string kParameters =
    "silent_drop_min_syns:\n"
    "  value: 2\n"
    "  unit: packets\n"
    "  description: SYNs without any answer before a drop is called\n"
    "banner_timeout_s:\n"
    "  value: 10.5\n"
    "  unit: s\n"
    "  description: seconds without an identification string\n";

}  // namespace sshpath::rules::testing
