/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file string.h
 * @brief The freestanding <string.h> of container code.
 *
 * `femto build` compiles with -ffreestanding -fno-builtin -nostdlibinc, so no
 * C library is linked and the host's headers are never seen: these are the
 * string functions a container has. Each is a static inline function of this
 * translation unit (a container image links no library), so what is unused
 * costs nothing.
 *
 * memcpy, memmove, memset and memcmp of a size the compiler knows (a struct
 * copy, a fixed buffer) up to 256 bytes become inline loads and stores, as
 * clang emits them for a struct assignment; any other size goes to the
 * checked helpers (fc_memcpy, fc_memset, fc_memcmp: native speed, every
 * byte bounds-checked and paid for by the budget, no capability needed).
 * The str* functions are plain loops in BPF.
 *
 * memcmp, strcmp and strncmp return a negative, zero or positive value as
 * the C standard says; the magnitude is not the host C library's.
 *
 * Valid C and C++.
 */
#ifndef FEMTO_STRING_H
#define FEMTO_STRING_H

#include <stddef.h>
#include <stdint.h>

#include "femto/helpers.h"

#ifndef NULL
#define NULL ((void *)0)
#endif


/* Sizes up to this, known at compile time, are copied inline. */
#define FEMTO_STRING_INLINE_MAX 256u

/* A length the helpers take: above 4 GiB no region can hold it, so the
 * largest value makes the helper fault as a C library would crash. */
static inline uint32_t femto_string_len_(size_t n)
{
    return n > 0xffffffffu ? 0xffffffffu : (uint32_t)n;
}

/** @brief Copy n bytes from s to d (they must not overlap); returns d. */
static inline void *memcpy(void *d, const void *s, size_t n)
{
    if (__builtin_constant_p(n) && n <= FEMTO_STRING_INLINE_MAX)
        __builtin_memcpy(d, s, n);
    else
        fc_memcpy(d, s, femto_string_len_(n));
    return d;
}

/** @brief Copy n bytes from s to d, which may overlap; returns d. */
static inline void *memmove(void *d, const void *s, size_t n)
{
    if (__builtin_constant_p(n) && n <= FEMTO_STRING_INLINE_MAX)
        __builtin_memmove(d, s, n);
    else
        fc_memcpy(d, s, femto_string_len_(n)); /* the helper allows overlap */
    return d;
}

/** @brief Fill n bytes at d with (unsigned char)c; returns d. */
static inline void *memset(void *d, int c, size_t n)
{
    if (__builtin_constant_p(n) && n <= FEMTO_STRING_INLINE_MAX)
        __builtin_memset(d, c, n);
    else
        fc_memset(d, c, femto_string_len_(n));
    return d;
}

/** @brief Compare n bytes: negative, 0 or positive as a < b, a == b, a > b. */
static inline int memcmp(const void *a, const void *b, size_t n)
{
    return (int)fc_memcmp(a, b, femto_string_len_(n));
}

/** @brief The first of n bytes at s equal to (unsigned char)c, or NULL. */
static inline void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++)
        if (p[i] == (unsigned char)c)
            return (void *)(uintptr_t)(p + i);
    return NULL;
}

/** @brief Length of the string s. */
static inline size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/** @brief Length of the string s, at most max. */
static inline size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

/** @brief Compare strings (as unsigned char): negative, 0 or positive. */
static inline int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && *x == *y) {
        x++;
        y++;
    }
    return (int)*x - (int)*y;
}

/** @brief Compare at most n characters of two strings. */
static inline int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (; n; n--, x++, y++)
        if (*x != *y || !*x)
            return (int)*x - (int)*y;
    return 0;
}

/** @brief Copy the string s (with its terminator) to d; returns d. */
static inline char *strcpy(char *d, const char *s)
{
    char *r = d;
    while ((*d++ = *s++) != 0) {
    }
    return r;
}

/** @brief Copy at most n characters of s to d, padding with zeros to n; returns d. */
static inline char *strncpy(char *d, const char *s, size_t n)
{
    size_t i = 0;
    for (; i < n && s[i]; i++)
        d[i] = s[i];
    for (; i < n; i++)
        d[i] = 0;
    return d;
}

/** @brief Append the string s to d; returns d. */
static inline char *strcat(char *d, const char *s)
{
    strcpy(d + strlen(d), s);
    return d;
}

/** @brief Append at most n characters of s to d, then a terminator; returns d. */
static inline char *strncat(char *d, const char *s, size_t n)
{
    char *e = d + strlen(d);
    size_t i = 0;
    for (; i < n && s[i]; i++)
        e[i] = s[i];
    e[i] = 0;
    return d;
}

/** @brief The first (char)c in the string s (the terminator included), or NULL. */
static inline char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)(uintptr_t)s;
        if (!*s)
            return NULL;
    }
}

/** @brief The last (char)c in the string s (the terminator included), or NULL. */
static inline char *strrchr(const char *s, int c)
{
    const char *r = NULL;
    for (;; s++) {
        if (*s == (char)c)
            r = s;
        if (!*s)
            return (char *)(uintptr_t)r;
    }
}

/** @brief The first occurrence of the string n in the string h, or NULL. */
static inline char *strstr(const char *h, const char *n)
{
    size_t len = strlen(n);
    for (; *h; h++)
        if (strncmp(h, n, len) == 0)
            return (char *)(uintptr_t)h;
    return len == 0 ? (char *)(uintptr_t)h : NULL;
}

/** @brief Length of the leading run of s made of characters in accept. */
static inline size_t strspn(const char *s, const char *accept)
{
    size_t n = 0;
    while (s[n] && strchr(accept, s[n]))
        n++;
    return n;
}

/** @brief Length of the leading run of s made of characters not in reject. */
static inline size_t strcspn(const char *s, const char *reject)
{
    size_t n = 0;
    while (s[n] && !strchr(reject, s[n]))
        n++;
    return n;
}

#endif /* FEMTO_STRING_H */
