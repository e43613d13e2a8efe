/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femtod's types and state (femtod_t aggregates every layer's). Each
 * layer's functions are declared in its own header, used only by the
 * layers above it: log.h < blockwise.h < config.h < slots.h < health.h <
 * server.h < main.c (docs/femtod.md).
 */
#ifndef FEMTOD_H
#define FEMTOD_H

#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>

#include "fc/hook.h"
#include "fc/port_posix.h"
#include "fc/runtime.h"
#include "blockwise.h"
#include "fc_deploy.h"
#include "femtod_ctx.h"
#include "log.h"

#define FD_TENANTS_MAX   16
#define FD_CLIENTS_MAX   32   /* DTLS PSK identities */
#define FD_PSK_MAX       64   /* bytes of a pre-shared key */
#define FD_HOOKS_MAX     16
#define FD_SENSORS_MAX   16
#define FD_NAMES_MAX     16   /* name patterns per tenant */
#define FD_SLOTS_MAX     64   /* installed containers */
#define FD_SEQS_MAX      256  /* remembered sequence numbers */
#define FD_GLOBAL_CAP    256
#define FD_POOL_CAP      4096
#define FD_LOCAL_CAP     64
#define FD_STACK_MIN     512u
#define FD_ENVELOPE_MAX  (256u * 1024u) /* larger bodies get 4.13 */
#define FD_BUDGET_DEFAULT FC_HOOK_BUDGET_DEFAULT /* a hook without budget= gets what femto run gives */
#define FD_STORES_SYNC_MS 2000u /* changed store values are saved this often (and at exit) */
#define FD_SESSIONS_MAX  256  /* idle CoAP sessions kept (one per client address) */
#define FD_SESSION_TIMEOUT_S 60 /* an idle session, and its partial upload, is dropped after */
#define FD_RING_LINES    16   /* log lines kept per container (and per hook) */
#define FD_RING_LINE     120  /* bytes kept of each */

/* The last FD_RING_LINES lines of output, oldest first from head. */
typedef struct {
    char line[FD_RING_LINES][FD_RING_LINE];
    uint64_t total; /* lines ever written */
} fd_ring_t;

/* What fires a hook. */
enum fd_hook_kind { FD_HOOK_MANUAL, FD_HOOK_TIMER, FD_HOOK_SENSOR, FD_HOOK_NET, FD_HOOK_COAP };

typedef struct {
    char name[FC_DEPLOY_NAME_MAX + 1];
    uint8_t pk[FC_DEPLOY_PK_LEN];
    char names[FD_NAMES_MAX][FC_DEPLOY_NAME_MAX + 2]; /* "x", "x*" prefix or "*" */
    unsigned nnames;
    char hooks[FD_HOOKS_MAX][FC_DEPLOY_HOOK_MAX + 1];
    unsigned nhooks;
    fc_tenant_t t;
    uint32_t id, caps, quota;
    uint32_t slots_max;     /* containers installed (suspended ones count), 'slots=' */
    uint32_t names_max;     /* sequence records kept, 'names_max=' */
    uint32_t ram_max;       /* bytes of DATA/BSS + stack per instance, 'ram=' */
    uint32_t ram_total_max; /* bytes of all its instances together, 'ram_total=' */
    int privileged;         /* may attach to privileged hooks ('privileged=yes') */
} fd_tenant_t;

typedef struct {
    char name[FC_DEPLOY_HOOK_MAX + 1];
    enum fd_hook_kind kind;
    fc_hook_t h;
    fc_policy_t policy;
    uint32_t caps, budget, period_ms;
    uint64_t next_ms;  /* next timer/sensor fire */
    uint64_t fires;    /* fires so far */
    int32_t threshold; /* sensor hook: context value when has_threshold */
    int has_threshold;
    int privileged;    /* sees other tenants' traffic: only privileged tenants attach */
} fd_hook_t;

/* What a client may do (docs/femtod.md, "Clients and rights"). */
enum fd_right {
    FD_RIGHT_DISCOVER = 1u << 0, /* GET /.well-known/core */
    FD_RIGHT_LIST = 1u << 1,     /* GET /containers /hooks /stats /sensors */
    FD_RIGHT_DEPLOY = 1u << 2,   /* PUT /deploy (the envelope is still checked) */
    FD_RIGHT_FIRE = 1u << 3,     /* POST /fire/HOOK */
    FD_RIGHT_APP = 1u << 4,      /* GET|POST /app/NAME */
    FD_RIGHT_SENSOR = 1u << 5,   /* PUT /sensor/NAME */
    FD_RIGHT_STORE = 1u << 6,    /* GET /store/TENANT */
    FD_RIGHT_LOGS = 1u << 7,     /* GET /logs/NAME */
    FD_RIGHT_ALL = 0xffu,
};

/* A DTLS client: its PSK identity, key and role. */
typedef struct {
    char id[FD_PSK_MAX + 1];
    uint8_t key[FD_PSK_MAX];
    size_t key_len;
    int operator;                          /* 1: operator, 0: tenant */
    char tenant[FC_DEPLOY_NAME_MAX + 1];   /* the tenant it acts for */
} fd_client_t;

/* One instance of a container: the runtime attaches a container to one
 * hook at a time, so an image attached to n hooks is loaded n times. */
typedef struct {
    fc_container_t c;
    uint8_t *ram, *stack;
    fc_store_entry_t local[FD_LOCAL_CAP];
    fd_hook_t *hook; /* NULL: loaded only */
    size_t bytes;    /* RAM and stack allocated for it */
    uint32_t entry_pc;
    /* health (health.c): what it did and whether it may run */
    uint64_t runs, faults, faults_mark; /* faults_mark: faults before the last fire */
    uint32_t consecutive;  /* faults since its last clean run */
    uint32_t backoffs;     /* times backed off */
    int last_err;          /* last fault: fc_err_t and pc */
    uint32_t last_pc;
    uint32_t budget_used;  /* budget units its last run used (fc_vm_t::budget - left) */
    uint64_t until_ms;     /* backed off until */
    enum fd_inst_state { FD_INST_RUNNING, FD_INST_BACKOFF, FD_INST_QUARANTINED } state;
    int attached;          /* attached to its hook in the runtime now */
    fd_ring_t out;         /* its fc_printf output */
} fd_inst_t;

typedef struct {
    int used;
    fd_tenant_t *tenant;
    char name[FC_DEPLOY_NAME_MAX + 1];
    char entry[FC_DEPLOY_NAME_MAX + 1];
    uint32_t entry_pc;
    uint64_t seq;       /* last accepted envelope's */
    uint64_t image_seq; /* the install's: names the image file */
    uint8_t *image;
    size_t image_len;
    fc_image_t img;
    fd_inst_t *inst[FC_DEPLOY_HOOKS_MAX]; /* one per attached hook */
    unsigned ninst;
} fd_slot_t;

/* The last sequence number accepted for a tenant's container name, kept
 * after removal (replay protection per tenant and name). */
typedef struct {
    char tenant[FC_DEPLOY_NAME_MAX + 1];
    char name[FC_DEPLOY_NAME_MAX + 1];
    uint64_t seq;
} fd_seq_t;

/* When a tenant's sequence record of a removed name is dropped (quota),
 * its sequence becomes the tenant's floor: every name without a record
 * must come with a sequence above it, so no old envelope replays. */
typedef struct {
    char tenant[FC_DEPLOY_NAME_MAX + 1];
    uint64_t seq;
} fd_floor_t;

/* A container of the manifest whose tenant or one of whose hooks is not
 * configured: not loaded, its files and manifest line kept as they are
 * until a configuration names them again (SIGHUP or restart). */
typedef struct {
    char tenant[FC_DEPLOY_NAME_MAX + 1];
    char name[FC_DEPLOY_NAME_MAX + 1];
    uint64_t seq, image_seq;
    char entry[FC_DEPLOY_NAME_MAX + 2];                          /* "-": the first */
    char hooks[FC_DEPLOY_HOOKS_MAX * (FC_DEPLOY_HOOK_MAX + 1) + 2]; /* "a,b" or "-" */
    char why[FC_DEPLOY_HOOK_MAX + 32];
} fd_suspended_t;

/* The answer to a confirmable POST or PUT, replayed when the same message
 * comes again (its ACK was lost): a retransmitted deploy gets its 2.01
 * again instead of being applied twice (RFC 7252 4.5). */
#define FD_REPLIES 16
#define FD_REPLY_MS 60000u /* kept this long (about EXCHANGE_LIFETIME) */
typedef struct {
    int used;
    uint8_t client[FD_BW_CLIENT_MAX];
    size_t client_len;
    uint16_t mid;
    int code;
    uint16_t fmt;
    size_t len;
    char text[512];
    uint64_t at_ms;
} fd_reply_t;

typedef struct femtod {
    /* configuration */
    char listen_host[64];      /* plain CoAP: only when configured ('listen', --listen) */
    unsigned listen_port;
    int plain;
    char coaps_host[64];       /* CoAP over DTLS ('listen_coaps', --listen-coaps) */
    unsigned coaps_port;
    int secure;
    fd_client_t clients[FD_CLIENTS_MAX];
    unsigned nclients;
    uint32_t anon_rights;      /* rights of clients without an identity (default discover) */
    const char *state_dir; /* NULL: no persistence */
    fd_tenant_t tenants[FD_TENANTS_MAX];
    unsigned ntenants;
    fd_hook_t hooks[FD_HOOKS_MAX];
    unsigned nhooks;
    fc_port_sensor_t sensors[FD_SENSORS_MAX];
    char sensor_names[FD_SENSORS_MAX][FC_DEPLOY_NAME_MAX + 1];
    unsigned nsensors;
    int quiet;
    uint32_t upload_expiry_ms; /* 'uploads expiry_ms=' (0: FD_BW_EXPIRY_MS) */
    uint32_t backoff_ms;       /* 'faults backoff_ms=': the first backoff (doubling) */
    uint32_t quarantine_after; /* 'faults quarantine_after=': backoffs before quarantine */
    /* runtime */
    fc_port_posix_t pst;
    fc_port_t port;
    fc_rt_t rt;
    fc_store_entry_t global[FD_GLOBAL_CAP];
    fc_store_entry_t pool[FD_POOL_CAP];
    fc_store_entry_t global_saved[FD_GLOBAL_CAP]; /* as last written to DIR/stores */
    fc_store_entry_t pool_saved[FD_POOL_CAP];
    int stores_saved;
    uint64_t stores_next_ms; /* next check for changed values */
    fd_slot_t slots[FD_SLOTS_MAX];
    fd_seq_t seqs[FD_SEQS_MAX];
    unsigned nseqs;
    fd_floor_t floors[FD_SEQS_MAX];
    unsigned nfloors;
    fd_seq_t seqs_undo[FD_SEQS_MAX]; /* the tables before the update under way */
    fd_floor_t floors_undo[FD_SEQS_MAX];
    unsigned nseqs_undo, nfloors_undo;
    fd_suspended_t suspended[FD_SLOTS_MAX];
    unsigned nsuspended;
    uint64_t requests; /* CoAP requests handled */
    fd_inst_t *log_inst; /* whose output the port's log receives now (NULL: log_hook's) */
    fd_hook_t *log_hook;
    fd_bw_t bw;        /* partial Block1 uploads */
    fd_reply_t replies[FD_REPLIES];
    unsigned reply_next;
    void *coap;        /* coap_context_t */
    struct {
        size_t length;
        const uint8_t *s;
    } psk_bin;         /* the key handed to libcoap (a coap_bin_const_t) */
} femtod_t;

/* Result of an operation: a CoAP response code (class * 100 + detail, e.g.
 * 201, 403) and a diagnostic text. */
typedef struct {
    int code;
    char msg[512];
} fd_result_t;

/* Milliseconds since the start (log.h's clock). */
static inline uint64_t fd_now_ms(const femtod_t *d)
{
    (void)d;
    return fd_uptime_ms();
}

#endif /* FEMTOD_H */
