/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Included before tests/hostile/hostile.c (-include) to run the hostile
 * suite through the JIT unchanged: its every fc_vm_run() becomes
 * jit_hostile_run(), which compiles the verified VM first (hostile_shim.c).
 */
#define fc_vm_run jit_hostile_run
