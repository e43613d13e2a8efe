/* SPDX-License-Identifier: Apache-2.0 */
/* Constant descriptions of fc_err_t codes, generated from FC_ERR_LIST. */
#include "fc/err.h"

const char *fc_strerror(int err)
{
    switch (err) {
#define FC_ERR_TEXT_(name, value, text) \
    case name:                          \
        return text;
        FC_ERR_LIST(FC_ERR_TEXT_)
#undef FC_ERR_TEXT_
    default:
        return "unknown error";
    }
}
