// SPDX-License-Identifier: GPL-2.0-only
/*
 * omx_debugtest: one deliberate bug per detector of the testbed's debug
 * kernel (tests/vm/debug-kernel), committed once when the module is
 * loaded with bug=NAME, so that the harness's self-tests
 * (tests/debug/detectors.sh, tests/debug/kmemleak.sh) prove each detector
 * reports it and the harness fails the run for it:
 *
 *   lockdep   two mutexes taken in both orders (a circular dependency)
 *   sleep     a GFP_KERNEL allocation under a spinlock
 *   ubsan     a 32-bit shift by 40
 *   kasan     a write one byte past a 24-byte kmalloc
 *   leak      a 200-byte kmalloc whose pointer is dropped
 *
 * Built against the debug kernel's tree by tests/check-debug; never
 * loaded anywhere else.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *bug = "";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "lockdep, sleep, ubsan, kasan or leak");

/* Parameters, not constants: the compiler must not see the bugs. */
static int shift = 40;
module_param(shift, int, 0444);
static int past = 24;
module_param(past, int, 0444);

static DEFINE_MUTEX(debugtest_a);
static DEFINE_MUTEX(debugtest_b);
static DEFINE_SPINLOCK(debugtest_lock);

static void debugtest_lockdep(void)
{
	mutex_lock(&debugtest_a);
	mutex_lock(&debugtest_b);
	mutex_unlock(&debugtest_b);
	mutex_unlock(&debugtest_a);
	/* the other order: lockdep sees the cycle without a deadlock */
	mutex_lock(&debugtest_b);
	mutex_lock(&debugtest_a);
	mutex_unlock(&debugtest_a);
	mutex_unlock(&debugtest_b);
}

static void debugtest_sleep(void)
{
	void *p;

	spin_lock(&debugtest_lock);
	p = kmalloc(32, GFP_KERNEL);
	spin_unlock(&debugtest_lock);
	kfree(p);
}

static void debugtest_ubsan(void)
{
	u32 one = 1;

	pr_info("omx_debugtest: 1 << %d is %u\n", shift, one << shift);
}

static void debugtest_kasan(void)
{
	char *p = kmalloc(24, GFP_KERNEL);

	if (!p)
		return;
	OPTIMIZER_HIDE_VAR(p);
	p[past] = 'x';
	kfree(p);
}

/* not inlined into the init code, which is freed: kmemleak's backtrace
 * then names this function and the module
 */
static noinline void debugtest_leak(void)
{
	char *p = kmalloc(200, GFP_KERNEL);

	pr_info("omx_debugtest: %s\n", p ? "200 bytes leaked" : "no memory");
}

static int __init debugtest_init(void)
{
	if (!strcmp(bug, "lockdep"))
		debugtest_lockdep();
	else if (!strcmp(bug, "sleep"))
		debugtest_sleep();
	else if (!strcmp(bug, "ubsan"))
		debugtest_ubsan();
	else if (!strcmp(bug, "kasan"))
		debugtest_kasan();
	else if (!strcmp(bug, "leak"))
		debugtest_leak();
	else
		return -EINVAL;
	return 0;
}

static void __exit debugtest_exit(void)
{
}

module_init(debugtest_init);
module_exit(debugtest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Deliberate bugs for the omx testbed's debug kernel");
