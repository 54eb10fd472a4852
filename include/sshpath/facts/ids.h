#pragma once
// The typed id of every fact, one namespace per scope (facts::flow::syn_count,
// facts::capture::packets, ...), made by the preprocessor from the scopes' .def files.
// Included by facts.h after Id is declared.

namespace sshpath::facts {

#define SSHPATH_SCOPE_NS flow
#define SSHPATH_SCOPE_VALUE Scope::kFlow
#define SSHPATH_SCOPE_DEF "sshpath/facts/flow.def"
#include "sshpath/facts/scope_ids.inc"

#define SSHPATH_SCOPE_NS capture
#define SSHPATH_SCOPE_VALUE Scope::kCapture
#define SSHPATH_SCOPE_DEF "sshpath/facts/capture.def"
#include "sshpath/facts/scope_ids.inc"

#define SSHPATH_SCOPE_NS attempt
#define SSHPATH_SCOPE_VALUE Scope::kAttempt
#define SSHPATH_SCOPE_DEF "sshpath/facts/attempt.def"
#include "sshpath/facts/scope_ids.inc"

#define SSHPATH_SCOPE_NS live
#define SSHPATH_SCOPE_VALUE Scope::kLive
#define SSHPATH_SCOPE_DEF "sshpath/facts/live.def"
#include "sshpath/facts/scope_ids.inc"

#define SSHPATH_SCOPE_NS probe
#define SSHPATH_SCOPE_VALUE Scope::kProbe
#define SSHPATH_SCOPE_DEF "sshpath/facts/probe.def"
#include "sshpath/facts/scope_ids.inc"

#define SSHPATH_SCOPE_NS client
#define SSHPATH_SCOPE_VALUE Scope::kClient
#define SSHPATH_SCOPE_DEF "sshpath/facts/client.def"
#include "sshpath/facts/scope_ids.inc"

#define SSHPATH_SCOPE_NS cloud
#define SSHPATH_SCOPE_VALUE Scope::kCloud
#define SSHPATH_SCOPE_DEF "sshpath/facts/cloud.def"
#include "sshpath/facts/scope_ids.inc"

#define SSHPATH_SCOPE_NS pair
#define SSHPATH_SCOPE_VALUE Scope::kPair
#define SSHPATH_SCOPE_DEF "sshpath/facts/pair.def"
#include "sshpath/facts/scope_ids.inc"

}  // namespace sshpath::facts
