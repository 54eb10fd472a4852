#include "sshpath/facts/facts.h"

#include "sshpath/core/archive.h"
#include "sshpath/core/error.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace sshpath::facts {
namespace {

TEST(FactSetTest, SetsAndGetsByTypedId) {
    FactSet fs(Scope::kFlow);
    EXPECT_EQ(fs.get(flow::syn_count), 0);
    EXPECT_EQ(fs.get(flow::server_hops), -1);
    EXPECT_EQ(fs.get(flow::client_banner), "");
    fs.set(flow::syn_count, 4);
    fs.set(flow::synack_seen, true);
    fs.set(flow::server_banner, "SSH-2.0-OpenSSH_9.2");
    fs.set(flow::syn_span_s, 3.5);
    EXPECT_EQ(fs.get(flow::syn_count), 4);
    EXPECT_TRUE(fs.get(flow::synack_seen));
    EXPECT_EQ(fs.get(flow::server_banner), "SSH-2.0-OpenSSH_9.2");
    EXPECT_EQ(fs.get(flow::syn_span_s), 3.5);
    fs.set(flow::server_banner, "SSH-2.0-other");  // a string set twice keeps one slot
    EXPECT_EQ(fs.get(flow::server_banner), "SSH-2.0-other");
}

TEST(FactSetTest, TellsAValueEqualToItsDefaultAsGetWould) {
    const FactSet none(Scope::kFlow);
    FactSet fs(Scope::kFlow);
    auto same_as_get = [&](const FactSet& set, const Spec& spec) {
        return set.is_default(spec) == (set.get(spec) == default_value(spec));
    };
    const Spec* specs[] = {&flow::syn_count.spec(), &flow::server_port.spec(), &flow::synack_seen.spec(),
                           &flow::start_time.spec(), &flow::duration_s.spec(), &flow::client_banner.spec()};
    for (const Spec* spec : specs) {
        EXPECT_TRUE(none.is_default(*spec)) << spec->name;
        EXPECT_TRUE(same_as_get(none, *spec)) << spec->name;
    }
    fs.set(flow::syn_count, 0);        // set to its default: still the default
    fs.set(flow::server_port, 0);      // default -1
    fs.set(flow::synack_seen, true);
    fs.set(flow::start_time, -1.0);    // the default, set
    fs.set(flow::duration_s, -0.0);    // equal to 0.0 as a number, not as bits
    fs.set(flow::client_banner, "");   // the empty default, set
    EXPECT_TRUE(fs.is_default(flow::syn_count.spec()));
    EXPECT_FALSE(fs.is_default(flow::server_port.spec()));
    EXPECT_FALSE(fs.is_default(flow::synack_seen.spec()));
    EXPECT_TRUE(fs.is_default(flow::start_time.spec()));
    EXPECT_TRUE(fs.is_default(flow::duration_s.spec()));
    EXPECT_TRUE(fs.is_default(flow::client_banner.spec()));
    fs.set(flow::client_banner, "SSH-2.0-x");
    fs.set(flow::duration_s, 0.5);
    EXPECT_FALSE(fs.is_default(flow::client_banner.spec()));
    EXPECT_FALSE(fs.is_default(flow::duration_s.spec()));
    for (const Spec* spec : specs) EXPECT_TRUE(same_as_get(fs, *spec)) << spec->name;
    EXPECT_EQ(fs.text(flow::client_banner.spec()), "SSH-2.0-x");
    EXPECT_EQ(fs.text(flow::duration_s.spec()), "0.5");
    EXPECT_EQ(fs.text(flow::synack_seen.spec()), "true");
}

// In a temporary file only the slots that differ from their defaults are written; read back into
// a set that held other values, every fact is as it was, and a set never set stays so.
TEST(FactSetTest, ComesBackFromARecordWithOnlyItsSetSlots) {
    const FactSet none(Scope::kFlow);
    FactSet some(Scope::kFlow);
    some.set(flow::syn_count, 4);
    some.set(flow::server_banner, "SSH-2.0-x");
    some.set(flow::client_banner, "");  // the empty default, set
    some.set(flow::duration_s, -0.0);   // not the bits of the default 0.0
    some.set(flow::start_time, -1.0);   // the default, set
    for (const FactSet* fs : {&none, static_cast<const FactSet*>(&some)}) {
        const std::vector<char> bytes = archive::to_bytes(*fs);
        FactSet back(Scope::kFlow);
        back.set(flow::syn_count, 9);
        back.set(flow::server_port, 2222);
        back.set(flow::client_banner, "old");
        archive::from_bytes(std::span<const char>(bytes), back);
        for (const Spec& spec : facts_of(Scope::kFlow)) {
            EXPECT_EQ(back.get(spec), fs->get(spec)) << spec.name;
            EXPECT_EQ(back.text(spec), fs->text(spec)) << spec.name;
            EXPECT_EQ(back.is_default(spec), fs->is_default(spec)) << spec.name;
        }
        EXPECT_EQ(archive::to_bytes(back), bytes);
    }
    std::vector<char> bytes = archive::to_bytes(some);
    EXPECT_LT(bytes.size(), facts_of(Scope::kFlow).size());  // not 8 bytes per fact of the scope
    // A record that sets a fact the scope does not have, or names no scope, is refused.
    std::vector<char> bad = bytes;
    bad[sizeof(Scope) + sizeof(std::uint32_t)] = bad[sizeof(Scope) + sizeof(std::uint32_t) + 1] = '\xff';
    FactSet into(Scope::kFlow);
    EXPECT_THROW(archive::from_bytes(std::span<const char>(bad), into), Error);
    bad = bytes;
    bad[0] = '\x7f';
    EXPECT_THROW(archive::from_bytes(std::span<const char>(bad), into), Error);
}

TEST(FactSetTest, RefusesAnIdOfAnotherScope) {
    FactSet fs(Scope::kCapture);
    EXPECT_THROW(fs.set(flow::syn_count, 1), std::logic_error);
    fs.set(capture::packets, 12);
    EXPECT_EQ(fs.get(capture::packets), 12);
}

TEST(FactSetTest, RejectsUnknownNamesAndWrongTypes) {
    FactSet fs;
    EXPECT_THROW(fs.set("syn_cnt", std::int64_t(1)), std::logic_error);
    EXPECT_THROW(fs.set("syn_count", std::string("x")), std::logic_error);
    fs.set("syn_span_s", std::int64_t(3));
    EXPECT_EQ(fs.text(flow::syn_span_s.spec()), "3");
    fs.set("syn_span_s", 1.25);
    EXPECT_EQ(fs.text(flow::syn_span_s.spec()), "1.25");
}

TEST(FactSetTest, ReadsSlotsForTheRuleEvaluator) {
    FactSet fs;
    fs.set(flow::server_port, 2222);
    fs.set(flow::handshake_rtt_ms, 12.5);
    fs.set(flow::ssh_stage, "banners");
    EXPECT_EQ(fs.int_at(flow::server_port.index), 2222);
    EXPECT_EQ(fs.real_at(flow::server_port.index), 2222.0);  // an int reads as a real too
    EXPECT_EQ(fs.real_at(flow::handshake_rtt_ms.index), 12.5);
    EXPECT_EQ(fs.string_at(flow::ssh_stage.index), "banners");
    EXPECT_EQ(fs.string_at(flow::kex_alg.index), "");
    EXPECT_FALSE(fs.bool_at(flow::synack_seen.index));
}

TEST(ContextTest, ReadsDefaultsOfScopesNotGiven) {
    FactSet flows;
    flows.set(flow::syn_count, 2);
    Context ctx(flows);
    EXPECT_TRUE(ctx.has(Scope::kFlow));
    EXPECT_FALSE(ctx.has(Scope::kCapture));
    EXPECT_EQ(ctx.get(Scope::kCapture).get(capture::ssh_port), 22);
    EXPECT_EQ(ctx.get(Scope::kFlow).get(flow::syn_count), 2);
}

TEST(CatalogueTest, NamesAreUniqueIdsMatchAndDefaultsParse) {
    std::set<std::string> seen;
    for (const auto& f : catalogue()) {
        EXPECT_TRUE(seen.insert(std::string(scope_name(f.scope)) + "." + std::string(f.name)).second) << f.name;
        EXPECT_NO_THROW(default_value(f)) << f.name;
        EXPECT_FALSE(f.description.empty()) << f.name;
        EXPECT_EQ(&facts_of(f.scope)[f.index], &f) << f.name;
        EXPECT_EQ(find(f.name, f.scope), &f) << f.name;
    }
    EXPECT_EQ(flow::syn_count.spec().name, "syn_count");
    EXPECT_EQ(capture::packets.spec().scope, Scope::kCapture);
    EXPECT_EQ(facts_of(Scope::kFlow).size(), std::size_t(flow::pos::count));
}

TEST(CatalogueTest, ScopesReadOnlyWhatTheyMay) {
    EXPECT_TRUE(readable_from(Scope::kFlow, Scope::kCapture));
    EXPECT_FALSE(readable_from(Scope::kCapture, Scope::kFlow));
    EXPECT_TRUE(readable_from(Scope::kAttempt, Scope::kFlow));
    for (std::size_t s = 0; s < kScopeCount; ++s) {
        const auto scope = static_cast<Scope>(s);
        EXPECT_TRUE(readable_from(scope, scope));
        EXPECT_EQ(scope_from_name(scope_name(scope)), scope);
    }
    EXPECT_EQ(scope_from_name("flows"), std::nullopt);
}

}  // namespace
}  // namespace sshpath::facts
