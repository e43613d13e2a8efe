/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file stddef.h
 * @brief The freestanding <stddef.h> of container code (C11 7.19), from the
 *        compiler's predefined types. Valid C and C++.
 */
#ifndef FEMTO_STDDEF_H
#define FEMTO_STDDEF_H

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
#ifndef __cplusplus
typedef __WCHAR_TYPE__ wchar_t; /* a keyword in C++ */
#endif
/** @brief The most aligned scalar type: 8 bytes on BPF (no long double there). */
typedef struct {
    long long femto_ll_ __attribute__((aligned(__alignof__(long long))));
} max_align_t;

#ifndef NULL
#ifdef __cplusplus
#define NULL nullptr
#else
#define NULL ((void *)0)
#endif
#endif

#define offsetof(type, member) __builtin_offsetof(type, member)

#endif /* FEMTO_STDDEF_H */
