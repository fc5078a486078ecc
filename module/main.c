// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - module init and exit, and the per-namespace set-up of XTCP.
 *
 * Init order: the TIME_WAIT entry and request caches, the proto (its slab), the
 * per-namespace state (counters, sysctls, socket tables, TIME_WAIT table, /proc,
 * the netfilter hook), the isolated wire's IP protocol, and last the address
 * family, so that no socket can be made before everything it needs exists. Exit undoes it in
 * reverse (a namespace's wire is cut in .pre_exit, an RCU grace period before its
 * tables go); sockets pin the module (the family, proto_ops and proto all name
 * THIS_MODULE), so exit runs only once every socket is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/net.h>

#include "xtcp.h"

int xtcp_family = AF_XTCP;
module_param_named(family, xtcp_family, int, 0444);
MODULE_PARM_DESC(family,
		 "address family number of XTCP (default 25, AF_XTCP); 1 to AF_MAX-1 and free");

unsigned int xtcp_net_id __read_mostly;
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_net_id);

static int __net_init xtcp_net_init(struct net *net)
{
	struct xtcp_net *xn = xtcp_pernet(net);
	int err;

	xn->net = net;
	spin_lock_init(&xn->socks_lock);
	INIT_HLIST_HEAD(&xn->socks);
	xtcp_isn_key_init(&xn->isn_key);
	xtcp_isn_key_init(&xn->cookie_key);
	xtcp_isn_key_init(&xn->ts_key);
	xtcp_tw_timer_init(xn);
	xtcp_cc_init_net(xn);

	err = xtcp_mib_init_net(xn);
	if (err)
		return err;
	err = xtcp_sysctl_init_net(net, xn);
	if (err)
		goto err_mib;
	err = xtcp_hash_init_net(&xn->hash);
	if (err)
		goto err_sysctl;
	err = xtcp_reqs_init_net(&xn->reqs);
	if (err)
		goto err_hash;
	err = xtcp_tw_table_init(&xn->tw);
	if (err)
		goto err_reqs;
	err = xtcp_proc_init_net(net);
	if (err)
		goto err_tw;
	err = xtcp_wire_init_net(net);
	if (err)
		goto err_proc;
	return 0;

err_proc:
	xtcp_proc_exit_net(net);
err_tw:
	xtcp_tw_table_destroy(&xn->tw);
err_reqs:
	xtcp_reqs_exit_net(&xn->reqs);
err_hash:
	xtcp_hash_exit_net(&xn->hash);
err_sysctl:
	xtcp_sysctl_exit_net(xn);
err_mib:
	xtcp_mib_exit_net(xn);
	return err;
}

/*
 * First step of a namespace's (or the module's) end: cut the wire. The core
 * then waits for RCU readers (a receive path in softirq may still be in the hook
 * with a pointer into the tables) before xtcp_net_exit() frees them.
 */
static void __net_exit xtcp_net_pre_exit(struct net *net)
{
	xtcp_wire_exit_net(net);
}

static void __net_exit xtcp_net_exit(struct net *net)
{
	struct xtcp_net *xn = xtcp_pernet(net);

	xtcp_proc_exit_net(net);
	/* User sockets hold a reference on their namespace: none can be left. */
	WARN_ON_ONCE(!hlist_empty(&xn->socks));
	xtcp_tw_timer_exit(xn);
	xtcp_tw_table_destroy(&xn->tw);
	xtcp_reqs_exit_net(&xn->reqs);
	xtcp_hash_exit_net(&xn->hash);
	xtcp_sysctl_exit_net(xn);
	xtcp_cc_exit_net(xn);
	xtcp_mib_exit_net(xn);
}

static struct pernet_operations xtcp_net_ops = {
	.init	= xtcp_net_init,
	.pre_exit = xtcp_net_pre_exit,
	.exit	= xtcp_net_exit,
	.id	= &xtcp_net_id,
	.size	= sizeof(struct xtcp_net),
};

static int __init xtcp_init(void)
{
	int err;

	/* Our control block lives in skb->cb, beside nothing else. */
	BUILD_BUG_ON(sizeof(struct xtcp_skb_cb) > sizeof_field(struct sk_buff, cb));

	if (xtcp_family <= AF_UNSPEC || xtcp_family >= AF_MAX) {
		pr_err("family=%d is out of range: it must be 1 to %d\n",
		       xtcp_family, AF_MAX - 1);
		return -EINVAL;
	}

	xtcp_tsq_init();
	err = xtcp_tw_cache_init();
	if (err)
		return err;
	err = xtcp_request_cache_init();
	if (err)
		goto err_tw;
	err = xtcp_mem_proto_init(&xtcp_prot);
	if (err)
		goto err_req;
	err = proto_register(&xtcp_prot, 1);
	if (err)
		goto err_mem;
	/* The controllers before the namespaces, whose defaults name one. */
	err = xtcp_cc_init();
	if (err)
		goto err_proto;
	err = register_pernet_subsys(&xtcp_net_ops);
	if (err)
		goto err_cc;
	err = xtcp_mem_sysctl_init();
	if (err)
		goto err_pernet;
	err = xtcp_wire_init();
	if (err)
		goto err_sysctl;
	err = xtcp_af_init();
	if (err)
		goto err_wire;

	pr_info("XTCP loaded: address family %d, IP protocol %u\n", xtcp_family,
		xtcp_wire_proto());
	return 0;

err_wire:
	xtcp_wire_exit();
err_sysctl:
	xtcp_mem_sysctl_exit();
err_pernet:
	unregister_pernet_subsys(&xtcp_net_ops);
err_cc:
	xtcp_cc_exit();
err_proto:
	proto_unregister(&xtcp_prot);
err_mem:
	xtcp_mem_proto_exit();
err_req:
	xtcp_request_cache_exit();
err_tw:
	xtcp_tw_cache_exit();
	return err;
}

static void __exit xtcp_exit(void)
{
	xtcp_af_exit();
	xtcp_wire_exit();
	xtcp_mem_sysctl_exit();
	unregister_pernet_subsys(&xtcp_net_ops);
	xtcp_cc_exit();
	proto_unregister(&xtcp_prot);
	xtcp_mem_proto_exit();
	xtcp_request_cache_exit();
	xtcp_tw_cache_exit();
	xtcp_tsq_exit();
}

module_init(xtcp_init);
module_exit(xtcp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("XTCP: an experimental TCP behind its own address family");
MODULE_AUTHOR("The XTCP developers");
MODULE_ALIAS_NETPROTO(AF_XTCP);
