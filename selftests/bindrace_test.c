// SPDX-License-Identifier: GPL-2.0
/*
 * bindrace_test.c - a port's last owner leaving from softirq while a task binds
 * the port again, with the kernel's TCP as the referee.
 *
 * A listener with SO_REUSEADDR accepts a connection, closes it (the child is an
 * orphan in FIN_WAIT, the port's last owner once the listener is closed too),
 * and is closed. Then two threads at once: one resets the connection from the
 * client's side (SO_LINGER {1, 0}: the RST makes the orphan give up the port in
 * softirq), the other binds a new listener to the same port with SO_REUSEADDR
 * and listens. Every round, the new listener must get the port and take a
 * connection; on the debug kernel KASAN watches the port's bookkeeping freed
 * under the binding task's feet.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "xtcp_common.h"

#define SA(sin)		((struct sockaddr *)(sin))
#define ROUNDS		200

struct race {
	pthread_barrier_t go;
	int fam;
	int rst_fd;			/* closed with RST by the resetter */
	struct sockaddr_in addr;	/* the port */
	int new_lfd;			/* the new listener, or -1 */
	int bind_err;			/* errno of its bind() or listen(), or 0 */
};

static int reuse_listener(int fam, struct sockaddr_in *addr, int *err)
{
	int fd = socket(fam, SOCK_STREAM, 0), one = 1;

	*err = 0;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, SA(addr), sizeof(*addr)) || listen(fd, 4)) {
		*err = errno;
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void *resetter(void *arg)
{
	struct race *r = arg;
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(r->rst_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	pthread_barrier_wait(&r->go);
	close(r->rst_fd);
	return NULL;
}

static void *rebinder(void *arg)
{
	struct race *r = arg;

	pthread_barrier_wait(&r->go);
	r->new_lfd = reuse_listener(r->fam, &r->addr, &r->bind_err);
	return NULL;
}

FIXTURE(bindrace) {
	int fam;
};

FIXTURE_VARIANT(bindrace) {
	bool xtcp;
};

FIXTURE_VARIANT_ADD(bindrace, tcp) {
	.xtcp = false,
};

FIXTURE_VARIANT_ADD(bindrace, xtcp) {
	.xtcp = true,
};

FIXTURE_SETUP(bindrace)
{
	if (variant->xtcp && access("/sys/module/xtcp", F_OK))
		SKIP(_metadata->passed = 0; return, "xtcp module not loaded");
	self->fam = variant->xtcp ? xtcp_family() : AF_INET;
}

FIXTURE_TEARDOWN(bindrace)
{
}

TEST_F_TIMEOUT(bindrace, relisten_while_orphan_reset, 300)
{
	struct race r = { .fam = self->fam };
	socklen_t len = sizeof(r.addr);
	pthread_t t1, t2;
	int i, lfd, cli, child, c2, err;
	char b;

	r.addr.sin_family = AF_INET;
	r.addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = reuse_listener(self->fam, &r.addr, &err);
	ASSERT_LE(0, lfd) TH_LOG("first listener: %s", strerror(err));
	ASSERT_EQ(0, getsockname(lfd, SA(&r.addr), &len));
	for (i = 0; i < ROUNDS; i++) {
		cli = socket(self->fam, SOCK_STREAM, 0);
		ASSERT_LE(0, cli);
		ASSERT_EQ(0, connect(cli, SA(&r.addr), sizeof(r.addr)));
		child = accept(lfd, NULL, NULL);
		ASSERT_LE(0, child);
		/* The child is orphaned in FIN_WAIT, the listener goes: one owner left. */
		close(child);
		ASSERT_EQ(0, recv(cli, &b, 1, 0));
		close(lfd);

		r.rst_fd = cli;
		r.new_lfd = -1;
		ASSERT_EQ(0, pthread_barrier_init(&r.go, NULL, 2));
		ASSERT_EQ(0, pthread_create(&t1, NULL, resetter, &r));
		ASSERT_EQ(0, pthread_create(&t2, NULL, rebinder, &r));
		pthread_join(t1, NULL);
		pthread_join(t2, NULL);
		pthread_barrier_destroy(&r.go);
		ASSERT_LE(0, r.new_lfd)
			TH_LOG("round %d: the restarted listener: %s", i, strerror(r.bind_err));
		lfd = r.new_lfd;
		/* It works: it takes a connection. */
		c2 = socket(self->fam, SOCK_STREAM, 0);
		ASSERT_LE(0, c2);
		ASSERT_EQ(0, connect(c2, SA(&r.addr), sizeof(r.addr)));
		child = accept(lfd, NULL, NULL);
		ASSERT_LE(0, child);
		close(c2);
		close(child);
	}
	close(lfd);
}

TEST_HARNESS_MAIN
