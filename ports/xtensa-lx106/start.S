/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reset and exceptions for the lx106 under QEMU's sim machine. The lx106
 * has no register windows: the call0 ABI, a0 return address, a1 stack
 * pointer, a2..a7 arguments, a2 the result. Neither QEMU nor picolibc's
 * crt0 sets the stack pointer, and crt0 would return from main into
 * nothing, so this file does the start-up itself.
 */
    /* QEMU starts here, not at the ELF entry: the literal sits behind a jump */
    .section .reset, "ax"
    .global _reset
_reset:
    j 1f
    .align 4
2:  .word _start
1:  l32r a0, 2b
    jx a0

    .section .text.start, "ax"
    .align 4
    .global _start
_start:
    movi a1, __stack_top
    /* PS: interrupts masked (INTLEVEL 15), user vector mode (UM), out of the
       reset's exception mode (EXCM 0) so that a fault takes the user vector */
    movi a0, 0x2f
    wsr a0, ps
    rsync
    movi a0, fw_vectors
    wsr a0, vecbase
    rsync
    /* copy .data from its load address, zero .bss */
    movi a2, __data_start
    movi a3, __data_load
    movi a4, __data_end
    sub a4, a4, a2
    call0 memcpy
    movi a2, __bss_start
    movi a3, 0
    movi a4, __bss_end
    sub a4, a4, a2
    call0 memset
    call0 main
    /* main's status is already in a2 */
    call0 fw_board_exit

    /* the vectors at their lx106 offsets from VECBASE: each reports and exits */
    .section .text.vectors, "ax"
    .align 4
    .global fw_vectors
fw_vectors:
    .org fw_vectors + 0x10  /* debug */
    movi a2, 1
    j vector
    .org fw_vectors + 0x20  /* NMI */
    movi a2, 2
    j vector
    .org fw_vectors + 0x30  /* kernel */
    movi a2, 3
    j vector
    .org fw_vectors + 0x50  /* user: exceptions with PS.UM set */
    movi a2, 4
    j vector
    .org fw_vectors + 0x70  /* double */
    movi a2, 5
    j vector
    .org fw_vectors + 0x80
vector:
    call0 fw_exception
1:  j 1b
