// The flow table's wire observations on the captures recorded in captures/ (tests/lab).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "sshpath/capture/reader.h"
#include "sshpath/flow/flow.h"

namespace sshpath::flow {
namespace {

namespace fs = std::filesystem;

const fs::path kCaptures = fs::path(SSHPATH_SOURCE_DIR) / "captures";

struct Read {
    FlowTable table{FlowOptions{}};
    std::deque<Flow> flows;
    std::uint64_t packets = 0;
};

// A capture through the reader and the flow table, as `sshpath analyze` reads it.
Read read_capture(const fs::path& path) {
    Read r;
    capture::Reader reader(path.string());
    reader.for_each([&](const packet::Packet& p) {
        ++r.packets;
        r.table.add(p);
    });
    r.flows = r.table.finish();
    return r;
}

TEST(CapturesTest, BundledFailureCapturesHoldNoCopies) {
    // Recorded on one interface of the client: every frame once, so dropping copies leaves their
    // verdicts as they were.
    int seen = 0;
    for (const auto& entry : fs::directory_iterator(kCaptures)) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() != ".pcap" || name.starts_with("duplicate-")) continue;
        SCOPED_TRACE(name);
        Read r = read_capture(entry.path());
        EXPECT_EQ(r.table.duplicates().frames, 0u);
        for (const Flow& f : r.flows) EXPECT_EQ(f.wire.duplicates, 0u);
        ++seen;
    }
    EXPECT_GT(seen, 30);
}

}  // namespace
}  // namespace sshpath::flow
