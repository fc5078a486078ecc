// SPDX-License-Identifier: GPL-2.0
/*
 * offload_test.c - KUnit cases for module/offload.c: the size goal of a
 * super-segment, the flow's rate and TCP small queues' limit, trimming the
 * acknowledged head of a fragmented skb, and the isolated wire's GSO handler,
 * which must cut a packet into segments whose sequence numbers, flags and
 * checksums are each right.
 */
#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "xtcp.h"

/* Whole MSSes, within 64 KiB of IP, the route's limits and half the window. */
static void xtcp_gso__goal(struct kunit *test)
{
	/* No GSO on the route: one MSS. */
	KUNIT_EXPECT_EQ(test, xtcp_gso_goal(1448, 0, 0, 0, 0), 1448U);
	KUNIT_EXPECT_EQ(test, xtcp_gso_goal(1448, 65536, 1, 0, 0), 1448U);
	/* 65535 - 120 bytes of headers: 45 segments of 1448 (65160). */
	KUNIT_EXPECT_EQ(test, xtcp_gso_goal(1448, 65536, 65535, 0, 0), 45U * 1448);
	/* A route that takes less. */
	KUNIT_EXPECT_EQ(test, xtcp_gso_goal(1448, 16384, 65535, 0, 0), 11U * 1448);
	KUNIT_EXPECT_EQ(test, xtcp_gso_goal(1448, 65536, 4, 0, 0), 4U * 1448);
	/* Half the largest window the peer offered. */
	KUNIT_EXPECT_EQ(test, xtcp_gso_goal(1448, 65536, 65535, 20000, 0), 6U * 1448);
	/* A window of two MSSes or less does not bound it below one. */
	KUNIT_EXPECT_EQ(test, xtcp_gso_goal(1448, 65536, 65535, 1000, 0), 45U * 1448);
	/* About a millisecond at the rate: 10 MB/s is 9765 bytes, 6 segments. */
	KUNIT_EXPECT_EQ(test, xtcp_gso_goal(1448, 65536, 65535, 0, 10000000), 6U * 1448);
	/* However slow, two segments. */
	KUNIT_EXPECT_EQ(test, xtcp_gso_goal(1448, 65536, 65535, 0, 1000), 2U * 1448);
	/* An MSS above the goal's room still gives one MSS. */
	KUNIT_EXPECT_EQ(test, xtcp_gso_goal(9000, 8192, 65535, 0, 0), 9000U);
	KUNIT_EXPECT_EQ(test, xtcp_gso_goal(0, 65536, 65535, 0, 0), 0U);
}

/* A window per smoothed RTT; twice that in slow start; nothing before a sample. */
static void xtcp_gso__flow_rate(struct kunit *test)
{
	/* 10 segments of 1000 bytes per 10 ms: 1 MB/s, in congestion avoidance. */
	KUNIT_EXPECT_EQ(test, xtcp_flow_rate(10, 10, 1000, 10000), 1000000ULL);
	KUNIT_EXPECT_EQ(test, xtcp_flow_rate(10, 5, 1000, 10000), 1000000ULL);
	/* Below ssthresh: doubled. */
	KUNIT_EXPECT_EQ(test, xtcp_flow_rate(10, 11, 1000, 10000), 2000000ULL);
	KUNIT_EXPECT_EQ(test, xtcp_flow_rate(10, 11, 1000, 0), 0ULL);
	/* No overflow at the extremes: cwnd's bound (2^24) of 65535 bytes in 1 us. */
	KUNIT_EXPECT_EQ(test, xtcp_flow_rate(1U << 24, 1U << 24, 65535, 1),
			1099494850560000000ULL);
}

/* Two skbs or a millisecond at the rate, whichever is more; the sysctl caps it. */
static void xtcp_tsq__limit(struct kunit *test)
{
	/* A slow flow (1 MB/s: 976 bytes a ms): two skbs of 5000. */
	KUNIT_EXPECT_EQ(test, xtcp_tsq_limit(5000, 1000000, 1048576), 10000U);
	/* A fast one (100 MB/s): 97656 bytes, a millisecond. */
	KUNIT_EXPECT_EQ(test, xtcp_tsq_limit(5000, 100000000, 1048576), 97656U);
	/* 10 GB/s: the ceiling. */
	KUNIT_EXPECT_EQ(test, xtcp_tsq_limit(5000, 10000000000ULL, 1048576), 1048576U);
	KUNIT_EXPECT_EQ(test, xtcp_tsq_limit(5000, 100000000, 65536), 65536U);
	/* No rate known yet: the ceiling alone. */
	KUNIT_EXPECT_EQ(test, xtcp_tsq_limit(5000, 0, 1048576), 1048576U);
	/* The ceiling holds even below two skbs (as TCP's); 0 holds back all but the first. */
	KUNIT_EXPECT_EQ(test, xtcp_tsq_limit(70000, 1000000, 100000), 100000U);
	KUNIT_EXPECT_EQ(test, xtcp_tsq_limit(70000, 1000000, 0), 0U);
	/* A huge skb does not overflow the doubling. */
	KUNIT_EXPECT_EQ(test, xtcp_tsq_limit(U32_MAX, 1, INT_MAX), (u32)INT_MAX);
}

/* A received packet's segments: GRO's count, else its length in gso_size pieces. */
static void xtcp_gso__rcv_segs(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(4000, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put(skb, 3000);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_segs(skb), 1);
	/* From GRO: what it merged. */
	skb_shinfo(skb)->gso_size = 1000;
	skb_shinfo(skb)->gso_segs = 3;
	KUNIT_EXPECT_EQ(test, xtcp_rcv_segs(skb), 3);
	/* From a tap or virtio peer (SKB_GSO_DODGY): no count; 3000 is 3 of 1000. */
	skb_shinfo(skb)->gso_segs = 0;
	KUNIT_EXPECT_EQ(test, xtcp_rcv_segs(skb), 3);
	skb_shinfo(skb)->gso_size = 1448;
	KUNIT_EXPECT_EQ(test, xtcp_rcv_segs(skb), 3);
	/* No more than one segment's worth: one. */
	skb_shinfo(skb)->gso_size = 3000;
	KUNIT_EXPECT_EQ(test, xtcp_rcv_segs(skb), 1);
	skb_shinfo(skb)->gso_size = 0;
	kfree_skb(skb);
}

/* The GSO fields: set for more than one MSS, cleared for one or less. */
static void xtcp_gso__set(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_FALSE(test, xtcp_gso_wanted(skb, 1000, 1000));
	KUNIT_EXPECT_TRUE(test, xtcp_gso_wanted(skb, 1001, 1000));
	xtcp_gso_set(skb, 2500, 1000);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_size, 1000);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_segs, 3);
	KUNIT_EXPECT_TRUE(test, skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4);
	KUNIT_EXPECT_FALSE(test, xtcp_gso_wanted(skb, 2500, 1000));
	KUNIT_EXPECT_TRUE(test, xtcp_gso_wanted(skb, 3500, 1000));
	KUNIT_EXPECT_TRUE(test, xtcp_gso_wanted(skb, 2500, 500));
	KUNIT_EXPECT_TRUE(test, xtcp_gso_wanted(skb, 800, 1000));
	xtcp_gso_set(skb, 800, 1000);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_size, 0);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_segs, 0);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_type, 0U);
	KUNIT_EXPECT_FALSE(test, skb_is_gso(skb));
	kfree_skb(skb);
}

/* Byte i of every test stream is (u8)(i * 7 + 3). */
static u8 xtcp_gso_byte(unsigned int i)
{
	return (u8)(i * 7 + 3);
}

/*
 * An skb of @head linear bytes, then one fragment per entry of @frags (each
 * in a page of its own, at offset 100), holding the test stream from @start.
 */
static struct sk_buff *xtcp_gso_build(struct kunit *test, unsigned int reserve,
				      unsigned int head, const unsigned int *frags,
				      unsigned int nfrags, unsigned int start)
{
	struct sk_buff *skb = alloc_skb(reserve + head, GFP_KERNEL);
	unsigned int i, j, pos = start;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, reserve);
	p = skb_put(skb, head);
	for (i = 0; i < head; i++)
		p[i] = xtcp_gso_byte(pos++);
	for (i = 0; i < nfrags; i++) {
		struct page *page = alloc_page(GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, page);
		p = page_address(page);
		for (j = 0; j < frags[i]; j++)
			p[100 + j] = xtcp_gso_byte(pos++);
		skb_fill_page_desc(skb, i, page, 100, frags[i]);
		skb->len += frags[i];
		skb->data_len += frags[i];
		skb->truesize += PAGE_SIZE;
	}
	return skb;
}

/* @skb holds exactly the test stream from @start, @len bytes of it. */
static void xtcp_gso_expect_stream(struct kunit *test, const struct sk_buff *skb,
				   unsigned int off, unsigned int start, unsigned int len)
{
	u8 *buf = kunit_kmalloc(test, len ?: 1, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, skb->len, off + len);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, off, buf, len), 0);
	for (i = 0; i < len; i++)
		if (buf[i] != xtcp_gso_byte(start + i)) {
			KUNIT_FAIL(test, "byte %u is %u, not %u", i, buf[i],
				   xtcp_gso_byte(start + i));
			return;
		}
}

/* Within the linear part, into the first fragment, past whole fragments. */
static void xtcp_gso__trim_head(struct kunit *test)
{
	static const unsigned int frags[] = { 300, 500, 200 };
	struct sk_buff *skb = xtcp_gso_build(test, 64, 40, frags, 3, 0);

	KUNIT_EXPECT_EQ(test, xtcp_trim_head(skb, 10), 0);
	xtcp_gso_expect_stream(test, skb, 0, 10, 1030);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 3);
	/* The rest of the linear part and 50 bytes of the first fragment. */
	KUNIT_EXPECT_EQ(test, xtcp_trim_head(skb, 80), 0);
	xtcp_gso_expect_stream(test, skb, 0, 90, 950);
	KUNIT_EXPECT_EQ(test, skb_headlen(skb), 0U);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 3);
	/* The first fragment's rest and the whole second one, to the byte. */
	KUNIT_EXPECT_EQ(test, xtcp_trim_head(skb, 750), 0);
	xtcp_gso_expect_stream(test, skb, 0, 840, 200);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 1);
	KUNIT_EXPECT_EQ(test, skb->data_len, 200U);
	KUNIT_EXPECT_EQ(test, xtcp_trim_head(skb, 199), 0);
	xtcp_gso_expect_stream(test, skb, 0, 1039, 1);
	KUNIT_EXPECT_EQ(test, xtcp_trim_head(skb, 2), -EINVAL);
	xtcp_gso_expect_stream(test, skb, 0, 1039, 1);
	kfree_skb(skb);
}

/* A clone still in flight keeps every byte it had. */
static void xtcp_gso__trim_head_cloned(struct kunit *test)
{
	static const unsigned int frags[] = { 300, 500 };
	struct sk_buff *skb = xtcp_gso_build(test, 64, 0, frags, 2, 1000);
	struct sk_buff *clone = skb_clone(skb, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, clone);
	KUNIT_EXPECT_EQ(test, xtcp_trim_head(skb, 400), 0);
	xtcp_gso_expect_stream(test, skb, 0, 1400, 400);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 1);
	xtcp_gso_expect_stream(test, clone, 0, 1000, 800);
	KUNIT_EXPECT_EQ(test, skb_shinfo(clone)->nr_frags, 2);
	KUNIT_EXPECT_FALSE(test, skb_cloned(skb));
	kfree_skb(clone);
	kfree_skb(skb);
}

#define XTCP_GSO_SADDR	htonl(0x0a000001)
#define XTCP_GSO_DADDR	htonl(0x0a000002)

/*
 * A GSO packet as inet_gso_segment() hands it over: IP and TCP headers (with
 * 12 bytes of options) linear, 350 bytes of payload in two fragments, MSS
 * 100, skb->data at the TCP header.
 */
static struct sk_buff *xtcp_gso_packet(struct kunit *test, u8 flags)
{
	static const unsigned int frags[] = { 170, 180 };
	const unsigned int thlen = sizeof(struct tcphdr) + 12;
	struct sk_buff *skb = xtcp_gso_build(test, 128 + sizeof(struct iphdr) + thlen, 0,
					     frags, 2, 0);
	struct tcphdr *th;
	struct iphdr *iph;

	th = skb_push(skb, thlen);
	memset(th, 0, thlen);
	th->source = htons(1000);
	th->dest = htons(2000);
	th->seq = htonl(0xfffffff0);	/* the sequence numbers wrap */
	th->ack_seq = htonl(77);
	th->doff = thlen / 4;
	((u8 *)th)[13] = flags;
	th->window = htons(500);
	memset(th + 1, 1, 12);		/* NOPs */
	skb_reset_transport_header(skb);
	iph = skb_push(skb, sizeof(*iph));
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_XTCP_ISOLATED;
	iph->saddr = XTCP_GSO_SADDR;
	iph->daddr = XTCP_GSO_DADDR;
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	skb_reset_mac_len(skb);
	skb->protocol = htons(ETH_P_IP);
	th->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, skb->len - sizeof(*iph),
				       IPPROTO_TCP, 0);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
	skb_shinfo(skb)->gso_size = 100;
	skb_shinfo(skb)->gso_segs = 4;
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4 | SKB_GSO_DODGY;
	/* What __skb_gso_segment() and inet_gso_segment() do first. */
	SKB_GSO_CB(skb)->mac_offset = skb_headroom(skb);
	SKB_GSO_CB(skb)->encap_level = sizeof(*iph);
	__skb_pull(skb, sizeof(*iph));
	return skb;
}

/* Each segment: its sequence number, flags, payload and a checksum that holds. */
static void xtcp_gso_expect_segments(struct kunit *test, struct sk_buff *segs,
				     bool partial)
{
	static const unsigned int lens[] = { 100, 100, 100, 50 };
	struct sk_buff *seg;
	unsigned int n = 0, start = 0;

	for (seg = segs; seg; seg = seg->next, n++) {
		unsigned int off = skb_transport_offset(seg), len = seg->len - off;
		const struct tcphdr *th = tcp_hdr(seg);
		bool last = !seg->next;
		__wsum sum;

		KUNIT_ASSERT_LT(test, n, ARRAY_SIZE(lens));
		KUNIT_EXPECT_EQ(test, ntohl(th->seq), 0xfffffff0U + start);
		KUNIT_EXPECT_EQ(test, (int)th->doff * 4, 32);
		KUNIT_EXPECT_EQ(test, (int)th->cwr, n == 0 ? 1 : 0);
		KUNIT_EXPECT_EQ(test, (int)th->fin, last ? 1 : 0);
		KUNIT_EXPECT_EQ(test, (int)th->psh, last ? 1 : 0);
		KUNIT_EXPECT_EQ(test, (int)th->ack, 1);
		KUNIT_EXPECT_EQ(test, ntohl(th->ack_seq), 77U);
		xtcp_gso_expect_stream(test, seg, off + 32, start, lens[n]);
		KUNIT_EXPECT_EQ(test, (int)seg->ip_summed,
				partial ? CHECKSUM_PARTIAL : CHECKSUM_NONE);
		if (partial) {
			/* The device completes it: the pseudo-header's sum, where TCP's goes. */
			KUNIT_EXPECT_EQ(test, skb_checksum_start_offset(seg), (int)off);
			KUNIT_EXPECT_EQ(test, seg->csum_offset, offsetof(struct tcphdr, check));
			KUNIT_EXPECT_EQ(test, (__force u16)th->check,
					(__force u16)~csum_tcpudp_magic(XTCP_GSO_SADDR,
									XTCP_GSO_DADDR, len,
									IPPROTO_TCP, 0));
			KUNIT_EXPECT_EQ(test, skb_checksum_help(seg), 0);
		}
		sum = skb_checksum(seg, off, len, 0);
		KUNIT_EXPECT_EQ(test, (__force u16)csum_tcpudp_magic(XTCP_GSO_SADDR,
								     XTCP_GSO_DADDR, len,
								     IPPROTO_TCP, sum), 0);
		start += lens[n];
	}
	KUNIT_EXPECT_EQ(test, n, ARRAY_SIZE(lens));
}

/* A device without protocol-blind checksumming: every sum done in software. */
static void xtcp_gso__segment_software_sum(struct kunit *test)
{
	struct sk_buff *skb = xtcp_gso_packet(test, XTCPHDR_ACK | XTCPHDR_PSH | XTCPHDR_FIN |
						    XTCPHDR_CWR);
	struct sk_buff *segs;

	/* IP_CSUM would sum TCP and UDP only: not enough for protocol 253. */
	segs = xtcp_gso_segment(skb, NETIF_F_SG | NETIF_F_IP_CSUM);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, segs);
	xtcp_gso_expect_segments(test, segs, false);
	kfree_skb_list(segs);
	kfree_skb(skb);
}

/* A device that sums any protocol: each segment left CHECKSUM_PARTIAL. */
static void xtcp_gso__segment_device_sum(struct kunit *test)
{
	struct sk_buff *skb = xtcp_gso_packet(test, XTCPHDR_ACK | XTCPHDR_PSH | XTCPHDR_FIN |
						    XTCPHDR_CWR);
	struct sk_buff *segs;

	segs = xtcp_gso_segment(skb, NETIF_F_SG | NETIF_F_HW_CSUM);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, segs);
	xtcp_gso_expect_segments(test, segs, true);
	kfree_skb_list(segs);
	kfree_skb(skb);
}

/* Not a packet to cut: refused, and left as it was. */
static void xtcp_gso__segment_refuses(struct kunit *test)
{
	struct sk_buff *skb = xtcp_gso_packet(test, XTCPHDR_ACK);
	unsigned int len = skb->len;

	skb_shinfo(skb)->gso_type = SKB_GSO_UDP_L4;
	KUNIT_EXPECT_TRUE(test, IS_ERR(xtcp_gso_segment(skb, NETIF_F_SG)));
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	skb_shinfo(skb)->gso_size = 0;
	KUNIT_EXPECT_TRUE(test, IS_ERR(xtcp_gso_segment(skb, NETIF_F_SG)));
	/* One segment's worth is nothing to cut. */
	skb_shinfo(skb)->gso_size = 350;
	KUNIT_EXPECT_TRUE(test, IS_ERR(xtcp_gso_segment(skb, NETIF_F_SG)));
	/* A data offset below the header's size. */
	skb_shinfo(skb)->gso_size = 100;
	tcp_hdr(skb)->doff = 4;
	KUNIT_EXPECT_TRUE(test, IS_ERR(xtcp_gso_segment(skb, NETIF_F_SG)));
	KUNIT_EXPECT_EQ(test, skb->len, len);
	kfree_skb(skb);
}

static struct kunit_case xtcp_offload_cases[] = {
	KUNIT_CASE(xtcp_gso__goal),
	KUNIT_CASE(xtcp_gso__flow_rate),
	KUNIT_CASE(xtcp_tsq__limit),
	KUNIT_CASE(xtcp_gso__rcv_segs),
	KUNIT_CASE(xtcp_gso__set),
	KUNIT_CASE(xtcp_gso__trim_head),
	KUNIT_CASE(xtcp_gso__trim_head_cloned),
	KUNIT_CASE(xtcp_gso__segment_software_sum),
	KUNIT_CASE(xtcp_gso__segment_device_sum),
	KUNIT_CASE(xtcp_gso__segment_refuses),
	{}
};

static struct kunit_suite xtcp_offload_suite = {
	.name = "xtcp_offload",
	.test_cases = xtcp_offload_cases,
};

kunit_test_suites(&xtcp_offload_suite);
