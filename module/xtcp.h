/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp.h - XTCP's private header: the socket, the per-namespace state, the counters,
 * the sysctls and the prototypes shared between files.
 *
 * Lock order (outer first): the socket lock (lock_sock) > xtcp_net.socks_lock.
 */
#ifndef _XTCP_H
#define _XTCP_H

#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/sysctl.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include "compat.h"
#include "uapi/xtcp.h"

/*
 * Connection states. The numbers are the kernel TCP's (include/net/tcp_states.h), so
 * that /proc/net/xtcp, TCP_INFO and the tools that read them agree with TCP.
 */
enum xtcp_state {
	XTCP_ESTABLISHED = 1,
	XTCP_SYN_SENT,
	XTCP_SYN_RECV,
	XTCP_FIN_WAIT1,
	XTCP_FIN_WAIT2,
	XTCP_TIME_WAIT,
	XTCP_CLOSE,
	XTCP_CLOSE_WAIT,
	XTCP_LAST_ACK,
	XTCP_LISTEN,
	XTCP_CLOSING,
	XTCP_MAX_STATES,
};

const char *xtcp_state_name(int state);
bool xtcp_state_transition_ok(int from, int to);

/**
 * struct xtcp_sock - an XTCP socket.
 * @inet: the IPv4 socket it is (addresses, ports, route cache); must be first.
 * @node: entry in xtcp_net.socks; protected by xtcp_net.socks_lock.
 *
 * sk_state is written only by xtcp_set_state(), under the socket lock.
 */
struct xtcp_sock {
	struct inet_sock inet;
	struct hlist_node node;
};

static inline struct xtcp_sock *xtcp_sk(const struct sock *sk)
{
	return (struct xtcp_sock *)sk;
}

/*
 * Counters, per namespace and per CPU; summed when read. CurrEstab is a gauge that
 * xtcp_set_state() keeps.
 */
enum xtcp_mib_field {
	XTCP_MIB_ACTIVE_OPENS,
	XTCP_MIB_PASSIVE_OPENS,
	XTCP_MIB_ATTEMPT_FAILS,
	XTCP_MIB_ESTAB_RESETS,
	XTCP_MIB_CURR_ESTAB,
	XTCP_MIB_IN_SEGS,
	XTCP_MIB_OUT_SEGS,
	XTCP_MIB_RETRANS_SEGS,
	XTCP_MIB_IN_ERRS,
	XTCP_MIB_IN_CSUM_ERRORS,
	XTCP_MIB_OUT_RSTS,
	XTCP_MIB_SOCKETS_CREATED,
	XTCP_MIB_SOCKETS_DESTROYED,
	XTCP_MIB_MAX,
};

struct xtcp_mib {
	unsigned long mibs[XTCP_MIB_MAX];
};

extern const char *const xtcp_mib_names[XTCP_MIB_MAX];

/*
 * Sysctls of one namespace (net.xtcp.*). Each is an int read locklessly with
 * READ_ONCE() and written only by xtcp_proc_int_range() with WRITE_ONCE().
 */
struct xtcp_sysctl {
	int synack_retries;
	int syn_retries;
	int msl_ms;
	int syncookies;
	int max_syn_backlog;
	int max_tw_buckets;
	int fin_timeout_ms;
};

/**
 * struct xtcp_net - XTCP's state in one network namespace.
 * @sysctl: the knobs; see struct xtcp_sysctl for the access rules.
 * @sysctl_hdr: the registered net.xtcp table; set at namespace init, read at exit.
 * @sysctl_table: this namespace's copy of the table (its .data points into @sysctl).
 * @mib: per-CPU counters; update with xtcp_inc_stats() from any context.
 * @socks_lock: protects @socks; taken with bottom halves off.
 * @socks: every XTCP socket of the namespace, for /proc/net/xtcp.
 * @isn_key: the secret of initial sequence numbers; set at namespace init.
 */
struct xtcp_net {
	struct xtcp_sysctl sysctl;
	struct ctl_table_header *sysctl_hdr;
	struct ctl_table *sysctl_table;
	struct xtcp_mib __percpu *mib;
	spinlock_t socks_lock;	/* protects socks */
	struct hlist_head socks;
	siphash_key_t isn_key;
};

extern unsigned int xtcp_net_id;

static inline struct xtcp_net *xtcp_pernet(const struct net *net)
{
	return net_generic(net, xtcp_net_id);
}

static inline void xtcp_mod_stats(struct net *net, enum xtcp_mib_field f, long v)
{
	this_cpu_add(xtcp_pernet(net)->mib->mibs[f], v);
}

static inline void xtcp_inc_stats(struct net *net, enum xtcp_mib_field f)
{
	xtcp_mod_stats(net, f, 1);
}

/* options.c */

/* The option space of a TCP header: a data offset of 15 words less the fixed 5. */
#define XTCP_MAX_OPTION_SPACE	40

/**
 * struct xtcp_options - the TCP options of one segment, parsed or to be written.
 * @mss: Maximum Segment Size (SYN only); 0 when absent.
 * @wscale: window scale shift (SYN only), at most 14; valid when @wscale_ok.
 * @wscale_ok: a window scale option is present.
 * @sack_ok: SACK-permitted is present (SYN only).
 * @ts_ok: timestamps are present.
 * @tsval: TSval, when @ts_ok.
 * @tsecr: TSecr, when @ts_ok.
 */
struct xtcp_options {
	u16 mss;
	u8 wscale;
	bool wscale_ok;
	bool sack_ok;
	bool ts_ok;
	u32 tsval;
	u32 tsecr;
};

int xtcp_parse_options(const u8 *opt, unsigned int len, bool syn,
		       struct xtcp_options *out);
unsigned int xtcp_write_options(u8 *p, const struct xtcp_options *o);

/* rto.c: RFC 6298, in microseconds. */

/* 2.1: before any sample. */
#define XTCP_RTO_INIT_US	1000000U
/*
 * 2.4 asks for at least 1 s with a SHOULD; like Linux's TCP (TCP_RTO_MIN), XTCP
 * uses 200 ms, which today's RTTs and delayed ACKs (at most 200 ms) allow.
 */
#define XTCP_RTO_MIN_US		200000U
/* 2.5: a maximum of at least 60 s; Linux's TCP_RTO_MAX is 120 s. */
#define XTCP_RTO_MAX_US		120000000U

/**
 * struct xtcp_rtt - a connection's RTT estimator; under the socket lock.
 * @srtt_us: smoothed RTT; 0 until the first sample.
 * @rttvar_us: RTT variation.
 * @rto_us: the retransmission timeout before backoff.
 * @backoff: how many times the timer has fired since the last sample.
 */
struct xtcp_rtt {
	u32 srtt_us;
	u32 rttvar_us;
	u32 rto_us;
	u8 backoff;
};

void xtcp_rtt_init(struct xtcp_rtt *r);
void xtcp_rtt_sample(struct xtcp_rtt *r, u32 rtt_us);
u32 xtcp_rtt_timeout(const struct xtcp_rtt *r);
void xtcp_rtt_backoff(struct xtcp_rtt *r);

/* isn.c */
void xtcp_isn_key_init(siphash_key_t *key);
u32 xtcp_isn_at(const siphash_key_t *key, __be32 saddr, __be32 daddr,
		__be16 sport, __be16 dport, u64 now_ns);
u32 xtcp_isn(const struct net *net, __be32 saddr, __be32 daddr,
	     __be16 sport, __be16 dport);

/* timewait.c */

/* The 4-tuple of a TIME_WAIT entry, as the local end sees it. */
struct xtcp_tw_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
};

/**
 * struct xtcp_tw - one connection in TIME_WAIT: all of it, 72 bytes on x86-64.
 * @node: in xtcp_tw_table.ht; RCU readers.
 * @key: the 4-tuple; constant.
 * @snd_nxt: SND.NXT; constant.
 * @rcv_nxt: RCV.NXT; constant.
 * @expires: when 2 * MSL runs out (jiffies); under xtcp_tw_table.lock.
 * @age: in xtcp_tw_table.age, ordered by @expires; empty once the entry is
 *	 removed; under xtcp_tw_table.lock.
 * @rcu: frees the entry after a grace period.
 */
struct xtcp_tw {
	struct rhash_head node;
	struct xtcp_tw_key key;
	u32 snd_nxt;
	u32 rcv_nxt;
	unsigned long expires;
	struct list_head age;
	struct rcu_head rcu;
};

/**
 * struct xtcp_tw_table - a namespace's TIME_WAIT entries.
 * @ht: the entries by 4-tuple; lookups under RCU, changes under @lock.
 * @lock: protects @age, @count and changes to @ht; taken with bottom halves off.
 * @age: the entries, the first to expire first.
 * @count: how many entries there are; written under @lock, read locklessly.
 */
struct xtcp_tw_table {
	struct rhashtable ht;
	spinlock_t lock;	/* see above */
	struct list_head age;
	unsigned int count;
};

int xtcp_tw_cache_init(void);
void xtcp_tw_cache_exit(void);
unsigned int xtcp_tw_entry_size(void);
int xtcp_tw_table_init(struct xtcp_tw_table *t);
void xtcp_tw_table_destroy(struct xtcp_tw_table *t);
struct xtcp_tw *xtcp_tw_lookup(struct xtcp_tw_table *t, const struct xtcp_tw_key *key);
int xtcp_tw_insert(struct xtcp_tw_table *t, const struct xtcp_tw_key *key,
		   u32 snd_nxt, u32 rcv_nxt, unsigned long now,
		   unsigned long lifetime, unsigned int max);
bool xtcp_tw_refresh(struct xtcp_tw_table *t, struct xtcp_tw *tw,
		     unsigned long now, unsigned long lifetime);
bool xtcp_tw_remove(struct xtcp_tw_table *t, struct xtcp_tw *tw);
unsigned int xtcp_tw_expire(struct xtcp_tw_table *t, unsigned long now);
bool xtcp_tw_next_expiry(struct xtcp_tw_table *t, unsigned long *when);
unsigned int xtcp_tw_count(struct xtcp_tw_table *t);

/* main.c */
extern int xtcp_family;

/* af_xtcp.c */
int xtcp_af_init(void);
void xtcp_af_exit(void);

/* sock.c */
extern struct proto xtcp_prot;
void xtcp_set_state(struct sock *sk, int state);
void xtcp_sock_link(struct sock *sk);

/* mib.c */
int xtcp_mib_init_net(struct xtcp_net *xn);
void xtcp_mib_exit_net(struct xtcp_net *xn);
unsigned long xtcp_mib_read(const struct xtcp_net *xn, enum xtcp_mib_field f);

/* sysctl.c */

/**
 * struct xtcp_sysctl_desc - one net.xtcp sysctl: its name, field and valid range.
 * @procname: the name under /proc/sys/net/xtcp.
 * @offset: the int's offset in struct xtcp_sysctl.
 * @min: the smallest value accepted.
 * @max: the largest value accepted.
 */
struct xtcp_sysctl_desc {
	const char *procname;
	size_t offset;
	int min;
	int max;
};

extern const struct xtcp_sysctl xtcp_sysctl_defaults;
extern const struct xtcp_sysctl_desc xtcp_sysctl_descs[];
extern const unsigned int xtcp_sysctl_count;
void xtcp_sysctl_fill(struct ctl_table *t, const struct xtcp_sysctl_desc *d,
		      struct xtcp_sysctl *s);
int xtcp_proc_int_range(XTCP_CTL_TABLE_CONST struct ctl_table *table, int write,
			void *buffer, size_t *lenp, loff_t *ppos);
int xtcp_sysctl_init_net(struct net *net, struct xtcp_net *xn);
void xtcp_sysctl_exit_net(struct xtcp_net *xn);

/* proc.c */
int xtcp_proc_init_net(struct net *net);
void xtcp_proc_exit_net(struct net *net);

#endif /* _XTCP_H */
