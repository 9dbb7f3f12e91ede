/* Damaged and hostile stores: every case refused with a message that names
** the snapshot and the column, nothing computed from it, never a crash or
** a wrong number; stores created safely against a concurrent creator and
** never adopted from a file others may read; I/O failures said as what
** they are. Each case was a crash, a sanitizer report or a wrong number
** before (the numbered cases of the hostile-input issue). */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "markov.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"
#include "trend.h"

static char dir[64];

static void setup(void) {
    snprintf(dir, sizeof dir, "/tmp/parity-hostile-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void) {
    char cmd[160];
    snprintf(cmd, sizeof cmd, "chattr -i %s 2>/dev/null; rm -rf %s", dir, dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(hostile, .init = setup, .fini = teardown);

static const char *path_in(const char *name) {
    static char p[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

/* Two yearly snapshots of 40 people (staff ids, sex, grade, duty station,
** entry date): 20 women and 20 men each year; s8's entry date corrected in
** the second (a row whose date is not its person's). */
static const char *write_history(const char *name) {
    const char *path = path_in(name);
    FILE *f = fopen(path, "w");
    fprintf(f, "snapshot_date,staff_id,sex,grade,duty_station,entry_date\n");
    for (int y = 2024; y <= 2025; y++)
        for (int i = 0; i < 40; i++) {
            int k = i + (y - 2024) * 4;
            fprintf(f, "%d-12-31,s%d,%c,P%d,%s,%s\n", y, k, "FM"[i % 2], 1 + i % 5,
                    i % 3 ? "Geneva" : "Nairobi", y == 2025 && k == 8 ? "2011-05-05" : "2010-01-01");
        }
    fclose(f);
    return path;
}

/* A store at db holding the history. */
static void seed(const char *db) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv(t, write_history("h.csv"), NULL), PARITY_OK);
    parity_store *s;
    cr_assert_eq(parity_store_open(db, PARITY_STORE_CREATE, &s), PARITY_OK, "%s",
                 parity_store_errmsg(s));
    size_t a, u, r;
    cr_assert_eq(parity_store_import(s, t, 0, &a, &u, &r), PARITY_OK, "%s", parity_store_errmsg(s));
    parity_store_close(s);
    parity_table_free(t);
}

static void sql(const char *db, const char *text) {
    sqlite3 *h;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    char *err = NULL;
    cr_assert_eq(sqlite3_exec(h, text, NULL, NULL, &err), SQLITE_OK, "%s: %s", text, err);
    sqlite3_close(h);
}

/* A table of the store drops its constraints, as a damaged file may have
** none to keep (the schema is the first thing a damaged page takes). */
static void loosen(const char *db, const char *table) {
    char text[512];
    /* rows copied in rowid order keep their rowids (1, 2, ...) */
    snprintf(text, sizeof text,
             "CREATE TABLE loose AS SELECT * FROM %s ORDER BY rowid; DROP TABLE %s; "
             "ALTER TABLE loose RENAME TO %s;",
             table, table, table);
    sql(db, text);
}

/* Loads db into a new table: the status, and the message in msg. */
static int load_db(const char *db, char *msg, size_t cap) {
    parity_store *s;
    int rc = parity_store_open(db, PARITY_STORE_READ, &s);
    parity_table *t = parity_table_new(NULL);
    if (rc == PARITY_OK) rc = parity_table_load_store(t, s);
    snprintf(msg, cap, "%s", rc == PARITY_OK ? "" : parity_table_errmsg(t)[0] ? parity_table_errmsg(t) : parity_store_errmsg(s));
    if (rc != PARITY_OK) cr_assert_eq(parity_table_nrows(t), 0, "nothing is kept of a damaged store");
    parity_table_free(t);
    parity_store_close(s);
    return rc;
}

/* 1. Codes out of range: staff ids beyond the dictionary, a sex code 7 --
** caught by the blob's checksum, and without one by the range check. */
Test(hostile, codes_out_of_range) {
    char db[160];
    snprintf(db, sizeof db, "%s", path_in("r.db"));
    char msg[PARITY_ERRMSG_MAX];
    struct {
        const char *damage, *want;
    } cases[] = {
        {"UPDATE column_blob SET data = randomblob(length(data)) WHERE name='staff_id' AND "
         "snapshot_date='2025-12-31'",
         "column staff_id of snapshot 2025-12-31 fails its checksum"},
        {"UPDATE column_blob SET data = CAST(x'07' || substr(data, 2) AS BLOB) WHERE name='sex' AND "
         "snapshot_date='2025-12-31'",
         "column sex of snapshot 2025-12-31 fails its checksum"},
        {"UPDATE column_blob SET xxh3 = NULL, data = CAST(x'FEFFFF7F' || substr(data, 5) AS BLOB) "
         "WHERE name='staff_id' AND snapshot_date='2025-12-31'",
         "column staff_id of snapshot 2025-12-31 holds staff codes that do not decode to the staff "
         "dictionary"},
        /* the first row's code 60 (of 44): zigzag 122 */
        {"UPDATE column_blob SET xxh3 = NULL, data = CAST(x'7A' || substr(data, 2) AS BLOB) "
         "WHERE name='staff_id' AND snapshot_date='2025-12-31'",
         "column staff_id of snapshot 2025-12-31 holds staff codes that do not decode to the staff "
         "dictionary"},
        /* s8's corrected date, its row number changed to one beyond the snapshot */
        {"UPDATE column_blob SET xxh3 = NULL, data = CAST(x'50000000' || substr(data, 5) AS BLOB) "
         "WHERE name='entry_date' AND snapshot_date='2025-12-31'",
         "column entry_date of snapshot 2025-12-31 lists rows beyond the snapshot's"},
        {"UPDATE column_blob SET data = CAST(x'05000000' || substr(data, 5) AS BLOB) "
         "WHERE name='entry_date' AND snapshot_date='2025-12-31'",
         "column entry_date of snapshot 2025-12-31 fails its checksum"},
        {"UPDATE person SET ids = CAST(x'74' || substr(ids, 2) AS BLOB)",
         "the staff dictionary fails its checksum (its bytes changed since import), at code 0"},
        {"UPDATE person SET entry_date = CAST(x'00' || substr(entry_date, 2) AS BLOB)",
         "the staff dictionary fails its checksum"},
        {"UPDATE column_blob SET xxh3 = NULL, data = CAST(x'07' || substr(data, 2) AS BLOB) "
         "WHERE name='sex' AND snapshot_date='2025-12-31'",
         "column sex of snapshot 2025-12-31 holds a sex code other than F, M, X, U"},
        /* one flipped bit in a sex code that stays in range: the checksum */
        {"UPDATE column_blob SET data = CAST(x'01' || substr(data, 2) AS BLOB) WHERE name='sex' AND "
         "snapshot_date='2024-12-31'",
         "column sex of snapshot 2024-12-31 fails its checksum"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        remove(db);
        seed(db);
        sql(db, cases[k].damage);
        cr_assert_eq(load_db(db, msg, sizeof msg), PARITY_IO, "case %zu", k);
        cr_assert(strstr(msg, cases[k].want), "case %zu: %s", k, msg);
    }
}

/* 2. NULLs and impossible values in the store's tables, missing blobs. */
Test(hostile, nulls_impossible_values_and_missing_columns) {
    char db[160];
    snprintf(db, sizeof db, "%s", path_in("n.db"));
    char msg[PARITY_ERRMSG_MAX];
    struct {
        const char *table, *damage, *want;
    } cases[] = {
        {"person", "UPDATE person SET ids = NULL", "the staff dictionary has a chunk of ids that do "
                                                   "not read, at code 0"},
        {"person", "UPDATE person SET first_code = 3", "the staff dictionary has a gap at code 0"},
        {"person", "UPDATE person SET entry_date = x'00'", "has dates of the wrong length, at code 0"},
        {"person", "UPDATE person SET xxh3 = NULL", "the staff dictionary fails its checksum"},
        {"column_blob", "UPDATE column_blob SET data = x'00' WHERE name = 'entry_date' AND "
                        "snapshot_date = '2024-12-31'",
         "column entry_date of snapshot 2024-12-31 has the wrong length"},
        {"column_blob", "UPDATE column_blob SET name = NULL WHERE name = 'grade' AND "
                        "snapshot_date = '2024-12-31'",
         "has no name or kind"},
        {"column_blob", "UPDATE column_blob SET kind = NULL WHERE name = 'sex'",
         "has no name or kind"},
        {"snapshot", "UPDATE snapshot SET snapshot_date = NULL WHERE snapshot_date = '2024-12-31'",
         "its list of snapshots has a missing date or an impossible number of rows"},
        {"snapshot", "UPDATE snapshot SET rows = -1", "an impossible number of rows"},
        {"snapshot", "UPDATE snapshot SET rows = 1e12", "an impossible number of rows"},
        {"snapshot", "UPDATE snapshot SET rows = 41 WHERE snapshot_date = '2025-12-31'",
         "has the wrong length for the snapshot's rows"},
        {"column_blob", "DELETE FROM column_blob WHERE snapshot_date = '2025-12-31'",
         "column sex of snapshot 2025-12-31 is missing"},
        {"column_blob", "DELETE FROM column_blob WHERE name = 'grade' AND snapshot_date = '2024-12-31'",
         "column grade of snapshot 2024-12-31 is missing"},
        {"snapshot", "UPDATE snapshot SET snapshot_date = '2024-13-45' WHERE snapshot_date = "
                     "'2024-12-31'",
         "snapshot date \"2024-13-45\" is not a date"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        remove(db);
        seed(db);
        loosen(db, cases[k].table);
        sql(db, cases[k].damage);
        cr_assert_neq(load_db(db, msg, sizeof msg), PARITY_OK, "case %zu", k);
        cr_assert(strstr(msg, cases[k].want), "case %zu: %s", k, msg);
    }
    /* a NULL checksum or source on a stored snapshot: an import compares
    ** and refuses instead of crashing */
    remove(db);
    seed(db);
    loosen(db, "snapshot");
    sql(db, "UPDATE snapshot SET checksum = NULL, source = NULL");
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv(t, write_history("h2.csv"), NULL), PARITY_OK);
    parity_store *s;
    cr_assert_eq(parity_store_open(db, PARITY_STORE_WRITE, &s), PARITY_OK);
    size_t a, u, r;
    cr_assert_eq(parity_store_import(s, t, 0, &a, &u, &r), PARITY_INVALID);
    cr_assert(strstr(parity_store_errmsg(s), "from (an unknown file)"), "%s", parity_store_errmsg(s));
    parity_store_close(s);
    parity_table_free(t);
}

/* 5. Concurrent first imports into a store that does not exist yet: one
** creates the schema, the others wait and find it. */
Test(hostile, concurrent_creators) {
    for (int round = 0; round < 10; round++) {
        char db[160];
        snprintf(db, sizeof db, "%s/c%d.db", dir, round);
        pid_t kids[4];
        for (int k = 0; k < 4; k++) {
            char csv[160];
            snprintf(csv, sizeof csv, "%s/c%d_%d.csv", dir, round, k);
            FILE *f = fopen(csv, "w");
            fprintf(f, "staff_id,sex,grade\n%d,F,P4\n", k);
            fclose(f);
            kids[k] = fork();
            cr_assert_geq(kids[k], 0);
            if (kids[k] == 0) {
                char date[16];
                snprintf(date, sizeof date, "20%02d-12-31", 10 + k);
                parity_table *t = parity_table_new(NULL);
                if (parity_table_load_csv(t, csv, date) != PARITY_OK) _exit(3);
                parity_store *s;
                if (parity_store_open(db, PARITY_STORE_CREATE, &s) != PARITY_OK) {
                    fprintf(stderr, "%s\n", parity_store_errmsg(s));
                    _exit(2);
                }
                size_t a, u, r;
                int rc = parity_store_import(s, t, 0, &a, &u, &r);
                if (rc != PARITY_OK) fprintf(stderr, "%s\n", parity_store_errmsg(s));
                _exit(rc == PARITY_OK ? 0 : 4);
            }
        }
        for (int k = 0; k < 4; k++) {
            int status;
            cr_assert_eq(waitpid(kids[k], &status, 0), kids[k]);
            cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "round %d child %d: %d",
                      round, k, WEXITSTATUS(status));
        }
        char msg[PARITY_ERRMSG_MAX];
        cr_assert_eq(load_db(db, msg, sizeof msg), PARITY_OK, "%s", msg);
    }
}

/* 6. A store is made only in a file that is private: not an existing file
** others may read, not through a symbolic link; an empty private file is
** adopted. */
Test(hostile, private_only_when_adopted) {
    mode_t old = umask(0);
    char open_file[160];
    snprintf(open_file, sizeof open_file, "%s", path_in("pre.db"));
    FILE *f = fopen(open_file, "w");
    fclose(f);
    chmod(open_file, 0666);
    parity_store *s;
    cr_assert_eq(parity_store_open(open_file, PARITY_STORE_CREATE, &s), PARITY_IO);
    cr_assert(strstr(parity_store_errmsg(s), "an existing file others may read (mode 0666)"), "%s",
              parity_store_errmsg(s));
    parity_store_close(s);
    struct stat st;
    cr_assert_eq(stat(open_file, &st), 0);
    cr_assert_eq(st.st_size, 0, "nothing written into it");
    const char *target = path_in("elsewhere.db"), *link = path_in("link.db");
    f = fopen(target, "w");
    fclose(f);
    chmod(target, 0600);
    cr_assert_eq(symlink(target, link), 0);
    cr_assert_eq(parity_store_open(link, PARITY_STORE_CREATE, &s), PARITY_IO);
    cr_assert(strstr(parity_store_errmsg(s), "a symbolic link"), "%s", parity_store_errmsg(s));
    parity_store_close(s);
    cr_assert_eq(stat(target, &st), 0);
    cr_assert_eq(st.st_size, 0, "nothing written through the link");
    /* private and empty: adopted */
    cr_assert_eq(parity_store_open(target, PARITY_STORE_CREATE, &s), PARITY_OK, "%s",
                 parity_store_errmsg(s));
    parity_store_close(s);
    /* a new store is 0600 whatever the umask */
    cr_assert_eq(parity_store_open(path_in("new.db"), PARITY_STORE_CREATE, &s), PARITY_OK);
    parity_store_close(s);
    cr_assert_eq(stat(path_in("new.db"), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    umask(old);
}

/* 7. I/O failures are said as what they are: a file that is no database;
** a full disk (a file size limit stands in for it); a store in a
** directory nothing may be written to (an immutable directory, where the
** system allows making one) is read as it is. */
Test(hostile, io_failures_said_as_they_are) {
    const char *junk = path_in("junk.db");
    FILE *f = fopen(junk, "w");
    for (int i = 0; i < 4096; i++) fputc(i * 7 % 251, f);
    fclose(f);
    parity_store *s;
    cr_assert_eq(parity_store_open(junk, PARITY_STORE_READ, &s), PARITY_IO);
    cr_assert(strstr(parity_store_errmsg(s), "not a parity store (not an SQLite database)"), "%s",
              parity_store_errmsg(s));
    parity_store_close(s);

    /* a full disk while importing: the child's files may not grow */
    char db[160];
    snprintf(db, sizeof db, "%s", path_in("full.db"));
    seed(db);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct stat st;
        stat(db, &st);
        struct rlimit lim = {(rlim_t)st.st_size, (rlim_t)st.st_size};
        setrlimit(RLIMIT_FSIZE, &lim);
        parity_table *t = parity_table_new(NULL);
        char csv[160];
        snprintf(csv, sizeof csv, "%s/big.csv", dir);
        FILE *b = fopen(csv, "w");
        if (!b) _exit(9); /* cannot even write the input: limit in place */
        fclose(b);
        /* the input in memory, so that only the store's writes hit the limit */
        char *text = malloc(1 << 20), *p = text;
        p += sprintf(p, "staff_id,sex,grade,unit\n");
        for (int i = 0; i < 20000; i++) p += sprintf(p, "x%d,%c,P3,unit%d\n", i, "FM"[i % 2], i);
        if (parity_table_load_csv_buffer(t, "big.csv", text, (size_t)(p - text), "2030-12-31"))
            _exit(8);
        parity_store *w;
        if (parity_store_open(db, PARITY_STORE_WRITE, &w) != PARITY_OK) _exit(7);
        size_t a, u, r;
        int rc = parity_store_import(w, t, 0, &a, &u, &r);
        const char *m = parity_store_errmsg(w);
        _exit(rc == PARITY_IO && !strstr(m, "not a parity store") &&
                      (strstr(m, "full") || strstr(m, "disk") || strstr(m, "I/O"))
                  ? 0
                  : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "full disk: %d", WEXITSTATUS(status));
    char msg[PARITY_ERRMSG_MAX];
    cr_assert_eq(load_db(db, msg, sizeof msg), PARITY_OK, "the store as it was: %s", msg);

    /* a read-only directory: readers read; the store is never called
    ** "not a parity store" */
    const char *ro = path_in("ro");
    mkdir(ro, 0700);
    char rodb[200], cmd[300];
    snprintf(rodb, sizeof rodb, "%s/s.db", ro);
    seed(rodb);
    snprintf(cmd, sizeof cmd, "chattr +i %s 2>/dev/null", ro);
    if (system(cmd) != 0) {
        cr_log_warn("chattr +i not permitted here: read-only directory case not run");
        return;
    }
    int rc = load_db(rodb, msg, sizeof msg);
    snprintf(cmd, sizeof cmd, "chattr -i %s", ro);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(rc, PARITY_OK, "%s", msg);
}
