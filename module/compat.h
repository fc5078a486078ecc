/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every kernel-version dependency of XTCP, in one place.
 *
 * XTCP targets Debian 12's 6.1. Code elsewhere uses only the helpers below; when
 * another kernel changes an API, the #if goes here and nowhere else.
 */
#ifndef _XTCP_COMPAT_H
#define _XTCP_COMPAT_H

#include <linux/version.h>
#include <linux/module.h>
#include <linux/sysctl.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>

/* 6.12 moved the unaligned access helpers out of asm/. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* 6.11 made the table argument of proc handlers const. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define XTCP_CTL_TABLE_CONST const
#else
#define XTCP_CTL_TABLE_CONST
#endif

/*
 * 6.6 added register_net_sysctl_sz() and 6.11 dropped the empty sentinel entry; on
 * 6.1 the table passed here ends with one.
 */
static inline struct ctl_table_header *
xtcp_register_net_sysctl(struct net *net, const char *path,
			 struct ctl_table *table, size_t entries)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return register_net_sysctl_sz(net, path, table, entries);
#else
	return register_net_sysctl(net, path, table);
#endif
}

/*
 * Symbols the KUnit module (kunit/) reaches into; exported only when the kernel has
 * KUnit, in a namespace of their own. 6.13 made namespaces string literals.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define XTCP_KUNIT_NS "XTCP_KUNIT"
#else
#define XTCP_KUNIT_NS XTCP_KUNIT
#endif

#if IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_FOR_XTCP_KUNIT(sym) EXPORT_SYMBOL_NS_GPL(sym, XTCP_KUNIT_NS)
#else
#define EXPORT_SYMBOL_FOR_XTCP_KUNIT(sym)
#endif

/*
 * struct proto's .ioctl: 6.5 passes a kernel int that the socket layer copies out;
 * before, the user pointer. Both answer through xtcp_ioctl_answer() (af_xtcp.c).
 */
struct sock;
int xtcp_ioctl_answer(struct sock *sk, int cmd, int *answer);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
static inline int xtcp_proto_ioctl(struct sock *sk, int cmd, int *karg)
{
	return xtcp_ioctl_answer(sk, cmd, karg);
}
#else
static inline int xtcp_proto_ioctl(struct sock *sk, int cmd, unsigned long arg)
{
	int answer, err = xtcp_ioctl_answer(sk, cmd, &answer);

	return err ? err : put_user(answer, (int __user *)arg);
}
#endif

/* struct proto's .accept: 6.10 gathers its arguments in struct proto_accept_arg. */
struct sock *xtcp_accept(struct sock *sk, int flags, int *err, bool kern);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
static inline struct sock *xtcp_proto_accept(struct sock *sk, struct proto_accept_arg *arg)
{
	return xtcp_accept(sk, arg->flags, &arg->err, arg->kern);
}
#else
#define xtcp_proto_accept xtcp_accept
#endif

#endif /* _XTCP_COMPAT_H */
