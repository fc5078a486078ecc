#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the guest (debug kernel): run XTCP's KUnit suites by loading their module after
# xtcp.ko, and print each suite's KTAP results from debugfs.
set -e
[ -n "$XTCP_KUNIT_KO" ] || { echo "kunit.sh: no XTCP_KUNIT_KO"; exit 1; }
insmod "$XTCP_KUNIT_KO"
found=0
for d in /sys/kernel/debug/kunit/xtcp_*; do
	[ -r "$d/results" ] || continue
	cat "$d/results"
	found=1
done
[ $found = 1 ] || { echo "kunit.sh: no xtcp_* suite in /sys/kernel/debug/kunit"; exit 1; }
