#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Congestion control as a plug-in, with the example controller of examples/cc
# (xtcp_cc_scalable.ko, "scalable"), a module of its own as an experimenter's:
#   - it registers and is listed; cc_test then chooses it by name, beside
#     kernel TCP's controllers (TCP_CONGESTION, TCP_CC_INFO, the sysctls);
#   - a socket using it, or a namespace's default naming it, pins it: rmmod
#     fails until they are gone, as for TCP's controllers;
#   - an unknown name loads xtcp_cc_NAME, as TCP loads tcp_NAME, from the
#     sysctl and from TCP_CONGESTION (a scratch module tree, as autoload.sh).
cd "$(dirname "$0")" || exit 1
. ./xtcp_lib.sh
require_root
if ! xtcp_loaded; then
	echo "SKIP: the xtcp module is not loaded"
	exit $ksft_skip
fi
require_tools ./cc_test ./xtcp_sock ip depmod modprobe
cc_ko=$(cc_example_ko)
if [ -z "$cc_ko" ]; then
	echo "SKIP: no xtcp_cc_scalable.ko beside \$XTCP_KO"
	exit $ksft_skip
fi
fam=$(xtcp_family)
ns=xtcp-cc-$$
holder=
tree=
old_helper=$(cat /proc/sys/kernel/modprobe)

cleanup() {
	[ -n "$holder" ] && kill "$holder" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	echo "$old_helper" >/proc/sys/kernel/modprobe
	[ -n "$tree" ] && rm -rf "$tree"
	rmmod_patient xtcp_cc_scalable
}
trap cleanup EXIT

cc_loaded() {
	grep -q '^xtcp_cc_scalable ' /proc/modules
}

echo "# the example registers"
check "insmod xtcp_cc_scalable.ko" insmod "$cc_ko"
check "available_congestion_control lists it" \
	grep -qw scalable /proc/sys/net/xtcp/available_congestion_control

echo "# cc_test: the socket API and the sysctls, beside TCP"
./cc_test
check "cc_test passes" test $? = 0

echo "# a user pins the controller"
holder=$(hold_sockets "$fam" scalable cc)
check "a socket chooses it" test -n "$holder"
check "rmmod fails while the socket uses it" not rmmod xtcp_cc_scalable
check "... and leaves it registered" \
	grep -qw scalable /proc/sys/net/xtcp/available_congestion_control
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
holder=
check "rmmod succeeds once the socket is closed" rmmod_patient xtcp_cc_scalable
check "... and it is no longer listed" \
	not grep -qw scalable /proc/sys/net/xtcp/available_congestion_control

insmod "$cc_ko"
ip netns add "$ns"
check "a namespace's default names it" \
	ip netns exec "$ns" sh -c 'echo scalable >/proc/sys/net/xtcp/congestion_control'
check "rmmod fails while it is a namespace's default" not rmmod xtcp_cc_scalable
ip netns del "$ns"
check "rmmod succeeds once the namespace is gone" rmmod_patient xtcp_cc_scalable

echo "# an unknown name loads xtcp_cc_NAME"
rel=$(uname -r)
tree=$(mktemp -d)
mkdir -p "$tree/lib/modules/$rel/extra"
cp "$cc_ko" "$tree/lib/modules/$rel/extra/"
[ -n "${XTCP_KO:-}" ] && cp "$XTCP_KO" "$tree/lib/modules/$rel/extra/"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	touch "$tree/lib/modules/$rel/$f"
done
depmod -b "$tree" "$rel" 2>/dev/null
printf '#!/bin/sh\nexec /sbin/modprobe -d %s "$@"\n' "$tree" >"$tree/modprobe"
chmod +x "$tree/modprobe"
echo "$tree/modprobe" >/proc/sys/kernel/modprobe
ip netns add "$ns"
check "the sysctl takes 'scalable' with the module unloaded" \
	ip netns exec "$ns" sh -c 'echo scalable >/proc/sys/net/xtcp/congestion_control'
check "... having loaded it" cc_loaded
ip netns del "$ns"
check "rmmod once the namespace is gone" rmmod_patient xtcp_cc_scalable
holder=$(hold_sockets "$fam" scalable cc)
check "TCP_CONGESTION 'scalable' with the module unloaded" test -n "$holder"
[ -z "$holder" ] && echo "#   xtcp_sock: $(timeout 30 ./xtcp_sock hold-cc "$fam" scalable | head -1)"
check "... having loaded it" cc_loaded
[ -n "$holder" ] && kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
holder=
check "an unknown name still fails, module or not (ENOENT)" \
	test "$(./xtcp_sock hold-cc "$fam" nosuch)" = ENOENT

finish
