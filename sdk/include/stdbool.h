/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file stdbool.h
 * @brief The freestanding <stdbool.h> of container code (C11 7.18); in C++
 *        bool, true and false are keywords already. Valid C and C++.
 */
#ifndef FEMTO_STDBOOL_H
#define FEMTO_STDBOOL_H

#ifndef __cplusplus
#if !defined(__STDC_VERSION__) || __STDC_VERSION__ < 202311L /* keywords from C23 */
#define bool  _Bool
#define true  1
#define false 0
#endif
#endif
#define __bool_true_false_are_defined 1

#endif /* FEMTO_STDBOOL_H */
