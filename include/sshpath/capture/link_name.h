#pragma once

namespace sshpath::capture {

/// Name of a link type for messages, e.g. "EN10MB (Ethernet)": the decoder's name for the types
/// it supports, libpcap's for the others, "link type N" when neither knows it. The pointer stays
/// valid for the life of the process.
const char* link_type_name(int link_type);

}  // namespace sshpath::capture
