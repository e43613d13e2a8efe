/* SPDX-License-Identifier: Apache-2.0 */
/* The deployment rules shared by the devices (fc_deploy_rules.h); freestanding. */
#include <string.h>

#include "fc_deploy_rules.h"

int fc_deploy_name_valid(const char *s, size_t len, size_t max)
{
    if (s == NULL || len == 0 || len > max || s[0] == '.')
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

int fc_deploy_request_check(unsigned op, int has_image, unsigned nhooks)
{
    if (op > FC_DEPLOY_OP_REMOVE || nhooks > FC_DEPLOY_HOOKS_MAX)
        return FC_ERR_FORMAT;
    if ((op == FC_DEPLOY_OP_INSTALL) != (has_image != 0))
        return FC_ERR_FORMAT;
    return FC_OK;
}

/* length of a NUL-terminated name, FC_DEPLOY_NAME_MAX + 1 when longer (only memcmp & co. here) */
static size_t name_len(const char *s)
{
    size_t n = 0;
    while (n <= FC_DEPLOY_NAME_MAX && s[n] != '\0')
        n++;
    return n;
}

fc_deploy_seq_t *fc_deploy_seq_find(fc_deploy_seq_t *tab, uint32_t n, const char *name)
{
    size_t len = name_len(name);
    if (len > FC_DEPLOY_NAME_MAX)
        return NULL;
    for (uint32_t i = 0; i < n; i++)
        if (memcmp(tab[i].name, name, len + 1) == 0)
            return &tab[i];
    return NULL;
}

int fc_deploy_seq_admit(fc_deploy_seq_t *tab, uint32_t n, const char *name, uint64_t seq)
{
    const fc_deploy_seq_t *e = fc_deploy_seq_find(tab, n, name);
    return e == NULL || seq > e->seq ? FC_OK : FC_ERR_REPLAY;
}

int fc_deploy_seq_record(fc_deploy_seq_t *tab, uint32_t cap, uint32_t *n, const char *name,
                         uint64_t seq)
{
    size_t len = name_len(name);
    if (!fc_deploy_name_valid(name, len, FC_DEPLOY_NAME_MAX))
        return FC_ERR_INVAL;
    fc_deploy_seq_t *e = fc_deploy_seq_find(tab, *n, name);
    if (e == NULL) {
        if (*n >= cap)
            return FC_ERR_FULL;
        e = &tab[(*n)++];
        memcpy(e->name, name, len);
        e->name[len] = '\0';
    }
    e->seq = seq;
    return FC_OK;
}

#define CODE(c, d) ((unsigned)((c) << 5 | (d)))

unsigned fc_deploy_coap_code(int err)
{
    switch (err) {
    case FC_ERR_FORMAT:
    case FC_ERR_NOTSUP:
        return CODE(4, 0);
    case FC_ERR_TENANT:
    case FC_ERR_SIGNATURE:
        return CODE(4, 1);
    case FC_ERR_PERM:
        return CODE(4, 3);
    case FC_ERR_NOENT:
        return CODE(4, 4);
    case FC_ERR_REPLAY:
    case FC_ERR_BUSY:
    case FC_ERR_EXISTS:
        return CODE(4, 9);
    case FC_ERR_NOMEM:
        return CODE(4, 13);
    case FC_ERR_FULL:
        return CODE(5, 3);
    default:
        /* the image parser's and verifier's codes lie between -20 and -79 */
        return err <= -20 && err > -80 ? CODE(4, 22) : CODE(5, 0);
    }
}
