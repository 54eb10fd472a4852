# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as healthy, over IPv6"
WIRE="handshake, both SSH- banners, key exchange, encrypted session, orderly close, over IPv6; the VM's packets arrive with hop limit 61"
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
TARGET=$VM6
scenario_check() {
    want_at_least "$1" 10 "hlim 61, .*$VM6\.22 > $CL6\.[0-9]+:" "packets from the VM with hop limit 61"
}
