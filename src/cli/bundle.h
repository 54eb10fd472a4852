#pragma once
#include <boost/program_options.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sshpath/engine/analyzer.h"
#include "sshpath/posix/fd.h"
#include "sshpath/report/anonymize.h"
#include "sshpath/report/export.h"

/// The support bundle's options, shared by analyze, capture and run: --export FILE.pcapng,
/// --anonymize and --anonymize-key KEY.
namespace sshpath::cli {

void add_bundle_options(boost::program_options::options_description& desc);

class Bundle {
public:
    /// Reads the options; UsageError when they do not fit together.
    explicit Bundle(const boost::program_options::variables_map& vm);
    bool exporting() const { return export_path_.has_value(); }
    bool anonymizing() const { return map_.has_value(); }
    const std::string& export_path() const { return *export_path_; }
    /// capture and run: creates the export file now (before privileges go), for write_export().
    posix::Fd& opened_export() { return opened_; }

    /// analyze: refuses standard input (it cannot be read twice), reads each file once to learn
    /// what to keep, and makes `options` analyse the anonymised packets (--host mapped too).
    void prepare_files(const std::vector<std::string>& files, engine::AnalyzeOptions& options);
    /// capture and run: a report of packets that were not anonymised has its addresses mapped
    /// (text, JSON and Markdown alike); the report of prepare_files() is left as it is.
    std::string anonymize_report(const std::string& report) const;
    /// Writes the export of each capture (read again from `files`: capture name -> file) and says
    /// what was written on standard error.
    void write_export(const engine::Analysis& a, const std::vector<std::pair<std::string, std::string>>& files);

private:
    std::optional<std::string> export_path_;
    std::optional<report::AddressMap> map_;
    std::map<std::string, std::unique_ptr<report::CaptureAnonymizer>> learned_;
    bool report_from_mapped_packets_ = false;
    posix::Fd opened_;
};

}  // namespace sshpath::cli
