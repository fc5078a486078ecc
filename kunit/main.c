// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - the KUnit module of XTCP: one suite per *_test.c file, loaded after
 * xtcp.ko, whose internals it reaches through the XTCP_KUNIT symbol namespace.
 */
#include <linux/module.h>

#include "compat.h"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of XTCP");
MODULE_IMPORT_NS(XTCP_KUNIT_NS);
