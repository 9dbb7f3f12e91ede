/*
** membw.c -- parity-membw: the machine's memory read bandwidth, measured
** in the same run as the kernels it is compared with.
**
**   parity-membw [THREADS] [MiB]
**
** Each thread sums its share of a buffer much larger than the caches
** (default 1024 MiB), best of five passes; prints bytes per second. A sum
** is what the engine's kernels do to their columns: read, once, in order.
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct part {
    const uint64_t *p;
    size_t n;
    uint64_t sum;
} part;

static void *sum_part(void *arg) {
    part *w = arg;
    uint64_t a = 0, b = 0, c = 0, d = 0;
    size_t i = 0;
    for (; i + 4 <= w->n; i += 4) {
        a += w->p[i];
        b += w->p[i + 1];
        c += w->p[i + 2];
        d += w->p[i + 3];
    }
    for (; i < w->n; i++) a += w->p[i];
    w->sum = a + b + c + d;
    return NULL;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    size_t mib = argc > 2 ? (size_t)atol(argv[2]) : 1024;
    if (threads < 1 || threads > 256 || mib < 64) {
        fprintf(stderr, "usage: parity-membw [THREADS] [MiB >= 64]\n");
        return 2;
    }
    size_t n = mib * 1024 * 1024 / sizeof(uint64_t);
    uint64_t *buf = malloc(n * sizeof *buf);
    part *parts = calloc((size_t)threads, sizeof *parts);
    pthread_t *tid = calloc((size_t)threads, sizeof *tid);
    if (!buf || !parts || !tid) {
        fprintf(stderr, "parity-membw: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < n; i++) buf[i] = i; /* touch every page */
    double best = 1e30;
    uint64_t check = 0;
    for (int pass = 0; pass < 5; pass++) {
        double t0 = now();
        for (int k = 0; k < threads; k++) {
            size_t lo = n * (size_t)k / (size_t)threads, hi = n * (size_t)(k + 1) / (size_t)threads;
            parts[k] = (part){buf + lo, hi - lo, 0};
            pthread_create(&tid[k], NULL, sum_part, &parts[k]);
        }
        for (int k = 0; k < threads; k++) {
            pthread_join(tid[k], NULL);
            check += parts[k].sum;
        }
        double t = now() - t0;
        if (t < best) best = t;
    }
    printf("%.0f\n", (double)(n * sizeof *buf) / best);
    fprintf(stderr, "parity-membw: %d thread%s, %zu MiB, checksum %llu\n", threads,
            threads == 1 ? "" : "s", mib, (unsigned long long)check);
    free(buf);
    free(parts);
    free(tid);
    return 0;
}
