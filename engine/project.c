/*
** project.c -- parity_project() and its options: the projection method's
** dispatch to trend.c and project_flow.c, and the options behind a handle
** for bindings (include/parity.h).
*/
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "project_flow.h"
#include "trend.h"

void parity_project_options_init(parity_project_options *o) {
    memset(o, 0, sizeof *o);
    o->method = PARITY_METHOD_TREND;
    o->seed = 1;
}

int parity_project(parity_table *t, const parity_project_options *o, parity_result **out) {
    *out = NULL;
    parity_project_options def;
    if (!o) {
        parity_project_options_init(&def);
        o = &def;
    }
    switch (o->method) {
    case PARITY_METHOD_TREND: return trend_project(t, o, out);
    case PARITY_METHOD_FLOW: return flow_project(t, o, out);
    }
    return errmsg_set(table_errbuf(t), PARITY_USAGE, "unknown projection method %d", (int)o->method);
}

/* The options behind a handle own their strings. The options come first:
** the handle is a pointer to them. */
typedef struct options_handle {
    parity_project_options o;
    char *by, *at;
    char **set, **targets;
    size_t nset, ntargets;
} options_handle;

parity_project_options *parity_project_options_new(void) {
    options_handle *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    parity_project_options_init(&h->o);
    return &h->o;
}

void parity_project_options_free(parity_project_options *o) {
    if (!o) return;
    options_handle *h = (options_handle *)o;
    free(h->by);
    free(h->at);
    for (size_t i = 0; i < h->nset; i++) free(h->set[i]);
    free(h->set);
    for (size_t i = 0; i < h->ntargets; i++) free(h->targets[i]);
    free(h->targets);
    free(h);
}

/* A whole number in [lo, hi] from text; false when it is not one. */
static bool whole_in(const char *v, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi) return false;
    *out = n;
    return true;
}

static int replace_str(char **slot, const char *v) {
    char *copy = v ? str_dup(v) : NULL;
    if (v && !copy) return PARITY_NOMEM;
    free(*slot);
    *slot = copy;
    return PARITY_OK;
}

int parity_project_options_set(parity_project_options *o, const char *key, const char *value) {
    if (!o || !key) return PARITY_USAGE;
    options_handle *h = (options_handle *)o;
    long n;
    char *end;
    if (strcmp(key, "method") == 0 && value) {
        if (strcmp(value, "trend") == 0) o->method = PARITY_METHOD_TREND;
        else if (strcmp(value, "flow") == 0) o->method = PARITY_METHOD_FLOW;
        else return PARITY_USAGE;
        return PARITY_OK;
    }
    if (strcmp(key, "by") == 0) {
        int rc = replace_str(&h->by, value);
        o->by = h->by;
        return rc;
    }
    if (strcmp(key, "at") == 0) {
        int rc = replace_str(&h->at, value);
        o->at = h->at;
        return rc;
    }
    if ((strcmp(key, "set") == 0 || strcmp(key, "target") == 0) && value) {
        bool set = key[0] == 's';
        char ***list = set ? &h->set : &h->targets;
        size_t *count = set ? &h->nset : &h->ntargets;
        char **grown = realloc(*list, (*count + 1) * sizeof *grown);
        if (!grown) return PARITY_NOMEM;
        *list = grown;
        if (!(grown[*count] = str_dup(value))) return PARITY_NOMEM;
        (*count)++;
        o->set = (const char *const *)h->set;
        o->nset = h->nset;
        o->targets = (const char *const *)h->targets;
        o->ntargets = h->ntargets;
        return PARITY_OK;
    }
    if (!value) return PARITY_USAGE;
    if (strcmp(key, "horizon") == 0 && whole_in(value, 0, 2200, &n)) o->horizon = (int)n;
    else if (strcmp(key, "snapshots") == 0 && whole_in(value, 0, 1000000, &n)) o->snapshots = (int)n;
    else if (strcmp(key, "periods") == 0 && whole_in(value, 0, 1000000, &n)) o->periods = (int)n;
    else if (strcmp(key, "simulations") == 0 && whole_in(value, 0, 100000, &n)) o->simulations = (int)n;
    else if (strcmp(key, "seed") == 0 && whole_in(value, 0, LONG_MAX, &n)) o->seed = (unsigned long)n;
    else if (strcmp(key, "fixed_rates") == 0 && whole_in(value, 0, 1, &n)) o->fixed_rates = (int)n;
    else if (strcmp(key, "growth") == 0 && (o->growth = strtod(value, &end), end != value && !*end))
        return PARITY_OK;
    else return PARITY_USAGE;
    return PARITY_OK;
}
