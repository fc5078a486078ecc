// SPDX-License-Identifier: GPL-2.0
/*
 * timewait_test.c - KUnit cases for module/timewait.c: insert, lookup, FIN
 * re-ACK (refresh), expiry, overflow, reuse (remove), the bind index, and what
 * an entry costs.
 */
#include <kunit/test.h>
#include <linux/rcupdate.h>

#include "xtcp.h"

static struct xtcp_tw_key key(unsigned int i)
{
	struct xtcp_tw_key k = {
		.saddr = cpu_to_be32(0x0a000001),
		.daddr = cpu_to_be32(0x0a000002 + (i >> 16)),
		.sport = cpu_to_be16(80),
		.dport = cpu_to_be16(i & 0xffff),
	};

	return k;
}

/* A table per case, destroyed when the case ends, failed or not. */
static struct xtcp_tw_table *new_table(struct kunit *test)
{
	struct xtcp_tw_table *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_EQ(test, xtcp_tw_table_init(t), 0);
	test->priv = t;
	return t;
}

static void xtcp_tw_test_exit(struct kunit *test)
{
	if (test->priv)
		xtcp_tw_table_destroy(test->priv);
}

static bool present(struct xtcp_tw_table *t, unsigned int i)
{
	struct xtcp_tw_key k = key(i);
	bool found;

	rcu_read_lock();
	found = xtcp_tw_lookup(t, &k);
	rcu_read_unlock();
	return found;
}

static int insert(struct xtcp_tw_table *t, unsigned int i, unsigned long now,
		  unsigned long life, unsigned int max)
{
	struct xtcp_tw_key k = key(i);
	struct xtcp_tw_state st = {
		.snd_nxt = 1000 + i, .rcv_nxt = 5000 + i, .rcv_wnd = 300 + i,
	};

	return xtcp_tw_insert(t, &k, &st, now, life, max);
}

static void xtcp_tw__insert_lookup(struct kunit *test)
{
	struct xtcp_tw_table *t = new_table(test);
	struct xtcp_tw_key k = key(2);
	struct xtcp_tw *tw;

	KUNIT_ASSERT_EQ(test, insert(t, 1, 100, 50, 10), 0);
	KUNIT_ASSERT_EQ(test, insert(t, 2, 100, 50, 10), 0);
	KUNIT_ASSERT_EQ(test, insert(t, 3, 100, 50, 10), 0);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(t), 3U);

	rcu_read_lock();
	tw = xtcp_tw_lookup(t, &k);
	KUNIT_EXPECT_NOT_NULL(test, tw);
	if (tw) {
		KUNIT_EXPECT_EQ(test, tw->snd_nxt, 1002U);
		KUNIT_EXPECT_EQ(test, tw->rcv_nxt, 5002U);
		/* The window its ACKs offer: what was left of the last one. */
		KUNIT_EXPECT_EQ(test, tw->rcv_wnd, 302);
		KUNIT_EXPECT_EQ(test, tw->expires, 150UL);
	}
	rcu_read_unlock();
	KUNIT_EXPECT_FALSE(test, present(t, 4));
	/* Each field of the 4-tuple is part of the key. */
	k.sport = cpu_to_be16(81);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, xtcp_tw_lookup(t, &k));
	rcu_read_unlock();
}

static void xtcp_tw__duplicate_refused(struct kunit *test)
{
	struct xtcp_tw_table *t = new_table(test);

	KUNIT_ASSERT_EQ(test, insert(t, 7, 0, 10, 10), 0);
	KUNIT_EXPECT_EQ(test, insert(t, 7, 5, 10, 10), -EEXIST);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(t), 1U);
}

/* Beyond max_tw_buckets nothing is kept (and 0 keeps nothing at all). */
static void xtcp_tw__overflow(struct kunit *test)
{
	struct xtcp_tw_table *t = new_table(test);

	KUNIT_EXPECT_EQ(test, insert(t, 1, 0, 10, 0), -ENOSPC);
	KUNIT_ASSERT_EQ(test, insert(t, 1, 0, 10, 2), 0);
	KUNIT_ASSERT_EQ(test, insert(t, 2, 0, 10, 2), 0);
	KUNIT_EXPECT_EQ(test, insert(t, 3, 0, 10, 2), -ENOSPC);
	KUNIT_EXPECT_FALSE(test, present(t, 3));
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(t), 2U);
	/* Room again once one expires. */
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 10), 2U);
	KUNIT_EXPECT_EQ(test, insert(t, 3, 10, 10, 2), 0);
}

static void xtcp_tw__expiry_in_order(struct kunit *test)
{
	struct xtcp_tw_table *t = new_table(test);
	unsigned long when;

	KUNIT_EXPECT_FALSE(test, xtcp_tw_next_expiry(t, &when));
	KUNIT_ASSERT_EQ(test, insert(t, 1, 1000, 100, 10), 0);
	KUNIT_ASSERT_EQ(test, insert(t, 2, 1010, 100, 10), 0);
	KUNIT_ASSERT_TRUE(test, xtcp_tw_next_expiry(t, &when));
	KUNIT_EXPECT_EQ(test, when, 1100UL);

	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 1099), 0U);
	KUNIT_EXPECT_TRUE(test, present(t, 1));
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 1100), 1U);
	KUNIT_EXPECT_FALSE(test, present(t, 1));
	KUNIT_EXPECT_TRUE(test, present(t, 2));
	KUNIT_ASSERT_TRUE(test, xtcp_tw_next_expiry(t, &when));
	KUNIT_EXPECT_EQ(test, when, 1110UL);
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 5000), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(t), 0U);
	KUNIT_EXPECT_FALSE(test, xtcp_tw_next_expiry(t, &when));
}

/* A retransmitted FIN, ACKed again, restarts the 2 MSL wait. */
static void xtcp_tw__refresh_restarts_wait(struct kunit *test)
{
	struct xtcp_tw_table *t = new_table(test);
	struct xtcp_tw_key k = key(1);
	struct xtcp_tw *tw;

	KUNIT_ASSERT_EQ(test, insert(t, 1, 1000, 100, 10), 0);
	KUNIT_ASSERT_EQ(test, insert(t, 2, 1050, 100, 10), 0);
	rcu_read_lock();
	tw = xtcp_tw_lookup(t, &k);
	KUNIT_ASSERT_NOT_NULL(test, tw);
	KUNIT_EXPECT_TRUE(test, xtcp_tw_refresh(t, tw, 1090, 100));
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 1150), 1U);	/* entry 2 */
	KUNIT_EXPECT_TRUE(test, present(t, 1));
	KUNIT_EXPECT_FALSE(test, present(t, 2));
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 1189), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 1190), 1U);
}

/* A lowered MSL: the new, shorter entry still expires first. */
static void xtcp_tw__shorter_lifetime_ordered(struct kunit *test)
{
	struct xtcp_tw_table *t = new_table(test);
	unsigned long when;

	KUNIT_ASSERT_EQ(test, insert(t, 1, 1000, 1000, 10), 0);
	KUNIT_ASSERT_EQ(test, insert(t, 2, 1001, 10, 10), 0);
	KUNIT_ASSERT_TRUE(test, xtcp_tw_next_expiry(t, &when));
	KUNIT_EXPECT_EQ(test, when, 1011UL);
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 1011), 1U);
	KUNIT_EXPECT_TRUE(test, present(t, 1));
}

/* A new SYN may reuse the 4-tuple: the entry goes, once. */
static void xtcp_tw__remove_once(struct kunit *test)
{
	struct xtcp_tw_table *t = new_table(test);
	struct xtcp_tw_key k = key(9);
	struct xtcp_tw *tw;

	KUNIT_ASSERT_EQ(test, insert(t, 9, 0, 100, 10), 0);
	rcu_read_lock();
	tw = xtcp_tw_lookup(t, &k);
	KUNIT_ASSERT_NOT_NULL(test, tw);
	KUNIT_EXPECT_TRUE(test, xtcp_tw_remove(t, tw));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_remove(t, tw));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_refresh(t, tw, 10, 100));
	rcu_read_unlock();
	KUNIT_EXPECT_FALSE(test, present(t, 9));
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(t), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 1000), 0U);
}

/* Expiry times that wrap past the end of jiffies. */
static void xtcp_tw__jiffies_wrap(struct kunit *test)
{
	struct xtcp_tw_table *t = new_table(test);

	KUNIT_ASSERT_EQ(test, insert(t, 1, ULONG_MAX - 5, 10, 10), 0);
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, ULONG_MAX), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 3), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 4), 1U);
}

/* Many entries: the hash table grows, and everything is found and expires. */
static void xtcp_tw__many(struct kunit *test)
{
	struct xtcp_tw_table *t = new_table(test);
	unsigned int i, missing = 0;

	for (i = 0; i < 20000; i++)
		KUNIT_ASSERT_EQ(test, insert(t, i, i / 100, 1000, 1 << 20), 0);
	for (i = 0; i < 20000; i++)
		missing += !present(t, i);
	KUNIT_EXPECT_EQ(test, missing, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 1099), 10000U);
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 1199), 10000U);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(t), 0U);
}

static int insert_at(struct xtcp_tw_table *t, u32 saddr, u16 sport, u16 dport, bool reuse,
		     unsigned long life)
{
	struct xtcp_tw_key k = {
		.saddr = cpu_to_be32(saddr),
		.daddr = cpu_to_be32(0x0a000002),
		.sport = cpu_to_be16(sport),
		.dport = cpu_to_be16(dport),
	};

	struct xtcp_tw_state st = { .snd_nxt = 1, .rcv_nxt = 1, .reuse = reuse };

	return xtcp_tw_insert(t, &k, &st, 0, life, 1 << 20);
}

static bool busy(struct xtcp_tw_table *t, u32 addr, u16 port, bool reuse)
{
	return xtcp_tw_port_busy(t, cpu_to_be32(addr), cpu_to_be16(port), reuse);
}

/*
 * bind() and TIME_WAIT (as TCP): an entry holds its local address and port unless
 * both it and the binding socket have SO_REUSEADDR; INADDR_ANY overlaps every
 * address; the port is free again when its last entry goes.
 */
static void xtcp_tw__port_busy(struct kunit *test)
{
	struct xtcp_tw_table *t = new_table(test);

	KUNIT_EXPECT_FALSE(test, busy(t, 0, 80, false));
	KUNIT_ASSERT_EQ(test, insert_at(t, 0x0a000001, 80, 1000, true, 10), 0);
	KUNIT_EXPECT_TRUE(test, busy(t, 0x0a000001, 80, false));
	KUNIT_EXPECT_FALSE(test, busy(t, 0x0a000001, 80, true));
	KUNIT_EXPECT_TRUE(test, busy(t, 0, 80, false));
	KUNIT_EXPECT_FALSE(test, busy(t, 0x0a000009, 80, false));
	KUNIT_EXPECT_FALSE(test, busy(t, 0x0a000001, 81, false));
	/* Ports that share a bucket of the index stay apart. */
	KUNIT_EXPECT_FALSE(test, busy(t, 0x0a000001, 80 + XTCP_TW_PORT_HASH_SIZE, false));

	/* One entry without SO_REUSEADDR on the port blocks even a reusing bind. */
	KUNIT_ASSERT_EQ(test, insert_at(t, 0x0a000001, 80, 1001, false, 20), 0);
	KUNIT_EXPECT_TRUE(test, busy(t, 0x0a000001, 80, true));
	/* An entry on the wildcard address blocks every address. */
	KUNIT_ASSERT_EQ(test, insert_at(t, 0, 443, 1000, false, 10), 0);
	KUNIT_EXPECT_TRUE(test, busy(t, 0x0a000009, 443, false));
	KUNIT_EXPECT_EQ(test, xtcp_tw_port_records(t), 2U);

	/* The reusing entry and the wildcard one expire: the other still blocks. */
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 10), 2U);
	KUNIT_EXPECT_TRUE(test, busy(t, 0x0a000001, 80, true));
	KUNIT_EXPECT_FALSE(test, busy(t, 0x0a000009, 443, false));
	KUNIT_EXPECT_EQ(test, xtcp_tw_port_records(t), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 20), 1U);
	KUNIT_EXPECT_FALSE(test, busy(t, 0, 80, false));
	KUNIT_EXPECT_EQ(test, xtcp_tw_port_records(t), 0U);
}

/*
 * The bind index keeps one record per local address and port: a server port's
 * entries share one, and every removal (reuse, expiry, table destruction) gives
 * its count back.
 */
static void xtcp_tw__port_records(struct kunit *test)
{
	struct xtcp_tw_table *t = new_table(test);
	struct xtcp_tw_key k = key(7);
	struct xtcp_tw *tw;
	unsigned int i;

	for (i = 0; i < 5000; i++)
		KUNIT_ASSERT_EQ(test, insert(t, i, 0, 100, 1 << 20), 0);
	KUNIT_EXPECT_EQ(test, xtcp_tw_port_records(t), 1U);
	for (i = 0; i < 3000; i++)
		KUNIT_ASSERT_EQ(test, insert_at(t, 0x0a000001, 10000 + i, 80, false, 200), 0);
	KUNIT_EXPECT_EQ(test, xtcp_tw_port_records(t), 3001U);
	rcu_read_lock();
	tw = xtcp_tw_lookup(t, &k);
	KUNIT_ASSERT_NOT_NULL(test, tw);
	KUNIT_EXPECT_TRUE(test, xtcp_tw_remove(t, tw));
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, busy(t, 0, 80, false));
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(t, 100), 4999U);
	KUNIT_EXPECT_FALSE(test, busy(t, 0, 80, false));
	KUNIT_EXPECT_TRUE(test, busy(t, 0, 12999, false));
	KUNIT_EXPECT_EQ(test, xtcp_tw_port_records(t), 3000U);
	kunit_info(test, "bind index: %u bytes per local address and port\n",
		   xtcp_tw_port_record_size());
	KUNIT_EXPECT_LE(test, xtcp_tw_port_record_size(), 32U);
	/* The rest go with the table (the case's exit): kmemleak would see a leak. */
}

/*
 * What one entry costs: far below the 264 bytes of a Linux 6.1 TIME_WAIT socket.
 * 72 bytes, and 8 more for the timestamps its ACKs echo (RFC 7323).
 */
static void xtcp_tw__entry_size(struct kunit *test)
{
	kunit_info(test, "TIME_WAIT entry: %zu bytes (slab object %u)\n",
		   sizeof(struct xtcp_tw), xtcp_tw_entry_size());
	KUNIT_EXPECT_LE(test, sizeof(struct xtcp_tw), (size_t)80);
	KUNIT_EXPECT_LT(test, xtcp_tw_entry_size(), 264U);
}

/* The timestamps a connection leaves are kept; without them, none. */
static void xtcp_tw__keeps_timestamps(struct kunit *test)
{
	struct xtcp_tw_table *t = new_table(test);
	struct xtcp_tw_key k = key(7), k2 = key(8);
	struct xtcp_tw_state st = {
		.snd_nxt = 1, .rcv_nxt = 2, .rcv_wnd = 3, .ts_ok = true, .ts_recent = 0xabcdef01,
	};
	struct xtcp_tw *tw;

	KUNIT_ASSERT_EQ(test, xtcp_tw_insert(t, &k, &st, 0, HZ, 10), 0);
	st.ts_ok = false;
	KUNIT_ASSERT_EQ(test, xtcp_tw_insert(t, &k2, &st, 0, HZ, 10), 0);
	rcu_read_lock();
	tw = xtcp_tw_lookup(t, &k);
	KUNIT_ASSERT_NOT_NULL(test, tw);
	KUNIT_EXPECT_TRUE(test, tw->ts_ok);
	KUNIT_EXPECT_EQ(test, tw->ts_recent, 0xabcdef01U);
	KUNIT_EXPECT_EQ(test, tw->rcv_wnd, 3);
	tw = xtcp_tw_lookup(t, &k2);
	KUNIT_ASSERT_NOT_NULL(test, tw);
	KUNIT_EXPECT_FALSE(test, tw->ts_ok);
	KUNIT_EXPECT_EQ(test, tw->ts_recent, 0U);
	rcu_read_unlock();
}

/* RFC 6191: which SYNs may start a new incarnation of an entry's 4-tuple. */
static void xtcp_tw__syn_acceptable(struct kunit *test)
{
	struct xtcp_tw tw = { .rcv_nxt = 1000, .ts_ok = true, .ts_recent = 500 };

	/* Both with timestamps: the TSval decides, whatever the sequence number. */
	KUNIT_EXPECT_TRUE(test, xtcp_tw_syn_acceptable(&tw, 10, true, 501));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_syn_acceptable(&tw, 5000, true, 499));
	/* Equal TSvals: the sequence number must be above RCV.NXT. */
	KUNIT_EXPECT_TRUE(test, xtcp_tw_syn_acceptable(&tw, 1001, true, 500));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_syn_acceptable(&tw, 1000, true, 500));
	/* Across the wrap of the TSval clock. */
	tw.ts_recent = 0xfffffff0;
	KUNIT_EXPECT_TRUE(test, xtcp_tw_syn_acceptable(&tw, 10, true, 5));
	/* A SYN without timestamps: the sequence number, RFC 9293's rule. */
	KUNIT_EXPECT_TRUE(test, xtcp_tw_syn_acceptable(&tw, 1001, false, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_syn_acceptable(&tw, 999, false, 0));
	/* An entry without timestamps: the sequence number too. */
	tw.ts_ok = false;
	KUNIT_EXPECT_FALSE(test, xtcp_tw_syn_acceptable(&tw, 1000, true, 0x7fffffff));
	KUNIT_EXPECT_TRUE(test, xtcp_tw_syn_acceptable(&tw, 1000U + 0x7fffffffU, true, 0));
	tw.rcv_nxt = 0xfffffff0;
	KUNIT_EXPECT_TRUE(test, xtcp_tw_syn_acceptable(&tw, 3, false, 0));
}

static struct kunit_case xtcp_tw_cases[] = {
	KUNIT_CASE(xtcp_tw__insert_lookup),
	KUNIT_CASE(xtcp_tw__duplicate_refused),
	KUNIT_CASE(xtcp_tw__overflow),
	KUNIT_CASE(xtcp_tw__expiry_in_order),
	KUNIT_CASE(xtcp_tw__refresh_restarts_wait),
	KUNIT_CASE(xtcp_tw__shorter_lifetime_ordered),
	KUNIT_CASE(xtcp_tw__remove_once),
	KUNIT_CASE(xtcp_tw__jiffies_wrap),
	KUNIT_CASE(xtcp_tw__many),
	KUNIT_CASE(xtcp_tw__port_busy),
	KUNIT_CASE(xtcp_tw__port_records),
	KUNIT_CASE(xtcp_tw__entry_size),
	KUNIT_CASE(xtcp_tw__keeps_timestamps),
	KUNIT_CASE(xtcp_tw__syn_acceptable),
	{}
};

static struct kunit_suite xtcp_tw_suite = {
	.name = "xtcp_timewait",
	.exit = xtcp_tw_test_exit,
	.test_cases = xtcp_tw_cases,
};

kunit_test_suites(&xtcp_tw_suite);
