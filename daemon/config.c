/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femtod's configuration file: one declaration per line, words separated
 * by blanks, '#' starts a comment (docs/femtod.md, "Configuration"):
 *
 *   listen 127.0.0.1:5683
 *   tenant alice id=1 key=HEX|FILE.pub caps=store_tenant,log quota=64 names=counter,fmt* hooks=sched,coap
 *   hook timer kind=timer period_ms=1000 policy=all caps=all budget=100000
 *   sensor temp type=temp value=215 scale=-1
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "femtod.h"

typedef struct {
    const char *name;
    uint32_t bit;
} name_bit_t;

static const name_bit_t cap_names[] = {
    { "store_global", FC_CAP_STORE_GLOBAL }, { "store_tenant", FC_CAP_STORE_TENANT },
    { "store_local", FC_CAP_STORE_LOCAL },   { "time", FC_CAP_TIME },
    { "log", FC_CAP_LOG },                   { "sensor", FC_CAP_SENSOR },
    { "random", FC_CAP_RANDOM },             { "all", FC_CAP_STANDARD },
    { "none", 0 },
};

/* A comma list of names of @p table into the OR of their bits; *ok 0 on an unknown one. */
static uint32_t bits_parse(const char *list, const name_bit_t *table, size_t n, int *ok)
{
    uint32_t bits = 0;
    char buf[256];
    *ok = strlen(list) < sizeof buf;
    if (!*ok)
        return 0;
    strcpy(buf, list);
    for (char *save = NULL, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        size_t i;
        for (i = 0; i < n; i++)
            if (!strcmp(w, table[i].name))
                break;
        if (i == n) {
            *ok = 0;
            return 0;
        }
        bits |= table[i].bit;
    }
    return bits;
}

void fd_caps_name(uint32_t caps, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof cap_names / sizeof cap_names[0] - 2; i++) /* not all, none */
        if (caps & cap_names[i].bit) {
            int w = snprintf(buf + used, n - used, "%s%s", used ? "," : "", cap_names[i].name);
            if (w < 0 || (size_t)w >= n - used)
                break;
            used += (size_t)w;
        }
    if (!used)
        snprintf(buf, n, "none");
}

uint32_t fd_caps_parse(const char *list, int *ok)
{
    return bits_parse(list, cap_names, sizeof cap_names / sizeof cap_names[0], ok);
}

const char *fd_hook_kind_name(enum fd_hook_kind k)
{
    static const char *const names[] = { "manual", "timer", "sensor", "net", "coap" };
    return names[k];
}

const char *fd_policy_name(fc_policy_t p)
{
    static const char *const names[] = { "all", "first_negative", "first_positive", "exactly_one" };
    return (unsigned)p < 4 ? names[p] : "?";
}

fd_client_t *fd_client_find(femtod_t *d, const char *id, size_t len)
{
    for (unsigned i = 0; i < d->nclients; i++)
        if (strlen(d->clients[i].id) == len && !memcmp(d->clients[i].id, id, len))
            return &d->clients[i];
    return NULL;
}

static const name_bit_t right_names[] = {
    { "discover", FD_RIGHT_DISCOVER }, { "list", FD_RIGHT_LIST },   { "deploy", FD_RIGHT_DEPLOY },
    { "fire", FD_RIGHT_FIRE },         { "app", FD_RIGHT_APP },     { "sensor", FD_RIGHT_SENSOR },
    { "store", FD_RIGHT_STORE },       { "logs", FD_RIGHT_LOGS },   { "all", FD_RIGHT_ALL },
    { "none", 0 },
};

static uint32_t rights_parse(const char *list, int *ok)
{
    return bits_parse(list, right_names, sizeof right_names / sizeof right_names[0], ok);
}

/* A pre-shared key: hex inline, or a file holding it in hex. */
static int psk_parse(const char *v, uint8_t *key, size_t *len)
{
    char buf[2 * FD_PSK_MAX + 2];
    if (strchr(v, '/') || strstr(v, ".psk")) {
        FILE *f = fopen(v, "r");
        if (!f)
            return -1;
        if (!fgets(buf, sizeof buf, f)) {
            fclose(f);
            return -1;
        }
        fclose(f);
        buf[strcspn(buf, " \t\r\n")] = '\0';
    } else if (strlen(v) < sizeof buf) {
        strcpy(buf, v);
    } else {
        return -1;
    }
    size_t n = strlen(buf);
    if (n == 0 || n % 2 || n / 2 > FD_PSK_MAX)
        return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned b;
        if (sscanf(buf + 2 * i, "%2x", &b) != 1 || !strchr("0123456789abcdefABCDEF", buf[2 * i]) ||
            !strchr("0123456789abcdefABCDEF", buf[2 * i + 1]))
            return -1;
        key[i] = (uint8_t)b;
    }
    *len = n / 2;
    return 0;
}

fd_tenant_t *fd_tenant_find(femtod_t *d, const char *name)
{
    for (unsigned i = 0; i < d->ntenants; i++)
        if (!strcmp(d->tenants[i].name, name))
            return &d->tenants[i];
    return NULL;
}

fd_hook_t *fd_hook_find(femtod_t *d, const char *name)
{
    for (unsigned i = 0; i < d->nhooks; i++)
        if (!strcmp(d->hooks[i].name, name))
            return &d->hooks[i];
    return NULL;
}

int fd_tenant_may_name(const fd_tenant_t *t, const char *name)
{
    for (unsigned i = 0; i < t->nnames; i++) {
        const char *p = t->names[i];
        size_t n = strlen(p);
        if (n > 0 && p[n - 1] == '*') {
            if (!strncmp(p, name, n - 1))
                return 1;
        } else if (!strcmp(p, name)) {
            return 1;
        }
    }
    return 0;
}

int fd_tenant_may_hook(const fd_tenant_t *t, const char *hook)
{
    for (unsigned i = 0; i < t->nhooks; i++)
        if (!strcmp(t->hooks[i], hook) || !strcmp(t->hooks[i], "*"))
            return 1;
    return 0;
}

/* Parse a decimal/hex number within [lo, hi]. */
static int parse_num(const char *s, long long lo, long long hi, long long *out);

int fd_hostport_parse(const char *s, char *host, size_t n, unsigned *port)
{
    const char *colon = strrchr(s, ':');
    long long p;
    if (!colon || colon == s || (size_t)(colon - s) >= n || parse_num(colon + 1, 0, 65535, &p) != 0)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    *port = (unsigned)p;
    return 0;
}


static int parse_num(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int split_list(const char *v, char *dst, size_t stride, size_t width, unsigned max,
                      unsigned *n)
{
    char buf[512];
    if (strlen(v) >= sizeof buf)
        return -1;
    strcpy(buf, v);
    *n = 0;
    for (char *save = NULL, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        if (*n == max || strlen(w) >= width)
            return -1;
        strcpy(dst + stride * *n, w);
        (*n)++;
    }
    return 0;
}

static const struct {
    const char *name;
    uint16_t type;
} sensor_types[] = {
    { "temp", FC_SENSOR_TEMP },   { "humidity", FC_SENSOR_HUMIDITY }, { "light", FC_SENSOR_LIGHT },
    { "accel", FC_SENSOR_ACCEL }, { "pressure", FC_SENSOR_PRESSURE }, { "voltage", FC_SENSOR_VOLTAGE },
    { "button", FC_SENSOR_BUTTON },
};

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        snprintf(err, errlen, __VA_ARGS__);                                                        \
        goto fail;                                                                                 \
    } while (0)

int fd_config_load(femtod_t *d, const char *file, char *err, size_t errlen)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", file, strerror(errno));
        return -1;
    }
    char line[1024];
    unsigned lineno = 0;
    int anon_set = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        /* nothing is cut silently: a line too long or with too many words is an error */
        if (!strchr(line, '\n') && !feof(f))
            FAIL("%s:%u: line longer than %zu bytes", file, lineno, sizeof line - 2);
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *words[32];
        unsigned nw = 0;
        for (char *save = NULL, *w = strtok_r(line, " \t\r\n", &save); w;
             w = strtok_r(NULL, " \t\r\n", &save)) {
            if (nw == 32)
                FAIL("%s:%u: more than 32 words", file, lineno);
            words[nw++] = w;
        }
        if (nw == 0)
            continue;
        if (!strcmp(words[0], "listen") && nw == 2) {
            if (fd_hostport_parse(words[1], d->listen_host, sizeof d->listen_host,
                                  &d->listen_port) != 0)
                FAIL("%s:%u: listen HOST:PORT", file, lineno);
            d->plain = 1;
            continue;
        }
        if (!strcmp(words[0], "listen_coaps") && nw == 2) {
            if (fd_hostport_parse(words[1], d->coaps_host, sizeof d->coaps_host,
                                  &d->coaps_port) != 0)
                FAIL("%s:%u: listen_coaps HOST:PORT", file, lineno);
            d->secure = 1;
            continue;
        }
        if (!strcmp(words[0], "anonymous") && nw == 2 && !strncmp(words[1], "rights=", 7)) {
            int ok;
            d->anon_rights = rights_parse(words[1] + 7, &ok);
            if (!ok)
                FAIL("%s:%u: anonymous rights=discover,list,deploy,fire,app,sensor,store|all|none",
                     file, lineno);
            anon_set = 1;
            continue;
        }
        if (!strcmp(words[0], "faults") && nw >= 2) {
            for (unsigned i = 1; i < nw; i++) {
                long long v;
                if (!strncmp(words[i], "backoff_ms=", 11) &&
                    parse_num(words[i] + 11, 10, 3600000, &v) == 0)
                    d->backoff_ms = (uint32_t)v;
                else if (!strncmp(words[i], "quarantine_after=", 17) &&
                         parse_num(words[i] + 17, 0, 100, &v) == 0)
                    d->quarantine_after = (uint32_t)v;
                else
                    FAIL("%s:%u: faults backoff_ms=10..3600000 quarantine_after=0..100", file,
                         lineno);
            }
            continue;
        }
        if (!strcmp(words[0], "uploads") && nw == 2 && !strncmp(words[1], "expiry_ms=", 10)) {
            long long ms;
            if (parse_num(words[1] + 10, 100, 600000, &ms) != 0)
                FAIL("%s:%u: uploads expiry_ms=100..600000", file, lineno);
            d->upload_expiry_ms = (uint32_t)ms;
            continue;
        }
        if (nw < 2)
            FAIL("%s:%u: '%s' needs a name", file, lineno, words[0]);
        if (!strcmp(words[0], "client")) {
            if (d->nclients == FD_CLIENTS_MAX)
                FAIL("%s:%u: more than %d clients", file, lineno, FD_CLIENTS_MAX);
            fd_client_t *c = &d->clients[d->nclients];
            memset(c, 0, sizeof *c);
            if (strlen(words[1]) >= sizeof c->id || fd_client_find(d, words[1], strlen(words[1])))
                FAIL("%s:%u: bad or repeated client identity '%s'", file, lineno, words[1]);
            strcpy(c->id, words[1]);
            int have_key = 0, have_role = 0;
            for (unsigned i = 2; i < nw; i++) {
                char *eq = strchr(words[i], '=');
                if (!eq)
                    FAIL("%s:%u: expected key=value, got '%s'", file, lineno, words[i]);
                *eq = '\0';
                const char *k = words[i], *v = eq + 1;
                if (!strcmp(k, "psk")) {
                    if (psk_parse(v, c->key, &c->key_len) != 0)
                        FAIL("%s:%u: psk= takes 1..%d bytes in hex, or a file holding them", file,
                             lineno, FD_PSK_MAX);
                    have_key = 1;
                } else if (!strcmp(k, "role") && !strcmp(v, "operator")) {
                    c->operator = 1;
                    have_role = 1;
                } else if (!strcmp(k, "role") && !strncmp(v, "tenant:", 7) &&
                           strlen(v + 7) < sizeof c->tenant) {
                    strcpy(c->tenant, v + 7);
                    have_role = 1;
                } else {
                    FAIL("%s:%u: client settings: psk=HEX|FILE role=operator|tenant:NAME", file,
                         lineno);
                }
            }
            if (!have_key || !have_role)
                FAIL("%s:%u: client %s needs psk= and role=", file, lineno, c->id);
            d->nclients++;
            continue;
        }
        if (!strcmp(words[0], "tenant")) {
            if (d->ntenants == FD_TENANTS_MAX)
                FAIL("%s:%u: more than %d tenants", file, lineno, FD_TENANTS_MAX);
            fd_tenant_t *t = &d->tenants[d->ntenants];
            memset(t, 0, sizeof *t);
            if (!fc_deploy_name_ok(words[1], FC_DEPLOY_NAME_MAX) || fd_tenant_find(d, words[1]) ||
                !strcmp(words[1], "global")) /* GET /store/global is the global store */
                FAIL("%s:%u: bad or repeated tenant name '%s'", file, lineno, words[1]);
            strcpy(t->name, words[1]);
            t->quota = 256;
            t->slots_max = 16;
            t->names_max = 64;
            t->ram_max = 64u * 1024u;
            t->ram_total_max = 1024u * 1024u;
            int have_key = 0;
            for (unsigned i = 2; i < nw; i++) {
                char *eq = strchr(words[i], '=');
                if (!eq)
                    FAIL("%s:%u: expected key=value, got '%s'", file, lineno, words[i]);
                *eq = '\0';
                const char *k = words[i], *v = eq + 1;
                long long n = 0; /* set by parse_num only on success; gcc -O3 cannot tell */
                int ok = 1;
                if (!strcmp(k, "id")) {
                    ok = parse_num(v, 1, 0xfffffffd, &n) == 0;
                    t->id = (uint32_t)n;
                } else if (!strcmp(k, "key")) {
                    ok = fc_deploy_key_load_public(v, t->pk) == FC_OK;
                    have_key = ok;
                } else if (!strcmp(k, "caps")) {
                    t->caps = fd_caps_parse(v, &ok);
                } else if (!strcmp(k, "quota")) {
                    ok = parse_num(v, 0, FD_POOL_CAP, &n) == 0;
                    t->quota = (uint32_t)n;
                } else if (!strcmp(k, "slots")) {
                    ok = parse_num(v, 1, FD_SLOTS_MAX, &n) == 0;
                    t->slots_max = (uint32_t)n;
                } else if (!strcmp(k, "names_max")) {
                    ok = parse_num(v, 1, FD_SEQS_MAX, &n) == 0;
                    t->names_max = (uint32_t)n;
                } else if (!strcmp(k, "ram")) {
                    ok = parse_num(v, 1024, 256LL * 1024 * 1024, &n) == 0;
                    t->ram_max = (uint32_t)n;
                } else if (!strcmp(k, "ram_total")) {
                    ok = parse_num(v, 1024, 1024LL * 1024 * 1024, &n) == 0;
                    t->ram_total_max = (uint32_t)n;
                } else if (!strcmp(k, "privileged")) {
                    ok = !strcmp(v, "yes") || !strcmp(v, "no");
                    t->privileged = !strcmp(v, "yes");
                } else if (!strcmp(k, "names")) {
                    ok = split_list(v, &t->names[0][0], sizeof t->names[0], sizeof t->names[0],
                                    FD_NAMES_MAX, &t->nnames) == 0;
                } else if (!strcmp(k, "hooks")) {
                    ok = split_list(v, &t->hooks[0][0], sizeof t->hooks[0], sizeof t->hooks[0],
                                    FD_HOOKS_MAX, &t->nhooks) == 0;
                } else {
                    FAIL("%s:%u: unknown tenant setting '%s'", file, lineno, k);
                }
                if (!ok)
                    FAIL("%s:%u: bad value for %s: '%s'", file, lineno, k, v);
            }
            if (!t->id || !have_key)
                FAIL("%s:%u: tenant %s needs id= and key=", file, lineno, t->name);
            d->ntenants++;
        } else if (!strcmp(words[0], "hook")) {
            if (d->nhooks == FD_HOOKS_MAX)
                FAIL("%s:%u: more than %d hooks", file, lineno, FD_HOOKS_MAX);
            fd_hook_t *h = &d->hooks[d->nhooks];
            memset(h, 0, sizeof *h);
            if (!fc_deploy_name_ok(words[1], FC_DEPLOY_HOOK_MAX) || fd_hook_find(d, words[1]))
                FAIL("%s:%u: bad or repeated hook name '%s'", file, lineno, words[1]);
            strcpy(h->name, words[1]);
            h->policy = FC_POLICY_ALL;
            h->caps = FC_CAP_STANDARD;
            h->budget = FD_BUDGET_DEFAULT;
            h->period_ms = 1000;
            for (unsigned i = 2; i < nw; i++) {
                char *eq = strchr(words[i], '=');
                if (!eq)
                    FAIL("%s:%u: expected key=value, got '%s'", file, lineno, words[i]);
                *eq = '\0';
                const char *k = words[i], *v = eq + 1;
                long long n = 0; /* set by parse_num only on success; gcc -O3 cannot tell */
                int ok = 1;
                if (!strcmp(k, "kind")) {
                    unsigned j;
                    for (j = 0; j <= FD_HOOK_COAP; j++)
                        if (!strcmp(v, fd_hook_kind_name((enum fd_hook_kind)j)))
                            break;
                    ok = j <= FD_HOOK_COAP;
                    h->kind = (enum fd_hook_kind)j;
                } else if (!strcmp(k, "policy")) {
                    unsigned j;
                    for (j = 0; j < 4; j++)
                        if (!strcmp(v, fd_policy_name((fc_policy_t)j)))
                            break;
                    ok = j < 4;
                    h->policy = (fc_policy_t)j;
                } else if (!strcmp(k, "caps")) {
                    h->caps = fd_caps_parse(v, &ok);
                } else if (!strcmp(k, "budget")) {
                    ok = parse_num(v, 1, UINT32_MAX, &n) == 0;
                    h->budget = (uint32_t)n;
                } else if (!strcmp(k, "period_ms")) {
                    ok = parse_num(v, 1, 86400000, &n) == 0;
                    h->period_ms = (uint32_t)n;
                } else if (!strcmp(k, "privileged")) {
                    ok = !strcmp(v, "yes") || !strcmp(v, "no");
                    h->privileged = !strcmp(v, "yes") ? 1 : 0;
                    h->privileged_set = 1;
                } else if (!strcmp(k, "threshold")) {
                    ok = parse_num(v, INT32_MIN, INT32_MAX, &n) == 0;
                    h->threshold = (int32_t)n;
                    h->has_threshold = 1;
                } else {
                    FAIL("%s:%u: unknown hook setting '%s'", file, lineno, k);
                }
                if (!ok)
                    FAIL("%s:%u: bad value for %s: '%s'", file, lineno, k, v);
            }
            if (!h->privileged_set) /* the network hook sees every tenant's requests */
                h->privileged = h->kind == FD_HOOK_NET;
            d->nhooks++;
        } else if (!strcmp(words[0], "sensor")) {
            if (d->nsensors == FD_SENSORS_MAX)
                FAIL("%s:%u: more than %d sensors", file, lineno, FD_SENSORS_MAX);
            if (!fc_deploy_name_ok(words[1], FC_DEPLOY_NAME_MAX))
                FAIL("%s:%u: bad sensor name '%s'", file, lineno, words[1]);
            unsigned si = d->nsensors;
            fc_port_sensor_t *s = &d->sensors[si];
            memset(s, 0, sizeof *s);
            strcpy(d->sensor_names[si], words[1]);
            s->name = d->sensor_names[si];
            s->value.type = FC_SENSOR_TEMP;
            for (unsigned i = 2; i < nw; i++) {
                char *eq = strchr(words[i], '=');
                if (!eq)
                    FAIL("%s:%u: expected key=value, got '%s'", file, lineno, words[i]);
                *eq = '\0';
                const char *k = words[i], *v = eq + 1;
                long long n = 0; /* set by parse_num only on success; gcc -O3 cannot tell */
                int ok = 1;
                if (!strcmp(k, "type")) {
                    size_t j;
                    for (j = 0; j < sizeof sensor_types / sizeof sensor_types[0]; j++)
                        if (!strcmp(v, sensor_types[j].name))
                            break;
                    ok = j < sizeof sensor_types / sizeof sensor_types[0];
                    if (ok)
                        s->value.type = sensor_types[j].type;
                } else if (!strcmp(k, "value")) {
                    ok = parse_num(v, INT32_MIN, INT32_MAX, &n) == 0;
                    s->value.value = (int32_t)n;
                } else if (!strcmp(k, "scale")) {
                    ok = parse_num(v, -9, 9, &n) == 0;
                    s->value.scale = (int8_t)n;
                } else if (!strcmp(k, "unit")) {
                    ok = parse_num(v, 0, 255, &n) == 0;
                    s->value.unit = (uint8_t)n;
                } else {
                    FAIL("%s:%u: unknown sensor setting '%s'", file, lineno, k);
                }
                if (!ok)
                    FAIL("%s:%u: bad value for %s: '%s'", file, lineno, k, v);
            }
            d->nsensors++;
        } else {
            FAIL("%s:%u: unknown declaration '%s'", file, lineno, words[0]);
        }
    }
    fclose(f);
    if (!anon_set)
        d->anon_rights = FD_RIGHT_DISCOVER;
    /* every tenant a client acts for must exist */
    for (unsigned i = 0; i < d->nclients; i++)
        if (!d->clients[i].operator && !fd_tenant_find(d, d->clients[i].tenant)) {
            snprintf(err, errlen, "%s: client %s acts for unknown tenant '%s'", file,
                     d->clients[i].id, d->clients[i].tenant);
            return -1;
        }
    /* every hook a tenant names must exist */
    for (unsigned i = 0; i < d->ntenants; i++)
        for (unsigned j = 0; j < d->tenants[i].nhooks; j++)
            if (strcmp(d->tenants[i].hooks[j], "*") && !fd_hook_find(d, d->tenants[i].hooks[j])) {
                snprintf(err, errlen, "%s: tenant %s names unknown hook '%s'", file,
                         d->tenants[i].name, d->tenants[i].hooks[j]);
                return -1;
            }
    return 0;
fail:
    fclose(f);
    return -1;
}
