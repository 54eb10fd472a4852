#include "sshpath/posix/mapped_window.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "sshpath/posix/fd.h"

namespace sshpath::posix {
namespace {

// A temporary file holding bytes 0, 1, 2, ... (mod 251), removed at the end.
class TempFile {
public:
    explicit TempFile(std::size_t size) {
        char name[] = "/tmp/sshpath-window-XXXXXX";
        fd_ = Fd(mkstemp(name));
        path_ = name;
        append(size);
    }
    ~TempFile() { ::unlink(path_.c_str()); }
    void append(std::size_t n) {
        std::vector<unsigned char> bytes(n);
        for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<unsigned char>((written_ + i) % 251);
        ASSERT_EQ(::pwrite(fd_.get(), bytes.data(), n, static_cast<off_t>(written_)), static_cast<ssize_t>(n));
        written_ += n;
    }
    int fd() const { return fd_.get(); }

private:
    Fd fd_;
    std::string path_;
    std::size_t written_ = 0;
};

// Reads the whole file from `offset` through the window, as the capture reader does: the view
// moves to the first byte not yet used, `step` bytes being used at a time.
std::vector<unsigned char> read_all(MappedWindow& w, std::size_t step) {
    std::vector<unsigned char> out;
    std::size_t used = 0;
    for (;;) {
        while (w.size() - used >= step) {
            out.insert(out.end(), w.data() + used, w.data() + used + step);
            used += step;
        }
        const std::size_t added = w.advance(used);
        used = 0;
        if (added == 0) break;
    }
    out.insert(out.end(), w.data() + used, w.data() + w.size());
    return out;
}

TEST(MappedWindowTest, ReadsAFileLargerThanTheWindowFromAnUnalignedOffset) {
    TempFile f(100'000);
    auto w = MappedWindow::open(f.fd(), 24, 8192);
    ASSERT_NE(w, nullptr);
    EXPECT_LE(w->size(), 8192u);
    const auto bytes = read_all(*w, 1000);
    ASSERT_EQ(bytes.size(), 100'000u - 24);
    for (std::size_t i = 0; i < bytes.size(); ++i) ASSERT_EQ(bytes[i], (i + 24) % 251) << "byte " << i;
}

TEST(MappedWindowTest, KeepsTheBytesNotYetUsedWhenItMoves) {
    TempFile f(20'000);
    auto w = MappedWindow::open(f.fd(), 0, 4096);
    ASSERT_NE(w, nullptr);
    ASSERT_EQ(w->size(), 4096u);
    const std::size_t added = w->advance(4000);
    EXPECT_EQ(w->data()[0], 4000 % 251);
    EXPECT_EQ(w->size(), 96u + added);
    EXPECT_GT(added, 0u);
}

TEST(MappedWindowTest, FollowsAFileThatGrows) {
    TempFile f(5000);
    auto w = MappedWindow::open(f.fd(), 0, 1 << 20);
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->size(), 5000u);
    EXPECT_EQ(w->advance(5000), 0u);
    f.append(3000);
    EXPECT_EQ(w->advance(0), 3000u);
    ASSERT_EQ(w->size(), 3000u);
    EXPECT_EQ(w->data()[0], 5000 % 251);
}

TEST(MappedWindowTest, AnEmptyRestIsAnEmptyView) {
    TempFile f(24);
    auto w = MappedWindow::open(f.fd(), 24, 4096);
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->size(), 0u);
    EXPECT_EQ(w->advance(0), 0u);
}

TEST(MappedWindowTest, APipeIsNotMapped) {
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    Fd r(p[0]), wr(p[1]);
    EXPECT_EQ(MappedWindow::open(r.get(), 0, 4096), nullptr);
}

}  // namespace
}  // namespace sshpath::posix
