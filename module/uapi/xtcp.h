/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * XTCP user-space API: the one header shared by the module, its tests and tools.
 *
 * XTCP is an experimental TCP behind its own address family. Programs open
 * socket(AF_XTCP, SOCK_STREAM, 0) (or IPPROTO_TCP as the protocol) and then use
 * struct sockaddr_in addresses and the SOL_TCP socket options as they would with TCP.
 */
#ifndef _UAPI_XTCP_H
#define _UAPI_XTCP_H

/*
 * AF_XTCP borrows slot 25, AF_WANPIPE: defined since Linux 2.2 but never implemented
 * by any kernel, 6.1 and later included, and below AF_MAX (46 on 6.1). Should another
 * module hold it, load xtcp with family=N for a free N; the number in use is always
 * readable from XTCP_FAMILY_PARAM. Only the default number autoloads the module
 * (through the net-pf-25 alias).
 */
#define AF_XTCP			25
#define PF_XTCP			AF_XTCP
#define XTCP_FAMILY_PARAM	"/sys/module/xtcp/parameters/family"

/* The IP protocol number of the isolated wire (RFC 3692 experimentation). */
/*
 * XTCP's own protocol number: what SO_PROTOCOL reads (as MPTCP's sockets read
 * IPPROTO_MPTCP), and the IP protocol of its segments with isolated=1 (253,
 * RFC 3692's for experiments). By default the segments themselves are TCP's, 6.
 */
#define IPPROTO_XTCP		253
#define IPPROTO_XTCP_ISOLATED	IPPROTO_XTCP

/* Where the sysctls and the /proc files live (per network namespace). */
#define XTCP_SYSCTL_DIR		"/proc/sys/net/xtcp"
#define XTCP_PROC_SOCKETS	"/proc/net/xtcp"
#define XTCP_PROC_COUNTERS	"/proc/net/xtcp_counters"

#endif /* _UAPI_XTCP_H */
