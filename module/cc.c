// SPDX-License-Identifier: GPL-2.0
/*
 * cc.c - congestion control as a plug-in: the registry of controllers (struct
 * xtcp_cc_ops, xtcp_cc.h), each namespace's default, each socket's choice, and
 * the calls XTCP's ACK path and timers make into the chosen one.
 *
 * The rules are TCP's (net/ipv4/tcp_cong.c), in XTCP's own code:
 *
 * - a controller registers by a unique name from any module; XTCP's own
 *   ("reno") is always there and is the fallback;
 * - a connection and a namespace's default each pin their controller's
 *   module (its count), so that it cannot be unloaded while used;
 * - net.xtcp.congestion_control sets a namespace's default (ENOENT for a
 *   name no controller has), net.xtcp.available_congestion_control lists
 *   the registered; a new socket takes the default of its namespace, a child
 *   its listener's when TCP_CONGESTION chose it, else the default;
 * - TCP_CONGESTION (SOL_TCP) chooses per socket, at any time: the old
 *   controller is released and the new one started if the connection is;
 * - a name not registered loads the module xtcp_cc_NAME (for CAP_NET_ADMIN),
 *   as TCP loads tcp_NAME.
 *
 * Locking: the registry's list is changed under xtcp_cc_lock and read under
 * RCU; unregistering waits for a grace period, so that a reader's pointer
 * stays valid until it has taken the module's count (or failed to: the module
 * is going). A socket's controller is used under the socket lock.
 */
#include <linux/kernel.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "xtcp.h"

static LIST_HEAD(xtcp_cc_list);		/* RCU; changed under xtcp_cc_lock */
static DEFINE_SPINLOCK(xtcp_cc_lock);

/* Under RCU or xtcp_cc_lock. */
static struct xtcp_cc_ops *xtcp_cc_lookup(const char *name)
{
	struct xtcp_cc_ops *ops;

	list_for_each_entry_rcu(ops, &xtcp_cc_list, list, lockdep_is_held(&xtcp_cc_lock))
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

/**
 * xtcp_cc_register() - add a controller to XTCP's registry.
 * @ops: the controller; its .name unique, NUL-terminated and not empty; its
 *	.ssthresh, .cong_avoid and .undo_cwnd set.
 *
 * Return: 0, -EINVAL for an incomplete controller, -EEXIST for a name taken.
 */
int xtcp_cc_register(struct xtcp_cc_ops *ops)
{
	int err = 0;

	if (!ops->ssthresh || !ops->cong_avoid || !ops->undo_cwnd ||
	    !ops->name[0] || strnlen(ops->name, XTCP_CC_NAME_MAX) == XTCP_CC_NAME_MAX) {
		pr_err("congestion control %.*s: incomplete, not registered\n",
		       XTCP_CC_NAME_MAX, ops->name);
		return -EINVAL;
	}
	spin_lock(&xtcp_cc_lock);
	if (xtcp_cc_lookup(ops->name))
		err = -EEXIST;
	else
		list_add_tail_rcu(&ops->list, &xtcp_cc_list);
	spin_unlock(&xtcp_cc_lock);
	if (err)
		pr_notice("congestion control %s already registered\n", ops->name);
	else
		pr_debug("congestion control %s registered\n", ops->name);
	return err;
}
EXPORT_SYMBOL_GPL(xtcp_cc_register);

/**
 * xtcp_cc_unregister() - remove a controller from the registry.
 * @ops: a registered controller. Nothing uses it: its module's exit calls this,
 *	which the count of every user (socket, namespace default) holds off.
 */
void xtcp_cc_unregister(struct xtcp_cc_ops *ops)
{
	spin_lock(&xtcp_cc_lock);
	list_del_rcu(&ops->list);
	spin_unlock(&xtcp_cc_lock);
	/* A reader may still hold the pointer, on its way to the module's count. */
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(xtcp_cc_unregister);

/**
 * xtcp_cc_get() - pin a controller for a user.
 * @ops: the controller, found under RCU or already pinned.
 *
 * XTCP's own controllers need no pin: every socket holds xtcp.ko.
 *
 * Return: false if its module is on its way out.
 */
bool xtcp_cc_get(const struct xtcp_cc_ops *ops)
{
	return ops->owner == THIS_MODULE || try_module_get(ops->owner);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cc_get);

void xtcp_cc_put(const struct xtcp_cc_ops *ops)
{
	if (ops->owner != THIS_MODULE)
		module_put(ops->owner);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cc_put);

/**
 * xtcp_cc_find() - a registered controller by name, not pinned (for tests and
 * for checks that keep no pointer).
 * @name: its name.
 *
 * Return: the controller or NULL.
 */
const struct xtcp_cc_ops *xtcp_cc_find(const char *name)
{
	const struct xtcp_cc_ops *ops;

	rcu_read_lock();
	ops = xtcp_cc_lookup(name);
	rcu_read_unlock();
	return ops;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cc_find);

/*
 * The controller named @name, pinned; if none is registered and @load, after
 * loading the module xtcp_cc_@name. NULL if there is none (or it is going).
 */
static const struct xtcp_cc_ops *xtcp_cc_find_get(const char *name, bool load)
{
	const struct xtcp_cc_ops *ops;

	rcu_read_lock();
	ops = xtcp_cc_lookup(name);
	if (ops && !xtcp_cc_get(ops))
		ops = NULL;
	rcu_read_unlock();
	if (ops || !load || !IS_ENABLED(CONFIG_MODULES))
		return ops;
	request_module("xtcp_cc_%s", name);
	rcu_read_lock();
	ops = xtcp_cc_lookup(name);
	if (ops && !xtcp_cc_get(ops))
		ops = NULL;
	rcu_read_unlock();
	return ops;
}

/* A namespace starts with XTCP's NewReno as its default. */
void xtcp_cc_init_net(struct xtcp_net *xn)
{
	RCU_INIT_POINTER(xn->cc_default, &xtcp_cc_reno);
}

/* The namespace is gone, and its default's pin with it. */
void xtcp_cc_exit_net(struct xtcp_net *xn)
{
	xtcp_cc_put(rcu_dereference_protected(xn->cc_default, true));
}

/**
 * xtcp_cc_set_default() - net.xtcp.congestion_control.
 * @net: the namespace.
 * @name: the controller's name.
 *
 * Return: 0, or -ENOENT when no controller has the name (as TCP's sysctl).
 */
int xtcp_cc_set_default(struct net *net, const char *name)
{
	struct xtcp_net *xn = xtcp_pernet(net);
	const struct xtcp_cc_ops *ops, *old;

	ops = xtcp_cc_find_get(name, capable(CAP_NET_ADMIN));
	if (!ops)
		return -ENOENT;
	spin_lock(&xtcp_cc_lock);
	old = rcu_replace_pointer(xn->cc_default, ops, lockdep_is_held(&xtcp_cc_lock));
	spin_unlock(&xtcp_cc_lock);
	xtcp_cc_put(old);
	return 0;
}

/**
 * xtcp_cc_available() - the registered controllers' names.
 * @buf: filled with them, separated by spaces, NUL-terminated.
 * @size: @buf's size (at least 1).
 *
 * Return: the length written; names that do not fit whole are left out.
 */
size_t xtcp_cc_available(char *buf, size_t size)
{
	const struct xtcp_cc_ops *ops;
	size_t len = 0, n;

	buf[0] = '\0';
	rcu_read_lock();
	list_for_each_entry_rcu(ops, &xtcp_cc_list, list) {
		n = strlen(ops->name) + (len ? 1 : 0);
		if (len + n >= size)
			break;
		len += scnprintf(buf + len, size - len, "%s%s", len ? " " : "", ops->name);
	}
	rcu_read_unlock();
	return len;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cc_available);

/* Longest write to net.xtcp.congestion_control: a name, white space around it. */
#define XTCP_CC_TEXT_MAX	64

/**
 * xtcp_proc_cc_default() - proc handler of net.xtcp.congestion_control.
 * @table: the entry; .data is the namespace's struct xtcp_net.
 * @write: nonzero for a write.
 * @buffer: the text read or written (a kernel buffer).
 * @lenp: its length; updated.
 * @ppos: the file position; updated.
 *
 * Reads the default's name; a write (one write(2) from offset 0, white space
 * around the name allowed: `echo reno >`) chooses another; an empty one is
 * nothing.
 *
 * Return: 0, -EINVAL for a malformed write, -ENOENT for an unknown name.
 */
int xtcp_proc_cc_default(XTCP_CTL_TABLE_CONST struct ctl_table *table, int write,
			 void *buffer, size_t *lenp, loff_t *ppos)
{
	struct xtcp_net *xn = table->data;
	char text[XTCP_CC_TEXT_MAX + 1];
	struct ctl_table tmp = {
		.data = text,
		.maxlen = sizeof(text),
	};
	char *name;
	int err;

	if (!write) {
		rcu_read_lock();
		strscpy(text, rcu_dereference(xn->cc_default)->name, sizeof(text));
		rcu_read_unlock();
		return proc_dostring(&tmp, 0, buffer, lenp, ppos);
	}
	/* A write of nothing changes nothing (TCP's knob too). */
	if (!*lenp)
		return 0;
	if (xtcp_sysctl_write_text(buffer, *lenp, *ppos, text, sizeof(text)))
		return -EINVAL;
	name = strim(text);
	/* No controller has an empty name or one too long (TCP's ENOENT too). */
	if (!*name || strlen(name) >= XTCP_CC_NAME_MAX)
		return -ENOENT;
	err = xtcp_cc_set_default(xn->net, name);
	if (err)
		return err;
	*ppos += *lenp;
	return 0;
}

/**
 * xtcp_proc_cc_available() - proc handler of net.xtcp.available_congestion_control
 * (read-only).
 * @table: the entry.
 * @write: nonzero for a write (never: the file is 0444).
 * @buffer: the text read (a kernel buffer).
 * @lenp: its length; updated.
 * @ppos: the file position; updated.
 *
 * Return: 0, or -EPERM for a write.
 */
int xtcp_proc_cc_available(XTCP_CTL_TABLE_CONST struct ctl_table *table, int write,
			   void *buffer, size_t *lenp, loff_t *ppos)
{
	struct ctl_table tmp = { .maxlen = 256 };
	int err;

	if (write)
		return -EPERM;
	tmp.data = kmalloc(tmp.maxlen, GFP_KERNEL);
	if (!tmp.data)
		return -ENOMEM;
	xtcp_cc_available(tmp.data, tmp.maxlen);
	err = proc_dostring(&tmp, 0, buffer, lenp, ppos);
	kfree(tmp.data);
	return err;
}

/**
 * xtcp_cc_assign() - a new socket's controller, pinned: its listener's when
 * TCP_CONGESTION chose it, else its namespace's default.
 * @sk: the socket, not yet published (the caller's destructor unpins).
 * @lsk: the listener of a child, or NULL.
 */
void xtcp_cc_assign(struct sock *sk, const struct sock *lsk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_cc_ops *ops;

	xs->cc_live = false;
	xs->cc_user = false;
	rcu_read_lock();
	/*
	 * The listener is not locked: its choice may change meanwhile, the old
	 * one being unpinned. Under RCU its ops stay readable (unregistering
	 * waits for a grace period), and a module on its way out is not pinned.
	 */
	if (lsk && READ_ONCE(xtcp_sk(lsk)->cc_user)) {
		ops = READ_ONCE(xtcp_sk(lsk)->cc);
		if (xtcp_cc_get(ops)) {
			rcu_read_unlock();
			xs->cc = ops;
			xs->cc_user = true;
			return;
		}
	}
	ops = rcu_dereference(xtcp_pernet(sock_net(sk))->cc_default);
	/* Only a default being replaced can be going: NewReno instead. */
	if (!xtcp_cc_get(ops))
		ops = &xtcp_cc_reno;
	rcu_read_unlock();
	xs->cc = ops;
}

/* What the controller reads, brought up to date before each call. */
static struct xtcp_ca *xtcp_ca_fresh(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_ca *ca = &xs->cwnd.ca;

	ca->mss = xs->mss ? xs->mss : XTCP_MSS_DEFAULT;
	ca->srtt_us = xs->rtt.srtt_us;
	ca->now_us = xtcp_clock_us();
	ca->snd_nxt = xs->snd_nxt;
	return ca;
}

/* The controller's window, kept within XTCP's bounds whatever it set. */
static void xtcp_ca_bound(struct xtcp_ca *ca)
{
	ca->cwnd = clamp_t(u32, ca->cwnd, 1, XTCP_MAX_CWND);
	ca->ssthresh = max_t(u32, ca->ssthresh, 1);
}

/**
 * xtcp_cc_start() - the connection is established: its controller starts.
 * @sk: the socket, locked.
 */
void xtcp_cc_start(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->cc_live)
		return;
	memset(xs->ca_priv, 0, sizeof(xs->ca_priv));
	xs->cwnd.ca.state = TCP_CA_Open;
	xs->cwnd.ca.min_rtt_us = 0;
	xs->cc_live = true;
	if (xs->cc->init) {
		xtcp_ca_fresh(sk);
		xs->cc->init(sk);
		xtcp_ca_bound(&xs->cwnd.ca);
	}
}

/**
 * xtcp_cc_stop() - the controller's connection is over (or it is replaced).
 * @sk: the socket, locked (or unreachable: its destructor).
 */
void xtcp_cc_stop(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->cc_live)
		return;
	xs->cc_live = false;
	if (xs->cc->release)
		xs->cc->release(sk);
}

/**
 * xtcp_cc_drop() - the socket is destroyed: its controller stops and is unpinned.
 * @sk: the socket.
 */
void xtcp_cc_drop(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_cc_stop(sk);
	xtcp_cc_put(xs->cc);
	xs->cc = NULL;
}

/**
 * xtcp_cc_setsockopt() - TCP_CONGESTION.
 * @sk: the socket.
 * @name: the controller's name.
 *
 * Return: 0, or -ENOENT when no controller has the name (TCP's errno).
 */
int xtcp_cc_setsockopt(struct sock *sk, const char *name)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_cc_ops *ops, *old;

	ops = xtcp_cc_find_get(name, ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN));
	if (!ops)
		return -ENOENT;
	lock_sock(sk);
	WRITE_ONCE(xs->cc_user, true);
	if (ops == xs->cc) {
		release_sock(sk);
		xtcp_cc_put(ops);
		return 0;
	}
	xtcp_cc_stop(sk);
	old = xs->cc;
	/* A listener's children read it unlocked (xtcp_cc_assign()). */
	WRITE_ONCE(xs->cc, ops);
	xtcp_cc_put(old);
	/* A connection under way goes on with the new one, from its window. */
	if (xtcp_synchronized(sk) || sk->sk_state == XTCP_CLOSE_WAIT) {
		xtcp_cc_start(sk);
		xtcp_cc_sync(sk);
	}
	release_sock(sk);
	return 0;
}

/**
 * xtcp_cc_sync() - tell the controller where recovery stands, if it changed.
 * @sk: the socket, locked.
 */
void xtcp_cc_sync(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u8 state = xtcp_ca_state(xs);

	if (state == xs->cwnd.ca.state || !xs->cc_live)
		return;
	xs->cwnd.ca.state = state;
	if (xs->cc->set_state) {
		xtcp_ca_fresh(sk);
		xs->cc->set_state(sk, state);
		xtcp_ca_bound(&xs->cwnd.ca);
	}
}

/**
 * xtcp_cc_loss_ssthresh() - a loss was detected: the controller's threshold.
 * @sk: the socket, locked.
 * @in_flight: segments in flight (FlightSize).
 *
 * The window it reduces is kept (prior_cwnd) for .undo_cwnd.
 *
 * Return: the new ssthresh, at least 1.
 */
u32 xtcp_cc_loss_ssthresh(struct sock *sk, u32 in_flight)
{
	struct xtcp_ca *ca = xtcp_ca_fresh(sk);

	ca->in_flight = in_flight;
	ca->prior_cwnd = ca->cwnd;
	return clamp_t(u32, xtcp_sk(sk)->cc->ssthresh(sk), 1, XTCP_INFINITE_SSTHRESH);
}

/**
 * xtcp_cc_cong_avoid() - new data acknowledged outside recovery.
 * @sk: the socket, locked.
 * @ack: the new SND.UNA.
 * @acked: segments acknowledged.
 * @prior_in_flight: segments in flight before the ACK.
 */
void xtcp_cc_cong_avoid(struct sock *sk, u32 ack, u32 acked, u32 prior_in_flight)
{
	struct xtcp_ca *ca = xtcp_ca_fresh(sk);

	if (!acked)
		return;
	ca->prior_in_flight = prior_in_flight;
	xtcp_sk(sk)->cc->cong_avoid(sk, ack, acked);
	xtcp_ca_bound(ca);
}

/**
 * xtcp_cc_pkts_acked() - every ACK of new data, with its RTT sample.
 * @sk: the socket, locked.
 * @acked: segments acknowledged.
 * @rtt_us: the RTT sampled by it, or -1.
 * @prior_in_flight: segments in flight before it.
 */
void xtcp_cc_pkts_acked(struct sock *sk, u32 acked, s32 rtt_us, u32 prior_in_flight)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_ca *ca = xtcp_ca_fresh(sk);
	struct xtcp_ack_sample sample = {
		.pkts_acked = acked,
		.rtt_us = rtt_us,
		.in_flight = prior_in_flight,
	};

	if (rtt_us > 0 && (!ca->min_rtt_us || rtt_us < ca->min_rtt_us))
		ca->min_rtt_us = rtt_us;
	if (xs->cc_live && xs->cc->pkts_acked)
		xs->cc->pkts_acked(sk, &sample);
}

/**
 * xtcp_cc_event() - one of enum xtcp_ca_event, for the controller.
 * @sk: the socket, locked.
 * @ev: the event.
 */
void xtcp_cc_event(struct sock *sk, enum xtcp_ca_event ev)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->cc_live && xs->cc->cwnd_event) {
		xtcp_ca_fresh(sk);
		xs->cc->cwnd_event(sk, ev);
		xtcp_ca_bound(&xs->cwnd.ca);
	}
}

/**
 * xtcp_cc_undo() - the recovery was spurious: threshold and window back.
 * @sk: the socket, locked, in fast recovery.
 */
void xtcp_cc_undo(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_ca_fresh(sk);
	xtcp_cwnd_undo(&xs->cwnd, xs->cc->undo_cwnd(sk));
	xtcp_cc_sync(sk);
}

/**
 * xtcp_cc_timeout() - the retransmission timer fired on data.
 * @sk: the socket, locked.
 * @first: the first timeout since data was last acknowledged.
 */
void xtcp_cc_timeout(struct sock *sk, bool first)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 ssthresh = xs->cwnd.ca.ssthresh;

	if (xtcp_cwnd_timeout_sets_ssthresh(&xs->cwnd, first)) {
		ssthresh = xtcp_cc_loss_ssthresh(sk, xtcp_packets_in_flight(xs, xs->snd_max));
		xtcp_cc_event(sk, XTCP_CA_EVENT_LOSS);
	}
	xtcp_cwnd_timeout(&xs->cwnd, ssthresh, xs->snd_max);
}

/**
 * xtcp_ca() - what a controller reads and sets of a connection.
 * @sk: an XTCP socket.
 *
 * Return: its struct xtcp_ca.
 */
struct xtcp_ca *xtcp_ca(struct sock *sk)
{
	return &xtcp_sk(sk)->cwnd.ca;
}
EXPORT_SYMBOL_GPL(xtcp_ca);

/**
 * xtcp_ca_priv() - a controller's own state of a connection.
 * @sk: an XTCP socket.
 *
 * Return: XTCP_CA_PRIV_SIZE bytes, zeroed before .init, u64-aligned.
 */
void *xtcp_ca_priv(struct sock *sk)
{
	return xtcp_sk(sk)->ca_priv;
}
EXPORT_SYMBOL_GPL(xtcp_ca_priv);

/* XTCP's own controllers, registered before any namespace exists. */
int xtcp_cc_init(void)
{
	int err;

	err = xtcp_cc_register(&xtcp_cc_reno);
	if (err)
		return err;
	err = xtcp_cc_register(&xtcp_cc_cubic);
	if (err)
		xtcp_cc_unregister(&xtcp_cc_reno);
	return err;
}

void xtcp_cc_exit(void)
{
	xtcp_cc_unregister(&xtcp_cc_cubic);
	xtcp_cc_unregister(&xtcp_cc_reno);
}
