// SPDX-License-Identifier: GPL-2.0
/*
 * state_test.c - KUnit cases for the state table of module/sock.c: every pair of
 * states against RFC 9293's diagram (figure 5), written out here event by event.
 */
#include <kunit/test.h>

#include "xtcp.h"

struct xtcp_edge {
	int from, to;
	const char *event;
};

/* RFC 9293 figure 5, and section 3.10 for the aborts. */
static const struct xtcp_edge xtcp_rfc9293_edges[] = {
	{ XTCP_CLOSE, XTCP_LISTEN, "passive OPEN" },
	{ XTCP_CLOSE, XTCP_SYN_SENT, "active OPEN / snd SYN" },
	{ XTCP_LISTEN, XTCP_SYN_RECV, "rcv SYN / snd SYN,ACK" },
	{ XTCP_LISTEN, XTCP_SYN_SENT, "SEND / snd SYN" },
	{ XTCP_LISTEN, XTCP_CLOSE, "CLOSE" },
	{ XTCP_SYN_SENT, XTCP_SYN_RECV, "rcv SYN / snd ACK (simultaneous open)" },
	{ XTCP_SYN_SENT, XTCP_ESTABLISHED, "rcv SYN,ACK / snd ACK" },
	{ XTCP_SYN_SENT, XTCP_CLOSE, "CLOSE, RST, or SYN timeout" },
	{ XTCP_SYN_RECV, XTCP_ESTABLISHED, "rcv ACK of SYN" },
	{ XTCP_SYN_RECV, XTCP_FIN_WAIT1, "CLOSE / snd FIN" },
	{ XTCP_SYN_RECV, XTCP_LISTEN, "rcv RST (passive open)" },
	{ XTCP_SYN_RECV, XTCP_CLOSE, "rcv RST (active open) or timeout" },
	{ XTCP_ESTABLISHED, XTCP_FIN_WAIT1, "CLOSE / snd FIN" },
	{ XTCP_ESTABLISHED, XTCP_CLOSE_WAIT, "rcv FIN / snd ACK" },
	{ XTCP_ESTABLISHED, XTCP_CLOSE, "RST or abort" },
	{ XTCP_FIN_WAIT1, XTCP_FIN_WAIT2, "rcv ACK of FIN" },
	{ XTCP_FIN_WAIT1, XTCP_CLOSING, "rcv FIN / snd ACK" },
	{ XTCP_FIN_WAIT1, XTCP_TIME_WAIT, "rcv FIN and ACK of FIN" },
	{ XTCP_FIN_WAIT1, XTCP_CLOSE, "RST or abort" },
	{ XTCP_FIN_WAIT2, XTCP_TIME_WAIT, "rcv FIN / snd ACK" },
	{ XTCP_FIN_WAIT2, XTCP_CLOSE, "FIN_WAIT_2 timeout, RST or abort" },
	{ XTCP_CLOSE_WAIT, XTCP_LAST_ACK, "CLOSE / snd FIN" },
	{ XTCP_CLOSE_WAIT, XTCP_CLOSE, "RST or abort" },
	{ XTCP_CLOSING, XTCP_TIME_WAIT, "rcv ACK of FIN" },
	{ XTCP_CLOSING, XTCP_CLOSE, "RST or abort" },
	{ XTCP_LAST_ACK, XTCP_CLOSE, "rcv ACK of FIN" },
	{ XTCP_TIME_WAIT, XTCP_CLOSE, "timeout = 2 MSL" },
};

static const char *xtcp_edge_event(int from, int to)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xtcp_rfc9293_edges); i++)
		if (xtcp_rfc9293_edges[i].from == from && xtcp_rfc9293_edges[i].to == to)
			return xtcp_rfc9293_edges[i].event;
	return NULL;
}

/* All 121 pairs: legal exactly when the diagram has the edge. */
static void xtcp_state_transition_ok__matches_rfc9293(struct kunit *test)
{
	int from, to;

	for (from = XTCP_ESTABLISHED; from < XTCP_MAX_STATES; from++) {
		for (to = XTCP_ESTABLISHED; to < XTCP_MAX_STATES; to++) {
			const char *event = xtcp_edge_event(from, to);

			KUNIT_EXPECT_EQ_MSG(test, xtcp_state_transition_ok(from, to), !!event,
					    "%s -> %s (%s)", xtcp_state_name(from),
					    xtcp_state_name(to), event ? event : "no such edge");
		}
	}
}

/* Some transitions a buggy receive path might make, refused by name. */
static void xtcp_state_transition_ok__classic_mistakes(struct kunit *test)
{
	/* A socket that never connected cannot be established. */
	KUNIT_EXPECT_FALSE(test, xtcp_state_transition_ok(XTCP_CLOSE, XTCP_ESTABLISHED));
	/* TIME_WAIT is never left for ESTABLISHED: reuse makes a new connection. */
	KUNIT_EXPECT_FALSE(test, xtcp_state_transition_ok(XTCP_TIME_WAIT, XTCP_ESTABLISHED));
	/* The passive closer never waits in TIME_WAIT. */
	KUNIT_EXPECT_FALSE(test, xtcp_state_transition_ok(XTCP_LAST_ACK, XTCP_TIME_WAIT));
	KUNIT_EXPECT_FALSE(test, xtcp_state_transition_ok(XTCP_CLOSE_WAIT, XTCP_TIME_WAIT));
	/* A FIN cannot be taken back. */
	KUNIT_EXPECT_FALSE(test, xtcp_state_transition_ok(XTCP_FIN_WAIT1, XTCP_ESTABLISHED));
	KUNIT_EXPECT_FALSE(test, xtcp_state_transition_ok(XTCP_CLOSE_WAIT, XTCP_ESTABLISHED));
	/* Nothing goes to or comes from a state that does not exist. */
	KUNIT_EXPECT_FALSE(test, xtcp_state_transition_ok(0, XTCP_CLOSE));
	KUNIT_EXPECT_FALSE(test, xtcp_state_transition_ok(XTCP_CLOSE, XTCP_MAX_STATES));
	KUNIT_EXPECT_FALSE(test, xtcp_state_transition_ok(XTCP_ESTABLISHED, -1));
}

static void xtcp_state_name__all_named(struct kunit *test)
{
	int s;

	for (s = XTCP_ESTABLISHED; s < XTCP_MAX_STATES; s++)
		KUNIT_EXPECT_STRNEQ(test, xtcp_state_name(s), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(0), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(XTCP_MAX_STATES), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(XTCP_TIME_WAIT), "TIME_WAIT");
}

static struct kunit_case xtcp_state_cases[] = {
	KUNIT_CASE(xtcp_state_transition_ok__matches_rfc9293),
	KUNIT_CASE(xtcp_state_transition_ok__classic_mistakes),
	KUNIT_CASE(xtcp_state_name__all_named),
	{}
};

static struct kunit_suite xtcp_state_suite = {
	.name = "xtcp_state",
	.test_cases = xtcp_state_cases,
};

kunit_test_suites(&xtcp_state_suite);
