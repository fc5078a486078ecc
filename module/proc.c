// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - /proc/net/xtcp (one line per socket, request and TIME_WAIT entry, in the
 * layout of /proc/net/tcp, timers included) and
 * /proc/net/xtcp_counters (one "Name value" line per counter), per namespace.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "xtcp.h"

/*
 * The file walks the namespace's sockets, then its requests (the SYN queues), then
 * its TIME_WAIT entries. It holds socks_lock, the TIME_WAIT table's lock (the
 * order of xtcp.h) and the RCU read lock (requests) from start to stop. The
 * iterator's value is a socket's node, a request, or an entry's age-list node;
 * st->part tells which.
 */
enum xtcp_seq_part {
	XTCP_SEQ_SOCKS,
	XTCP_SEQ_REQS,
	XTCP_SEQ_TW,
};

struct xtcp_seq_state {
	struct seq_net_private p;	/* must be first: seq_file_net() */
	enum xtcp_seq_part part;
	unsigned int bucket;		/* the current request's */
};

/* The first item of @part or, when it has none, of the parts after it. */
static void *xtcp_seq_first(struct xtcp_net *xn, struct xtcp_seq_state *st,
			    enum xtcp_seq_part part)
{
	void *v;

	switch (part) {
	case XTCP_SEQ_SOCKS:
		st->part = XTCP_SEQ_SOCKS;
		if (xn->socks.first)
			return xn->socks.first;
		fallthrough;
	case XTCP_SEQ_REQS:
		st->part = XTCP_SEQ_REQS;
		v = xtcp_req_walk(&xn->reqs, NULL, &st->bucket);
		if (v)
			return v;
		fallthrough;
	case XTCP_SEQ_TW:
		st->part = XTCP_SEQ_TW;
		return list_empty(&xn->tw.age) ? NULL : xn->tw.age.next;
	}
	return NULL;
}

static void *xtcp_seq_after(struct xtcp_net *xn, struct xtcp_seq_state *st, void *v)
{
	struct hlist_node *node;
	struct list_head *l;

	switch (st->part) {
	case XTCP_SEQ_SOCKS:
		node = ((struct hlist_node *)v)->next;
		return node ? node : xtcp_seq_first(xn, st, XTCP_SEQ_REQS);
	case XTCP_SEQ_REQS:
		v = xtcp_req_walk(&xn->reqs, v, &st->bucket);
		return v ? v : xtcp_seq_first(xn, st, XTCP_SEQ_TW);
	case XTCP_SEQ_TW:
		l = ((struct list_head *)v)->next;
		return l == &xn->tw.age ? NULL : l;
	}
	return NULL;
}

static void *xtcp_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(&xtcp_pernet(seq_file_net(seq))->socks_lock)
	__acquires(&xtcp_pernet(seq_file_net(seq))->tw.lock)
	__acquires(RCU)
{
	struct xtcp_net *xn = xtcp_pernet(seq_file_net(seq));
	struct xtcp_seq_state *st = seq->private;
	loff_t n = *pos;
	void *v;

	spin_lock_bh(&xn->socks_lock);
	spin_lock(&xn->tw.lock);
	rcu_read_lock();
	if (!n)
		return SEQ_START_TOKEN;
	v = xtcp_seq_first(xn, st, XTCP_SEQ_SOCKS);
	while (v && --n)
		v = xtcp_seq_after(xn, st, v);
	return v;
}

static void *xtcp_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct xtcp_net *xn = xtcp_pernet(seq_file_net(seq));
	struct xtcp_seq_state *st = seq->private;

	++*pos;
	if (v == SEQ_START_TOKEN)
		return xtcp_seq_first(xn, st, XTCP_SEQ_SOCKS);
	return xtcp_seq_after(xn, st, v);
}

static void xtcp_seq_stop(struct seq_file *seq, void *v)
	__releases(RCU)
	__releases(&xtcp_pernet(seq_file_net(seq))->tw.lock)
	__releases(&xtcp_pernet(seq_file_net(seq))->socks_lock)
{
	struct xtcp_net *xn = xtcp_pernet(seq_file_net(seq));

	rcu_read_unlock();
	spin_unlock(&xn->tw.lock);
	spin_unlock_bh(&xn->socks_lock);
}

/*
 * A request: state 03 (SYN_RECV), timer 1 (the SYN-ACK's retransmission) with its
 * time left, the retransmissions so far, the listener's uid, no inode; as Linux
 * lists its request sockets in /proc/net/tcp.
 */
static void xtcp_seq_show_req(struct seq_file *seq, struct xtcp_request *req)
{
	long left = (long)(READ_ONCE(req->timer.expires) - jiffies);

	seq_printf(seq, "%4lld: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %pK",
		   seq->index - 1,
		   req->laddr, ntohs(req->lport), req->raddr, ntohs(req->rport),
		   XTCP_SYN_RECV, 0, 0, 1, jiffies_delta_to_clock_t(left),
		   READ_ONCE(req->retries),
		   from_kuid_munged(seq_user_ns(seq), req->listener->sk_uid),
		   0, 0UL, 0, req);
}

/* A TIME_WAIT entry: state 06, timer 3 (TIME_WAIT) with its time left, no inode. */
static void xtcp_seq_show_tw(struct seq_file *seq, struct xtcp_tw *tw)
{
	long left = (long)(tw->expires - jiffies);

	seq_printf(seq, "%4lld: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %pK",
		   seq->index - 1,
		   tw->key.saddr, ntohs(tw->key.sport),
		   tw->key.daddr, ntohs(tw->key.dport),
		   XTCP_TIME_WAIT, 0, 0, 3, jiffies_delta_to_clock_t(left), 0, 0, 0, 0UL,
		   0, tw);
}

static int xtcp_seq_show(struct seq_file *seq, void *v)
{
	struct xtcp_seq_state *st = seq->private;
	struct xtcp_sock *xs;
	struct inet_sock *inet;
	unsigned long when = 0;
	struct sock *sk;
	int timer = 0;

	seq_setwidth(seq, 149);
	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode");
		goto out;
	}
	if (st->part == XTCP_SEQ_TW) {
		xtcp_seq_show_tw(seq, list_entry(v, struct xtcp_tw, age));
		goto out;
	}
	if (st->part == XTCP_SEQ_REQS) {
		xtcp_seq_show_req(seq, v);
		goto out;
	}

	xs = hlist_entry(v, struct xtcp_sock, node);
	sk = &xs->inet.sk;
	inet = &xs->inet;
	/* The timer codes of /proc/net/tcp: 1 retransmit, 4 window probe, 2 keepalive. */
	if (timer_pending(&xs->rtx_timer)) {
		timer = READ_ONCE(xs->rtx_mode) == XTCP_RTX_PERSIST ? 4 : 1;
		when = xs->rtx_timer.expires;
	} else if (timer_pending(&sk->sk_timer)) {
		timer = 2;
		when = sk->sk_timer.expires;
	}
	seq_printf(seq, "%4lld: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %pK",
		   seq->index - 1,
		   inet->inet_rcv_saddr, ntohs(inet->inet_sport),
		   inet->inet_daddr, ntohs(inet->inet_dport),
		   READ_ONCE(sk->sk_state),
		   READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_una),
		   READ_ONCE(sk->sk_state) == XTCP_LISTEN ? READ_ONCE(sk->sk_ack_backlog) :
		   READ_ONCE(xs->rcv_nxt) - READ_ONCE(xs->copied_seq),
		   timer, timer ? jiffies_delta_to_clock_t((long)(when - jiffies)) : 0UL,
		   READ_ONCE(xs->retransmits),
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
			     sizeof(struct xtcp_seq_state)))
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
