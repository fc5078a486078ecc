#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# socket(AF_XTCP, ...) loads an installed xtcp.ko through its net-pf-25 alias. The
# module is "installed" into a scratch module tree (depmod -b) that the kernel's
# modprobe helper is pointed at for the duration of the test.
cd "$(dirname "$0")" || exit 1
. ./xtcp_lib.sh
require_root
require_xtcp_ko
if [ ! -w /proc/sys/kernel/modprobe ]; then
	echo "SKIP: no /proc/sys/kernel/modprobe"
	exit $ksft_skip
fi

rel=$(uname -r)
tree=$(mktemp -d)
old_helper=$(cat /proc/sys/kernel/modprobe)
was_loaded=0
xtcp_loaded && was_loaded=1
cleanup() {
	echo "$old_helper" >/proc/sys/kernel/modprobe
	rm -rf "$tree"
	if [ $was_loaded = 1 ] && ! xtcp_loaded; then
		insmod "$ko"
	fi
}
trap cleanup EXIT

mkdir -p "$tree/lib/modules/$rel/extra"
cp "$ko" "$tree/lib/modules/$rel/extra/"
# depmod wants the kernel's own index files; an empty set will do for one module.
for f in modules.order modules.builtin modules.builtin.modinfo; do
	touch "$tree/lib/modules/$rel/$f"
done
depmod -b "$tree" "$rel"
check "depmod records the net-pf-25 alias" grep -qx 'alias net-pf-25 xtcp' "$tree/lib/modules/$rel/modules.alias"

helper=$tree/modprobe
printf '#!/bin/sh\nexec /sbin/modprobe -d %s "$@"\n' "$tree" >"$helper"
chmod +x "$helper"
echo "$helper" >/proc/sys/kernel/modprobe

xtcp_loaded && rmmod xtcp
check "xtcp is not loaded before socket()" sh -c "! grep -q '^xtcp ' /proc/modules"
check "socket(AF_XTCP) succeeds with the module unloaded" test "$(try_socket 25)" = ok
check "... and loaded xtcp" xtcp_loaded

finish
