/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp_common.h - helpers shared by XTCP's C selftests.
 */
#ifndef _XTCP_COMMON_H
#define _XTCP_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xtcp.h>

/* Bring this namespace's loopback up, with MTU @mtu unless 0; 0 or -1. */
static inline int xtcp_lo_up(int mtu)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err;

	if (fd < 0)
		return -1;
	err = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (!err) {
		ifr.ifr_flags |= IFF_UP;
		err = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (!err && mtu) {
		ifr.ifr_mtu = mtu;
		err = ioctl(fd, SIOCSIFMTU, &ifr);
	}
	close(fd);
	return err;
}

/* The family XTCP is loaded with: its module parameter, else AF_XTCP. */
static inline int xtcp_family(void)
{
	FILE *f = fopen(XTCP_FAMILY_PARAM, "r");
	int fam = AF_XTCP;

	if (f) {
		if (fscanf(f, "%d", &fam) != 1)
			fam = AF_XTCP;
		fclose(f);
	}
	return fam;
}

/* Read a whole small file into buf (NUL-terminated); -1 with errno on failure. */
static inline ssize_t xtcp_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < size - 1) {
		n = read(fd, buf + total, size - 1 - total);
		if (n < 0) {
			close(fd);
			return -1;
		}
		if (!n)
			break;
		total += n;
	}
	buf[total] = '\0';
	close(fd);
	return total;
}

/* One counter from /proc/net/xtcp_counters of the caller's namespace; -1 if absent. */
static inline long xtcp_counter(const char *name)
{
	char buf[8192], *line, *save;
	size_t len = strlen(name);

	if (xtcp_read_file(XTCP_PROC_COUNTERS, buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, name, len) && line[len] == ' ')
			return strtol(line + len + 1, NULL, 10);
	return -1;
}

/*
 * Wait up to @ms milliseconds for counter @name to read @want (a socket is freed
 * after an RCU grace period, so its destruction is counted a little after close());
 * returns the last value read.
 */
static inline long xtcp_wait_counter(const char *name, long want, int ms)
{
	long v = xtcp_counter(name);

	while (v != want && ms > 0) {
		usleep(10000);
		ms -= 10;
		v = xtcp_counter(name);
	}
	return v;
}

/* The cgroup2 hierarchy's root: the system's, else one mounted at XTCP_CG_MOUNT. */
#define XTCP_CG_MOUNT	"/tmp/xtcp-cgroup2"

static inline const char *xtcp_cgroup2_root(void)
{
	static const char *const roots[] = { "/sys/fs/cgroup", XTCP_CG_MOUNT };
	char path[128];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", roots[i]);
		if (!access(path, W_OK))
			return roots[i];
	}
	mkdir(XTCP_CG_MOUNT, 0755);
	if (mount("none", XTCP_CG_MOUNT, "cgroup2", 0, NULL) && errno != EBUSY)
		return NULL;
	return XTCP_CG_MOUNT;
}

#endif /* _XTCP_COMMON_H */
