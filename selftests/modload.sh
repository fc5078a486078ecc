#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loading and unloading xtcp.ko: 20 cycles with sockets opened and closed, rmmod
# refused while a socket is open, and the family parameter's checks.
cd "$(dirname "$0")" || exit 1
. ./xtcp_lib.sh
require_root
require_xtcp_ko

unload() {
	! xtcp_loaded || rmmod xtcp
}

check "unload what was loaded before" unload

for i in $(seq 1 20); do
	if ! insmod "$ko"; then
		check "cycle $i: insmod" false
		break
	fi
	fam=$(xtcp_family)
	pid=$(hold_sockets "$fam" 3)
	if [ -z "$pid" ]; then
		check "cycle $i: open sockets" false
		break
	fi
	# In use: rmmod must refuse and leave the module working.
	if rmmod xtcp 2>/dev/null; then
		check "cycle $i: rmmod refused while sockets are open" false
		break
	fi
	[ "$(try_socket "$fam")" = ok ] || { check "cycle $i: socket() after refused rmmod" false; break; }
	kill "$pid"
	wait "$pid" 2>/dev/null
	if ! rmmod xtcp; then
		check "cycle $i: rmmod after the sockets closed" false
		break
	fi
	[ "$i" = 20 ] && check "20 load/unload cycles with sockets" true
done

# The family parameter.
dmesg -C 2>/dev/null
check "family=2 (AF_INET, taken) is refused" sh -c "! insmod '$ko' family=2 2>/dev/null"
check "... with a message naming the taken family" sh -c "dmesg | grep -q 'address family 2 is already registered'"
check "family=0 is refused" sh -c "! insmod '$ko' family=0 2>/dev/null"
check "family=46 (AF_MAX on 6.1) is refused" sh -c "! insmod '$ko' family=46 2>/dev/null"
check "family=-1 is refused" sh -c "! insmod '$ko' family=-1 2>/dev/null"
check "nothing stays loaded after refused loads" sh -c "! grep -q '^xtcp ' /proc/modules"

# Another free slot (23, AF_IRDA, removed in 4.17) works, and 25 is then free.
if insmod "$ko" family=23; then
	check "family=23: the parameter reads 23" test "$(xtcp_family)" = 23
	check "family=23: socket(23) works" test "$(try_socket 23)" = ok
	check "family=23: socket(25) has no family" test "$(try_socket 25)" = EAFNOSUPPORT
	check "family=23: unload" rmmod xtcp
else
	check "insmod family=23" false
fi

# Leave the module loaded, as the harness found it.
insmod "$ko" || check "reload" false
finish
