/* libFuzzer target: the CSV loader with every option that changes parsing,
** then the analyses on whatever loaded. The first bytes choose the options
** (delimiter, encoding, grade order, threads, a fixed date, combining, a
** date format); the rest is the file, loaded twice as two files (the
** second half as a second file) so that loads into a non-empty table are
** exercised too. Whatever the input: no crash, no sanitizer report, a
** status among the documented ones. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parity.h"

static void check(int rc) {
    if (rc != PARITY_OK && rc != PARITY_USAGE && rc != PARITY_INVALID && rc != PARITY_NOMEM &&
        rc != PARITY_IO && rc != PARITY_NOTFOUND && rc != PARITY_ERROR)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    uint8_t o = data[0], p = data[1];
    data += 2;
    size -= 2;
    parity_config *cfg = parity_config_new();
    static const char *const delims[] = {",", ";", "tab", "|"};
    static const char *const encodings[] = {"utf-8", "utf-8", "cp1252", "utf-16"};
    static const char *const orders[] = {"un", "none", "numeric", "un"};
    parity_config_set_delimiter(cfg, delims[o & 3]);
    parity_config_set_encoding(cfg, encodings[(o >> 2) & 3]);
    parity_config_set_grade_order(cfg, orders[(o >> 4) & 3]);
    if (p & 1) parity_config_set_date_format(cfg, NULL, "%m/%d/%Y");
    if (p & 2) parity_config_set_column(cfg, "sex", "Gender");
    if (p & 4) parity_config_drop_column(cfg, "name");
    parity_table *t = parity_table_new(cfg);
    parity_table_set_threads(t, (o & 0x40) ? 2 : 1);
    parity_table_set_combine(t, (o & 0x80) != 0);
    const char *date = (p & 8) ? "2024-12-31" : NULL;
    size_t half = (p & 16) ? size / 2 : size;
    check(parity_table_load_csv_buffer(t, "a.csv", (const char *)data, half, date));
    if (half < size)
        check(parity_table_load_csv_buffer(t, "b.csv", (const char *)data + half, size - half,
                                           (p & 32) ? "2025-12-31" : date));
    for (size_t i = 0; i < parity_table_ndiagnostics(t); i++)
        if (!parity_table_diagnostic(t, i)) abort();
    if (parity_table_nrows(t) > 0) {
        parity_result *r = NULL;
        const char *bys[] = {"grade", "", "category", "snapshot_date"};
        check(parity_representation(t, bys[p >> 6], NULL, &r));
        if (r) {
            FILE *null = fopen("/dev/null", "w");
            for (int f = 0; f < 4; f++) parity_result_write(r, null, (parity_format)f);
            fclose(null);
        }
        parity_result_free(r);
        r = NULL;
        check(parity_flows(t, "grade", NULL, NULL, NULL, &r));
        parity_result_free(r);
    }
    parity_table_free(t);
    parity_config_free(cfg);
    return 0;
}
