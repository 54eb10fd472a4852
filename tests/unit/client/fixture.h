#pragma once
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

// A file of tests/fixtures/client, whole.
inline std::string client_fixture(const std::string& name) {
    std::ifstream in(std::string(SSHPATH_SOURCE_DIR) + "/tests/fixtures/client/" + name);
    EXPECT_TRUE(in.good()) << name;
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
