/* SPDX-License-Identifier: Apache-2.0 */
/* Reset entry for QEMU virt with -bios none: hart 0 runs, the others park. */
    /* -march=rv32imac keeps the picolibc multilib; the CSR instructions are enabled here */
    .option arch, +zicsr
    .section .text.start, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    csrr t0, mhartid
    bnez t0, park
    la sp, __stack_top
    la t0, trap_entry
    csrw mtvec, t0
    /* copy .data from its load address, zero .bss */
    la a0, __data_start
    la a1, __data_load
    la a2, __data_end
    sub a2, a2, a0
    call memcpy
    la a0, __bss_start
    li a1, 0
    la a2, __bss_end
    sub a2, a2, a0
    call memset
    call main
    call fw_board_exit
park:
    wfi
    j park

    .balign 4
trap_entry:
    call fw_trap
1:  j 1b
