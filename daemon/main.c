/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femtod: a host "device" running femto-containers. Hosts the runtime over
 * the POSIX port, serves CoAP (server.c), accepts signed containers and
 * keeps them under --state (slots.c). Foreground; SIGINT/SIGTERM stop it
 * cleanly. docs/femtod.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc/version.h"
#include "config.h"
#include "slots.h"
#include "health.h"
#include "server.h"

static femtod_t daemon_state;
static femtod_t reload_state; /* a configuration being read on SIGHUP */
static volatile sig_atomic_t stop_flag, hup_flag;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        hup_flag = 1;
    else
        stop_flag = 1;
}

static void on_fault(const fc_hook_t *hook, const fc_fault_t *fault, void *arg)
{
    femtod_t *d = arg;
    fd_slot_t *sl = NULL;
    fd_inst_t *in = fd_inst_of(d, fault->container, &sl);
    fd_health_fault(d, fault->container, fault->err, fault->pc);
    /* the first fault of a run of them is logged; health.c logs what follows */
    if (!in || in->consecutive == 1)
        fd_log("hook %s: container %s faulted at pc %u: %s", hook->name, sl ? sl->name : "?",
               (unsigned)fault->pc, fc_strerror(fault->err));
}

/*
 * Bring up the runtime from the configuration in @p d: port, tenants,
 * hooks, then the stores and containers of the state directory. 0, or the
 * exit code (2 configuration, 1 state).
 */
static int setup(femtod_t *d)
{
    int pe = fc_port_posix_init(&d->pst, &d->port, stdout, d->sensors, d->nsensors);
    /* containers' output: tagged and kept per container (health.c) */
    d->port.log = fd_log_container;
    if (pe != FC_OK || fc_rt_init(&d->rt, &d->port, d->global, FD_GLOBAL_CAP, d->pool, FD_POOL_CAP, NULL) != FC_OK) {
        fprintf(stderr, "femtod: cannot set up the runtime\n");
        return 1;
    }
    for (unsigned i = 0; i < d->ntenants; i++) {
        fd_tenant_t *t = &d->tenants[i];
        int e = fc_tenant_add(&d->rt, &t->t, t->id, t->name, t->caps, t->quota);
        if (e != FC_OK) {
            fprintf(stderr, "femtod: tenant %s: %s\n", t->name, fc_strerror(e));
            return 2;
        }
    }
    for (unsigned i = 0; i < d->nhooks; i++) {
        fd_hook_t *h = &d->hooks[i];
        uint32_t flags = h->kind == FD_HOOK_COAP ? FC_MEM_READ | FC_MEM_WRITE : FC_MEM_READ;
        int e = fc_hook_init(&h->h, &d->rt, h->name, h->policy, flags, h->caps, h->budget);
        if (e != FC_OK) {
            fprintf(stderr, "femtod: hook %s: %s\n", h->name, fc_strerror(e));
            return 2;
        }
        fc_hook_on_fault(&h->h, on_fault, d);
        h->next_ms = h->period_ms;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (fd_stores_restore(d) != 0 || fd_state_restore(d) != 0) {
        fprintf(stderr, "femtod: cannot restore the state in %s\n", d->state_dir);
        return 1;
    }
    return 0;
}

/*
 * SIGHUP: read the configuration again. A bad file changes nothing. Else
 * the store values are saved, every container is unloaded, and all comes
 * back from the state directory under the new configuration (containers
 * whose tenant or hook is gone are suspended, files kept; ones whose
 * tenant and hooks are back are loaded again). 0, or an exit code.
 */
static int reload(femtod_t *d, const char *config)
{
    if (!d->state_dir) {
        fd_log("reload: SIGHUP needs --state (containers live only in memory without it): ignored");
        return 0;
    }
    femtod_t *n = &reload_state;
    memset(n, 0, sizeof *n);
    char err[512];
    if (fd_config_load(n, config, err, sizeof err) != 0) {
        fd_log("reload: %s: keeping the configuration in use", err);
        return 0;
    }
    if (fd_stores_save(d) != 0) {
        fd_log("reload: cannot save the store values: keeping the configuration in use");
        return 0;
    }
    fd_slots_free(d);
    fc_port_posix_fini(&d->pst);
    memcpy(d->clients, n->clients, sizeof d->clients);
    d->nclients = n->nclients;
    d->anon_rights = n->anon_rights;
    memcpy(d->tenants, n->tenants, sizeof d->tenants);
    d->ntenants = n->ntenants;
    memcpy(d->hooks, n->hooks, sizeof d->hooks);
    d->nhooks = n->nhooks;
    memcpy(d->sensors, n->sensors, sizeof d->sensors);
    memcpy(d->sensor_names, n->sensor_names, sizeof d->sensor_names);
    d->nsensors = n->nsensors;
    for (unsigned i = 0; i < d->nsensors; i++)
        d->sensors[i].name = d->sensor_names[i];
    if (n->upload_expiry_ms)
        d->bw.expiry_ms = n->upload_expiry_ms;
    d->backoff_ms = n->backoff_ms;
    d->quarantine_after = n->quarantine_after;
    d->nseqs = 0;
    d->nfloors = 0;
    d->nsuspended = 0;
    d->stores_saved = 0;
    memset(&d->rt, 0, sizeof d->rt);
    memset(d->global, 0, sizeof d->global);
    memset(d->pool, 0, sizeof d->pool);
    int rc = setup(d);
    if (rc != 0)
        return rc;
    unsigned loaded = 0;
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++)
        loaded += d->slots[i].used ? 1u : 0u;
    fd_log("reload: %s: %u tenants, %u hooks, %u containers loaded, %u suspended", config,
           d->ntenants, d->nhooks, loaded, d->nsuspended);
    return 0;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: femtod --config FILE [--listen-coaps HOST:PORT] [--listen HOST:PORT]\n"
            "              [--state DIR] [--quiet]\n\n"
            "Runs femto-containers on this host as a device: CoAP over UDP (default\n"
            "127.0.0.1:5683), signed deployment, hooks (timer, sensor, network, CoAP\n"
            "request, manual). Foreground; SIGINT or SIGTERM stops it, SIGHUP reads the\n"
            "configuration again. docs/femtod.md.\n\n"
            "  --config FILE     tenants, hooks and sensors (required)\n"
            "  --listen-coaps H:P  CoAP over DTLS (PSK clients of the file), default\n"
            "                    127.0.0.1:5684 when no plain address is configured\n"
            "  --listen H:P      plain CoAP too (no transport security: anonymous rights)\n"
            "  --state DIR       keep installed containers in DIR and restore them at start\n"
            "  --quiet           no log lines (containers' output still goes to stdout)\n\n"
            "environment: FEMTOD_CRASH_AT=STEP exits abruptly at STEP of every update\n"
            "(image-tmp, image, manifest-tmp, manifest, applied): for crash tests.\n");
}

int main(int argc, char **argv)
{
    femtod_t *d = &daemon_state;
    const char *config = NULL, *listen = NULL, *listen_coaps = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("femtod %s\n", FC_VERSION_STRING);
            return 0;
        } else if (!strcmp(a, "--config") && v) {
            config = v, i++;
        } else if (!strcmp(a, "--listen") && v) {
            listen = v, i++;
        } else if (!strcmp(a, "--listen-coaps") && v) {
            listen_coaps = v, i++;
        } else if (!strcmp(a, "--state") && v) {
            d->state_dir = v, i++;
        } else if (!strcmp(a, "--quiet")) {
            quiet = 1;
        } else {
            fprintf(stderr, "femtod: unexpected argument '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (!config) {
        usage(stderr);
        return 2;
    }
    fd_log_init(quiet);
    char err[512];
    if (fd_config_load(d, config, err, sizeof err) != 0) {
        fprintf(stderr, "femtod: %s\n", err);
        return 2;
    }
    if (listen) {
        if (fd_hostport_parse(listen, d->listen_host, sizeof d->listen_host, &d->listen_port) != 0) {
            fprintf(stderr, "femtod: --listen HOST:PORT\n");
            return 2;
        }
        d->plain = 1;
    }
    if (listen_coaps) {
        if (fd_hostport_parse(listen_coaps, d->coaps_host, sizeof d->coaps_host,
                              &d->coaps_port) != 0) {
            fprintf(stderr, "femtod: --listen-coaps HOST:PORT\n");
            return 2;
        }
        d->secure = 1;
    }
    if (!d->plain && !d->secure) { /* the default: DTLS only */
        snprintf(d->coaps_host, sizeof d->coaps_host, "127.0.0.1");
        d->coaps_port = 5684;
        d->secure = 1;
    }

    int rc = setup(d);
    if (rc != 0)
        return rc;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (fd_server_start(d) != 0) {
        fd_slots_free(d);
        return 1;
    }
    if (d->secure)
        fd_log("listening on coaps://%s:%u (DTLS, %u PSK clients)", d->coaps_host, d->coaps_port,
               d->nclients);
    if (d->plain)
        fd_log("warning: plain CoAP on coap://%s:%u: no transport security, its clients are "
               "anonymous (rights 0x%" PRIx32 ")", d->listen_host, d->listen_port, d->anon_rights);
    fd_log("serving %u tenants, %u hooks, %u sensors, state %s", d->ntenants, d->nhooks,
           d->nsensors, d->state_dir ? d->state_dir : "none");
    rc = 0;
    for (;;) {
        fd_server_run(d, &stop_flag, &hup_flag);
        if (stop_flag)
            break;
        hup_flag = 0;
        fd_log("reload: SIGHUP");
        rc = reload(d, config);
        if (rc != 0) {
            fd_log("reload failed: stopping");
            break;
        }
    }
    fd_log("stopping");
    if (fd_stores_save(d) != 0) {
        /* the values since the last save are lost: say so in the exit code */
        fd_log("stop: the store values could not be saved: %s", strerror(errno));
        rc = 1;
    }
    fd_server_stop(d);
    fd_slots_free(d);
    fc_port_posix_fini(&d->pst);
    return rc;
}
