#include "sshpath/capture/link_name.h"

#include <pcap/pcap.h>

#include <map>
#include <mutex>
#include <string>

#include "sshpath/packet/link.h"

namespace sshpath::capture {

const char* link_type_name(int link_type) {
    if (const char* known = packet::known_link_type_name(link_type)) return known;
    // Names are built once per link type and kept for the life of the process, so the returned
    // pointer stays valid like the literals above; only error paths get here.
    static std::mutex mutex;
    static std::map<int, std::string> names;
    const std::lock_guard lock(mutex);
    auto [it, inserted] = names.try_emplace(link_type);
    if (inserted) {
        const char* name = pcap_datalink_val_to_name(link_type);
        const char* description = pcap_datalink_val_to_description(link_type);
        if (name == nullptr) {
            it->second = "link type " + std::to_string(link_type);
        } else if (description == nullptr) {
            it->second = name;
        } else {
            it->second = std::string(name) + " (" + description + ")";
        }
    }
    return it->second.c_str();
}

}  // namespace sshpath::capture
