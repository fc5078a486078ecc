#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the guest (debug kernel): run XTCP's KUnit suites by loading their module after
# xtcp.ko, and print the KTAP they wrote to the kernel log. The log, not debugfs:
# debugfs keeps only the first 512 bytes of a case's log, and a failing case's long
# expectation messages push its "not ok" line out of it.
set -e
[ -n "$XTCP_KUNIT_KO" ] || { echo "kunit.sh: no XTCP_KUNIT_KO"; exit 1; }
# A second network namespace, so that the per-namespace secrets can be compared:
# kept by a process (no writable /run needed) until the suites are done.
unshare --net sleep 600 </dev/null >/dev/null 2>&1 &
ns_holder=$!
sleep 1
before=$(dmesg | wc -l)
status=0
insmod "$XTCP_KUNIT_KO" || status=$?
kill "$ns_holder"
wait "$ns_holder" 2>/dev/null || true
dmesg | tail -n +"$((before + 1))" | sed 's/^\[[^]]*\] //'
exit $status
