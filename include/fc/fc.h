/* SPDX-License-Identifier: Apache-2.0 */
/** @file fc.h @brief Everything of the portable core in one include. */
#ifndef FC_FC_H
#define FC_FC_H
#include "fc/config.h"
#include "fc/err.h"
#include "fc/isa.h"
#include "fc/vm.h"
#include "fc/verify.h"
#endif /* FC_FC_H */
