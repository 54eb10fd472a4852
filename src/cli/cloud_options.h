#pragma once
#include <boost/program_options.hpp>

#include "sshpath/cloud/evaluate.h"
#include "sshpath/engine/analyzer.h"

/// Exported cloud rules evaluated for each connection of a capture (analyze, capture, run): the
/// options, and the wiring of the cloud stage into the engine's per-connection facts.
namespace sshpath::cli {

/// --vnet, --asg, --tag, --service-account, --sshd-port: what the exports may not say (shared
/// with cloud-verify).
void add_cloud_context_options(boost::program_options::options_description& desc);
/// Those options as the evaluator's context; UsageError for a malformed value.
cloud::Context cloud_context(const boost::program_options::variables_map& vm);

/// --cloud-rules FILE (repeatable), --cloud-from, --cloud-vm and the context options above.
void add_cloud_options(boost::program_options::options_description& desc);
/// Loads the --cloud-rules files (InputError: one line, exit 2) and sets options.flow_facts so
/// that flow rules read the connection's `cloud` facts. Without --cloud-rules it does nothing,
/// and the other cloud options are a usage error.
void wire_cloud_rules(const boost::program_options::variables_map& vm, engine::AnalyzeOptions& options);

}  // namespace sshpath::cli
