// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_synflood.c - a SYN flooder for testing listeners in a throw-away network
 * namespace: spoofed TCP SYNs through a raw socket (IP_HDRINCL).
 *
 * usage: xtcp_synflood --dst A.B.C.D:PORT --src A.B.C.D/NN --rate N --duration SECONDS
 *                      [--sport LO-HI] [--count N] [--quiet]
 *
 * Each SYN has a source address drawn uniformly from the --src range (its network
 * and broadcast addresses left out, except for /31 and /32), a source port from
 * --sport (default 1024-65535), a random ISN and IP id, and an MSS option of 1460;
 * the IP and TCP checksums are computed here. SYNs go out in small batches (one
 * sendmmsg() each, about one a millisecond) paced with clock_nanosleep() on
 * CLOCK_MONOTONIC so that the average holds --rate (1..200000 per second) for
 * --duration seconds (1..600), or until --count SYNs were sent, or until
 * SIGINT/SIGTERM. Failed sends are counted apart (on stderr). It then prints one
 * line and exits 0 (1 if every send failed):
 *
 *   sent N SYNs to ADDR:PORT from RANGE ports LO-HI in T.TTT s (R/s)
 *
 * --quiet leaves out the line announcing the start (the last line is always printed).
 *
 * It refuses to run (exit 2) unless
 *   - it runs in a network namespace other than the initial one (that of PID 1),
 *   - the destination is on-link through a veth interface: the interface holding the
 *     source address the kernel picks for the destination is driven by "veth", and
 *     the destination lies inside that interface's prefix (and is not one of its
 *     addresses); the raw socket is then bound to that interface,
 *   - the source range stays clear of 0.0.0.0/8, 127.0.0.0/8 and 224.0.0.0/4.
 * Bad arguments print the usage and exit 2; other errors exit 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <limits.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define PROG		"xtcp_synflood"
#define MAX_RATE	200000
#define MAX_DURATION	600
#define MAX_BATCH	64
#define SYN_MSS		1460
#define SYN_WINDOW	64240
#define NSEC_PER_SEC	1000000000LL

/* One SYN on the wire: IP header, TCP header, the MSS option. */
struct syn_packet {
	struct iphdr ip;
	struct tcphdr tcp;
	unsigned char opt[4];
};

struct config {
	struct sockaddr_in dst;
	unsigned int src_net;		/* host order, host bits clear */
	unsigned int src_prefix;
	unsigned int src_lo, src_hi;	/* host order, the addresses drawn from */
	unsigned int sport_lo, sport_hi;
	unsigned int rate;
	unsigned int duration;
	unsigned long long count;	/* 0: no limit */
	int quiet;
	char ifname[IF_NAMESIZE];	/* the veth the destination is reached through */
};

static int stop;

static void on_signal(int sig)
{
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " --dst A.B.C.D:PORT --src A.B.C.D/NN --rate N --duration SECONDS\n"
		"                     [--sport LO-HI] [--count N] [--quiet]\n"
		"  --dst       the listener to flood; must be on-link through a veth\n"
		"  --src       spoofed source range (not 0/8, 127/8 or multicast)\n"
		"  --sport     source port range (default 1024-65535)\n"
		"  --rate      SYNs per second, 1..%d\n"
		"  --duration  seconds, 1..%d\n"
		"  --count     stop after N SYNs\n"
		"  --quiet     do not announce the start\n"
		"Runs only in a network namespace other than the initial one.\n",
		MAX_RATE, MAX_DURATION);
}

static void bad_args(const char *fmt, const char *arg)
{
	fprintf(stderr, PROG ": ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	print_usage(stderr);
	exit(2);
}

static void refuse(const char *why, const char *detail)
{
	fprintf(stderr, PROG ": refusing to flood: %s%s%s\n", why, detail ? ": " : "",
		detail ? detail : "");
	exit(2);
}

static void die(const char *what, int err)
{
	fprintf(stderr, PROG ": %s: %s\n", what, strerror(err));
	exit(1);
}

/* A decimal number in [lo, hi], the whole string; -1 if it is not one. */
static int parse_num(const char *s, unsigned long long lo, unsigned long long hi,
		     unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static void parse_dst(const char *arg, struct sockaddr_in *dst)
{
	char buf[64], *colon;
	unsigned long long port;

	if (strlen(arg) >= sizeof(buf))
		bad_args("--dst %s: expected A.B.C.D:PORT", arg);
	strcpy(buf, arg);
	colon = strrchr(buf, ':');
	if (!colon)
		bad_args("--dst %s: expected A.B.C.D:PORT", arg);
	*colon = '\0';
	memset(dst, 0, sizeof(*dst));
	dst->sin_family = AF_INET;
	if (inet_pton(AF_INET, buf, &dst->sin_addr) != 1 ||
	    parse_num(colon + 1, 1, 65535, &port))
		bad_args("--dst %s: expected A.B.C.D:PORT (port 1..65535)", arg);
	dst->sin_port = htons((unsigned short)port);
}

static unsigned int prefix_mask(unsigned int prefix)
{
	return prefix ? ~0U << (32 - prefix) : 0;
}

static void parse_src(const char *arg, struct config *cfg)
{
	char buf[64], *slash;
	unsigned long long prefix;
	struct in_addr a;
	unsigned int mask, bcast;

	if (strlen(arg) >= sizeof(buf))
		bad_args("--src %s: expected A.B.C.D/NN", arg);
	strcpy(buf, arg);
	slash = strchr(buf, '/');
	if (!slash)
		bad_args("--src %s: expected A.B.C.D/NN", arg);
	*slash = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1 || parse_num(slash + 1, 0, 32, &prefix))
		bad_args("--src %s: expected A.B.C.D/NN (NN 0..32)", arg);
	mask = prefix_mask((unsigned int)prefix);
	cfg->src_prefix = (unsigned int)prefix;
	cfg->src_net = ntohl(a.s_addr) & mask;
	bcast = cfg->src_net | ~mask;
	if (prefix >= 31) {
		cfg->src_lo = cfg->src_net;
		cfg->src_hi = bcast;
	} else {
		cfg->src_lo = cfg->src_net + 1;
		cfg->src_hi = bcast - 1;
	}
}

static void parse_sport(const char *arg, struct config *cfg)
{
	char buf[32], *dash;
	unsigned long long lo, hi;

	if (strlen(arg) >= sizeof(buf))
		bad_args("--sport %s: expected LO-HI", arg);
	strcpy(buf, arg);
	dash = strchr(buf, '-');
	if (!dash)
		bad_args("--sport %s: expected LO-HI", arg);
	*dash = '\0';
	if (parse_num(buf, 1, 65535, &lo) || parse_num(dash + 1, 1, 65535, &hi) || lo > hi)
		bad_args("--sport %s: expected LO-HI with 1 <= LO <= HI <= 65535", arg);
	cfg->sport_lo = (unsigned int)lo;
	cfg->sport_hi = (unsigned int)hi;
}

static void parse_args(int argc, char **argv, struct config *cfg)
{
	static const struct option opts[] = {
		{ "dst", required_argument, NULL, 'd' },
		{ "src", required_argument, NULL, 's' },
		{ "sport", required_argument, NULL, 'p' },
		{ "rate", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int have_dst = 0, have_src = 0, opt;
	unsigned long long v;

	memset(cfg, 0, sizeof(*cfg));
	cfg->sport_lo = 1024;
	cfg->sport_hi = 65535;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			parse_dst(optarg, &cfg->dst);
			have_dst = 1;
			break;
		case 's':
			parse_src(optarg, cfg);
			have_src = 1;
			break;
		case 'p':
			parse_sport(optarg, cfg);
			break;
		case 'r':
			if (parse_num(optarg, 1, MAX_RATE, &v))
				bad_args("--rate %s: expected 1..200000", optarg);
			cfg->rate = (unsigned int)v;
			break;
		case 't':
			if (parse_num(optarg, 1, MAX_DURATION, &v))
				bad_args("--duration %s: expected 1..600 seconds", optarg);
			cfg->duration = (unsigned int)v;
			break;
		case 'c':
			if (parse_num(optarg, 1, ULLONG_MAX, &v))
				bad_args("--count %s: expected a positive number", optarg);
			cfg->count = v;
			break;
		case 'q':
			cfg->quiet = 1;
			break;
		case 'h':
			print_usage(stdout);
			exit(0);
		default:
			print_usage(stderr);
			exit(2);
		}
	}
	if (optind < argc)
		bad_args("unexpected argument %s", argv[optind]);
	if (!have_dst)
		bad_args("%s", "--dst is required");
	if (!have_src)
		bad_args("%s", "--src is required");
	if (!cfg->rate)
		bad_args("%s", "--rate is required");
	if (!cfg->duration)
		bad_args("%s", "--duration is required");
}

/* Whether [lo, hi] (host order) meets the block net/prefix. */
static int range_meets(unsigned int lo, unsigned int hi, unsigned int net, unsigned int prefix)
{
	unsigned int blo = net, bhi = net | ~prefix_mask(prefix);

	return lo <= bhi && blo <= hi;
}

static void check_src(const struct config *cfg)
{
	if (range_meets(cfg->src_lo, cfg->src_hi, 0x00000000, 8))
		refuse("the source range overlaps 0.0.0.0/8", NULL);
	if (range_meets(cfg->src_lo, cfg->src_hi, 0x7f000000, 8))
		refuse("the source range overlaps 127.0.0.0/8 (loopback)", NULL);
	if (range_meets(cfg->src_lo, cfg->src_hi, 0xe0000000, 4))
		refuse("the source range overlaps 224.0.0.0/4 (multicast)", NULL);
}

/* Refuse in the initial network namespace (PID 1's). */
static void check_netns(void)
{
	struct stat self, init;

	if (stat("/proc/self/ns/net", &self))
		refuse("cannot tell which network namespace this is",
		       "stat /proc/self/ns/net failed");
	if (stat("/proc/1/ns/net", &init))
		refuse("cannot tell which network namespace this is",
		       "stat /proc/1/ns/net failed (not root?)");
	if (self.st_dev == init.st_dev && self.st_ino == init.st_ino)
		refuse("this is the initial network namespace",
		       "run it in a test namespace (ip netns exec NS ...)");
}

/* The driver of interface @ifname into @drv; 0, or -1 with errno. */
static int if_driver(const char *ifname, char *drv, size_t size)
{
	struct ethtool_drvinfo info;
	struct ifreq ifr;
	int fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&info, 0, sizeof(info));
	memset(&ifr, 0, sizeof(ifr));
	info.cmd = ETHTOOL_GDRVINFO;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (char *)&info;
	ret = ioctl(fd, SIOCETHTOOL, &ifr);
	close(fd);
	if (ret)
		return -1;
	snprintf(drv, size, "%.*s", (int)sizeof(info.driver), info.driver);
	return 0;
}

/*
 * Refuse unless the destination is on-link through a veth: the interface holding
 * the source address the kernel picks toward it must be a veth whose prefix holds
 * the destination. Sets cfg->ifname.
 */
static void check_route(struct config *cfg)
{
	struct sockaddr_in local;
	socklen_t len = sizeof(local);
	struct ifaddrs *ifas, *ifa, *found = NULL;
	unsigned int dst, addr, mask;
	char abuf[INET_ADDRSTRLEN], drv[64], msg[160];
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket(AF_INET, SOCK_DGRAM)", errno);
	if (connect(fd, (struct sockaddr *)&cfg->dst, sizeof(cfg->dst)))
		refuse("no route to the destination", strerror(errno));
	if (getsockname(fd, (struct sockaddr *)&local, &len))
		die("getsockname", errno);
	close(fd);

	if (getifaddrs(&ifas))
		die("getifaddrs", errno);
	for (ifa = ifas; ifa; ifa = ifa->ifa_next) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ifa->ifa_addr;

		if (!sin || sin->sin_family != AF_INET)
			continue;
		if (sin->sin_addr.s_addr == cfg->dst.sin_addr.s_addr) {
			inet_ntop(AF_INET, &sin->sin_addr, abuf, sizeof(abuf));
			snprintf(msg, sizeof(msg), "%s is on %s", abuf, ifa->ifa_name);
			refuse("the destination is an address of this namespace", msg);
		}
		if (sin->sin_addr.s_addr == local.sin_addr.s_addr && !found)
			found = ifa;
	}
	inet_ntop(AF_INET, &local.sin_addr, abuf, sizeof(abuf));
	if (!found || !found->ifa_netmask) {
		freeifaddrs(ifas);
		refuse("no interface holds the route's source address", abuf);
	}
	mask = ntohl(((const struct sockaddr_in *)found->ifa_netmask)->sin_addr.s_addr);
	addr = ntohl(local.sin_addr.s_addr);
	dst = ntohl(cfg->dst.sin_addr.s_addr);
	snprintf(cfg->ifname, sizeof(cfg->ifname), "%s", found->ifa_name);
	freeifaddrs(ifas);
	if ((dst & mask) != (addr & mask)) {
		snprintf(msg, sizeof(msg),
			 "it is reached through %s (%s) but lies outside its prefix",
			 cfg->ifname, abuf);
		refuse("the destination is not on-link", msg);
	}
	if (if_driver(cfg->ifname, drv, sizeof(drv))) {
		snprintf(msg, sizeof(msg), "%s: %s", cfg->ifname, strerror(errno));
		refuse("cannot read the output interface's driver (ETHTOOL_GDRVINFO)", msg);
	}
	if (strcmp(drv, "veth")) {
		snprintf(msg, sizeof(msg), "%s is driven by \"%s\"", cfg->ifname, drv);
		refuse("the destination is not reached through a veth", msg);
	}
}

/* xorshift64*, seeded from getrandom(). */
static unsigned long long rng_state;

static void rng_seed(void)
{
	if (getrandom(&rng_state, sizeof(rng_state), 0) != sizeof(rng_state))
		rng_state = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
	if (!rng_state)
		rng_state = 0x9e3779b97f4a7c15ULL;
}

static unsigned long long rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [lo, hi]; the bias of the modulo is below 2^-32. */
static unsigned int rng_range(unsigned int lo, unsigned int hi)
{
	unsigned long long span = (unsigned long long)hi - lo + 1;

	return lo + (unsigned int)(rng_next() % span);
}

/* The one's complement sum of @len bytes (even) added to @sum. */
static unsigned int csum_add(unsigned int sum, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (unsigned int)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (unsigned int)p[len - 1] << 8;
	return sum;
}

/* Folded and complemented, in network order. */
static unsigned short csum_fold(unsigned int sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((unsigned short)~sum);
}

static void build_syn(struct syn_packet *pkt, const struct config *cfg)
{
	struct {
		unsigned int saddr, daddr;
		unsigned char zero, proto;
		unsigned short len;
	} pseudo;
	unsigned int sum;

	memset(pkt, 0, sizeof(*pkt));
	pkt->ip.version = 4;
	pkt->ip.ihl = sizeof(pkt->ip) / 4;
	pkt->ip.tot_len = htons(sizeof(*pkt));
	pkt->ip.id = htons((unsigned short)rng_next());
	pkt->ip.frag_off = htons(IP_DF);
	pkt->ip.ttl = 64;
	pkt->ip.protocol = IPPROTO_TCP;
	pkt->ip.saddr = htonl(rng_range(cfg->src_lo, cfg->src_hi));
	pkt->ip.daddr = cfg->dst.sin_addr.s_addr;
	pkt->ip.check = csum_fold(csum_add(0, &pkt->ip, sizeof(pkt->ip)));

	pkt->tcp.source = htons((unsigned short)rng_range(cfg->sport_lo, cfg->sport_hi));
	pkt->tcp.dest = cfg->dst.sin_port;
	pkt->tcp.seq = htonl((unsigned int)rng_next());
	pkt->tcp.doff = (sizeof(pkt->tcp) + sizeof(pkt->opt)) / 4;
	pkt->tcp.syn = 1;
	pkt->tcp.window = htons(SYN_WINDOW);
	pkt->opt[0] = TCPOPT_MAXSEG;
	pkt->opt[1] = TCPOLEN_MAXSEG;
	pkt->opt[2] = SYN_MSS >> 8;
	pkt->opt[3] = SYN_MSS & 0xff;

	pseudo.saddr = pkt->ip.saddr;
	pseudo.daddr = pkt->ip.daddr;
	pseudo.zero = 0;
	pseudo.proto = IPPROTO_TCP;
	pseudo.len = htons(sizeof(pkt->tcp) + sizeof(pkt->opt));
	sum = csum_add(0, &pseudo, 12);
	sum = csum_add(sum, &pkt->tcp, sizeof(pkt->tcp) + sizeof(pkt->opt));
	pkt->tcp.check = csum_fold(sum);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static void sleep_until(long long ns)
{
	struct timespec ts = {
		.tv_sec = ns / NSEC_PER_SEC,
		.tv_nsec = ns % NSEC_PER_SEC,
	};

	/* EINTR ends the nap early; the caller looks at the stop flag. */
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

static int open_raw(const struct config *cfg)
{
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		die("socket(AF_INET, SOCK_RAW, IPPROTO_RAW) (needs CAP_NET_RAW)", errno);
	/* IPPROTO_RAW implies it; said anyway. */
	if (setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)))
		die("setsockopt(IP_HDRINCL)", errno);
	/* Only ever out of the veth that was checked. */
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, cfg->ifname, strlen(cfg->ifname) + 1))
		die("setsockopt(SO_BINDTODEVICE)", errno);
	return fd;
}

/*
 * Send @n SYNs in one sendmmsg() call, going on past a failed one; adds to
 * *sent and *errors, keeps the last error in *last_err.
 */
static void send_batch(int fd, const struct config *cfg, unsigned int n,
		       unsigned long long *sent, unsigned long long *errors, int *last_err)
{
	static struct syn_packet pkts[MAX_BATCH];
	static struct mmsghdr msgs[MAX_BATCH];
	static struct iovec iovs[MAX_BATCH];
	unsigned int i, done = 0;
	int ret;

	for (i = 0; i < n; i++) {
		build_syn(&pkts[i], cfg);
		iovs[i].iov_base = &pkts[i];
		iovs[i].iov_len = sizeof(pkts[i]);
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_name = (void *)&cfg->dst;
		msgs[i].msg_hdr.msg_namelen = sizeof(cfg->dst);
		msgs[i].msg_hdr.msg_iov = &iovs[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (done < n) {
		ret = sendmmsg(fd, msgs + done, n - done, 0);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			/* The first of the rest failed: count it, go on after it. */
			*last_err = errno;
			(*errors)++;
			done++;
			continue;
		}
		*sent += ret;
		done += ret;
	}
}

int main(int argc, char **argv)
{
	unsigned long long sent = 0, tried = 0, errors = 0, limit;
	long long start, end, elapsed, next;
	char dst[INET_ADDRSTRLEN], src[INET_ADDRSTRLEN];
	unsigned int batch, n;
	struct sigaction sa;
	struct in_addr net;
	struct config cfg;
	int fd, last_err = 0;
	double secs;

	parse_args(argc, argv, &cfg);
	check_src(&cfg);
	check_netns();
	check_route(&cfg);
	fd = open_raw(&cfg);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	inet_ntop(AF_INET, &cfg.dst.sin_addr, dst, sizeof(dst));
	net.s_addr = htonl(cfg.src_net);
	inet_ntop(AF_INET, &net, src, sizeof(src));
	if (!cfg.quiet) {
		fprintf(stderr, PROG ": flooding %s:%u through %s at %u SYN/s for %u s\n",
			dst, ntohs(cfg.dst.sin_port), cfg.ifname, cfg.rate, cfg.duration);
	}

	rng_seed();
	/* About one batch per millisecond, at most MAX_BATCH SYNs each. */
	batch = cfg.rate / 1000;
	if (batch < 1)
		batch = 1;
	if (batch > MAX_BATCH)
		batch = MAX_BATCH;
	limit = cfg.count ? cfg.count : ULLONG_MAX;

	start = now_ns();
	end = start + (long long)cfg.duration * NSEC_PER_SEC;
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED) && sent < limit) {
		n = batch;
		if (limit - sent < n)
			n = (unsigned int)(limit - sent);
		send_batch(fd, &cfg, n, &sent, &errors, &last_err);
		tried += n;
		/* SYN number 'tried' is due at start + tried / rate. */
		next = start + (long long)(tried * NSEC_PER_SEC / cfg.rate);
		if (next >= end || now_ns() >= end)
			break;
		sleep_until(next);
		if (now_ns() >= end)
			break;
	}
	elapsed = now_ns() - start;
	close(fd);

	secs = (double)elapsed / NSEC_PER_SEC;
	if (errors)
		fprintf(stderr, PROG ": %llu sends failed (the last: %s)\n", errors,
			strerror(last_err));
	printf("sent %llu SYNs to %s:%u from %s/%u ports %u-%u in %.3f s (%.0f/s)\n", sent, dst,
	       ntohs(cfg.dst.sin_port), src, cfg.src_prefix, cfg.sport_lo, cfg.sport_hi, secs,
	       secs > 0 ? sent / secs : 0.0);
	fflush(stdout);
	return sent || !errors ? 0 : 1;
}
