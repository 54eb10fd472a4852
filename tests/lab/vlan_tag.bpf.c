// The failure lab's 802.1Q link (tests/lab/topology.sh, lab_vlan_tag): a tc BPF program pair
// that tags every frame leaving an interface with VLAN LAB_VID and accepts only frames tagged
// LAB_VID arriving on it, untagging them, as an 802.1Q sub-interface does. Built with
// `clang -O2 -target bpf -DLAB_VID=N -c`, attached with `tc filter ... bpf direct-action`.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>

#define LAB_SEC(name) __attribute__((section(name), used))

static long (*lab_vlan_push)(struct __sk_buff* skb, __be16 proto, __u16 tci) = (void*)BPF_FUNC_skb_vlan_push;
static long (*lab_vlan_pop)(struct __sk_buff* skb) = (void*)BPF_FUNC_skb_vlan_pop;

#ifndef LAB_VID
#define LAB_VID 100
#endif

LAB_SEC("tag") int lab_tag(struct __sk_buff* skb) {
    if (lab_vlan_push(skb, __builtin_bswap16(ETH_P_8021Q), LAB_VID) != 0) return TC_ACT_SHOT;
    return TC_ACT_OK;
}

LAB_SEC("untag") int lab_untag(struct __sk_buff* skb) {
    if (!skb->vlan_present || (skb->vlan_tci & 0x0fff) != LAB_VID) return TC_ACT_SHOT;
    if (lab_vlan_pop(skb) != 0) return TC_ACT_SHOT;
    return TC_ACT_OK;
}

char lab_license[] LAB_SEC("license") = "GPL";
