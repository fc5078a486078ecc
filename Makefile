# SPDX-License-Identifier: GPL-2.0
#
# XTCP: build, check, demo. `make` builds module/xtcp.ko against $(KDIR); `make check`
# runs everything (see README). C=1 and W=1 pass through to kbuild.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KDIR ?= $(shell bash -c '. $(TOP)/tools/lib.sh && xtcp_kdir' 2>/dev/null)

.PHONY: all modules install deps debug-kernel debug-modules selftests kunit lint sparse \
	check demo synbench xferbench rrbench fairbench stress vm clean help

all: modules

help:
	@echo "make                 build module/xtcp.ko against KDIR ($(KDIR))"
	@echo "make install         install xtcp.ko into KDIR's module tree (socket() autoloads it)"
	@echo "make check           build everything, run KUnit (debug kernel) and the"
	@echo "                     selftests (stock and debug kernels); ends 'N passed, N failed'"
	@echo "make demo            boot the VM, load XTCP and show it working; draws a"
	@echo "                     transfer under loss (.build/demo/transfer.png)"
	@echo "make synbench        SYN flood benchmark: XTCP and kernel TCP listeners, with"
	@echo "                     and without a flood (connect latency, SYN-ACKs per second)"
	@echo "make xferbench       bulk transfer benchmark: XTCP and kernel TCP pairings in one"
	@echo "                     guest, median times and the ratio to TCP (XFERBENCH_*;"
	@echo "                     XFERBENCH_LOOPBACK=1: one namespace's loopback)"
	@echo "make fairbench       two flows through one shaped bottleneck (20 Mbit/s, 20 ms):"
	@echo "                     XTCP's CUBIC and NewReno against kernel TCP's CUBIC and"
	@echo "                     each other, as throughput ratios (FAIRBENCH_*)"
	@echo "make rrbench         1-byte request/response rate, XTCP and kernel TCP, on"
	@echo "                     loopback and veth, and the ratio to TCP (RRBENCH_*)"
	@echo "make stress          exit_race.sh with its namespace rounds in the VM"
	@echo "                     (KERNEL=stock|debug, ROUNDS=20)"
	@echo "make deps            install the Debian packages XTCP needs (root)"
	@echo "make debug-kernel    build (once, cached) the KASAN/lockdep/kmemleak/KUnit kernel"
	@echo "make debug-modules   build xtcp.ko and the KUnit module for the debug kernel"
	@echo "make selftests       build and stage the kselftests in .build/kselftest"
	@echo "make kunit           run the KUnit suites on the debug kernel"
	@echo "make lint            checkpatch.pl --strict on the project's C"
	@echo "make sparse          the module built with sparse (C=2)"
	@echo "make vm CMD='...'    run one command in the VM (KERNEL=stock|debug)"

deps:
	@$(TOP)/tools/xtcp-deps

modules: deps
	$(MAKE) -C $(KDIR) M=$(TOP) modules

install: modules
	$(MAKE) -C $(KDIR) M=$(TOP) modules_install

debug-kernel: deps
	@$(TOP)/tools/xtcp-debug-kernel >/dev/null

debug-modules: debug-kernel
	@$(TOP)/tools/xtcp-build debug

selftests: deps
	@$(TOP)/tools/xtcp-build selftests

kunit: debug-modules
	@$(TOP)/tools/xtcp-check --only kunit

lint: deps
	@$(TOP)/tools/xtcp-lint

sparse: deps
	$(MAKE) -C $(KDIR) M=$(TOP) C=2 modules

check: deps
	@$(TOP)/tools/xtcp-check

demo: deps
	@$(TOP)/tools/xtcp-demo

synbench: deps
	@$(TOP)/tools/xtcp-synbench

xferbench: deps
	@$(TOP)/tools/xtcp-xferbench

rrbench: deps
	@$(TOP)/tools/xtcp-rrbench

fairbench: deps
	@$(TOP)/tools/xtcp-fairbench

# The exit races (selftests/exit_race.sh, with its namespace rounds), in the VM.
stress: deps
	@$(TOP)/tools/xtcp-build $(or $(KERNEL),stock) && $(TOP)/tools/xtcp-build selftests
	@$(TOP)/tools/xtcp-vm --kernel $(or $(KERNEL),stock) --name stress --timeout 1800 -- \
		env XTCP_EXIT_RACE=1 XTCP_EXIT_NETNS=1 XTCP_EXIT_ROUNDS=$(or $(ROUNDS),20) \
		.build/kselftest/xtcp/exit_race.sh

vm: deps
	@$(TOP)/tools/xtcp-vm --kernel $(or $(KERNEL),stock) -- $(CMD)

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	rm -rf $(TOP)/.build
