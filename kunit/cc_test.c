// SPDX-License-Identifier: GPL-2.0
/*
 * cc_test.c - KUnit cases for module/cc.c and cc_reno.c: the registry of
 * congestion controllers (what it refuses, duplicate names, the pin a user
 * holds on a controller's module, the list it shows) and the building blocks
 * controllers share.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "xtcp.h"

static u32 kunit_cc_ssthresh(struct sock *sk)
{
	return 2;
}

static void kunit_cc_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
}

static u32 kunit_cc_undo_cwnd(struct sock *sk)
{
	return 1;
}

static void kunit_cc_fill(struct xtcp_cc_ops *ops, const char *name)
{
	memset(ops, 0, sizeof(*ops));
	strscpy(ops->name, name, sizeof(ops->name));
	ops->owner = THIS_MODULE;
	ops->ssthresh = kunit_cc_ssthresh;
	ops->cong_avoid = kunit_cc_cong_avoid;
	ops->undo_cwnd = kunit_cc_undo_cwnd;
}

/* A controller without its three required calls, or without a name, is refused. */
static void xtcp_cc__register_refuses(struct kunit *test)
{
	struct xtcp_cc_ops ops;

	kunit_cc_fill(&ops, "kunit_a");
	ops.ssthresh = NULL;
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&ops), -EINVAL);
	kunit_cc_fill(&ops, "kunit_a");
	ops.cong_avoid = NULL;
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&ops), -EINVAL);
	kunit_cc_fill(&ops, "kunit_a");
	ops.undo_cwnd = NULL;
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&ops), -EINVAL);
	kunit_cc_fill(&ops, "");
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&ops), -EINVAL);
	/* Sixteen characters and no NUL: no name TCP_CONGESTION could give. */
	kunit_cc_fill(&ops, "kunit_a");
	memset(ops.name, 'x', sizeof(ops.name));
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&ops), -EINVAL);
	KUNIT_EXPECT_NULL(test, xtcp_cc_find("kunit_a"));
}

/* Names are unique; a controller is found while registered, and only then. */
static void xtcp_cc__register_unique(struct kunit *test)
{
	struct xtcp_cc_ops a, b, reno;
	char list[256];

	kunit_cc_fill(&reno, "reno");
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&reno), -EEXIST);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("reno"), (const struct xtcp_cc_ops *)&xtcp_cc_reno);

	kunit_cc_fill(&a, "kunit_a");
	kunit_cc_fill(&b, "kunit_a");
	KUNIT_ASSERT_EQ(test, xtcp_cc_register(&a), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cc_register(&b), -EEXIST);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cc_find("kunit_a"), (const struct xtcp_cc_ops *)&a);
	xtcp_cc_available(list, sizeof(list));
	KUNIT_EXPECT_NOT_NULL(test, strstr(list, "reno"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(list, "kunit_a"));
	xtcp_cc_unregister(&a);
	KUNIT_EXPECT_NULL(test, xtcp_cc_find("kunit_a"));
	/* The name is free again. */
	KUNIT_ASSERT_EQ(test, xtcp_cc_register(&b), 0);
	xtcp_cc_unregister(&b);
	xtcp_cc_available(list, sizeof(list));
	KUNIT_EXPECT_NULL(test, strstr(list, "kunit_a"));
}

/*
 * A user pins the controller's module (the count that makes rmmod refuse);
 * XTCP's own controllers need no pin (every socket holds xtcp.ko).
 */
static void xtcp_cc__pin(struct kunit *test)
{
	struct module *xtcp_mod = xtcp_cc_reno.owner;
	struct xtcp_cc_ops a;
	int before;

	kunit_cc_fill(&a, "kunit_a");
	KUNIT_ASSERT_EQ(test, xtcp_cc_register(&a), 0);
	before = module_refcount(THIS_MODULE);
	KUNIT_EXPECT_TRUE(test, xtcp_cc_get(&a));
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), before + 1);
	KUNIT_EXPECT_TRUE(test, xtcp_cc_get(&a));
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), before + 2);
	xtcp_cc_put(&a);
	xtcp_cc_put(&a);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), before);
	xtcp_cc_unregister(&a);

	before = module_refcount(xtcp_mod);
	KUNIT_EXPECT_TRUE(test, xtcp_cc_get(&xtcp_cc_reno));
	KUNIT_EXPECT_EQ(test, module_refcount(xtcp_mod), before);
	xtcp_cc_put(&xtcp_cc_reno);
	KUNIT_EXPECT_EQ(test, module_refcount(xtcp_mod), before);
}

/* The list of names keeps whole names only, and always ends with a NUL. */
static void xtcp_cc__available(struct kunit *test)
{
	struct xtcp_cc_ops a;
	char list[32];

	kunit_cc_fill(&a, "kunit_long_name");
	KUNIT_ASSERT_EQ(test, xtcp_cc_register(&a), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cc_available(list, sizeof(list)), strlen(list));
	KUNIT_EXPECT_NOT_NULL(test, strstr(list, "kunit_long_name"));
	/* Room for "reno" only. */
	KUNIT_EXPECT_EQ(test, xtcp_cc_available(list, 6), 4U);
	KUNIT_EXPECT_STREQ(test, list, "reno");
	KUNIT_EXPECT_EQ(test, xtcp_cc_available(list, 1), 0U);
	KUNIT_EXPECT_STREQ(test, list, "");
	xtcp_cc_unregister(&a);
}

/* Slow start stops at ssthresh and hands the rest on; it never passes the bound. */
static void xtcp_cc__slow_start(struct kunit *test)
{
	struct xtcp_ca ca = { .cwnd = 10, .ssthresh = 14 };

	KUNIT_EXPECT_EQ(test, xtcp_cc_slow_start(&ca, 3), 0U);
	KUNIT_EXPECT_EQ(test, ca.cwnd, 13U);
	KUNIT_EXPECT_EQ(test, xtcp_cc_slow_start(&ca, 5), 4U);
	KUNIT_EXPECT_EQ(test, ca.cwnd, 14U);
	/* At or above ssthresh (a controller may have set it lower): nothing. */
	ca.ssthresh = 5;
	KUNIT_EXPECT_EQ(test, xtcp_cc_slow_start(&ca, 5), 5U);
	KUNIT_EXPECT_EQ(test, ca.cwnd, 14U);
	ca.ssthresh = XTCP_INFINITE_SSTHRESH;
	ca.cwnd = XTCP_MAX_CWND - 1;
	xtcp_cc_slow_start(&ca, U32_MAX);
	KUNIT_EXPECT_EQ(test, ca.cwnd, (u32)XTCP_MAX_CWND);
}

/* Additive increase: one per @w acked, a leftover count kept, no wrap. */
static void xtcp_cc__cong_avoid_ai(struct kunit *test)
{
	struct xtcp_ca ca = { .cwnd = 10, .ssthresh = 5 };

	xtcp_cc_cong_avoid_ai(&ca, 10, 9);
	KUNIT_EXPECT_EQ(test, ca.cwnd, 10U);
	KUNIT_EXPECT_EQ(test, ca.cwnd_cnt, 9U);
	xtcp_cc_cong_avoid_ai(&ca, 10, 25);
	KUNIT_EXPECT_EQ(test, ca.cwnd, 13U);
	KUNIT_EXPECT_EQ(test, ca.cwnd_cnt, 4U);
	/* A count above a smaller @w: one step, then counting afresh. */
	ca.cwnd_cnt = 50;
	xtcp_cc_cong_avoid_ai(&ca, 20, 1);
	KUNIT_EXPECT_EQ(test, ca.cwnd, 14U);
	KUNIT_EXPECT_EQ(test, ca.cwnd_cnt, 1U);
	/* @w 0 counts as 1; 2^32 - 1 acknowledged at once stays in bounds. */
	ca.cwnd = 1;
	ca.cwnd_cnt = 0;
	xtcp_cc_cong_avoid_ai(&ca, 0, U32_MAX);
	KUNIT_EXPECT_EQ(test, ca.cwnd, (u32)XTCP_MAX_CWND);
	KUNIT_EXPECT_EQ(test, ca.cwnd_cnt, 0U);
	ca.cwnd_cnt = U32_MAX - 1;
	xtcp_cc_cong_avoid_ai(&ca, U32_MAX, U32_MAX);
	KUNIT_EXPECT_LE(test, ca.cwnd, (u32)XTCP_MAX_CWND);
	KUNIT_EXPECT_LT(test, ca.cwnd_cnt, U32_MAX);
}

/* NewReno's threshold (half the flight, at least 2) and undo (the larger window). */
static void xtcp_cc__reno(struct kunit *test)
{
	struct xtcp_ca ca = { .cwnd = 40, .ssthresh = XTCP_INFINITE_SSTHRESH };

	ca.in_flight = 30;
	KUNIT_EXPECT_EQ(test, xtcp_cc_reno_ssthresh(&ca), 15U);
	ca.in_flight = 3;
	KUNIT_EXPECT_EQ(test, xtcp_cc_reno_ssthresh(&ca), 2U);
	ca.in_flight = 0;
	KUNIT_EXPECT_EQ(test, xtcp_cc_reno_ssthresh(&ca), 2U);
	ca.prior_cwnd = 40;
	ca.cwnd = 23;
	KUNIT_EXPECT_EQ(test, xtcp_cc_reno_undo_cwnd(&ca), 40U);
	ca.cwnd = 70;
	KUNIT_EXPECT_EQ(test, xtcp_cc_reno_undo_cwnd(&ca), 70U);
	/* Growth only while the window limits the sender. */
	ca.cwnd = 10;
	ca.cwnd_cnt = 0;
	ca.prior_in_flight = 4;
	xtcp_cc_reno_grow(&ca, 2);
	KUNIT_EXPECT_EQ(test, ca.cwnd, 10U);
	ca.prior_in_flight = 5;
	xtcp_cc_reno_grow(&ca, 2);
	KUNIT_EXPECT_EQ(test, ca.cwnd, 12U);
}

static struct kunit_case xtcp_cc_cases[] = {
	KUNIT_CASE(xtcp_cc__register_refuses),
	KUNIT_CASE(xtcp_cc__register_unique),
	KUNIT_CASE(xtcp_cc__pin),
	KUNIT_CASE(xtcp_cc__available),
	KUNIT_CASE(xtcp_cc__slow_start),
	KUNIT_CASE(xtcp_cc__cong_avoid_ai),
	KUNIT_CASE(xtcp_cc__reno),
	{}
};

static struct kunit_suite xtcp_cc_suite = {
	.name = "xtcp_cc",
	.test_cases = xtcp_cc_cases,
};

kunit_test_suites(&xtcp_cc_suite);
