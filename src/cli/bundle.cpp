#include "cli/bundle.h"

#include <fmt/format.h>
#include <unistd.h>

#include "cli/common.h"
#include "sshpath/posix/fd.h"

namespace po = boost::program_options;

namespace sshpath::cli {

void add_bundle_options(po::options_description& desc) {
    desc.add_options()
        ("export", po::value<std::string>()->value_name("FILE"),
         "write the packets of the reported connections, with a comment on each evidence packet, to FILE (pcapng)")
        ("anonymize", "map addresses (prefix-preserving) and MAC addresses, drop payload past the identification strings: in the report and the export")
        ("anonymize-key", po::value<std::string>()->value_name("KEY"),
         "with --anonymize: the same KEY gives the same mapping (default: a random key)");
}

Bundle::Bundle(const po::variables_map& vm) {
    if (vm.count("export")) {
        export_path_ = vm["export"].as<std::string>();
        if (export_path_->empty()) throw UsageError("--export: no file name given");
    }
    if (vm.count("anonymize-key") && !vm.count("anonymize")) throw UsageError("--anonymize-key: give --anonymize too");
    if (vm.count("anonymize")) map_.emplace(vm.count("anonymize-key") ? vm["anonymize-key"].as<std::string>() : std::string());
    if (vm.count("anonymize-key") && vm["anonymize-key"].as<std::string>().empty()) throw UsageError("--anonymize-key: empty key");
}

void Bundle::prepare_files(const std::vector<std::string>& files, engine::AnalyzeOptions& options) {
    if (!exporting() && !anonymizing()) return;
    for (const auto& f : files)
        if (f == "-")
            throw UsageError(fmt::format("{}: standard input cannot be read a second time; save the capture to a file first "
                                         "(tcpdump -w FILE, or 'sshpath capture --write FILE') and analyse that",
                                         exporting() ? "--export" : "--anonymize"));
    if (!anonymizing()) return;
    for (const auto& f : files) {
        auto learned = std::make_unique<report::CaptureAnonymizer>(*map_);
        learned->learn(f);
        learned_[f] = std::move(learned);
    }
    options.rewrite_for = [this](const std::string& file) { return learned_.at(file)->rewriter(); };
    if (options.host_address) {
        options.host_address = map_->map(*options.host_address);
        options.host = options.host_address->to_string();
    }
    report_from_mapped_packets_ = true;
}

std::string Bundle::anonymize_report(const std::string& report) const {
    if (!anonymizing() || report_from_mapped_packets_) return report;
    return map_->map_text(report);
}

void Bundle::write_export(const engine::Analysis& a, const std::vector<std::pair<std::string, std::string>>& files) {
    if (!exporting()) return;
    std::vector<report::ExportSource> sources;
    for (const auto& [capture, file] : files) {
        report::ExportSource s{capture, file, nullptr, false};
        if (anonymizing()) {
            if (!learned_.count(file)) {
                auto learned = std::make_unique<report::CaptureAnonymizer>(*map_);
                learned->learn(file);
                learned_[file] = std::move(learned);
            }
            s.rewrite = learned_.at(file)->rewriter();
            s.rewrite_after_choosing = !report_from_mapped_packets_;
        }
        sources.push_back(std::move(s));
    }
    for (const auto& done : report::export_packets(a, sources, *export_path_, fmt::format("sshpath {}", SSHPATH_VERSION), std::move(opened_)))
        posix::write_all(STDERR_FILENO, fmt::format("sshpath: exported {} packets of {} ({} with evidence comments{}) to {}\n", done.packets,
                                                    done.capture, done.comments, anonymizing() ? ", anonymised" : "", done.path));
}

}  // namespace sshpath::cli
