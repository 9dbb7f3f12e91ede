/* libFuzzer target: the store reader on a damaged store file. The input is
** a whole store file (the seed corpus: stores imported from tests/data),
** which libFuzzer mutates; it is written to a file of its own and read as
** every command reads: the snapshot list, the whole history, and the
** columns a query names; then the analyses. No crash, no sanitizer
** report; a store that loads gives analyses that run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parity.h"

static char path[64];

static void run(int mode_columns) {
    parity_store *s = NULL;
    if (parity_store_open(path, PARITY_STORE_READ, &s) != PARITY_OK) {
        if (!parity_store_errmsg(s)) abort();
        parity_store_close(s);
        return;
    }
    parity_result *r = NULL;
    if (parity_store_snapshots(s, &r) == PARITY_OK) {
        FILE *null = fopen("/dev/null", "w");
        parity_result_write(r, null, PARITY_FORMAT_JSON);
        fclose(null);
    }
    parity_result_free(r);
    parity_table *t = parity_table_new(NULL);
    const char *cols[] = {"duty_station", "unit"};
    int rc = mode_columns ? parity_table_load_store_columns(t, s, cols, 2)
                          : parity_table_load_store(t, s);
    if (rc == PARITY_OK) {
        r = NULL;
        parity_representation(t, "grade", NULL, &r);
        parity_result_free(r);
        r = NULL;
        parity_representation(t, "snapshot_date", NULL, &r);
        parity_result_free(r);
        r = NULL;
        parity_flows(t, "grade", NULL, NULL, NULL, &r);
        parity_result_free(r);
        parity_project_options o;
        parity_project_options_init(&o);
        o.method = PARITY_METHOD_FLOW;
        o.horizon = 0;
        r = NULL;
        parity_project(t, &o, &r);
        parity_result_free(r);
    } else if (parity_table_nrows(t) != 0) {
        abort(); /* a refused store leaves the table empty */
    }
    parity_table_free(t);
    parity_store_close(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!path[0]) snprintf(path, sizeof path, "/tmp/parity-fuzz-store-%d.db", (int)getpid());
    char side[80];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    run(0);
    run(1);
    return 0;
}
