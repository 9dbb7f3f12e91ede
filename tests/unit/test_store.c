/* store.c: atomic, idempotent, private, concurrent, versioned, and the
** analyses it feeds equal to the same analyses from CSV. */
#include <criterion/criterion.h>
#include <signal.h>
#include <cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "markov.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"
#include "trend.h"

static char dir[64];

static void setup(void) {
    snprintf(dir, sizeof dir, "/tmp/parity-store-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

static const char *path_in(const char *name) {
    static char p[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

/* A CSV file of `people` staff over `years` snapshots from 2001. */
static const char *write_csv(const char *name, int people, int years, int first_year) {
    const char *path = path_in(name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "snapshot_date,staff_id,sex,grade,duty_station,unit\n");
    static const char *const G[] = {"G4", "P2", "P3", "P4", "D1"};
    for (int y = 0; y < years; y++)
        for (int i = 0; i < people; i++) {
            int id = i + y * (people / 10); /* a tenth leave and join each year */
            fprintf(f, "%d-12-31,s%d,%c,%s,%s,u%d\n", first_year + y, id, "FMFMX"[id % 5],
                    G[(id / 7 + y) % 5], id % 3 ? "Geneva" : "Nairobi", id % 4);
        }
    fclose(f);
    return path;
}

/* 600 staff a year from 2001 in 300 units (u0..u299, met in reverse order
** in 2002) and grades P1..P5. */
static const char *write_units_csv(const char *name, int years) {
    const char *path = path_in(name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "snapshot_date,staff_id,sex,grade,unit\n");
    for (int y = 0; y < years; y++)
        for (int i = 0; i < 600; i++) {
            int u = y ? 299 - i % 300 : i % 300;
            fprintf(f, "%d-12-31,s%d,%c,P%d,u%d\n", 2001 + y, i, "FM"[i % 2], 1 + i % 5, u);
        }
    fclose(f);
    return path;
}

static parity_table *load(const char *csv) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv(t, csv, NULL), PARITY_OK, "%s", parity_table_errmsg(t));
    return t;
}

/* A store opened to write, keeping plain rows for SQL: the tests below read
** them to see what an import did (parity_store_sql_rows). */
static parity_store *open_store(const char *db) {
    parity_store *s;
    int rc = parity_store_open(db, 1, &s);
    cr_assert_eq(rc, PARITY_OK, "%s", parity_store_errmsg(s));
    cr_assert_eq(parity_store_sql_rows(s), PARITY_OK, "%s", parity_store_errmsg(s));
    return s;
}

static int import(parity_store *s, const char *csv, int replace, size_t *added,
                  size_t *unchanged, size_t *replaced) {
    parity_table *t = load(csv);
    int rc = parity_store_import(s, t, replace, added, unchanged, replaced);
    parity_table_free(t);
    return rc;
}

static long scalar(const char *db, const char *sql) {
    sqlite3 *h;
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(h));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

/* An analysis rendered as JSON text, for byte-for-byte comparison; the
** name of the store it was read from, the one thing that differs from a
** CSV load by design, taken out. */
static char *as_json(parity_result *r) {
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert_eq(parity_result_write(r, m, PARITY_FORMAT_JSON), PARITY_OK);
    fclose(m);
    parity_result_free(r);
    cJSON *doc = cJSON_Parse(text);
    cr_assert_not_null(doc);
    free(text);
    cJSON_DeleteItemFromObject(cJSON_GetObjectItem(doc, "inputs"), "store");
    char *out = cJSON_Print(doc);
    cJSON_Delete(doc);
    return out;
}

/* A store at db holding csv, closed again. */
static void seed_store(const char *db, const char *csv) {
    parity_store *s = open_store(db);
    size_t a, u, r;
    cr_assert_eq(import(s, csv, 0, &a, &u, &r), PARITY_OK, "%s", parity_store_errmsg(s));
    parity_store_close(s);
}

/* Forks a child that imports csv into db and exits 0 on success. */
static pid_t import_in_child(const char *db, const char *csv) {
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        parity_store *cs;
        if (parity_store_open(db, 1, &cs) != PARITY_OK) _exit(2);
        size_t x, y, z;
        parity_table *t = parity_table_new(NULL);
        if (parity_table_load_csv(t, csv, NULL) != PARITY_OK) _exit(3);
        _exit(parity_store_import(cs, t, 0, &x, &y, &z) == PARITY_OK ? 0 : 4);
    }
    return pid;
}

TestSuite(store, .init = setup, .fini = teardown);

Test(store, analyses_from_store_equal_csv) {
    const char *csv = write_csv("h.csv", 2000, 4, 2001), *db = path_in("p.db");
    parity_store *s = open_store(db);
    size_t a, u, r;
    cr_assert_eq(import(s, csv, 0, &a, &u, &r), PARITY_OK, "%s", parity_store_errmsg(s));
    cr_assert_eq(a, 4);
    parity_table *from_csv = load(csv), *from_db = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_store(from_db, s), PARITY_OK, "%s", parity_table_errmsg(from_db));
    cr_assert_eq(parity_table_nrows(from_db), 8000);
    const char *bys[] = {"grade", "grade,duty_station", "unit,snapshot_date", "category"};
    for (size_t i = 0; i < 4; i++) {
        parity_result *x, *y;
        cr_assert_eq(parity_representation(from_csv, bys[i], NULL, &x), PARITY_OK);
        cr_assert_eq(parity_representation(from_db, bys[i], NULL, &y), PARITY_OK);
        char *jx = as_json(x), *jy = as_json(y);
        cr_assert_str_eq(jx, jy, "representation by %s", bys[i]);
        free(jx);
        free(jy);
        cr_assert_eq(parity_flows(from_csv, bys[i], "2001-12-31", NULL, NULL, &x), PARITY_OK);
        cr_assert_eq(parity_flows(from_db, bys[i], "2001-12-31", NULL, NULL, &y), PARITY_OK);
        jx = as_json(x);
        jy = as_json(y);
        cr_assert_str_eq(jx, jy, "flows by %s", bys[i]);
        free(jx);
        free(jy);
    }
    /* the plain rows agree with the stocks */
    cr_assert_eq(scalar(db, "SELECT count(*) FROM staff_row WHERE snapshot_date='2004-12-31' AND sex='F'"),
                 800);
    parity_table_free(from_csv);
    parity_table_free(from_db);
    parity_store_close(s);
}

Test(store, idempotent_and_replace) {
    const char *csv = write_csv("h.csv", 100, 2, 2001), *db = path_in("p.db");
    parity_store *s = open_store(db);
    size_t a, u, r;
    cr_assert_eq(import(s, csv, 0, &a, &u, &r), PARITY_OK);
    cr_assert(a == 2 && u == 0 && r == 0);
    cr_assert_eq(import(s, csv, 0, &a, &u, &r), PARITY_OK);
    cr_assert(a == 0 && u == 2 && r == 0);
    cr_assert_eq(scalar(db, "SELECT count(*) FROM staff_row"), 200);
    /* another file for 2002: refused, then replaced */
    const char *other = write_csv("o.csv", 50, 1, 2002);
    cr_assert_eq(import(s, other, 0, &a, &u, &r), PARITY_INVALID);
    cr_assert(strstr(parity_store_errmsg(s), "'replace'"));
    cr_assert_eq(scalar(db, "SELECT count(*) FROM staff_row"), 200);
    cr_assert_eq(import(s, other, 1, &a, &u, &r), PARITY_OK);
    cr_assert(a == 0 && r == 1);
    cr_assert_eq(scalar(db, "SELECT count(*) FROM staff_row"), 150);
    cr_assert_eq(scalar(db, "SELECT rows FROM snapshot WHERE snapshot_date='2002-12-31'"), 50);
    cr_assert_eq(parity_store_drop(s, "2001-12-31"), PARITY_OK);
    cr_assert_eq(parity_store_drop(s, "2001-12-31"), PARITY_NOTFOUND);
    cr_assert_eq(scalar(db, "SELECT count(*) FROM column_blob WHERE snapshot_date='2001-12-31'"), 0);
    parity_store_close(s);
}

Test(store, a_failed_import_changes_nothing) {
    const char *db = path_in("p.db");
    const char *a1 = write_csv("a.csv", 100, 1, 2001);
    parity_store *s = open_store(db);
    size_t a, u, r;
    cr_assert_eq(import(s, a1, 0, &a, &u, &r), PARITY_OK);
    /* two files in one import, the second in conflict: neither lands */
    const char *b = write_csv("b.csv", 80, 1, 2005), *c = write_csv("c.csv", 70, 1, 2001);
    parity_table *t = load(b);
    cr_assert_eq(parity_table_load_csv(t, c, NULL), PARITY_OK);
    cr_assert_eq(parity_store_import(s, t, 0, &a, &u, &r), PARITY_INVALID);
    cr_assert(strstr(parity_store_errmsg(s), "c.csv: snapshot 2001-12-31 is stored already, from "),
              "%s", parity_store_errmsg(s));
    cr_assert_eq(scalar(db, "SELECT count(*) FROM snapshot"), 1);
    cr_assert_eq(scalar(db, "SELECT count(*) FROM staff_row"), 100);
    parity_table_free(t);
    parity_store_close(s);
}

Test(store, killed_mid_import_leaves_the_store_as_it_was) {
    const char *db = path_in("p.db");
    const char *small = write_csv("a.csv", 100, 1, 2001);
    const char *big = write_csv("big.csv", 60000, 6, 2010);
    seed_store(db, small);
    for (int delay_ms = 50; delay_ms <= 400; delay_ms += 175) {
        pid_t pid = import_in_child(db, big);
        struct timespec ts = {0, delay_ms * 1000000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        /* either nothing of the big file or all of it, and consistent */
        long snaps = scalar(db, "SELECT count(*) FROM snapshot");
        long rows = scalar(db, "SELECT count(*) FROM staff_row");
        cr_assert(snaps == 1 || snaps == 7, "%ld snapshots", snaps);
        cr_assert_eq(rows, scalar(db, "SELECT coalesce(sum(rows),0) FROM snapshot"));
        cr_assert_eq(scalar(db, "SELECT count(*) FROM column_blob WHERE name='sex'"), snaps);
        sqlite3 *h;
        sqlite3_stmt *st;
        sqlite3_open(db, &h);
        sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL);
        cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
        cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
        sqlite3_finalize(st);
        sqlite3_close(h);
        if (snaps == 7) break; /* the import finished before the kill */
    }
}

Test(store, private_files) {
    const char *db = path_in("p.db");
    mode_t old = umask(0); /* even with a permissive umask */
    parity_store *s = open_store(db);
    umask(old);
    size_t a, u, r;
    cr_assert_eq(import(s, write_csv("a.csv", 50, 2, 2001), 0, &a, &u, &r), PARITY_OK);
    /* while the store is open in WAL mode its side files exist */
    const char *files[3] = {db, path_in("p.db-wal"), path_in("p.db-shm")};
    for (int i = 0; i < 3; i++) {
        struct stat st;
        cr_assert_eq(stat(files[i], &st), 0, "%s", files[i]);
        cr_assert_eq(st.st_mode & 0777, 0600, "%s is %o", files[i], st.st_mode & 0777);
    }
    parity_store_close(s);
}

Test(store, newer_schema_is_refused) {
    const char *db = path_in("p.db");
    parity_store *s = open_store(db);
    parity_store_close(s);
    sqlite3 *h;
    sqlite3_open(db, &h);
    sqlite3_exec(h, "PRAGMA user_version = 7", NULL, NULL, NULL);
    sqlite3_close(h);
    cr_assert_eq(parity_store_open(db, 0, &s), PARITY_ERROR);
    cr_assert(strstr(parity_store_errmsg(s), "schema version 7 is newer"), "%s", parity_store_errmsg(s));
    parity_store_close(s);
    cr_assert_eq(parity_store_open(path_in("none.db"), 0, &s), PARITY_NOTFOUND);
    parity_store_close(s);
    /* a SQLite file that is not a store */
    const char *other = path_in("other.db");
    sqlite3_open(other, &h);
    sqlite3_exec(h, "CREATE TABLE x(y)", NULL, NULL, NULL);
    sqlite3_close(h);
    cr_assert_eq(parity_store_open(other, 0, &s), PARITY_IO);
    parity_store_close(s);
}

Test(store, readers_during_an_import_and_two_imports_at_once) {
    const char *db = path_in("p.db");
    const char *small = write_csv("a.csv", 100, 1, 2001);
    const char *big = write_csv("big.csv", 40000, 5, 2010);
    const char *other = write_csv("o.csv", 300, 1, 2030);
    seed_store(db, small);
    size_t a, u, r;
    pid_t pid = import_in_child(db, big);
    /* readers keep reading a consistent store while the import runs */
    int reads = 0;
    for (int i = 0; i < 20; i++) {
        parity_store *rs;
        cr_assert_eq(parity_store_open(db, 0, &rs), PARITY_OK, "%s", parity_store_errmsg(rs));
        parity_table *t = parity_table_new(NULL);
        cr_assert_eq(parity_table_load_store(t, rs), PARITY_OK, "%s", parity_table_errmsg(t));
        size_t n = parity_table_nrows(t);
        cr_assert(n == 100 || n == 100 + 200000, "%zu rows", n);
        reads++;
        parity_table_free(t);
        parity_store_close(rs);
    }
    /* a second import at the same time waits for the first, then lands */
    parity_store *s2 = open_store(db);
    cr_assert_eq(import(s2, other, 0, &a, &u, &r), PARITY_OK, "%s", parity_store_errmsg(s2));
    parity_store_close(s2);
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    cr_assert_eq(scalar(db, "SELECT count(*) FROM snapshot"), 1 + 5 + 1);
    cr_assert_eq(reads, 20);
}

/* A query reads only its columns: the representation by the columns read
** equals the one from CSV; what needs other columns says so. */
Test(store, a_query_reads_only_its_columns) {
    const char *csv = write_csv("h.csv", 500, 3, 2001), *db = path_in("p.db");
    seed_store(db, csv);
    parity_store *s = open_store(db);
    parity_table *from_csv = load(csv), *t = parity_table_new(NULL);
    const char *cols[] = {"duty_station"};
    cr_assert_eq(parity_table_load_store_columns(t, s, cols, 1), PARITY_OK, "%s", parity_table_errmsg(t));
    cr_assert_eq(parity_table_nrows(t), 1500);
    cr_assert_eq(t->staff_ids.n, 0);          /* the staff ids were not read */
    cr_assert_eq(table_find_col(t, "unit"), -1); /* nor the unit */
    const char *bys[] = {"grade", "grade,duty_station", "category,snapshot_date"};
    for (size_t i = 0; i < 3; i++) {
        parity_result *x, *y;
        cr_assert_eq(parity_representation(from_csv, bys[i], NULL, &x), PARITY_OK);
        cr_assert_eq(parity_representation(t, bys[i], NULL, &y), PARITY_OK, "%s", parity_table_errmsg(t));
        char *jx = as_json(x), *jy = as_json(y);
        cr_assert_str_eq(jx, jy, "representation by %s", bys[i]);
        free(jx);
        free(jy);
    }
    parity_result *r = NULL;
    cr_assert_neq(parity_representation(t, "unit", NULL, &r), PARITY_OK);
    cr_assert_eq(parity_flows(t, "grade", NULL, NULL, NULL, &r), PARITY_USAGE);
    cr_assert(strstr(parity_table_errmsg(t), "read from the store without it"), "%s", parity_table_errmsg(t));
    cr_assert_eq(parity_table_load_csv(t, csv, NULL), PARITY_USAGE);
    size_t a, u, rp;
    cr_assert_eq(parity_store_import(s, t, 1, &a, &u, &rp), PARITY_USAGE);
    parity_table_free(t);
    /* staff ids asked for: flows as from CSV */
    t = parity_table_new(NULL);
    const char *with_staff[] = {"staff_id", "duty_station"}; /* moves: duty stations */
    cr_assert_eq(parity_table_load_store_columns(t, s, with_staff, 2), PARITY_OK);
    parity_result *x, *y;
    cr_assert_eq(parity_flows(from_csv, "grade", NULL, NULL, NULL, &x), PARITY_OK);
    cr_assert_eq(parity_flows(t, "grade", NULL, NULL, NULL, &y), PARITY_OK, "%s", parity_table_errmsg(t));
    char *jx = as_json(x), *jy = as_json(y);
    cr_assert_str_eq(jx, jy);
    free(jx);
    free(jy);
    parity_table_free(t);
    parity_table_free(from_csv);
    parity_store_close(s);
}

/* Codes are stored one byte wide up to 256 values, two beyond; values met
** in another order in a later snapshot are mapped, not copied. The stores
** of schema version 1 (every code four bytes) are read as they are. */
Test(store, narrow_codes_and_first_version_stores) {
    const char *csv = write_units_csv("u.csv", 2), *db = path_in("p.db");
    seed_store(db, csv);
    cr_assert_eq(scalar(db, "SELECT count(*) FROM column_blob WHERE name='unit' AND kind='dict16'"), 2);
    cr_assert_eq(scalar(db, "SELECT count(*) FROM column_blob WHERE name='grade' AND kind='dict8'"), 2);
    cr_assert_eq(scalar(db, "SELECT length(data) FROM column_blob WHERE name='grade' LIMIT 1"), 600);
    cr_assert_eq(scalar(db, "PRAGMA user_version"), 4);

    parity_table *from_csv = load(csv);
    const char *bys[] = {"unit", "grade,snapshot_date"};
    for (int version = 2; version >= 1; version--) {
        if (version == 1) {
            /* rewrite the blobs as the first stores wrote them */
            sqlite3 *h;
            sqlite3_stmt *sel, *upd;
            cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
            cr_assert_eq(sqlite3_prepare_v2(h, "SELECT rowid, kind, data FROM column_blob WHERE kind LIKE 'dict%'", -1, &sel, NULL), SQLITE_OK);
            cr_assert_eq(sqlite3_prepare_v2(h, "UPDATE column_blob SET kind='dict', data=? WHERE rowid=?", -1, &upd, NULL), SQLITE_OK);
            sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
            while (sqlite3_step(sel) == SQLITE_ROW) {
                const char *kind = (const char *)sqlite3_column_text(sel, 1);
                int w = strcmp(kind, "dict8") == 0 ? 1 : strcmp(kind, "dict16") == 0 ? 2 : 4;
                const unsigned char *d = sqlite3_column_blob(sel, 2);
                int n = sqlite3_column_bytes(sel, 2) / w;
                uint32_t *wide = malloc((size_t)n * 4);
                for (int i = 0; i < n; i++)
                    wide[i] = w == 1 ? d[i] : w == 2 ? (uint32_t)(d[2 * i] | d[2 * i + 1] << 8) : ((const uint32_t *)d)[i];
                sqlite3_bind_blob(upd, 1, wide, n * 4, SQLITE_TRANSIENT);
                sqlite3_bind_int64(upd, 2, sqlite3_column_int64(sel, 0));
                cr_assert_eq(sqlite3_step(upd), SQLITE_DONE);
                sqlite3_reset(upd);
                free(wide);
            }
            sqlite3_finalize(sel);
            sqlite3_finalize(upd);
            /* and without the blob checksums that came later */
            sqlite3_exec(h, "COMMIT; ALTER TABLE column_blob DROP COLUMN xxh3; "
                            "PRAGMA user_version = 1", NULL, NULL, NULL);
            sqlite3_close(h);
            cr_assert_eq(scalar(db, "SELECT count(*) FROM column_blob WHERE kind='dict'"), 4);
        }
        parity_store *s = NULL; /* read only: a store opened to read is not upgraded */
        cr_assert_eq(parity_store_open(db, PARITY_STORE_READ, &s), PARITY_OK, "%s", parity_store_errmsg(s));
        parity_table *t = parity_table_new(NULL);
        cr_assert_eq(parity_table_load_store(t, s), PARITY_OK, "%s", parity_table_errmsg(t));
        for (size_t i = 0; i < 2; i++) {
            parity_result *x, *y;
            cr_assert_eq(parity_representation(from_csv, bys[i], NULL, &x), PARITY_OK);
            cr_assert_eq(parity_representation(t, bys[i], NULL, &y), PARITY_OK);
            char *jx = as_json(x), *jy = as_json(y);
            cr_assert_str_eq(jx, jy, "version %d, by %s", version, bys[i]);
            free(jx);
            free(jy);
        }
        /* unit u7 in 2002: rows i with 299 - i % 300 == 7, i = 292 and 592 */
        long u7 = table_find_col(t, "unit");
        cr_assert_geq(u7, 0);
        size_t n7 = 0;
        for (size_t r = t->snap[1].begin; r < t->snap[1].end; r++)
            n7 += strcmp(dict_str(&t->cols[u7].dict, table_code_get(&t->cols[u7], r)), "u7") == 0;
        cr_assert_eq(n7, 2);
        parity_table_free(t);
        parity_store_close(s);
    }
    /* reading left version 1 as it was; opened to write, it becomes 4 */
    cr_assert_eq(scalar(db, "PRAGMA user_version"), 1);
    seed_store(db, write_csv("more.csv", 10, 1, 2010));
    cr_assert_eq(scalar(db, "PRAGMA user_version"), 4);
    cr_assert_eq(scalar(db, "SELECT count(*) FROM setting WHERE key = 'grade_order' AND value = 'un'"), 1);
    parity_table_free(from_csv);
}

/* A stored code beyond its snapshot's dictionary (a damaged file) is found
** whatever its width -- by the blob's checksum, and for a blob stored
** without one (older stores) by the range check -- and the table is left
** empty. */
Test(store, a_code_beyond_its_dictionary_is_damage) {
    /* 300 units: two-byte codes; 5 grades: one byte */
    const char *csv = write_units_csv("d.csv", 1), *db = path_in("d.db");
    const char *damage[] = {
        /* the last row's grade code (one byte) set to 200: 5 grades stored */
        "UPDATE column_blob SET data = CAST(substr(data, 1, 599) || x'C8' AS BLOB) WHERE name='grade'",
        /* the last row's unit code (two bytes) set to 0x0400: 301 values stored */
        "UPDATE column_blob SET data = CAST(substr(data, 1, 1198) || x'0004' AS BLOB) WHERE name='unit'",
    };
    for (size_t k = 0; k < 4; k++) {
        remove(db);
        seed_store(db, csv);
        sqlite3 *h;
        cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
        cr_assert_eq(sqlite3_exec(h, damage[k % 2], NULL, NULL, NULL), SQLITE_OK);
        if (k >= 2) cr_assert_eq(sqlite3_exec(h, "UPDATE column_blob SET xxh3 = NULL", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(h);
        parity_store *s = open_store(db);
        parity_table *t = parity_table_new(NULL);
        cr_assert_eq(parity_table_load_store(t, s), PARITY_IO);
        char want[128];
        snprintf(want, sizeof want, "column %s of snapshot 2001-12-31 %s", k % 2 ? "unit" : "grade",
                 k < 2 ? "fails its checksum" : "holds a code beyond its dictionary");
        cr_assert(strstr(parity_table_errmsg(t), want), "%s", parity_table_errmsg(t));
        cr_assert_eq(parity_table_nrows(t), 0);
        parity_table_free(t);
        parity_store_close(s);
    }
}

/* A snapshot is known by the checksum of the bytes loaded, read in the same
** read: new content under the same name and date is never "unchanged", and
** what came through a pipe is checksummed as it was read. */
Test(store, a_snapshot_is_known_by_its_content) {
    const char *db = path_in("p.db"), *csv = path_in("a.csv");
    FILE *f = fopen(csv, "w");
    fputs("staff_id,sex,grade\n1,F,P4\n2,M,P4\n", f);
    fclose(f);
    parity_store *s = open_store(db);
    size_t a, u, r;
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv(t, csv, "2024-12-31"), PARITY_OK);
    cr_assert_eq(parity_store_import(s, t, 0, &a, &u, &r), PARITY_OK);
    parity_table_free(t);
    /* the same file again: unchanged */
    t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv(t, csv, "2024-12-31"), PARITY_OK);
    cr_assert_eq(parity_store_import(s, t, 0, &a, &u, &r), PARITY_OK);
    cr_assert_eq(u, 1);
    cr_assert_eq(a + r, 0);
    parity_table_free(t);
    /* other bytes under the same name and date: refused, then replaced */
    f = fopen(csv, "w");
    fputs("staff_id,sex,grade\n1,F,P4\n2,F,P4\n", f);
    fclose(f);
    t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv(t, csv, "2024-12-31"), PARITY_OK);
    cr_assert_eq(parity_store_import(s, t, 0, &a, &u, &r), PARITY_INVALID);
    cr_assert(strstr(parity_store_errmsg(s), "with other content"), "%s", parity_store_errmsg(s));
    cr_assert_eq(parity_store_import(s, t, 1, &a, &u, &r), PARITY_OK);
    cr_assert_eq(r, 1);
    parity_table_free(t);
    cr_assert_eq(scalar(db, "SELECT sum(sex='F') FROM staff_row"), 2);
    /* read through a stream (a pipe's bytes, consumed as they are read) */
    FILE *in = fopen(csv, "r");
    t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv_stream(t, "<stdin>", in, "2024-12-31"), PARITY_OK);
    fclose(in);
    cr_assert_eq(parity_store_import(s, t, 0, &a, &u, &r), PARITY_OK);
    cr_assert_eq(u, 1); /* the same bytes as the stored file's */
    parity_table_free(t);
    parity_store_close(s);
}

/* A --by column the store does not have is told with the columns it has,
** though a query reads only the columns it names. */
Test(store, an_unknown_dimension_lists_the_stores) {
    const char *csv = write_csv("h.csv", 100, 2, 2001), *db = path_in("p.db");
    seed_store(db, csv);
    parity_store *s = open_store(db);
    parity_table *t = parity_table_new(NULL);
    const char *cols[] = {"department"};
    cr_assert_eq(parity_table_load_store_columns(t, s, cols, 1), PARITY_USAGE);
    cr_assert_str_eq(parity_table_errmsg(t),
                     "unknown dimension \"department\" (the store has: grade, category, "
                     "snapshot_date, duty_station, unit)");
    parity_table_free(t);
    parity_store_close(s);
}

/* A store keeps its rows as columns only, unless asked: then the rows of
** what is stored are written from the columns, and each later import writes
** its own -- the same rows the CSV has. */
Test(store, plain_rows_only_when_asked) {
    const char *csv = write_csv("r.csv", 120, 2, 2010), *more = write_csv("r2.csv", 80, 1, 2020);
    const char *db = path_in("r.db");
    parity_store *s;
    size_t a, u, r;
    cr_assert_eq(parity_store_open(db, PARITY_STORE_CREATE, &s), PARITY_OK);
    cr_assert_eq(import(s, csv, 0, &a, &u, &r), PARITY_OK, "%s", parity_store_errmsg(s));
    parity_store_close(s);
    cr_assert_eq(scalar(db, "SELECT count(*) FROM staff_row"), 0);
    cr_assert_eq(scalar(db, "SELECT value FROM setting WHERE key = 'sql_rows'"), 0);
    cr_assert_eq(parity_store_open(db, PARITY_STORE_WRITE, &s), PARITY_OK);
    cr_assert_eq(parity_store_sql_rows(s), PARITY_OK, "%s", parity_store_errmsg(s));
    cr_assert_eq(scalar(db, "SELECT count(*) FROM staff_row"), 240);
    cr_assert_eq(import(s, more, 0, &a, &u, &r), PARITY_OK, "%s", parity_store_errmsg(s));
    parity_store_close(s);
    cr_assert_eq(scalar(db, "SELECT count(*) FROM staff_row"), 320);
    cr_assert_eq(scalar(db, "SELECT value FROM setting WHERE key = 'sql_rows'"), 1);
    /* the rows say what the CSV says: women per snapshot, counted both ways */
    parity_table *t = load(csv);
    for (size_t k = 0; k < 2; k++) {
        char d[11], sql[160];
        size_t n;
        parity_table_snapshot(t, k, d, &n);
        long f = 0;
        for (size_t i = t->snap[k].begin; i < t->snap[k].end; i++) f += t->sex[i] == 0;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM staff_row WHERE snapshot_date = '%s' AND sex = 'F'", d);
        cr_assert_eq(scalar(db, sql), f, "%s", d);
    }
    parity_table_free(t);
}
