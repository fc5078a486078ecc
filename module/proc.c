// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - /proc/net/xtcp (one line per socket, in the layout of /proc/net/tcp) and
 * /proc/net/xtcp_counters (one "Name value" line per counter), per namespace.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "xtcp.h"

static void *xtcp_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(&xtcp_pernet(seq_file_net(seq))->socks_lock)
{
	struct xtcp_net *xn = xtcp_pernet(seq_file_net(seq));

	spin_lock_bh(&xn->socks_lock);
	return seq_hlist_start_head(&xn->socks, *pos);
}

static void *xtcp_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	return seq_hlist_next(v, &xtcp_pernet(seq_file_net(seq))->socks, pos);
}

static void xtcp_seq_stop(struct seq_file *seq, void *v)
	__releases(&xtcp_pernet(seq_file_net(seq))->socks_lock)
{
	spin_unlock_bh(&xtcp_pernet(seq_file_net(seq))->socks_lock);
}

static int xtcp_seq_show(struct seq_file *seq, void *v)
{
	struct xtcp_sock *xs;
	struct inet_sock *inet;
	struct sock *sk;

	seq_setwidth(seq, 149);
	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode");
		goto out;
	}

	xs = hlist_entry(v, struct xtcp_sock, node);
	sk = &xs->inet.sk;
	inet = &xs->inet;
	/* tr/tm->when/retrnsmt stay 0 until XTCP has timers. */
	seq_printf(seq, "%4lld: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %pK",
		   seq->index - 1,
		   inet->inet_rcv_saddr, ntohs(inet->inet_sport),
		   inet->inet_daddr, ntohs(inet->inet_dport),
		   READ_ONCE(sk->sk_state),
		   sk_wmem_alloc_get(sk), sk_rmem_alloc_get(sk),
		   0, 0UL, 0,
		   from_kuid_munged(seq_user_ns(seq), sock_i_uid(sk)),
		   0, sock_i_ino(sk), refcount_read(&sk->sk_refcnt), sk);
out:
	seq_pad(seq, '\n');
	return 0;
}

static const struct seq_operations xtcp_seq_ops = {
	.start	= xtcp_seq_start,
	.next	= xtcp_seq_next,
	.stop	= xtcp_seq_stop,
	.show	= xtcp_seq_show,
};

static int xtcp_counters_show(struct seq_file *seq, void *v)
{
	struct xtcp_net *xn = xtcp_pernet(seq_file_single_net(seq));
	int i;

	for (i = 0; i < XTCP_MIB_MAX; i++)
		seq_printf(seq, "%s %lu\n", xtcp_mib_names[i], xtcp_mib_read(xn, i));
	return 0;
}

int xtcp_proc_init_net(struct net *net)
{
	if (!proc_create_net("xtcp", 0444, net->proc_net, &xtcp_seq_ops,
			     sizeof(struct seq_net_private)))
		return -ENOMEM;
	if (!proc_create_net_single("xtcp_counters", 0444, net->proc_net,
				    xtcp_counters_show, NULL)) {
		remove_proc_entry("xtcp", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

void xtcp_proc_exit_net(struct net *net)
{
	remove_proc_entry("xtcp_counters", net->proc_net);
	remove_proc_entry("xtcp", net->proc_net);
}
