// SPDX-License-Identifier: GPL-2.0
/*
 * timewait.c - the TIME_WAIT table: compact entries for connections this end
 * closed first, held for 2 * MSL (RFC 9293 3.6), instead of whole sockets.
 *
 * An entry keeps only what TIME_WAIT needs: the 4-tuple (the key), SND.NXT and
 * RCV.NXT (to ACK a retransmitted FIN, and to judge a new SYN, RFC 6191), and
 * its expiry. Lookups, from the receive path, are RCU-protected rhashtable
 * lookups; insertion, refresh and removal take the table's lock. Entries sit on
 * an age list ordered by expiry, so the oldest is always at its head and expiry
 * is O(1) per entry; an insertion or refresh lands at the tail in O(1) unless a
 * shorter lifetime (a lowered msl_ms) has to be ordered in among older entries.
 *
 * bind() asks whether entries hold a local address and port: a second, small
 * index answers in O(1), one struct xtcp_tw_port per address and port in use,
 * counting its entries (all of a server port's entries share one record; an
 * XTCP client's connection has a port, and so a record, of its own).
 *
 * Time is passed in (jiffies), so that KUnit drives the table without waiting;
 * the caller arms its timer from xtcp_tw_next_expiry().
 */
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/rculist.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "seq.h"
#include "xtcp.h"

static struct kmem_cache *xtcp_tw_cache __read_mostly;

/*
 * A local address and port that TIME_WAIT entries hold, for bind(): how many
 * entries, and how many of them without SO_REUSEADDR. Under the table's lock.
 */
struct xtcp_tw_port {
	struct hlist_node node;
	__be32 saddr;
	__be16 port;
	u32 count;
	u32 noreuse;
};

static const struct rhashtable_params xtcp_tw_params = {
	.key_len		= sizeof(struct xtcp_tw_key),
	.key_offset		= offsetof(struct xtcp_tw, key),
	.head_offset		= offsetof(struct xtcp_tw, node),
	.automatic_shrinking	= true,
};

int xtcp_tw_cache_init(void)
{
	/* No cache-line alignment: compactness is the point of the table. */
	xtcp_tw_cache = kmem_cache_create("xtcp_tw", sizeof(struct xtcp_tw), 0, 0, NULL);
	return xtcp_tw_cache ? 0 : -ENOMEM;
}

void xtcp_tw_cache_exit(void)
{
	/* Entries are freed after a grace period: wait for the last of them. */
	rcu_barrier();
	kmem_cache_destroy(xtcp_tw_cache);
}

/**
 * xtcp_tw_entry_size() - the bytes one entry costs in its slab.
 *
 * Return: the object size of the xtcp_tw cache.
 */
unsigned int xtcp_tw_entry_size(void)
{
	return kmem_cache_size(xtcp_tw_cache);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_entry_size);

/**
 * xtcp_tw_port_record_size() - the bytes of one port record of the bind index.
 *
 * Return: its size (a kmalloc-32 object on x86-64).
 */
unsigned int xtcp_tw_port_record_size(void)
{
	return sizeof(struct xtcp_tw_port);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_port_record_size);

/**
 * xtcp_tw_table_init() - an empty table.
 * @t: the table.
 *
 * Return: 0 or -ENOMEM.
 */
int xtcp_tw_table_init(struct xtcp_tw_table *t)
{
	int err;

	spin_lock_init(&t->lock);
	INIT_LIST_HEAD(&t->age);
	t->count = 0;
	t->ports = kcalloc(XTCP_TW_PORT_HASH_SIZE, sizeof(*t->ports), GFP_KERNEL);
	if (!t->ports)
		return -ENOMEM;
	err = rhashtable_init(&t->ht, &xtcp_tw_params);
	if (err) {
		kfree(t->ports);
		t->ports = NULL;
	}
	return err;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_table_init);

static void xtcp_tw_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(xtcp_tw_cache, container_of(head, struct xtcp_tw, rcu));
}

static struct hlist_head *xtcp_tw_port_bucket(struct xtcp_tw_table *t, __be16 port)
{
	return &t->ports[ntohs(port) & (XTCP_TW_PORT_HASH_SIZE - 1)];
}

/* The record of @saddr:@port, or NULL; the lock is held. */
static struct xtcp_tw_port *__xtcp_tw_port_find(struct xtcp_tw_table *t, __be32 saddr,
						__be16 port)
	__must_hold(&t->lock)
{
	struct xtcp_tw_port *p;

	hlist_for_each_entry(p, xtcp_tw_port_bucket(t, port), node)
		if (p->port == port && p->saddr == saddr)
			return p;
	return NULL;
}

/* Count @tw in the bind index; -ENOMEM if its record cannot be made. */
static int __xtcp_tw_port_get(struct xtcp_tw_table *t, const struct xtcp_tw *tw)
	__must_hold(&t->lock)
{
	struct xtcp_tw_port *p = __xtcp_tw_port_find(t, tw->key.saddr, tw->key.sport);

	if (!p) {
		p = kmalloc(sizeof(*p), GFP_ATOMIC);
		if (!p)
			return -ENOMEM;
		p->saddr = tw->key.saddr;
		p->port = tw->key.sport;
		p->count = 0;
		p->noreuse = 0;
		hlist_add_head(&p->node, xtcp_tw_port_bucket(t, p->port));
	}
	p->count++;
	p->noreuse += !xtcp_tw_reuse(tw);
	return 0;
}

/* Take @tw out of the bind index, and the record with its last entry. */
static void __xtcp_tw_port_put(struct xtcp_tw_table *t, const struct xtcp_tw *tw)
	__must_hold(&t->lock)
{
	struct xtcp_tw_port *p = __xtcp_tw_port_find(t, tw->key.saddr, tw->key.sport);

	if (WARN_ON_ONCE(!p))
		return;
	p->noreuse -= !xtcp_tw_reuse(tw);
	if (--p->count)
		return;
	hlist_del(&p->node);
	kfree(p);
}

/* Unhash and free @tw; the table's lock is held. */
static void __xtcp_tw_unlink(struct xtcp_tw_table *t, struct xtcp_tw *tw)
	__must_hold(&t->lock)
{
	lockdep_assert_held(&t->lock);
	WARN_ON_ONCE(rhashtable_remove_fast(&t->ht, &tw->node, xtcp_tw_params));
	__xtcp_tw_port_put(t, tw);
	/* An empty age node marks the entry gone for a racing refresh or remove. */
	list_del_init(&tw->age);
	WRITE_ONCE(t->count, t->count - 1);
	call_rcu(&tw->rcu, xtcp_tw_free_rcu);
}

/**
 * xtcp_tw_table_destroy() - free every entry and the table.
 * @t: the table; no lookup may still run on it.
 */
void xtcp_tw_table_destroy(struct xtcp_tw_table *t)
{
	struct xtcp_tw *tw, *tmp;

	spin_lock_bh(&t->lock);
	list_for_each_entry_safe(tw, tmp, &t->age, age)
		__xtcp_tw_unlink(t, tw);
	spin_unlock_bh(&t->lock);
	rhashtable_destroy(&t->ht);
	kfree(t->ports);
	t->ports = NULL;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_table_destroy);

/**
 * xtcp_tw_lookup() - the entry of a 4-tuple.
 * @t: the table.
 * @key: the 4-tuple, as the local end sees it.
 *
 * Context: under rcu_read_lock(); the entry stays valid until it is released.
 * Return: the entry, or NULL.
 */
struct xtcp_tw *xtcp_tw_lookup(struct xtcp_tw_table *t, const struct xtcp_tw_key *key)
{
	return rhashtable_lookup(&t->ht, key, xtcp_tw_params);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_lookup);

/* Put @tw on the age list, which stays ordered by expiry; the lock is held. */
static void __xtcp_tw_age_insert(struct xtcp_tw_table *t, struct xtcp_tw *tw)
	__must_hold(&t->lock)
{
	struct xtcp_tw *pos;

	/* Usually the newest expiry: one comparison, at the tail. */
	list_for_each_entry_reverse(pos, &t->age, age) {
		if (!time_after(pos->expires, tw->expires)) {
			list_add(&tw->age, &pos->age);
			return;
		}
	}
	list_add(&tw->age, &t->age);
}

/**
 * xtcp_tw_insert() - enter a connection into TIME_WAIT.
 * @t: the table.
 * @key: its 4-tuple.
 * @st: what the connection leaves: its sequence numbers, the window field the
 *	entry's ACKs carry, SO_REUSEADDR, its timestamps.
 * @now: the time, in jiffies.
 * @lifetime: how long to keep it (2 * MSL), in jiffies.
 * @max: the most entries the table may hold (max_tw_buckets).
 *
 * Return: 0; -ENOSPC when the table is full (the caller counts the overflow and
 * closes the connection without TIME_WAIT); -EEXIST if the 4-tuple is already
 * there; -ENOMEM.
 */
int xtcp_tw_insert(struct xtcp_tw_table *t, const struct xtcp_tw_key *key,
		   const struct xtcp_tw_state *st, unsigned long now,
		   unsigned long lifetime, unsigned int max)
{
	struct xtcp_tw *tw;
	int err;

	tw = kmem_cache_alloc(xtcp_tw_cache, GFP_ATOMIC);
	if (!tw)
		return -ENOMEM;
	tw->key = *key;
	tw->snd_nxt = st->snd_nxt;
	tw->rcv_nxt = st->rcv_nxt;
	tw->rcv_wnd = st->rcv_wnd;
	tw->flags = st->reuse ? XTCP_TW_REUSE : 0;
	tw->ts_ok = st->ts_ok;
	tw->ts_recent = st->ts_ok ? st->ts_recent : 0;
	tw->expires = now + lifetime;
	/* Empty until it is aged: a racing refresh or remove then takes it as gone. */
	INIT_LIST_HEAD(&tw->age);

	spin_lock_bh(&t->lock);
	if (t->count >= max) {
		err = -ENOSPC;
		goto out_free;
	}
	err = rhashtable_lookup_insert_fast(&t->ht, &tw->node, xtcp_tw_params);
	if (err)
		goto out_free;
	err = __xtcp_tw_port_get(t, tw);
	if (err) {
		WARN_ON_ONCE(rhashtable_remove_fast(&t->ht, &tw->node, xtcp_tw_params));
		/* A lookup may have seen it: free it after a grace period. */
		spin_unlock_bh(&t->lock);
		call_rcu(&tw->rcu, xtcp_tw_free_rcu);
		return err;
	}
	__xtcp_tw_age_insert(t, tw);
	WRITE_ONCE(t->count, t->count + 1);
	spin_unlock_bh(&t->lock);
	return 0;

out_free:
	spin_unlock_bh(&t->lock);
	kmem_cache_free(xtcp_tw_cache, tw);
	return err;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_insert);

/**
 * xtcp_tw_syn_acceptable() - may a SYN start a new incarnation of an entry's
 * 4-tuple (RFC 6191)?
 * @tw: the entry.
 * @seq: the SYN's sequence number.
 * @ts: the SYN has timestamps, and the namespace would use them.
 * @tsval: its TSval, when @ts.
 *
 * When the old connection and the SYN both have timestamps, the timestamps
 * decide: a TSval above the last one seen (TS.Recent), or equal to it with a
 * sequence number above RCV.NXT. Otherwise the sequence number must lie above
 * RCV.NXT, so that the old connection's duplicates cannot be taken for the new
 * one's segments (RFC 9293 3.10.7.4 and Linux, for entries without timestamps).
 *
 * Return: true if the SYN may go to a listener (the entry gives way).
 */
bool xtcp_tw_syn_acceptable(const struct xtcp_tw *tw, u32 seq, bool ts, u32 tsval)
{
	s32 d;

	if (tw->ts_ok && ts) {
		d = (s32)(tsval - tw->ts_recent);
		return d > 0 || (!d && xtcp_seq_after(seq, tw->rcv_nxt));
	}
	return xtcp_seq_after(seq, tw->rcv_nxt);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_syn_acceptable);

/**
 * xtcp_tw_refresh() - restart the wait: a retransmitted FIN was ACKed again
 * (RFC 9293 3.10.7.4, TIME-WAIT: "restart the 2 MSL timeout").
 * @t: the table.
 * @tw: the entry, found by xtcp_tw_lookup().
 * @now: the time, in jiffies.
 * @lifetime: 2 * MSL, in jiffies.
 *
 * Context: inside the rcu_read_lock() section of the lookup.
 * Return: false if the entry was removed meanwhile (it expired).
 */
bool xtcp_tw_refresh(struct xtcp_tw_table *t, struct xtcp_tw *tw,
		     unsigned long now, unsigned long lifetime)
{
	bool live;

	spin_lock_bh(&t->lock);
	live = !list_empty(&tw->age);
	if (live) {
		list_del(&tw->age);
		/* /proc/net/xtcp reads it without the lock. */
		WRITE_ONCE(tw->expires, now + lifetime);
		__xtcp_tw_age_insert(t, tw);
	}
	spin_unlock_bh(&t->lock);
	return live;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_refresh);

/**
 * xtcp_tw_remove() - end a TIME_WAIT early (a new SYN reuses the 4-tuple).
 * @t: the table.
 * @tw: the entry, found by xtcp_tw_lookup().
 *
 * Context: inside the rcu_read_lock() section of the lookup.
 * Return: true if this call removed it, false if it was already gone.
 */
bool xtcp_tw_remove(struct xtcp_tw_table *t, struct xtcp_tw *tw)
{
	bool live;

	spin_lock_bh(&t->lock);
	live = !list_empty(&tw->age);
	if (live)
		__xtcp_tw_unlink(t, tw);
	spin_unlock_bh(&t->lock);
	return live;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_remove);

/**
 * xtcp_tw_expire() - remove the entries whose 2 * MSL has run out.
 * @t: the table.
 * @now: the time, in jiffies.
 *
 * Return: how many were removed (the caller counts TimeWaitExpired).
 */
unsigned int xtcp_tw_expire(struct xtcp_tw_table *t, unsigned long now)
{
	unsigned int n = 0;
	struct xtcp_tw *tw;

	spin_lock_bh(&t->lock);
	while ((tw = list_first_entry_or_null(&t->age, struct xtcp_tw, age)) &&
	       !time_after(tw->expires, now)) {
		__xtcp_tw_unlink(t, tw);
		n++;
	}
	spin_unlock_bh(&t->lock);
	return n;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_expire);

/**
 * xtcp_tw_next_expiry() - when the oldest entry runs out.
 * @t: the table.
 * @when: set to that time, in jiffies, if there is an entry.
 *
 * Return: false if the table is empty.
 */
bool xtcp_tw_next_expiry(struct xtcp_tw_table *t, unsigned long *when)
{
	struct xtcp_tw *tw;

	spin_lock_bh(&t->lock);
	tw = list_first_entry_or_null(&t->age, struct xtcp_tw, age);
	if (tw)
		*when = tw->expires;
	spin_unlock_bh(&t->lock);
	return tw;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_next_expiry);

/**
 * xtcp_tw_count() - how many entries the table holds.
 * @t: the table.
 *
 * Return: the count (a snapshot).
 */
unsigned int xtcp_tw_count(struct xtcp_tw_table *t)
{
	return READ_ONCE(t->count);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_count);

/**
 * xtcp_tw_port_busy() - do entries keep a local address and port from bind()?
 * @t: the table.
 * @addr: the local address to bind (INADDR_ANY overlaps every address).
 * @port: the local port, network order.
 * @reuse: the binding socket has SO_REUSEADDR.
 *
 * As with TCP, an entry blocks the bind unless both it and the new socket have
 * SO_REUSEADDR. The bind index answers: one bucket, the records of the port's
 * local addresses.
 *
 * Return: true if some entry blocks the bind.
 */
bool xtcp_tw_port_busy(struct xtcp_tw_table *t, __be32 addr, __be16 port, bool reuse)
{
	struct xtcp_tw_port *p;
	bool busy = false;

	spin_lock_bh(&t->lock);
	hlist_for_each_entry(p, xtcp_tw_port_bucket(t, port), node) {
		if (p->port != port)
			continue;
		if (addr && p->saddr && addr != p->saddr)
			continue;
		if (reuse ? p->noreuse : p->count) {
			busy = true;
			break;
		}
	}
	spin_unlock_bh(&t->lock);
	return busy;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_port_busy);

/**
 * xtcp_tw_port_records() - how many records the bind index holds.
 * @t: the table.
 *
 * Return: the number of distinct local addresses and ports of the entries.
 */
unsigned int xtcp_tw_port_records(struct xtcp_tw_table *t)
{
	struct xtcp_tw_port *p;
	unsigned int i, n = 0;

	spin_lock_bh(&t->lock);
	for (i = 0; i < XTCP_TW_PORT_HASH_SIZE; i++)
		hlist_for_each_entry(p, &t->ports[i], node)
			n++;
	spin_unlock_bh(&t->lock);
	return n;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tw_port_records);
