/*
** kernels.c -- parity-kernels: each kernel run N times in one process, its
** median reported, through the public API only -- so that the same file
** built against two versions of libparity times them side by side
** (benchmarks/compare).
**
**   parity-kernels FILE.csv STORE [N]
**
** Kernels: load_csv and store_reload (one thread, a fresh table each time),
** representation by grade, flows by grade over every period, trend and
** flow projections by grade (no Monte Carlo).
*/
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "parity.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, by_value);
    return v[n / 2];
}

static void check(int rc, const char *what, const char *msg) {
    if (rc == PARITY_OK) return;
    fprintf(stderr, "parity-kernels: %s: %s\n", what, msg);
    exit(1);
}

enum { K_LOAD, K_RELOAD, K_REP, K_FLOWS, K_TREND, K_FLOW, K_N };
static const char *const name[K_N] = {"load_csv",    "store_reload", "representation",
                                      "flows",       "trend",        "flow_projection"};

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: parity-kernels FILE.csv STORE [N]\n");
        return 2;
    }
    int n = argc > 3 ? atoi(argv[3]) : 15;
    if (n < 1) n = 1;
    double *t[K_N];
    for (int k = 0; k < K_N; k++)
        if (!(t[k] = malloc((size_t)n * sizeof *t[k]))) return 1;
    for (int i = 0; i < n; i++) {
        parity_table *tab = parity_table_new(NULL);
        parity_table_set_threads(tab, 1);
        double a = now();
        check(parity_table_load_csv(tab, argv[1], NULL), argv[1], parity_table_errmsg(tab));
        t[K_LOAD][i] = now() - a;
        parity_table_free(tab);

        tab = parity_table_new(NULL);
        parity_store *s = NULL;
        check(parity_store_open(argv[2], PARITY_STORE_READ, &s), argv[2], parity_store_errmsg(s));
        a = now();
        check(parity_table_load_store(tab, s), argv[2], parity_table_errmsg(tab));
        t[K_RELOAD][i] = now() - a;
        parity_store_close(s);

        char first[11];
        parity_result *r;
        check(parity_table_snapshot(tab, 0, first, NULL), "snapshot", parity_table_errmsg(tab));
        a = now();
        check(parity_representation(tab, "grade", NULL, &r), "representation", parity_table_errmsg(tab));
        parity_result_free(r);
        double b = now();
        check(parity_flows(tab, "grade", first, NULL, NULL, &r), "flows", parity_table_errmsg(tab));
        parity_result_free(r);
        double c = now();
        parity_project_options o;
        parity_project_options_init(&o);
        check(parity_project(tab, &o, &r), "trend", parity_table_errmsg(tab));
        parity_result_free(r);
        double d = now();
        o.method = PARITY_METHOD_FLOW;
        o.simulations = 0;
        check(parity_project(tab, &o, &r), "flow projection", parity_table_errmsg(tab));
        parity_result_free(r);
        double e = now();
        t[K_REP][i] = b - a;
        t[K_FLOWS][i] = c - b;
        t[K_TREND][i] = d - c;
        t[K_FLOW][i] = e - d;
        parity_table_free(tab);
    }
    for (int k = 0; k < K_N; k++) {
        printf("%s\t%.6f\n", name[k], median(t[k], n));
        free(t[k]);
    }
    return 0;
}
