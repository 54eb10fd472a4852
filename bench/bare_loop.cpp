// The bare libpcap read loop: the floor for anything that reads a capture through libpcap.
//
//   bare_loop [--default-buffer] FILE|-
//
// Opens the capture on its own FILE* with a 1 MiB stdio buffer (setvbuf) and pcap_fopen_offline
// (as sshpath's reader does), or with --default-buffer through pcap_open_offline (libpcap's own
// fopen, the C library's default buffer), then calls pcap_next_ex until the end, counting packets
// and captured bytes and touching each packet's first and last byte so the data is really read.
// Prints "packets N bytes B".

#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

int main(int argc, char** argv) {
    bool default_buffer = false;
    const char* path = nullptr;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--default-buffer") == 0)
            default_buffer = true;
        else if (!path)
            path = argv[i];
        else
            path = nullptr, i = argc;
    }
    if (!path) {
        std::fprintf(stderr, "usage: bare_loop [--default-buffer] FILE|-\n");
        return 2;
    }
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = nullptr;
    std::unique_ptr<char[]> buffer;
    if (default_buffer) {
        p = pcap_open_offline(path, errbuf);
    } else {
        FILE* fp = std::strcmp(path, "-") == 0 ? stdin : std::fopen(path, "rb");
        if (!fp) {
            std::perror(path);
            return 2;
        }
        constexpr std::size_t kBuffer = std::size_t{1} << 20;
        buffer.reset(new char[kBuffer]);
        std::setvbuf(fp, buffer.get(), _IOFBF, kBuffer);
        p = pcap_fopen_offline(fp, errbuf);
    }
    if (!p) {
        std::fprintf(stderr, "bare_loop: %s\n", errbuf);
        return 2;
    }
    std::uint64_t packets = 0, bytes = 0, touch = 0;
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        ++packets;
        bytes += h->caplen;
        if (h->caplen) touch += data[0] + data[h->caplen - 1];
    }
    if (rc == PCAP_ERROR) {
        std::fprintf(stderr, "bare_loop: %s\n", pcap_geterr(p));
        pcap_close(p);
        return 2;
    }
    pcap_close(p);
    std::printf("packets %llu bytes %llu\n", static_cast<unsigned long long>(packets), static_cast<unsigned long long>(bytes));
    return touch == 1 ? 3 : 0;  // keeps the touch from being optimised away; never 1 in practice
}
