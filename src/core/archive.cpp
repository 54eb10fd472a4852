#include "sshpath/core/archive.h"

namespace sshpath::archive {

std::vector<char> pack_zeros(const std::vector<char>& bytes) {
    std::vector<char> out;
    out.reserve(bytes.size() / 4 + 16);
    std::size_t i = 0;
    const std::size_t n = bytes.size();
    while (i < n) {
        std::size_t zeros = 0;
        while (i + zeros < n && bytes[i + zeros] == 0 && zeros < 129) ++zeros;
        if (zeros >= 2) {
            out.push_back(static_cast<char>(static_cast<unsigned char>(126 + zeros)));
            i += zeros;
            continue;
        }
        // Literal bytes up to the next run of two zeros (at most 128).
        std::size_t len = 0;
        while (i + len < n && len < 128 && !(bytes[i + len] == 0 && i + len + 1 < n && bytes[i + len + 1] == 0)) ++len;
        if (len == 0) len = 1;  // a single zero at the end
        out.push_back(static_cast<char>(len - 1));
        out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(i), bytes.begin() + static_cast<std::ptrdiff_t>(i + len));
        i += len;
    }
    return out;
}

std::vector<char> unpack_zeros(const std::vector<char>& packed) {
    std::vector<char> out;
    out.reserve(packed.size() * 4);
    std::size_t i = 0;
    while (i < packed.size()) {
        const auto h = static_cast<unsigned char>(packed[i++]);
        if (h >= 128) {
            out.insert(out.end(), h - 126u, 0);
            continue;
        }
        const std::size_t len = h + 1u;
        if (packed.size() - i < len) throw Error("packed bytes cut short");
        out.insert(out.end(), packed.begin() + static_cast<std::ptrdiff_t>(i), packed.begin() + static_cast<std::ptrdiff_t>(i + len));
        i += len;
    }
    return out;
}

}  // namespace sshpath::archive
