// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - /proc/net/xtcp (one line per socket, request and TIME_WAIT entry, in the
 * layout of /proc/net/tcp, timers included) and
 * /proc/net/xtcp_counters (one "Name value" line per counter), per namespace.
 */
#include <linux/percpu_counter.h>
#include <linux/proc_fs.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "xtcp.h"

/*
 * The file lists the namespace's sockets, then its requests (the SYN queues),
 * then its TIME_WAIT entries. Each read(2) is one seq_file chunk (start, show and
 * next for up to a page of lines, stop). The reader keeps its place between
 * chunks, as /proc/net/tcp does with st->last_pos: a chunk that starts at the
 * line where the last one stopped goes on from there, so a whole read costs
 * O(lines); a start anywhere else (lseek(), pread()) walks again from the first
 * line, in batches with the RCU read lock dropped in between.
 *
 * Locking. No spinlock is held across a chunk, nor are bottom halves off for
 * longer than one socket's step:
 *  - start to stop (one chunk): the RCU read lock, taken and dropped by the
 *    TIME_WAIT iterator's rhashtable_walk_start() and rhashtable_walk_stop().
 *  - Sockets: xn->socks changes under socks_lock and cannot be walked under RCU
 *    (the destructor unlinks a socket in its RCU callback, and the free follows
 *    at once). The reader's place is a cursor linked into the list (struct
 *    xtcp_socks_node, marked cursor). One step takes socks_lock (BHs off), finds
 *    the first live socket after the cursor or after the current socket,
 *    skipping other readers' cursors and sockets whose last reference is gone,
 *    takes a reference on it, puts the cursor just before it, and drops the
 *    lock. The line is printed from the reference (so refcnt is shown less the
 *    reader's own), which the next step or stop puts. Between chunks only the
 *    cursor stays. Release unlinks it; remove_proc_entry() calls release for a
 *    file still open, before the namespace's tables go.
 *  - Requests: the place is a bucket and the index in it, found again under RCU
 *    (xtcp_req_walk()); requests are freed a grace period after their unlink.
 *  - TIME_WAIT entries: an rhashtable_walk iterator from open to release, which
 *    finds its entry again in its bucket at every start; tw->expires is read
 *    with READ_ONCE(). A resize of the table during a read restarts the
 *    iterator (-EAGAIN) at the start of the new table: some entries are then
 *    listed twice, as lines of /proc/net/tcp may be missed or repeated when its
 *    tables change under a read.
 * The value of an iterator is a socket (with a reference), a request or an
 * entry; st->part tells which.
 */
enum xtcp_seq_part {
	XTCP_SEQ_SOCKS,
	XTCP_SEQ_REQS,
	XTCP_SEQ_TW,
	XTCP_SEQ_END,
};

/* Lines walked per RCU read-side section when a read starts somewhere new. */
#define XTCP_SEQ_SKIP_BATCH	256

/**
 * struct xtcp_seq_state - a reader's place in /proc/net/xtcp; kept between reads.
 * @net: the namespace, held from open to release.
 * @ns_tracker: the reference's tracker.
 * @part: where the place is.
 * @pos: the line (seq_file's index) the place is at; 0 is the header, and the
 *	place is then the first line after it.
 * @cursor: in xn->socks, just before the current socket; unlinked once the
 *	sockets are done. Under socks_lock.
 * @bucket: the current request's bucket.
 * @offset: its index in the bucket.
 * @tw: the TIME_WAIT iterator; entered at open, left at release.
 */
struct xtcp_seq_state {
	struct net *net;
	netns_tracker ns_tracker;
	enum xtcp_seq_part part;
	loff_t pos;
	struct xtcp_socks_node cursor;
	unsigned int bucket;
	unsigned int offset;
	struct rhashtable_iter tw;
};

/*
 * The first live socket after @from, with a reference taken; the cursor goes
 * just before it, or out of the list when there is none.
 */
static struct xtcp_sock *xtcp_seq_sock_from(struct xtcp_net *xn,
					    struct xtcp_seq_state *st,
					    struct hlist_node *from)
	__must_hold(&xn->socks_lock)
{
	struct hlist_node *node;

	for (node = from->next; node; node = node->next) {
		struct xtcp_socks_node *n = hlist_entry(node, struct xtcp_socks_node, node);
		struct xtcp_sock *xs;

		if (n->cursor)
			continue;
		xs = container_of(n, struct xtcp_sock, node);
		/* Refcount 0: its destructor is a grace period away. */
		if (!refcount_inc_not_zero(&xs->inet.sk.sk_refcnt))
			continue;
		if (node->pprev != &st->cursor.node.next) {
			hlist_del(&st->cursor.node);
			hlist_add_before(&st->cursor.node, node);
		}
		return xs;
	}
	hlist_del_init(&st->cursor.node);
	return NULL;
}

/* The socket after the cursor, or NULL when the sockets are done. */
static struct xtcp_sock *xtcp_seq_sock_cur(struct xtcp_net *xn, struct xtcp_seq_state *st)
{
	struct xtcp_sock *xs = NULL;

	spin_lock_bh(&xn->socks_lock);
	if (!hlist_unhashed(&st->cursor.node))
		xs = xtcp_seq_sock_from(xn, st, &st->cursor.node);
	spin_unlock_bh(&xn->socks_lock);
	return xs;
}

/* The socket after @xs, whose reference is put. */
static struct xtcp_sock *xtcp_seq_sock_next(struct xtcp_net *xn, struct xtcp_seq_state *st,
					    struct xtcp_sock *xs)
{
	struct xtcp_sock *next;

	/* Still listed: the reference keeps the destructor away. */
	spin_lock_bh(&xn->socks_lock);
	next = xtcp_seq_sock_from(xn, st, &xs->node.node);
	spin_unlock_bh(&xn->socks_lock);
	sock_put(&xs->inet.sk);
	return next;
}

/*
 * The request at the place (the offset-th of the bucket), or the first after
 * it if the bucket has fewer now; under RCU.
 */
static struct xtcp_request *xtcp_seq_req_cur(struct xtcp_net *xn, struct xtcp_seq_state *st)
{
	unsigned int bucket = st->bucket, i = 0;
	struct xtcp_request *req;

	req = xtcp_req_walk(&xn->reqs, NULL, &bucket);
	while (req && bucket == st->bucket && i < st->offset) {
		req = xtcp_req_walk(&xn->reqs, req, &bucket);
		i++;
	}
	st->offset = bucket == st->bucket ? i : 0;
	st->bucket = bucket;
	return req;
}

static struct xtcp_request *xtcp_seq_req_next(struct xtcp_net *xn, struct xtcp_seq_state *st,
					      struct xtcp_request *req)
{
	unsigned int bucket = st->bucket;

	req = xtcp_req_walk(&xn->reqs, req, &bucket);
	st->offset = bucket == st->bucket ? st->offset + 1 : 0;
	st->bucket = bucket;
	return req;
}

/* The iterator's current entry (@peek) or the next one; a resize restarts it. */
static struct xtcp_tw *xtcp_seq_tw(struct xtcp_seq_state *st, bool peek)
{
	struct xtcp_tw *tw;

	do {
		tw = peek ? rhashtable_walk_peek(&st->tw) : rhashtable_walk_next(&st->tw);
	} while (tw == ERR_PTR(-EAGAIN));
	return IS_ERR(tw) ? NULL : tw;
}

/* The line at the place, in its part or the parts after; NULL at the end. */
static void *xtcp_seq_cur(struct xtcp_net *xn, struct xtcp_seq_state *st)
{
	void *v;

	switch (st->part) {
	case XTCP_SEQ_SOCKS:
		v = xtcp_seq_sock_cur(xn, st);
		if (v)
			return v;
		st->part = XTCP_SEQ_REQS;
		fallthrough;
	case XTCP_SEQ_REQS:
		v = xtcp_seq_req_cur(xn, st);
		if (v)
			return v;
		st->part = XTCP_SEQ_TW;
		fallthrough;
	case XTCP_SEQ_TW:
		v = xtcp_seq_tw(st, true);
		if (v)
			return v;
		st->part = XTCP_SEQ_END;
		fallthrough;
	case XTCP_SEQ_END:
		break;
	}
	return NULL;
}

/* The line after @v, the current one; the place moves to it. */
static void *xtcp_seq_advance(struct xtcp_net *xn, struct xtcp_seq_state *st, void *v)
{
	void *next = NULL;

	switch (st->part) {
	case XTCP_SEQ_SOCKS:
		next = xtcp_seq_sock_next(xn, st, v);
		break;
	case XTCP_SEQ_REQS:
		next = xtcp_seq_req_next(xn, st, v);
		break;
	case XTCP_SEQ_TW:
		next = xtcp_seq_tw(st, false);
		break;
	case XTCP_SEQ_END:
		break;
	}
	/* At the end of a part, the place is past its last line: the next part. */
	return next ? next : xtcp_seq_cur(xn, st);
}

/* Let go of the current line @v (a socket's reference); the place stays. */
static void xtcp_seq_park(struct xtcp_seq_state *st, void *v)
{
	if (v && v != SEQ_START_TOKEN && st->part == XTCP_SEQ_SOCKS)
		sock_put(&((struct xtcp_sock *)v)->inet.sk);
}

/* Back to the first line; outside rhashtable_walk_start()..stop(). */
static void xtcp_seq_reset(struct xtcp_net *xn, struct xtcp_seq_state *st)
{
	spin_lock_bh(&xn->socks_lock);
	if (!hlist_unhashed(&st->cursor.node))
		hlist_del(&st->cursor.node);
	hlist_add_head(&st->cursor.node, &xn->socks);
	spin_unlock_bh(&xn->socks_lock);
	st->part = XTCP_SEQ_SOCKS;
	st->bucket = 0;
	st->offset = 0;
	rhashtable_walk_exit(&st->tw);
	rhashtable_walk_enter(&xn->tw.ht, &st->tw);
	st->pos = 0;
}

/* From the first line to line @pos, a batch of lines per RCU section. */
static void xtcp_seq_skip(struct xtcp_net *xn, struct xtcp_seq_state *st, loff_t pos)
{
	loff_t n = pos - 1;
	unsigned int i;
	void *v;

	while (n > 0) {
		rhashtable_walk_start(&st->tw);
		v = xtcp_seq_cur(xn, st);
		for (i = 0; v && n > 0 && i < XTCP_SEQ_SKIP_BATCH; i++, n--)
			v = xtcp_seq_advance(xn, st, v);
		xtcp_seq_park(st, v);
		rhashtable_walk_stop(&st->tw);
		if (!v)
			break;
		cond_resched();
	}
	st->pos = pos;
}

static void *xtcp_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	struct xtcp_seq_state *st = seq->private;
	struct xtcp_net *xn = xtcp_pernet(st->net);

	/* Where the last chunk stopped, the place is already there. */
	if (!*pos || *pos != st->pos) {
		xtcp_seq_reset(xn, st);
		xtcp_seq_skip(xn, st, *pos);
	}
	rhashtable_walk_start(&st->tw);
	if (!*pos)
		return SEQ_START_TOKEN;
	return xtcp_seq_cur(xn, st);
}

static void *xtcp_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct xtcp_seq_state *st = seq->private;
	struct xtcp_net *xn = xtcp_pernet(st->net);

	st->pos = ++*pos;
	if (v == SEQ_START_TOKEN)
		return xtcp_seq_cur(xn, st);
	return xtcp_seq_advance(xn, st, v);
}

/* @v, if any, is the line the next chunk begins with: only its reference goes. */
static void xtcp_seq_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	struct xtcp_seq_state *st = seq->private;

	xtcp_seq_park(st, v);
	rhashtable_walk_stop(&st->tw);
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
	long left = (long)(READ_ONCE(tw->expires) - jiffies);

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
		xtcp_seq_show_tw(seq, v);
		goto out;
	}
	if (st->part == XTCP_SEQ_REQS) {
		xtcp_seq_show_req(seq, v);
		goto out;
	}

	xs = v;
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
		   0, sock_i_ino(sk), refcount_read(&sk->sk_refcnt) - 1, sk);
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

/*
 * seq_open_net() and seq_release_net(), which 6.1 does not export, and what the
 * reader keeps between reads. The entry's data is its namespace.
 */
static int xtcp_seq_open(struct inode *inode, struct file *file)
{
	struct net *net = pde_data(inode);
	struct xtcp_seq_state *st;

	if (file->f_mode & FMODE_WRITE)
		return -EACCES;
	if (!maybe_get_net(net))
		return -ENXIO;
	st = __seq_open_private(file, &xtcp_seq_ops, sizeof(*st));
	if (!st) {
		put_net(net);
		return -ENOMEM;
	}
	st->net = net;
	netns_tracker_alloc(net, &st->ns_tracker, GFP_KERNEL);
	/* The first chunk starts at line 0, which puts the cursor in. */
	INIT_HLIST_NODE(&st->cursor.node);
	st->cursor.cursor = true;
	st->part = XTCP_SEQ_END;
	rhashtable_walk_enter(&xtcp_pernet(net)->tw.ht, &st->tw);
	return 0;
}

/* Also called by remove_proc_entry() for a file still open. */
static int xtcp_seq_release(struct inode *inode, struct file *file)
{
	struct xtcp_seq_state *st = ((struct seq_file *)file->private_data)->private;
	struct xtcp_net *xn = xtcp_pernet(st->net);

	spin_lock_bh(&xn->socks_lock);
	if (!hlist_unhashed(&st->cursor.node))
		hlist_del(&st->cursor.node);
	spin_unlock_bh(&xn->socks_lock);
	rhashtable_walk_exit(&st->tw);
	put_net_track(st->net, &st->ns_tracker);
	return seq_release_private(inode, file);
}

static const struct proc_ops xtcp_seq_proc_ops = {
	.proc_open	= xtcp_seq_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= xtcp_seq_release,
};

static int xtcp_counters_show(struct seq_file *seq, void *v)
{
	struct xtcp_net *xn = xtcp_pernet(seq_file_single_net(seq));
	int i;

	for (i = 0; i < XTCP_MIB_MAX; i++)
		seq_printf(seq, "%s %lu\n", xtcp_mib_names[i], xtcp_mib_read(xn, i));
	return 0;
}

/*
 * /proc/net/xtcp_sockstat: the XTCP line of /proc/net/sockstat. inuse and tw are
 * the namespace's; orphan, alloc (sockets not yet freed) and mem (pages, the
 * limit of net.xtcp.mem) are XTCP's in all namespaces, as TCP's are.
 */
static int xtcp_sockstat_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	struct xtcp_net *xn = xtcp_pernet(net);

	seq_printf(seq, "XTCP: inuse %d orphan %u tw %u alloc %lld mem %ld\n",
		   sock_prot_inuse_get(net, &xtcp_prot), xtcp_orphan_count_sum(),
		   READ_ONCE(xn->tw.count), percpu_counter_sum_positive(&xtcp_sockets_allocated),
		   max(0L, xtcp_memory_allocated_sum()));
	return 0;
}

int xtcp_proc_init_net(struct net *net)
{
	if (!proc_create_data("xtcp", 0444, net->proc_net, &xtcp_seq_proc_ops, net))
		return -ENOMEM;
	if (!proc_create_net_single("xtcp_counters", 0444, net->proc_net,
				    xtcp_counters_show, NULL))
		goto err_counters;
	if (!proc_create_net_single("xtcp_sockstat", 0444, net->proc_net,
				    xtcp_sockstat_show, NULL))
		goto err_sockstat;
	return 0;

err_sockstat:
	remove_proc_entry("xtcp_counters", net->proc_net);
err_counters:
	remove_proc_entry("xtcp", net->proc_net);
	return -ENOMEM;
}

void xtcp_proc_exit_net(struct net *net)
{
	remove_proc_entry("xtcp_sockstat", net->proc_net);
	remove_proc_entry("xtcp_counters", net->proc_net);
	remove_proc_entry("xtcp", net->proc_net);
}
