// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl.c - the per-namespace knobs under net.xtcp.
 *
 * Every knob is an int with a closed range, or (rmem, wmem) three ordered ints, as
 * tcp_rmem and tcp_wmem. A write that is malformed or out of range fails with
 * EINVAL and leaves the value as it was; a new namespace starts from
 * xtcp_sysctl_defaults, whatever the other namespaces hold.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stddef.h>

#include "xtcp.h"

/* Values: see Documentation/user-guide.rst, "Sysctls". */
const struct xtcp_sysctl xtcp_sysctl_defaults = {
	.synack_retries = 5,
	.syn_retries = 6,
	.msl_ms = 30000,
	.syncookies = 1,
	.max_syn_backlog = 1024,
	.max_tw_buckets = 65536,
	.fin_timeout_ms = 60000,
	.challenge_ack_limit = 1000,
	.invalid_ratelimit = 500,
	.window_scaling = 1,
	.timestamps = 1,
	/* TCP's tcp_rmem and tcp_wmem defaults. */
	.rmem = { 4096, 131072, 6291456 },
	.wmem = { 4096, 16384, 4194304 },
	/* TCP's tcp_limit_output_bytes. */
	.limit_output_bytes = 1048576,
	.sack = 1,
	/* As tcp_ecn: accept ECN when asked, do not ask. */
	.ecn = 2,
	/* As tcp_pacing_ss_ratio and tcp_pacing_ca_ratio. */
	.pacing_ss_ratio = 200,
	.pacing_ca_ratio = 120,
};
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_sysctl_defaults);

#define XTCP_SYSCTL(field, lo, hi)					\
	{								\
		.procname = #field,					\
		.offset = offsetof(struct xtcp_sysctl, field),		\
		.min = (lo),						\
		.max = (hi),						\
	}

const struct xtcp_sysctl_desc xtcp_sysctl_descs[] = {
	/* As tcp_synack_retries: a u8 there, so at most 255. */
	XTCP_SYSCTL(synack_retries, 0, 255),
	/* As tcp_syn_retries: 1 to MAX_TCP_SYNCNT (127). */
	XTCP_SYSCTL(syn_retries, 1, 127),
	/* TIME_WAIT lasts 2 * msl_ms: from 1 ms (tests) to 10 minutes. */
	XTCP_SYSCTL(msl_ms, 1, 600000),
	/* 0 never, 1 when the SYN queue overflows, 2 always. */
	XTCP_SYSCTL(syncookies, 0, 2),
	XTCP_SYSCTL(max_syn_backlog, 1, 1 << 20),
	/* 0 keeps no TIME_WAIT entries at all. */
	XTCP_SYSCTL(max_tw_buckets, 0, 1 << 24),
	/* FIN_WAIT_2 timeout of orphaned sockets: 1 ms to 1 hour. */
	XTCP_SYSCTL(fin_timeout_ms, 1, 3600000),
	/* Challenge ACKs per second, namespace-wide (RFC 5961 section 7), as TCP's. */
	XTCP_SYSCTL(challenge_ack_limit, 0, INT_MAX),
	/* Least ms between a connection's ACKs to out-of-window segments; 0: no limit. */
	XTCP_SYSCTL(invalid_ratelimit, 0, 60000),
	/* RFC 7323: offer and accept window scaling, timestamps (as TCP's, 0/1). */
	XTCP_SYSCTL(window_scaling, 0, 1),
	XTCP_SYSCTL(timestamps, 0, 1),
	/* The most bytes of a socket's in the qdiscs and devices below it (TSQ). */
	XTCP_SYSCTL(limit_output_bytes, 0, INT_MAX),
	/* RFC 2018: offer and accept SACK (as TCP's tcp_sack, 0/1). */
	XTCP_SYSCTL(sack, 0, 1),
	/* RFC 3168, as tcp_ecn: 0 never, 1 ask and accept, 2 accept only. */
	XTCP_SYSCTL(ecn, 0, 2),
	/* The pacing rate, percent of a window per RTT in slow start and after (pacing.c). */
	XTCP_SYSCTL(pacing_ss_ratio, 0, 1000),
	XTCP_SYSCTL(pacing_ca_ratio, 0, 1000),
};
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_sysctl_descs);

const unsigned int xtcp_sysctl_count = ARRAY_SIZE(xtcp_sysctl_descs);
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_sysctl_count);

/* Longest accepted text: an int in any base with surrounding white space. */
#define XTCP_SYSCTL_TEXT_MAX 32

/**
 * xtcp_sysctl_write_text() - the text of a sysctl write, taken whole.
 * @buffer: what was written (a kernel buffer).
 * @len: its length.
 * @pos: the file position it was written at.
 * @text: filled with the text, NUL-terminated.
 * @size: @text's size.
 *
 * A value must come in one write(2) from offset 0 and fit @text: the rest of a
 * value in a second write(2) is refused, never silently dropped.
 *
 * Return: 0, or -EINVAL.
 */
int xtcp_sysctl_write_text(const void *buffer, size_t len, loff_t pos, char *text,
			   size_t size)
{
	if (pos || len >= size)
		return -EINVAL;
	memcpy(text, buffer, len);
	text[len] = '\0';
	return 0;
}

/**
 * xtcp_proc_int_range() - proc handler of one ranged int knob.
 * @table: the entry; .data is the int, .extra1/.extra2 its bounds.
 * @write: nonzero for a write.
 * @buffer: the text read or written (a kernel buffer).
 * @lenp: its length; updated.
 * @ppos: the file position; updated.
 *
 * Stricter than proc_dointvec_minmax(), which stores the 3 of "3 4" or of "3" followed
 * by a second write(2): a write must be one integer (decimal, 0x hex or 0 octal, as
 * sysctl(8) users know it), optionally surrounded by white space, in one write(2) from
 * offset 0, and within the bounds; anything else is EINVAL and changes nothing.
 *
 * Return: 0, or -EINVAL for a refused write.
 */
int xtcp_proc_int_range(XTCP_CTL_TABLE_CONST struct ctl_table *table, int write,
			void *buffer, size_t *lenp, loff_t *ppos)
{
	const int *min = table->extra1, *max = table->extra2;
	char text[XTCP_SYSCTL_TEXT_MAX + 1];
	int *data = table->data;
	int val;

	if (!write) {
		struct ctl_table tmp = *table;

		val = READ_ONCE(*data);
		tmp.data = &val;
		return proc_dointvec(&tmp, 0, buffer, lenp, ppos);
	}

	if (xtcp_sysctl_write_text(buffer, *lenp, *ppos, text, sizeof(text)) ||
	    kstrtoint(strim(text), 0, &val) || val < *min || val > *max)
		return -EINVAL;

	WRITE_ONCE(*data, val);
	*ppos += *lenp;
	return 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_proc_int_range);

/**
 * xtcp_sysctl_parse_triple() - read a net.xtcp.rmem or net.xtcp.wmem write.
 * @text: what was written, NUL-terminated.
 * @val: filled with the three values (min, default, max) when @text is valid.
 *
 * Three decimal numbers, each 1 to INT_MAX, in order (min <= default <= max),
 * separated by white space; anything else is refused and @val is unchanged.
 * TCP's tcp_rmem takes them unordered; a default above the max would be a
 * buffer that autotuning can only shrink.
 *
 * Return: 0 or -EINVAL.
 */
int xtcp_sysctl_parse_triple(const char *text, int val[3])
{
	long v[3];
	unsigned int i;

	if (xtcp_mem_parse(text, v) || v[2] > INT_MAX)
		return -EINVAL;
	for (i = 0; i < 3; i++)
		val[i] = v[i];
	return 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_sysctl_parse_triple);

/* Longest triple: three ints and their separators. */
#define XTCP_TRIPLE_TEXT_MAX 48

/**
 * xtcp_proc_int_triple() - proc handler of net.xtcp.rmem and net.xtcp.wmem.
 * @table: the entry; .data is the int[3].
 * @write: nonzero for a write.
 * @buffer: the text read or written (a kernel buffer).
 * @lenp: its length; updated.
 * @ppos: the file position; updated.
 *
 * Read as tcp_rmem is ("min<TAB>default<TAB>max"); a write must be whole, in
 * one write(2) from offset 0, and valid (xtcp_sysctl_parse_triple()).
 *
 * Return: 0, or -EINVAL for a refused write.
 */
int xtcp_proc_int_triple(XTCP_CTL_TABLE_CONST struct ctl_table *table, int write,
			 void *buffer, size_t *lenp, loff_t *ppos)
{
	char text[XTCP_TRIPLE_TEXT_MAX + 1];
	int *data = table->data;
	int val[3];
	unsigned int i;

	if (!write) {
		struct ctl_table tmp = *table;

		for (i = 0; i < 3; i++)
			val[i] = READ_ONCE(data[i]);
		tmp.data = val;
		tmp.maxlen = sizeof(val);
		return proc_dointvec(&tmp, 0, buffer, lenp, ppos);
	}
	if (xtcp_sysctl_write_text(buffer, *lenp, *ppos, text, sizeof(text)) ||
	    xtcp_sysctl_parse_triple(text, val))
		return -EINVAL;
	/* Readers take one value at a time, without a lock: each is whole. */
	for (i = 0; i < 3; i++)
		WRITE_ONCE(data[i], val[i]);
	*ppos += *lenp;
	return 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_proc_int_triple);

/* The knobs of three values: buffer sizes, as tcp_rmem and tcp_wmem. */
static const struct {
	const char *procname;
	size_t offset;
} xtcp_sysctl_triples[] = {
	{ "rmem", offsetof(struct xtcp_sysctl, rmem) },
	{ "wmem", offsetof(struct xtcp_sysctl, wmem) },
};

/**
 * xtcp_sysctl_fill() - make the ctl_table entry of one knob.
 * @t: the entry to fill.
 * @d: the knob.
 * @s: the struct whose field the entry reads and writes.
 */
void xtcp_sysctl_fill(struct ctl_table *t, const struct xtcp_sysctl_desc *d,
		      struct xtcp_sysctl *s)
{
	memset(t, 0, sizeof(*t));
	t->procname = d->procname;
	t->data = (char *)s + d->offset;
	t->maxlen = sizeof(int);
	t->mode = 0644;
	t->proc_handler = xtcp_proc_int_range;
	/* The handler only reads the bounds; ctl_table has no const for them. */
	t->extra1 = (void *)&d->min;
	t->extra2 = (void *)&d->max;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_sysctl_fill);

/**
 * xtcp_sysctl_init_net() - set a namespace's knobs to the defaults and register them.
 * @net: the namespace.
 * @xn: its XTCP state.
 *
 * Return: 0 or -ENOMEM.
 */
int xtcp_sysctl_init_net(struct net *net, struct xtcp_net *xn)
{
	struct ctl_table *table;
	unsigned int i, n;

	xn->sysctl = xtcp_sysctl_defaults;

	/* One more, zeroed, entry: the sentinel that 6.1 still needs. */
	n = xtcp_sysctl_count + ARRAY_SIZE(xtcp_sysctl_triples) + 2;
	table = kcalloc(n + 1, sizeof(*table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < xtcp_sysctl_count; i++)
		xtcp_sysctl_fill(&table[i], &xtcp_sysctl_descs[i], &xn->sysctl);
	for (i = 0; i < ARRAY_SIZE(xtcp_sysctl_triples); i++) {
		struct ctl_table *t = &table[xtcp_sysctl_count + i];

		t->procname = xtcp_sysctl_triples[i].procname;
		t->data = (char *)&xn->sysctl + xtcp_sysctl_triples[i].offset;
		t->maxlen = 3 * sizeof(int);
		t->mode = 0644;
		t->proc_handler = xtcp_proc_int_triple;
	}
	/* Congestion control (cc.c): names, as TCP's two knobs of the same names. */
	i = xtcp_sysctl_count + ARRAY_SIZE(xtcp_sysctl_triples);
	table[i].procname = "congestion_control";
	table[i].data = xn;
	table[i].maxlen = XTCP_CC_NAME_MAX;
	table[i].mode = 0644;
	table[i].proc_handler = xtcp_proc_cc_default;
	i++;
	table[i].procname = "available_congestion_control";
	table[i].maxlen = 256;
	table[i].mode = 0444;
	table[i].proc_handler = xtcp_proc_cc_available;

	xn->sysctl_hdr = xtcp_register_net_sysctl(net, "net/xtcp", table, n);
	if (!xn->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	xn->sysctl_table = table;
	return 0;
}

void xtcp_sysctl_exit_net(struct xtcp_net *xn)
{
	unregister_net_sysctl_table(xn->sysctl_hdr);
	kfree(xn->sysctl_table);
}
