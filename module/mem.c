// SPDX-License-Identifier: GPL-2.0
/*
 * mem.c - what XTCP's sockets may hold: the accounting of their buffers, the
 * global limit net.xtcp.mem and its memory pressure, and the orphan limit
 * net.xtcp.max_orphans.
 *
 * Every skb a socket queues (the write queue, the receive and out-of-order
 * queues) is charged to it with the core's socket accounting, as TCP's are:
 * sk_forward_alloc, the proto's memory_allocated (pages, all namespaces) and,
 * when the socket belongs to a memory cgroup, that cgroup (memory.stat "sock").
 * Above net.xtcp.mem's pressure value XTCP is under memory pressure (senders'
 * buffers shrink to what they hold); above its hard limit a charge fails unless
 * the socket holds less than its minimum (tcp_rmem[0], tcp_wmem[0]): a sender
 * waits for memory, received data is dropped and counted (TCPRcvQDrop), and a
 * socket closed with data still queued is reset instead of kept as an orphan
 * (TCPAbortOnMemory). A socket closed by its user that is still finishing is an
 * orphan; once more than net.xtcp.max_orphans exist, the newest are reset too.
 *
 * The limits are global, as tcp_mem and tcp_max_orphans are: the table is
 * registered in the initial namespace only, so a container cannot raise them.
 */
#include <linux/kernel.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/percpu_counter.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "xtcp.h"

/* The proto's accounting (struct proto's fields of the same names). */
atomic_long_t xtcp_memory_allocated;
static DEFINE_PER_CPU(int, xtcp_memory_per_cpu_fw_alloc);
/* Nonzero under memory pressure; set by xtcp_enter_memory_pressure(). */
static unsigned long xtcp_memory_pressure;
struct percpu_counter xtcp_sockets_allocated;
/* Orphans being counted: see xtcp_orphan_start() and xtcp_orphan_end(). */
static DEFINE_PER_CPU(unsigned int, xtcp_orphan_count);

/* net.xtcp.mem: min, pressure and max, in pages; net.xtcp.max_orphans. */
static long xtcp_sysctl_mem[3];
static int xtcp_max_orphans;

/**
 * xtcp_mem_defaults() - net.xtcp.mem for a machine, as TCP sizes tcp_mem.
 * @pages: the pages free for buffers (nr_free_buffer_pages()).
 * @mem: filled: min, pressure, max.
 *
 * A sixteenth of the memory, at least 128 pages, is the pressure value; min is
 * three quarters of it, max twice min.
 */
void xtcp_mem_defaults(unsigned long pages, long mem[3])
{
	unsigned long limit = max(pages / 16, 128UL);

	limit = min_t(unsigned long, limit, LONG_MAX / 2);
	mem[0] = limit / 4 * 3;
	mem[1] = limit;
	mem[2] = mem[0] * 2;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_mem_defaults);

/**
 * xtcp_max_orphans_default() - net.xtcp.max_orphans for a machine.
 * @ram_pages: the machine's pages (totalram_pages()).
 *
 * As TCP's: half its established table, which has a bucket per 128 KiB of
 * memory; so one orphan per 256 KiB, at least 128.
 *
 * Return: the limit.
 */
int xtcp_max_orphans_default(unsigned long ram_pages)
{
	unsigned long n = ram_pages >> (18 - PAGE_SHIFT);

	return clamp_t(unsigned long, n, 128, INT_MAX);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_max_orphans_default);

/**
 * xtcp_mem_parse() - read a net.xtcp.mem write.
 * @text: what was written, NUL-terminated.
 * @mem: filled with the three values when the text is valid.
 *
 * Exactly three decimal numbers separated by white space (a newline may end the
 * text), each at least 1, in order: min <= pressure <= max. Anything else is
 * refused and @mem is left as it was.
 *
 * Return: 0 or -EINVAL.
 */
int xtcp_mem_parse(const char *text, long mem[3])
{
	long val[3];
	const char *p = text;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		char num[24];
		size_t len;

		p = skip_spaces(p);
		len = strcspn(p, " \t\n");
		if (!len || len >= sizeof(num))
			return -EINVAL;
		memcpy(num, p, len);
		num[len] = '\0';
		if (num[0] == '+' || kstrtol(num, 10, &val[i]) || val[i] < 1)
			return -EINVAL;
		p += len;
	}
	if (*skip_spaces(p))
		return -EINVAL;
	if (val[0] > val[1] || val[1] > val[2])
		return -EINVAL;
	memcpy(mem, val, sizeof(val));
	return 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_mem_parse);

/**
 * xtcp_orphans_over() - would @orphans orphans be too many?
 * @orphans: how many there are.
 * @max: net.xtcp.max_orphans.
 * @shift: how much less an orphan that is already doing badly may count on:
 *	each step halves the limit it is held to.
 *
 * Return: true when they are.
 */
bool xtcp_orphans_over(unsigned int orphans, int max, int shift)
{
	return ((u64)orphans << shift) > (u64)max;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_orphans_over);

/* How many orphans there are, over every CPU. */
unsigned int xtcp_orphan_count_sum(void)
{
	unsigned int n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(*per_cpu_ptr(&xtcp_orphan_count, cpu));
	/* A CPU's count may be negative (its orphans ended elsewhere). */
	return (int)n < 0 ? 0 : n;
}

/**
 * xtcp_orphan_start() - a socket closed by its user is still finishing: count it.
 * @sk: the socket, locked, SOCK_DEAD and not CLOSED.
 */
void xtcp_orphan_start(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->orphan_counted)
		return;
	xs->orphan_counted = true;
	this_cpu_inc(xtcp_orphan_count);
}

/**
 * xtcp_orphan_end() - a counted orphan reached CLOSED.
 * @sk: the socket, locked; called by xtcp_set_state().
 */
void xtcp_orphan_end(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->orphan_counted)
		return;
	xs->orphan_counted = false;
	this_cpu_dec(xtcp_orphan_count);
}

/**
 * xtcp_check_oom() - should an orphan be reset to give its memory back?
 * @sk: the orphan, locked.
 * @shift: see xtcp_orphans_over(); 0 at close().
 *
 * Yes when there are too many orphans, or when XTCP's memory is over its hard
 * limit and the orphan still holds more than a minimal send buffer, as TCP's
 * tcp_check_oom() decides.
 *
 * Return: true to reset it.
 */
bool xtcp_check_oom(struct sock *sk, int shift)
{
	bool orphans, memory;

	orphans = xtcp_orphans_over(xtcp_orphan_count_sum(), READ_ONCE(xtcp_max_orphans),
				    shift);
	memory = sk->sk_wmem_queued > SOCK_MIN_SNDBUF &&
		 sk_memory_allocated(sk) > sk_prot_mem_limits(sk, 2);
	if (orphans)
		net_info_ratelimited("xtcp: too many orphaned sockets\n");
	if (memory)
		net_info_ratelimited("xtcp: out of memory; consider net.xtcp.mem\n");
	return orphans || memory;
}

/**
 * xtcp_abort_on_memory() - reset and close an orphan xtcp_check_oom() gave up on.
 * @sk: the orphan, locked.
 * @reset: send a RST (the connection is synchronized).
 */
void xtcp_abort_on_memory(struct sock *sk, bool reset)
{
	if (reset)
		xtcp_send_active_reset(sk);
	xtcp_done(sk);
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_ABORT_ON_MEMORY);
}

/* proto .enter_memory_pressure: the first charge above the pressure value. */
static void xtcp_enter_memory_pressure(struct sock *sk)
{
	if (READ_ONCE(xtcp_memory_pressure))
		return;
	if (!cmpxchg(&xtcp_memory_pressure, 0, 1))
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_MEMORY_PRESSURES);
}

/* Longest net.xtcp.mem text: three longs and their separators. */
#define XTCP_MEM_TEXT_MAX 72

/* net.xtcp.mem: read as tcp_mem is; a write must be whole and valid (above). */
static int xtcp_proc_mem(XTCP_CTL_TABLE_CONST struct ctl_table *table, int write,
			 void *buffer, size_t *lenp, loff_t *ppos)
{
	char text[XTCP_MEM_TEXT_MAX + 1];
	long val[3];
	unsigned int i;

	if (!write) {
		struct ctl_table tmp = *table;

		for (i = 0; i < 3; i++)
			val[i] = READ_ONCE(xtcp_sysctl_mem[i]);
		tmp.data = val;
		return proc_doulongvec_minmax(&tmp, 0, buffer, lenp, ppos);
	}
	if (xtcp_sysctl_write_text(buffer, *lenp, *ppos, text, sizeof(text)) ||
	    xtcp_mem_parse(text, val))
		return -EINVAL;
	/* The core reads the three one at a time, without a lock: each is whole. */
	for (i = 0; i < 3; i++)
		WRITE_ONCE(xtcp_sysctl_mem[i], val[i]);
	*ppos += *lenp;
	return 0;
}

static const int xtcp_zero;
static const int xtcp_int_max = INT_MAX;

/* One more, zeroed, entry: the sentinel 6.1 needs. */
static struct ctl_table xtcp_mem_table[] = {
	{
		.procname	= "mem",
		.data		= xtcp_sysctl_mem,
		.maxlen		= sizeof(xtcp_sysctl_mem),
		.mode		= 0644,
		.proc_handler	= xtcp_proc_mem,
	},
	{
		.procname	= "max_orphans",
		.data		= &xtcp_max_orphans,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= xtcp_proc_int_range,
		/* The handler only reads the bounds. */
		.extra1		= (void *)&xtcp_zero,
		.extra2		= (void *)&xtcp_int_max,
	},
	{ }
};

static struct ctl_table_header *xtcp_mem_hdr;

/**
 * xtcp_mem_proto_init() - fill in the accounting fields of @prot.
 * @prot: xtcp_prot, before proto_register().
 *
 * Return: 0 or -ENOMEM.
 */
int xtcp_mem_proto_init(struct proto *prot)
{
	int err;

	err = percpu_counter_init(&xtcp_sockets_allocated, 0, GFP_KERNEL);
	if (err)
		return err;
	xtcp_mem_defaults(nr_free_buffer_pages(), xtcp_sysctl_mem);
	xtcp_max_orphans = xtcp_max_orphans_default(totalram_pages());

	prot->memory_allocated = &xtcp_memory_allocated;
	prot->per_cpu_fw_alloc = &xtcp_memory_per_cpu_fw_alloc;
	prot->memory_pressure = &xtcp_memory_pressure;
	prot->enter_memory_pressure = xtcp_enter_memory_pressure;
	prot->sockets_allocated = &xtcp_sockets_allocated;
	prot->orphan_count = &xtcp_orphan_count;
	prot->sysctl_mem = xtcp_sysctl_mem;
	/* A socket's minimum under pressure: tcp_wmem[0] and tcp_rmem[0], as its buffers. */
	prot->sysctl_wmem_offset = offsetof(struct net, ipv4.sysctl_tcp_wmem);
	prot->sysctl_rmem_offset = offsetof(struct net, ipv4.sysctl_tcp_rmem);
	return 0;
}

/**
 * xtcp_memory_allocated_sum() - the pages XTCP's sockets hold, exactly.
 *
 * memory_allocated lags by what each CPU keeps in reserve (per_cpu_fw_alloc, up
 * to net.core.mem_pcpu_rsv pages); this adds the reserves.
 *
 * Return: the pages.
 */
long xtcp_memory_allocated_sum(void)
{
	long n = atomic_long_read(&xtcp_memory_allocated);
	int cpu;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(*per_cpu_ptr(&xtcp_memory_per_cpu_fw_alloc, cpu));
	return n;
}

/* After proto_unregister(): every socket is gone, and every charge with it. */
void xtcp_mem_proto_exit(void)
{
	WARN_ON_ONCE(xtcp_memory_allocated_sum());
	WARN_ON_ONCE(percpu_counter_sum(&xtcp_sockets_allocated));
	percpu_counter_destroy(&xtcp_sockets_allocated);
}

/**
 * xtcp_mem_sysctl_init() - register net.xtcp.mem and net.xtcp.max_orphans.
 *
 * Return: 0 or -ENOMEM.
 */
int xtcp_mem_sysctl_init(void)
{
	xtcp_mem_hdr = xtcp_register_net_sysctl(&init_net, "net/xtcp", xtcp_mem_table,
						ARRAY_SIZE(xtcp_mem_table) - 1);
	return xtcp_mem_hdr ? 0 : -ENOMEM;
}

void xtcp_mem_sysctl_exit(void)
{
	unregister_net_sysctl_table(xtcp_mem_hdr);
}

/**
 * xtcp_mem_inherit_memcg() - a new connection's memory cgroup: its listener's.
 * @sk: the child, just cloned (sk_clone_lock() leaves it none).
 * @lsk: the listener.
 *
 * TCP associates a child with the cgroup of the task that accepts it and then
 * charges what it already holds; the call that charges is not exported to
 * modules. XTCP charges a child to its listener's cgroup from its first byte,
 * which is the acceptor's unless the listening socket was handed to a task of
 * another cgroup. The reference is dropped by the core when the socket is freed.
 */
void xtcp_mem_inherit_memcg(struct sock *sk, const struct sock *lsk)
{
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg = lsk->sk_memcg;

	if (!mem_cgroup_sockets_enabled || !memcg)
		return;
	css_get(&memcg->css);
	sk->sk_memcg = memcg;
#endif
}

