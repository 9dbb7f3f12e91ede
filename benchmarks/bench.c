/*
** bench.c -- parity-bench: times parity's kernels in one process, through
** the public API only, for benchmarks/run.
**
**   parity-bench FILE.csv [--db STORE] [--threads N]
**
** Prints one tab-separated line per kernel: "parity", the kernel, seconds,
** the resident bytes per row of the loaded table (on the load's line), and
** the bytes the kernel has to read from memory: its columns over the rows
** it scans (grade codes 1 byte, sex 1, staff ids 4, the duty station's
** code 1; flows also look up and write a 4-byte position per person).
** Kernels: load_csv (CSV into the columnar table), representation (by
** grade, latest snapshot), flows (by grade, pooled over every period),
** trend (projection by grade over every snapshot), end_to_end (a fresh
** process's whole job: load, representation, flows, trend), store_reload
** (the same history from the store, when --db names one already imported).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "parity.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident set size now, in bytes (/proc/self/statm). */
static double rss_bytes(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        fclose(f);
    }
    return (double)resident * (double)sysconf(_SC_PAGESIZE);
}

static void die(const char *what, const char *msg) {
    fprintf(stderr, "parity-bench: %s: %s\n", what, msg);
    exit(1);
}

static void check(int rc, parity_table *t, const char *what) {
    if (rc != PARITY_OK) die(what, parity_table_errmsg(t));
}

/* The analyses of the whole job; returns nothing, frees what it makes. */
static void analyses(parity_table *t, double *tr, double *tf, double *tt) {
    parity_result *r;
    char first[11];
    double t0 = now();
    check(parity_representation(t, "grade", NULL, &r), t, "representation");
    parity_result_free(r);
    double t1 = now();
    check(parity_table_snapshot(t, 0, first, NULL), t, "snapshot");
    check(parity_flows(t, "grade", first, NULL, NULL, &r), t, "flows");
    parity_result_free(r);
    double t2 = now();
    parity_project_options o;
    parity_project_options_init(&o);
    check(parity_project(t, &o, &r), t, "trend");
    parity_result_free(r);
    double t3 = now();
    if (tr) *tr = t1 - t0;
    if (tf) *tf = t2 - t1;
    if (tt) *tt = t3 - t2;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: parity-bench FILE.csv [--db STORE] [--threads N]\n");
        return 2;
    }
    const char *csv = argv[1], *db = NULL;
    int threads = 0;
    for (int i = 2; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--db") == 0) db = argv[++i];
        else if (strcmp(argv[i], "--threads") == 0) threads = atoi(argv[++i]);
    }
    parity_config *cfg = parity_config_new();
    if (!cfg) die("config", "out of memory");

    /* the whole job first, in a fresh process's state */
    double start = now();
    parity_table *t = parity_table_new(cfg);
    parity_table_set_threads(t, threads);
    double before = rss_bytes();
    check(parity_table_load_csv(t, csv, NULL), t, csv);
    double loaded = now();
#ifdef __GLIBC__
    malloc_trim(0); /* as the CLI does after a load: the threads' arenas given back */
#endif
    double after = rss_bytes();
    double rows = (double)parity_table_nrows(t);
    size_t last_rows = 0;
    char last[11];
    check(parity_table_snapshot(t, parity_table_nsnapshots(t) - 1, last, &last_rows), t,
          "snapshot");
    double tr, tf, tt;
    analyses(t, &tr, &tf, &tt);
    double end = now();
    printf("parity\tload_csv\t%.6f\t%.2f\t\n", loaded - start, (after - before) / rows);
    printf("parity\trepresentation\t%.6f\t\t%.0f\n", tr, (double)last_rows * 2);
    printf("parity\tflows\t%.6f\t\t%.0f\n", tf, rows * (4 + 1 + 1 + 1 + 8));
    printf("parity\ttrend\t%.6f\t\t%.0f\n", tt, rows * 2);
    printf("parity\tend_to_end\t%.6f\t\t\n", end - start);
    parity_table_free(t);

    if (db) {
        parity_store *s = NULL;
        double t0 = now();
        t = parity_table_new(cfg);
        if (parity_store_open(db, 0, &s) != PARITY_OK) die(db, parity_store_errmsg(s));
        check(parity_table_load_store(t, s), t, db);
        double t1 = now();
        printf("parity\tstore_reload\t%.6f\t\t\n", t1 - t0);
        parity_store_close(s);
        parity_table_free(t);
    }
    parity_config_free(cfg);
    return 0;
}
