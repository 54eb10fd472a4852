#!/usr/bin/env python3
"""The iptables rules that make the cloud edge enforce an Azure NSG export (`az network nsg show
-o json`) for the VM behind it, so that a lab scenario drops what the NSG denies and nothing else.

Usage: nsg_iptables.py EXPORT VNET_CIDR IN_IFACE OUT_IFACE
Prints one `iptables` argument list per line, words separated by spaces (FORWARD chain), to run
inside the cloud edge's namespace: IN_IFACE faces the internet, OUT_IFACE the VM. Each rule's
comment names the NSG rule it enforces (NSG/RULE/PRIORITY).

NSG semantics kept: rules by priority, lowest first, first match decides (allow -> ACCEPT,
deny -> DROP), inbound and outbound apart, stateful (replies of an allowed connection pass).
Prefixes: `*`, an address or CIDR, `VirtualNetwork` (VNET_CIDR), `Internet` (outside VNET_CIDR;
the lab uses no private ranges), `AzureLoadBalancer` (168.63.129.16). IPv4 rules only.
"""
import itertools
import json
import sys

PROTOCOLS = {"tcp": "tcp", "udp": "udp", "icmp": "icmp", "*": None, "all": None}


def prefixes(rule, side):
    many = rule.get(f"{side}AddressPrefixes") or []
    return many or [rule.get(f"{side}AddressPrefix") or "*"]


def ports(rule, side):
    many = rule.get(f"{side}PortRanges") or []
    return many or [rule.get(f"{side}PortRange") or "*"]


def address(flag, prefix, vnet):
    if prefix in ("*", "0.0.0.0/0", "Any"):
        return []
    if prefix == "VirtualNetwork":
        return [flag, vnet]
    if prefix == "Internet":
        return ["!", flag, vnet]
    if prefix == "AzureLoadBalancer":
        return [flag, "168.63.129.16"]
    if ":" in prefix or not prefix[0].isdigit():
        raise SystemExit(f"nsg_iptables: prefix '{prefix}' cannot be enforced here")
    return [flag, prefix]


def port(flag, text):
    return [] if text == "*" else [flag, text.replace("-", ":")]


def commands(nsg, vnet, inside, outside):
    rules = list(nsg.get("securityRules") or []) + list(nsg.get("defaultSecurityRules") or [])
    out = []
    for direction, (i, o) in (("Inbound", (inside, outside)), ("Outbound", (outside, inside))):
        base = ["-A", "FORWARD", "-i", i, "-o", o]
        out.append(base + ["-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"])
        chosen = sorted((r for r in rules if r.get("direction") == direction), key=lambda r: r["priority"])
        for r in chosen:
            proto = PROTOCOLS[str(r.get("protocol", "*")).lower()]
            target = "ACCEPT" if r["access"] == "Allow" else "DROP"
            combos = itertools.product(prefixes(r, "source"), prefixes(r, "destination"), ports(r, "source"),
                                       ports(r, "destination"))
            for src, dst, sport, dport in combos:
                line = list(base)
                if proto:
                    line += ["-p", proto]
                line += address("-s", src, vnet) + address("-d", dst, vnet)
                if proto in ("tcp", "udp"):
                    line += port("--sport", sport) + port("--dport", dport)
                line += ["-m", "comment", "--comment", f"{nsg['name']}/{r['name']}/{r['priority']}", "-j", target]
                out.append(line)
    return out


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        nsg = json.load(f)
    for line in commands(nsg, sys.argv[2], sys.argv[3], sys.argv[4]):
        print(" ".join(line))


if __name__ == "__main__":
    main()
