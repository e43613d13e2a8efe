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
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

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

/* ---- the settings of named declarations: one table, one loop ----------- */

enum setting_kind {
    K_NUM,         /* integer in [lo, hi], stored in size bytes, signed when lo < 0 */
    K_CAPS,        /* capability names */
    K_KEY,         /* an Ed25519 public key (hex or file) */
    K_NAMES,       /* tenant's container name patterns */
    K_HOOKS,       /* tenant's hooks */
    K_YESNO,       /* yes | no into an int */
    K_HOOK_KIND,
    K_POLICY,
    K_SENSOR_TYPE,
    K_PSK,         /* a pre-shared key into fd_client_t */
    K_ROLE,        /* operator | tenant:NAME into fd_client_t */
};

typedef struct {
    const char *decl, *key;
    enum setting_kind kind;
    size_t off;     /* field in the declaration's object */
    unsigned size;  /* K_NUM: bytes of the field */
    long long lo, hi;
} setting_t;

#define T_(f) offsetof(fd_tenant_t, f)
#define H_(f) offsetof(fd_hook_t, f)
#define S_(f) offsetof(fc_port_sensor_t, f)
static const setting_t settings[] = {
    { "tenant", "id", K_NUM, T_(id), 4, 1, 0xfffffffd },
    { "tenant", "key", K_KEY, T_(pk), 0, 0, 0 },
    { "tenant", "caps", K_CAPS, T_(caps), 0, 0, 0 },
    { "tenant", "quota", K_NUM, T_(quota), 4, 0, FD_POOL_CAP },
    { "tenant", "slots", K_NUM, T_(slots_max), 4, 1, FD_SLOTS_MAX },
    { "tenant", "names_max", K_NUM, T_(names_max), 4, 1, FD_SEQS_MAX },
    { "tenant", "ram", K_NUM, T_(ram_max), 4, 1024, 256LL * 1024 * 1024 },
    { "tenant", "ram_total", K_NUM, T_(ram_total_max), 4, 1024, 1024LL * 1024 * 1024 },
    { "tenant", "privileged", K_YESNO, T_(privileged), 0, 0, 0 },
    { "tenant", "names", K_NAMES, T_(names), 0, 0, 0 },
    { "tenant", "hooks", K_HOOKS, T_(hooks), 0, 0, 0 },
    { "hook", "kind", K_HOOK_KIND, H_(kind), 0, 0, 0 },
    { "hook", "policy", K_POLICY, H_(policy), 0, 0, 0 },
    { "hook", "caps", K_CAPS, H_(caps), 0, 0, 0 },
    { "hook", "budget", K_NUM, H_(budget), 4, 1, UINT32_MAX },
    { "hook", "period_ms", K_NUM, H_(period_ms), 4, 1, 86400000 },
    { "hook", "threshold", K_NUM, H_(threshold), 4, INT32_MIN, INT32_MAX },
    { "hook", "privileged", K_YESNO, H_(privileged), 0, 0, 0 },
    { "sensor", "type", K_SENSOR_TYPE, S_(value.type), 0, 0, 0 },
    { "sensor", "value", K_NUM, S_(value.value), 4, INT32_MIN, INT32_MAX },
    { "sensor", "scale", K_NUM, S_(value.scale), 1, -9, 9 },
    { "sensor", "unit", K_NUM, S_(value.unit), 1, 0, 255 },
    { "client", "psk", K_PSK, 0, 0, 0, 0 },
    { "client", "role", K_ROLE, 0, 0, 0, 0 },
};
#undef T_
#undef H_
#undef S_
#define NSETTINGS (sizeof settings / sizeof settings[0])

static uint64_t setting_bit(const char *decl, const char *key)
{
    for (size_t i = 0; i < NSETTINGS; i++)
        if (!strcmp(settings[i].decl, decl) && !strcmp(settings[i].key, key))
            return 1ull << i;
    return 0;
}

/* Store @p v into @p obj as @p st says; 0, or -1 for a bad value. */
static int setting_apply(const setting_t *st, void *obj, const char *v)
{
    uint8_t *p = (uint8_t *)obj + st->off;
    long long n;
    int ok = 1;
    switch (st->kind) {
    case K_NUM:
        if (parse_num(v, st->lo, st->hi, &n) != 0)
            return -1;
        if (st->size == 4 && st->lo < 0) {
            int32_t x = (int32_t)n;
            memcpy(p, &x, 4);
        } else if (st->size == 4) {
            uint32_t x = (uint32_t)n;
            memcpy(p, &x, 4);
        } else if (st->lo < 0) {
            int8_t x = (int8_t)n;
            memcpy(p, &x, 1);
        } else {
            uint8_t x = (uint8_t)n;
            memcpy(p, &x, 1);
        }
        return 0;
    case K_CAPS: {
        uint32_t c = fd_caps_parse(v, &ok);
        memcpy(p, &c, sizeof c);
        return ok ? 0 : -1;
    }
    case K_KEY:
        return fc_deploy_key_load_public(v, p) == FC_OK ? 0 : -1;
    case K_NAMES: {
        fd_tenant_t *t = obj;
        return split_list(v, &t->names[0][0], sizeof t->names[0], sizeof t->names[0],
                          FD_NAMES_MAX, &t->nnames);
    }
    case K_HOOKS: {
        fd_tenant_t *t = obj;
        return split_list(v, &t->hooks[0][0], sizeof t->hooks[0], sizeof t->hooks[0],
                          FD_HOOKS_MAX, &t->nhooks);
    }
    case K_YESNO: {
        int yes = !strcmp(v, "yes");
        if (!yes && strcmp(v, "no"))
            return -1;
        memcpy(p, &yes, sizeof yes);
        return 0;
    }
    case K_HOOK_KIND:
        for (unsigned j = 0; j <= FD_HOOK_COAP; j++)
            if (!strcmp(v, fd_hook_kind_name((enum fd_hook_kind)j))) {
                ((fd_hook_t *)obj)->kind = (enum fd_hook_kind)j;
                return 0;
            }
        return -1;
    case K_POLICY:
        for (unsigned j = 0; j < 4; j++)
            if (!strcmp(v, fd_policy_name((fc_policy_t)j))) {
                ((fd_hook_t *)obj)->policy = (fc_policy_t)j;
                return 0;
            }
        return -1;
    case K_SENSOR_TYPE:
        for (size_t j = 0; j < sizeof sensor_types / sizeof sensor_types[0]; j++)
            if (!strcmp(v, sensor_types[j].name)) {
                ((fc_port_sensor_t *)obj)->value.type = sensor_types[j].type;
                return 0;
            }
        return -1;
    case K_PSK: {
        fd_client_t *c = obj;
        return psk_parse(v, c->key, &c->key_len);
    }
    case K_ROLE: {
        fd_client_t *c = obj;
        if (!strcmp(v, "operator")) {
            c->operator = 1;
            return 0;
        }
        if (!strncmp(v, "tenant:", 7) && strlen(v + 7) < sizeof c->tenant && v[7]) {
            strcpy(c->tenant, v + 7);
            return 0;
        }
        return -1;
    }
    }
    return -1;
}

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
        /* a named declaration: its object, then its settings through the table */
        void *obj = NULL;
        const char *decl = words[0], *name = words[1];
        if (!strcmp(decl, "client")) {
            if (d->nclients == FD_CLIENTS_MAX)
                FAIL("%s:%u: more than %d clients", file, lineno, FD_CLIENTS_MAX);
            fd_client_t *c = &d->clients[d->nclients];
            memset(c, 0, sizeof *c);
            if (strlen(name) >= sizeof c->id || fd_client_find(d, name, strlen(name)))
                FAIL("%s:%u: bad or repeated client identity '%s'", file, lineno, name);
            strcpy(c->id, name);
            obj = c;
        } else if (!strcmp(decl, "tenant")) {
            if (d->ntenants == FD_TENANTS_MAX)
                FAIL("%s:%u: more than %d tenants", file, lineno, FD_TENANTS_MAX);
            fd_tenant_t *t = &d->tenants[d->ntenants];
            memset(t, 0, sizeof *t);
            if (!fc_deploy_name_ok(name, FC_DEPLOY_NAME_MAX) || fd_tenant_find(d, name) ||
                !strcmp(name, "global")) /* GET /store/global is the global store */
                FAIL("%s:%u: bad or repeated tenant name '%s'", file, lineno, name);
            strcpy(t->name, name);
            t->quota = 256;
            t->slots_max = 16;
            t->names_max = 64;
            t->ram_max = 64u * 1024u;
            t->ram_total_max = 1024u * 1024u;
            obj = t;
        } else if (!strcmp(decl, "hook")) {
            if (d->nhooks == FD_HOOKS_MAX)
                FAIL("%s:%u: more than %d hooks", file, lineno, FD_HOOKS_MAX);
            fd_hook_t *h = &d->hooks[d->nhooks];
            memset(h, 0, sizeof *h);
            if (!fc_deploy_name_ok(name, FC_DEPLOY_HOOK_MAX) || fd_hook_find(d, name))
                FAIL("%s:%u: bad or repeated hook name '%s'", file, lineno, name);
            strcpy(h->name, name);
            h->policy = FC_POLICY_ALL;
            h->caps = FC_CAP_STANDARD;
            h->budget = FD_BUDGET_DEFAULT;
            h->period_ms = 1000;
            obj = h;
        } else if (!strcmp(decl, "sensor")) {
            if (d->nsensors == FD_SENSORS_MAX)
                FAIL("%s:%u: more than %d sensors", file, lineno, FD_SENSORS_MAX);
            if (!fc_deploy_name_ok(name, FC_DEPLOY_NAME_MAX))
                FAIL("%s:%u: bad sensor name '%s'", file, lineno, name);
            fc_port_sensor_t *sn = &d->sensors[d->nsensors];
            memset(sn, 0, sizeof *sn);
            strcpy(d->sensor_names[d->nsensors], name);
            sn->name = d->sensor_names[d->nsensors];
            sn->value.type = FC_SENSOR_TEMP;
            obj = sn;
        } else {
            FAIL("%s:%u: unknown declaration '%s'", file, lineno, decl);
        }
        uint64_t given = 0;
        for (unsigned i = 2; i < nw; i++) {
            char *eq = strchr(words[i], '=');
            if (!eq)
                FAIL("%s:%u: expected key=value, got '%s'", file, lineno, words[i]);
            *eq = '\0';
            const char *k = words[i], *v = eq + 1;
            size_t si;
            for (si = 0; si < NSETTINGS; si++)
                if (!strcmp(settings[si].decl, decl) && !strcmp(settings[si].key, k))
                    break;
            if (si == NSETTINGS)
                FAIL("%s:%u: unknown %s setting '%s'", file, lineno, decl, k);
            if (setting_apply(&settings[si], obj, v) != 0) {
                if (settings[si].kind == K_PSK)
                    FAIL("%s:%u: psk= takes 1..%d bytes in hex, or a file holding them", file,
                         lineno, FD_PSK_MAX);
                FAIL("%s:%u: bad value for %s: '%s'", file, lineno, k, v);
            }
            given |= 1ull << si;
        }
        /* what each declaration needs, then count it */
        if (!strcmp(decl, "client")) {
            if (!(given & setting_bit("client", "psk")) || !(given & setting_bit("client", "role")))
                FAIL("%s:%u: client %s needs psk= and role=", file, lineno, name);
            d->nclients++;
        } else if (!strcmp(decl, "tenant")) {
            if (!(given & setting_bit("tenant", "id")) || !(given & setting_bit("tenant", "key")))
                FAIL("%s:%u: tenant %s needs id= and key=", file, lineno, name);
            d->ntenants++;
        } else if (!strcmp(decl, "hook")) {
            fd_hook_t *h = obj;
            h->has_threshold = (given & setting_bit("hook", "threshold")) != 0;
            if (!(given & setting_bit("hook", "privileged"))) /* the network hook sees every tenant's requests */
                h->privileged = h->kind == FD_HOOK_NET;
            d->nhooks++;
        } else {
            d->nsensors++;
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
