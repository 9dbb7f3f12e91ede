/*
** store.c -- the embedded store: snapshot history in one SQLite file.
**
** Two layouts side by side, written in the same transaction:
**
**   staff_row    one plain row per staff member and snapshot, canonical
**                columns as text: for analysts with sqlite3 or any SQL tool;
**   column_blob  per snapshot and column, the engine's own columnar form
**                (a dictionary and an array of codes), so that reloading
**                the history into the core is a few memcpy-like loops per
**                column rather than a parse of every field.
**
** Staff ids have one dictionary for the whole store (staff_dict), so the
** codes in the blobs are the ids the table uses and matching people across
** snapshots needs no re-interning. An import is one IMMEDIATE transaction:
** it lands whole or not at all, also when the process is killed (SQLite's
** journal). The file is created 0600 before SQLite opens it; SQLite gives
** its -wal and -shm files the same mode. The schema version is
** PRAGMA user_version: 1 for the first stores, 2 since categorical codes
** may be stored one or two bytes wide (blob kinds dict8 and dict16 beside
** dict), 3 since the store keeps the settings its data was read with
** (table setting: the grade scale and the band, config.h) -- applied when
** it is read unless the reader sets them, and an import with other
** settings refused unless it replaces them. Versions 1 and 2 are read as
** they are, and become 3 when the store is opened for writing: one
** IMMEDIATE transaction, so a crash leaves the old store as it was.
*/
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>
#include <sqlite3.h>
#include <xxhash.h>

#include "group.h"
#include "result.h"
#include "table.h"

#define SCHEMA_VERSION 4
/* The day numbers a store holds: years 1000 to 9999 (date_from_ymd). */
#define DATE_MIN_STORED (-354285)
#define DATE_MAX_STORED 2932896
#define PSTR_(x) #x
#define PSTR(x) PSTR_(x)

struct parity_store {
    sqlite3 *db;
    char *path;
    bool replace_settings; /* an import may change the stored settings */
    char errmsg[PARITY_ERRMSG_MAX];
};

static const char schema[] =
    "CREATE TABLE snapshot("
    "  snapshot_date TEXT PRIMARY KEY NOT NULL CHECK(length(snapshot_date) = 10),"
    "  rows INTEGER NOT NULL CHECK(rows >= 0),"
    "  source TEXT NOT NULL,"
    "  checksum TEXT NOT NULL,"
    "  imported_at TEXT NOT NULL,"
    "  read_with TEXT);"
    "CREATE TABLE staff_row("
    "  snapshot_date TEXT NOT NULL,"
    "  staff_id TEXT,"
    "  sex TEXT NOT NULL,"
    "  grade TEXT NOT NULL,"
    "  department TEXT, duty_station TEXT, location_type TEXT, contract_type TEXT,"
    "  entry_date TEXT, birth_date TEXT,"
    "  count INTEGER NOT NULL DEFAULT 1);"
    "CREATE INDEX staff_row_date ON staff_row(snapshot_date);"
    "CREATE TABLE person("
    "  first_code INTEGER PRIMARY KEY NOT NULL,"
    "  ids BLOB NOT NULL,"
    "  entry_date BLOB,"
    "  birth_date BLOB,"
    "  xxh3 INTEGER NOT NULL);"
    "CREATE TABLE column_blob("
    "  snapshot_date TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  dict BLOB,"
    "  data BLOB NOT NULL,"
    "  xxh3 INTEGER,"
    "  PRIMARY KEY(snapshot_date, name));"
    "CREATE TABLE setting(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);"
    "INSERT INTO setting VALUES('sql_rows', '0');"
    "PRAGMA user_version = 4;";

static int sql_fail(parity_store *s, int status, const char *what) {
    return errmsg_set(s->errmsg, status, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

const char *parity_store_errmsg(const parity_store *s) {
    return s ? s->errmsg : "out of memory";
}

void parity_store_close(parity_store *s) {
    if (!s) return;
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

/* The store's file as an SQLite URI that opens it read-only without
** locking ("immutable"), for a store on read-only media or in a directory
** where SQLite cannot create the -shm file WAL readers need. */
static char *immutable_uri(const char *path) {
    size_t n = strlen(path);
    char *uri = malloc(3 * n + 32);
    if (!uri) return NULL;
    char *o = uri + sprintf(uri, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#') o += sprintf(o, "%%%02X", (unsigned char)*p);
        else *o++ = *p;
    }
    strcpy(o, "?immutable=1");
    return uri;
}

/* The one integer a query answers, or -1 (the message on s). */
static int query_int(parity_store *s, const char *sql) {
    sqlite3_stmt *q = NULL;
    int n = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* PRAGMA user_version, or -1 with the message on s. */
static int user_version(parity_store *s) { return query_int(s, "PRAGMA user_version"); }

/* The number of schema objects in the file, or -1. */
static int schema_objects(parity_store *s) { return query_int(s, "SELECT count(*) FROM sqlite_master"); }

/* Why SQLite could not read the file, as the caller should hear it: a file
** that is no database is "not a parity store"; a full disk, a read-only
** directory or an I/O error is said as what it is. */
static int read_fail(parity_store *s) {
    int code = sqlite3_errcode(s->db);
    if (code == SQLITE_NOTADB)
        return errmsg_set(s->errmsg, PARITY_IO, "%s: not a parity store (not an SQLite database)",
                        s->path);
    return errmsg_set(s->errmsg, code == SQLITE_BUSY ? PARITY_ERROR : PARITY_IO,
                    "%s: cannot read the store: %s", s->path, sqlite3_errmsg(s->db));
}

/* Puts the store in WAL mode (readers go on while an import writes): once,
** as the mode is kept in the file. Changing it needs the file to itself,
** and SQLite does not wait for that as it waits for a write lock, so a
** store another process is creating at the same moment is waited for
** here, up to the busy timeout. */
static int set_wal(parity_store *s) {
    for (int tries = 0;; tries++) {
        sqlite3_stmt *q = NULL;
        int rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &q, NULL);
        if (rc == SQLITE_OK) rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc == SQLITE_ROW || rc == SQLITE_DONE) return SQLITE_OK;
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || tries >= 1000) return rc;
        usleep(10000);
    }
}

/* The store's file: created (owner-only) when mode allows and it is
** absent; a regular file, through at most one symbolic link. *st its
** status, *created: made here, *link: path is a link. */
static int store_file(parity_store *s, const char *path, int mode, struct stat *st, bool *created,
                      bool *link) {
    *created = false;
    if (lstat(path, st) != 0) {
        if (errno != ENOENT)
            return errmsg_set(s->errmsg, PARITY_IO, "%s: %s", path, strerror(errno));
        if (mode != PARITY_STORE_CREATE)
            return errmsg_set(s->errmsg, PARITY_NOTFOUND,
                            "no store at %s (import snapshots with: parity import FILE, or "
                            "read CSV with 'input' FILE)",
                            path);
        /* personal data: owner-only from the first byte */
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
        if (fd < 0 && errno != EEXIST)
            return errmsg_set(s->errmsg, PARITY_IO, "%s: cannot create: %s", path, strerror(errno));
        if (fd >= 0) {
            *created = true;
            close(fd);
        }
        if (lstat(path, st) != 0)
            return errmsg_set(s->errmsg, PARITY_IO, "%s: %s", path, strerror(errno));
    }
    *link = S_ISLNK(st->st_mode);
    if (*link && stat(path, st) != 0)
        return errmsg_set(s->errmsg, PARITY_IO, "%s: %s", path, strerror(errno));
    if (!S_ISREG(st->st_mode))
        return errmsg_set(s->errmsg, PARITY_IO, "%s: not a regular file, so not a store", path);
    return PARITY_OK;
}

/* Opens the database and reads its schema version into *version: a store
** this parity reads, or an empty file when mode is CREATE. */
static int store_connect(parity_store *s, const char *path, int mode, int *version) {
    int flags = mode == PARITY_STORE_READ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK)
        return errmsg_set(s->errmsg, PARITY_IO, "%s: cannot open: %s", path, sqlite3_errmsg(s->db));
    sqlite3_busy_timeout(s->db, 10000);
    *version = user_version(s);
    if (*version < 0 && mode == PARITY_STORE_READ && sqlite3_errcode(s->db) != SQLITE_NOTADB) {
        /* a WAL store whose directory we cannot write (read-only media, a
        ** share): read it as immutable, as SQLite documents for such media */
        char *uri = immutable_uri(path);
        if (!uri) return errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
        sqlite3_close(s->db);
        s->db = NULL;
        int rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
        free(uri);
        if (rc != SQLITE_OK)
            return errmsg_set(s->errmsg, PARITY_IO, "%s: cannot open: %s", path, sqlite3_errmsg(s->db));
        *version = user_version(s);
    }
    if (*version < 0) return read_fail(s);
    if (*version > SCHEMA_VERSION)
        return errmsg_set(s->errmsg, PARITY_ERROR,
                        "%s: store schema version %d is newer than this parity reads (%d); "
                        "upgrade parity",
                        path, *version, SCHEMA_VERSION);
    if (*version == 0 && mode != PARITY_STORE_CREATE) {
        int objects = schema_objects(s);
        if (objects < 0) return read_fail(s);
        return errmsg_set(s->errmsg, PARITY_IO, "%s: %s", path,
                        objects ? "not a parity store"
                                : "an empty file, not a parity store yet (parity import FILE "
                                  "creates one)");
    }
    return PARITY_OK;
}

/* A new store, or a file to make one of. Checked and created in one
** IMMEDIATE transaction, so that a second creator waits, then finds the
** first one's schema instead of writing its own over it. */
static int store_create_schema(parity_store *s, const char *path) {
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return errmsg_set(s->errmsg, sqlite3_errcode(s->db) == SQLITE_BUSY ? PARITY_ERROR : PARITY_IO,
                        "%s: cannot create the schema: %s", path, sqlite3_errmsg(s->db));
    int rc = PARITY_OK;
    int version = user_version(s);
    int objects = version == 0 ? schema_objects(s) : 0;
    if (version < 0 || objects < 0) {
        rc = read_fail(s);
    } else if (version == 0 && objects) {
        rc = errmsg_set(s->errmsg, PARITY_IO, "%s: not a parity store", path);
    } else if (version == 0 && sqlite3_exec(s->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
        rc = sql_fail(s, PARITY_IO, "cannot create the schema");
    }
    if (rc == PARITY_OK && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = sql_fail(s, PARITY_IO, "cannot create the schema");
    if (rc != PARITY_OK) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int exec(parity_store *s, const char *sql);
/* Whether the store has table `table` (and its column `column`, when not
** NULL): the schema of an older version lacks some. */
static bool has_schema(parity_store *s, const char *table, const char *column) {
    sqlite3_stmt *q = NULL;
    const char *sql = column ? "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2"
                             : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1";
    bool yes = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) == SQLITE_OK &&
               sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC) == SQLITE_OK &&
               (!column || sqlite3_bind_text(q, 2, column, -1, SQLITE_STATIC) == SQLITE_OK) &&
               sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return yes;
}

typedef struct people people;
static int people_to_chunk(parity_store *s);

/* A store of version 1, 2 or 3 made version 4: the blobs' checksum column
** (version 1), the settings table (version 2), the people as one chunk of
** table person in place of staff_dict (version 3); one IMMEDIATE
** transaction. Blobs keep their kinds: every kind is read as it is. */
static int store_migrate(parity_store *s, int version) {
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sqlite3_errcode(s->db) == SQLITE_BUSY
                   ? errmsg_set(s->errmsg, PARITY_ERROR, "%s: the store is busy; try again", s->path)
                   : sql_fail(s, PARITY_IO, "cannot upgrade the store");
    int rc = PARITY_OK;
    if (!has_schema(s, "column_blob", "xxh3")) rc = exec(s, "ALTER TABLE column_blob ADD COLUMN xxh3 INTEGER");
    if (rc == PARITY_OK)
        rc = exec(s, "CREATE TABLE IF NOT EXISTS setting(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)");
    /* those stores kept their rows for SQL: they go on doing so */
    if (rc == PARITY_OK) rc = exec(s, "INSERT OR IGNORE INTO setting VALUES('sql_rows', '1')");
    if (rc == PARITY_OK) rc = people_to_chunk(s);
    if (rc == PARITY_OK && !has_schema(s, "snapshot", "read_with"))
        rc = exec(s, "ALTER TABLE snapshot ADD COLUMN read_with TEXT");
    if (rc == PARITY_OK) rc = exec(s, "PRAGMA user_version = " PSTR(SCHEMA_VERSION));
    if (rc == PARITY_OK) rc = exec(s, "COMMIT");
    if (rc != PARITY_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        errmsg_set(s->errmsg, rc, "%s: cannot upgrade the store from version %d: %s", s->path, version,
                   sqlite3_errmsg(s->db));
    }
    return rc;
}

int parity_store_open(const char *path, int mode, parity_store **out) {
    parity_store *s = calloc(1, sizeof *s);
    *out = s;
    if (!s) return PARITY_NOMEM;
    if (!(s->path = str_dup(path))) return PARITY_NOMEM;
    if (mode != PARITY_STORE_READ && mode != PARITY_STORE_CREATE && mode != PARITY_STORE_WRITE)
        return errmsg_set(s->errmsg, PARITY_USAGE, "unknown store mode %d", mode);
    struct stat st;
    bool created = false, link = false;
    int version = 0, rc;
    if ((rc = store_file(s, path, mode, &st, &created, &link)) != PARITY_OK ||
        (rc = store_connect(s, path, mode, &version)) != PARITY_OK)
        return rc;
    if (mode == PARITY_STORE_READ) return PARITY_OK;
    if (version == 0 && !created && (link || (st.st_mode & 077))) {
        /* a file parity did not create, not private: refused before a byte
        ** of it is written */
        if (link)
            return errmsg_set(s->errmsg, PARITY_IO,
                            "%s: a symbolic link to an empty file; parity creates a store only "
                            "in a file of its own (remove the link, or give the file's own path)",
                            path);
        return errmsg_set(s->errmsg, PARITY_IO,
                        "%s: an existing file others may read (mode %04o); a store holds "
                        "personal data and is readable by its owner only: remove the file, or "
                        "chmod 600 it, and import again",
                        path, (unsigned)(st.st_mode & 07777));
    }
    if (set_wal(s) != SQLITE_OK)
        return errmsg_set(s->errmsg, PARITY_IO, "%s: cannot open for writing: %s", path,
                        sqlite3_errmsg(s->db));
    if (version == 0) return store_create_schema(s, path);
    return version < SCHEMA_VERSION ? store_migrate(s, version) : PARITY_OK;
}

static int load_store(parity_table *t, parity_store *s, const char *const *want, size_t nwant);
static char *stored_setting(parity_store *s, const char *key, int *rc);
static int write_rows(parity_store *s, const parity_table *t, size_t k, const char *date,
                      sqlite3_stmt *ins_row);

int parity_store_sql_rows(parity_store *s) {
    int rc = PARITY_OK;
    char *v = stored_setting(s, "sql_rows", &rc);
    bool on = !v || strcmp(v, "0") != 0;
    free(v);
    if (rc != PARITY_OK || on) return rc;
    /* the rows of what is stored, from the columns, then kept from now on */
    parity_table *t = parity_table_new(NULL);
    if (!t) return errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
    rc = load_store(t, s, NULL, 0);
    if (rc != PARITY_OK) {
        errmsg_set(s->errmsg, rc, "%s", parity_table_errmsg(t));
        parity_table_free(t);
        return rc;
    }
    sqlite3_stmt *ins = NULL;
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        rc = sql_fail(s, PARITY_IO, "cannot write the rows");
    if (rc == PARITY_OK) rc = exec(s, "DELETE FROM staff_row");
    if (rc == PARITY_OK &&
        sqlite3_prepare_v2(s->db, "INSERT INTO staff_row VALUES(?,?,?,?,?,?,?,?,?,?,?)", -1, &ins, NULL) != SQLITE_OK)
        rc = sql_fail(s, PARITY_IO, "cannot write the rows");
    for (size_t k = 0; rc == PARITY_OK && k < t->nsnap; k++) {
        char date[11];
        date_format(t->snap[k].date, date);
        rc = write_rows(s, t, k, date, ins);
    }
    sqlite3_finalize(ins);
    if (rc == PARITY_OK) rc = exec(s, "INSERT OR REPLACE INTO setting VALUES('sql_rows', '1')");
    if (rc == PARITY_OK) rc = exec(s, "COMMIT");
    if (rc != PARITY_OK) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    parity_table_free(t);
    return rc;
}

void parity_store_set_replace_settings(parity_store *s, int on) {
    if (s) s->replace_settings = on != 0;
}

int parity_file_checksum(const char *path, char out[22]) {
    FILE *f = fopen(path, "rb");
    XXH3_state_t *h = XXH3_createState();
    int rc = f && h ? PARITY_OK : PARITY_IO;
    if (rc == PARITY_OK) {
        XXH3_64bits_reset(h);
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) XXH3_64bits_update(h, buf, n);
        if (ferror(f)) rc = PARITY_IO;
        else table_checksum_text(XXH3_64bits_digest(h), out);
    }
    if (f) fclose(f);
    XXH3_freeState(h);
    return rc;
}

/* Whether text is a checksum as stores record them: "xxh3-" and 16 hex
** digits, or the 16 hex digits of the stores before (or empty: unknown). */
static bool checksum_form(const char *text) {
    if (strncmp(text, "xxh3-", 5) == 0) text += 5;
    else if (!*text) return true;
    size_t n = strspn(text, "0123456789abcdef");
    return n == 16 && text[n] == '\0';
}

/* The checksum stores before "xxh3-" recorded: 64-bit FNV-1a of the file's
** bytes, 16 hex digits. Compared only against a stored one of that form,
** by reading the source file again (the only time a file is read twice). */
static bool legacy_same(const char *stored, const char *path) {
    if (strlen(stored) != 16 || strchr(stored, '-')) return false;
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    uint64_t h = 14695981039346656037ull;
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        for (size_t i = 0; i < n; i++) h = (h ^ buf[i]) * 1099511628211ull;
    bool ok = !ferror(f);
    fclose(f);
    char text[17];
    snprintf(text, sizeof text, "%016llx", (unsigned long long)h);
    return ok && strcmp(text, stored) == 0;
}

/* ---- people ------------------------------------------------------------ */

/* The store's people: staff ids (one dictionary for the whole store, codes
** 0, 1, 2, ... in order) and each one's entry and birth dates, which belong
** to the person rather than to a snapshot. Since version 4 they are kept in
** table person, a chunk per import of the people it added: their ids (each
** followed by a NUL), their dates (32-bit day numbers, DATE_NONE for none;
** NULL when that import had no such column), and a checksum of it all.
** Before, the ids were rows of staff_dict and the dates were per row. */
struct people {
    dictionary *ids;
    int32_t *date[2]; /* entry, birth; per code; NULL: not read */
    uint32_t cap;     /* codes date[] has room for */
};

static const char *const date_col[2] = {"entry_date", "birth_date"};

/* A chunk's checksum: XXH3 of its ids, continued over each date array it has. */
static int64_t people_sum(const void *ids, size_t len, const void *const date[2], const size_t dlen[2]) {
    uint64_t h = XXH3_64bits(ids, len);
    for (int j = 0; j < 2; j++)
        if (date[j]) h = XXH3_64bits_withSeed(date[j], dlen[j], h);
    return (int64_t)h;
}

/* Whether a stored day number is a date parity writes: years 1000 to
** 9999, or none. */
static bool date_sound(int32_t d) {
    return d == DATE_NONE || (d >= DATE_MIN_STORED && d <= DATE_MAX_STORED);
}

/* Room for n people's dates (when they are read), DATE_NONE until set. */
static int people_grow(people *P, uint32_t n) {
    if (n <= P->cap) return PARITY_OK;
    uint32_t cap = P->cap ? P->cap : 1024;
    while (cap < n) cap = cap > UINT32_MAX / 2 ? n : cap * 2;
    for (int j = 0; j < 2; j++) {
        if (!P->date[j]) continue;
        int32_t *d = realloc(P->date[j], (size_t)cap * sizeof *d);
        if (!d) return PARITY_NOMEM;
        for (uint32_t c = P->cap; c < cap; c++) d[c] = DATE_NONE;
        P->date[j] = d;
    }
    P->cap = cap;
    return PARITY_OK;
}

static void people_free(people *P) {
    for (int j = 0; j < 2; j++) free(P->date[j]);
}

/* The people of a store before version 4: rows of staff_dict. */
static int read_staff_dict(parity_store *s, people *P, bool intern, char *err) {
    sqlite3_stmt *q = NULL, *nq = NULL;
    int rc = PARITY_OK;
    if (sqlite3_prepare_v2(s->db, "SELECT code, staff_id FROM staff_dict ORDER BY code", -1, &q, NULL) ||
        sqlite3_prepare_v2(s->db, "SELECT count(*) FROM staff_dict", -1, &nq, NULL))
        rc = errmsg_set(err, PARITY_IO, "%s: cannot read the store: %s", s->path, sqlite3_errmsg(s->db));
    sqlite3_int64 count = rc ? -1 : sqlite3_step(nq) == SQLITE_ROW ? sqlite3_column_int64(nq, 0) : -1;
    if (!rc && (count < 0 || count > UINT32_MAX - 1))
        rc = errmsg_set(err, PARITY_IO, "%s: the store is damaged: the staff dictionary cannot be read",
                        s->path);
    else if (!rc && (dict_reserve(P->ids, (uint32_t)count) != 0 || people_grow(P, (uint32_t)count)))
        rc = errmsg_set(err, PARITY_NOMEM, "out of memory");
    while (!rc && sqlite3_step(q) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(q, 1);
        uint32_t n = P->ids->n;
        if (!id || sqlite3_column_int64(q, 0) != (sqlite3_int64)n)
            rc = errmsg_set(err, PARITY_IO,
                            "%s: the store is damaged: the staff dictionary has a %s at code %u; "
                            "nothing was read from it",
                            s->path, id ? "gap" : "missing staff id", n);
        else if ((intern ? dict_intern(P->ids, id, strlen(id)) : dict_add(P->ids, id, strlen(id))) < 0)
            rc = errmsg_set(err, PARITY_NOMEM, "out of memory");
    }
    sqlite3_finalize(q);
    sqlite3_finalize(nq);
    return rc;
}

/* The store's people into P->ids (and their dates where P->date[j] is
** not NULL). intern: look every id up, so a damaged store listing one
** twice is refused (an import, which looks ids up anyway); else they are
** appended unindexed, as a reload only reads them by code. */
static int read_people(parity_store *s, people *P, bool intern, char *err) {
    if (!has_schema(s, "person", NULL)) return read_staff_dict(s, P, intern, err);
    sqlite3_stmt *q = NULL;
    int rc = PARITY_OK;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT first_code, ids, entry_date, birth_date, xxh3 FROM person "
                           "ORDER BY first_code",
                           -1, &q, NULL) != SQLITE_OK)
        return errmsg_set(err, PARITY_IO, "%s: cannot read the store: %s", s->path, sqlite3_errmsg(s->db));
    while (!rc && sqlite3_step(q) == SQLITE_ROW) {
        uint32_t first = P->ids->n;
        const char *ids = sqlite3_column_blob(q, 1);
        size_t len = (size_t)sqlite3_column_bytes(q, 1), k = 0;
        const void *date[2] = {sqlite3_column_blob(q, 2), sqlite3_column_blob(q, 3)};
        size_t dlen[2] = {(size_t)sqlite3_column_bytes(q, 2), (size_t)sqlite3_column_bytes(q, 3)};
        for (size_t i = 0; i < len; i++) k += ids[i] == '\0';
        const char *what = NULL;
        if (sqlite3_column_int64(q, 0) != (sqlite3_int64)first) what = "has a gap at code";
        else if (!ids || !len || ids[len - 1] != '\0' || k > UINT32_MAX - 1 - first)
            what = "has a chunk of ids that do not read, at code";
        else if ((date[0] && dlen[0] != 4 * k) || (date[1] && dlen[1] != 4 * k))
            what = "has dates of the wrong length, at code";
        else if (sqlite3_column_type(q, 4) != SQLITE_INTEGER ||
                 sqlite3_column_int64(q, 4) != people_sum(ids, len, date, dlen))
            what = "fails its checksum (its bytes changed since import), at code";
        if (what) {
            rc = errmsg_set(err, PARITY_IO,
                            "%s: the store is damaged: the staff dictionary %s %u; nothing was read "
                            "from it (restore it from a backup, or import its files again)",
                            s->path, what, first);
            break;
        }
        if (dict_reserve(P->ids, first + (uint32_t)k) != 0 || people_grow(P, first + (uint32_t)k)) {
            rc = errmsg_set(err, PARITY_NOMEM, "out of memory");
            break;
        }
        for (const char *id = ids; id < ids + len && !rc; id += strlen(id) + 1) {
            size_t l = strlen(id);
            int64_t code = intern ? dict_intern(P->ids, id, l) : dict_add(P->ids, id, l);
            if (code < 0) rc = errmsg_set(err, PARITY_NOMEM, "out of memory");
            else if (code != P->ids->n - 1)
                rc = errmsg_set(err, PARITY_IO,
                                "%s: the store is damaged: the staff dictionary lists \"%s\" twice; "
                                "nothing was read from it",
                                s->path, id);
        }
        for (int j = 0; j < 2 && !rc; j++) {
            if (!P->date[j] || !date[j]) continue;
            memcpy(P->date[j] + first, date[j], 4 * k);
            for (size_t i = 0; i < k && !rc; i++)
                if (!date_sound(P->date[j][first + i]))
                    rc = errmsg_set(err, PARITY_IO,
                                    "%s: the store is damaged: the %s of staff code %zu is outside "
                                    "the years 1000 to 9999; nothing was read from it",
                                    s->path, date_col[j], first + i);
        }
    }
    sqlite3_finalize(q);
    return rc;
}

/* The chunk of people an import adds: codes [first, P->ids->n), with
** their dates where the import has the column (has[j]). */
static int write_people(parity_store *s, const people *P, uint32_t first, const bool has[2]) {
    uint32_t n = P->ids->n;
    if (n == first) return PARITY_OK;
    size_t len = 0;
    for (uint32_t c = first; c < n; c++) len += strlen(dict_str(P->ids, c)) + 1;
    char *ids = malloc(len);
    if (!ids) return errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
    size_t at = 0;
    for (uint32_t c = first; c < n; c++) {
        size_t l = strlen(dict_str(P->ids, c)) + 1;
        memcpy(ids + at, dict_str(P->ids, c), l);
        at += l;
    }
    const void *date[2];
    size_t dlen[2];
    for (int j = 0; j < 2; j++) {
        date[j] = has[j] ? P->date[j] + first : NULL;
        dlen[j] = (size_t)(n - first) * 4;
    }
    sqlite3_stmt *ins = NULL;
    int rc = PARITY_OK;
    if (sqlite3_prepare_v2(s->db, "INSERT INTO person VALUES(?,?,?,?,?)", -1, &ins, NULL) != SQLITE_OK) {
        rc = sql_fail(s, PARITY_IO, "write");
    } else {
        sqlite3_bind_int64(ins, 1, first);
        sqlite3_bind_blob64(ins, 2, ids, len, SQLITE_STATIC);
        for (int j = 0; j < 2; j++)
            if (date[j]) sqlite3_bind_blob64(ins, 3 + j, date[j], dlen[j], SQLITE_STATIC);
        sqlite3_bind_int64(ins, 5, people_sum(ids, len, date, dlen));
        if (sqlite3_step(ins) != SQLITE_DONE) rc = sql_fail(s, PARITY_IO, "write");
    }
    sqlite3_finalize(ins);
    free(ids);
    return rc;
}

/* The dates of the people P from the blobs of a store before version 4,
** where every row has its own: each person's first. has[j]: some were
** found. A blob that does not read gives none (its rows keep theirs). */
static int dates_from_rows(parity_store *s, people *P, bool has[2]) {
    sqlite3_stmt *q = NULL;
    uint8_t *set = calloc(P->ids->n ? P->ids->n : 1, 2);
    uint32_t *codes = NULL; /* the snapshot's, copied: a blob lasts until the next step */
    size_t n = 0;
    if (!set) return errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name, kind, data FROM column_blob WHERE name IN ('staff_id', "
                           "'entry_date', 'birth_date') ORDER BY snapshot_date, name <> 'staff_id'",
                           -1, &q, NULL) != SQLITE_OK) {
        free(set);
        return sql_fail(s, PARITY_IO, "cannot upgrade the store");
    }
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0), *kind = (const char *)sqlite3_column_text(q, 1);
        const void *data = sqlite3_column_blob(q, 2);
        size_t len = (size_t)sqlite3_column_bytes(q, 2);
        if (!name || !kind || strcmp(kind, strcmp(name, "staff_id") == 0 ? "staff" : "i32") != 0) continue;
        if (strcmp(name, "staff_id") == 0) { /* a snapshot's staff codes: its dates follow */
            free(codes);
            n = len / 4;
            if (!(codes = malloc(n ? 4 * n : 1))) break;
            if (n) memcpy(codes, data, 4 * n);
            continue;
        }
        int j = strcmp(name, date_col[0]) == 0 ? 0 : 1;
        const int32_t *days = data;
        for (size_t i = 0; codes && len == 4 * n && i < n; i++) {
            uint32_t c = codes[i];
            if (c >= P->ids->n || set[2 * c + j] || !date_sound(days[i])) continue;
            set[2 * c + j] = 1;
            P->date[j][c] = days[i];
            has[j] = true;
        }
    }
    int rc = sqlite3_errcode(s->db) == SQLITE_DONE ? PARITY_OK
             : !codes && n                     ? errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory")
                                               : sql_fail(s, PARITY_IO, "cannot upgrade the store");
    sqlite3_finalize(q);
    free(codes);
    free(set);
    return rc;
}

/* staff_dict made the first chunk of table person (a store before version
** 4, upgraded): the same codes, and the dates of each person's first row
** (its blobs keep theirs per row; later imports store only the rows whose
** date is not their person's). */
static int people_to_chunk(parity_store *s) {
    if (!has_schema(s, "staff_dict", NULL)) return PARITY_OK;
    dictionary ids;
    dict_init(&ids);
    people P = {.ids = &ids};
    bool has[2] = {false, false};
    int rc = exec(s, "CREATE TABLE IF NOT EXISTS person(first_code INTEGER PRIMARY KEY NOT NULL, "
                     "ids BLOB NOT NULL, entry_date BLOB, birth_date BLOB, xxh3 INTEGER NOT NULL)");
    for (int j = 0; j < 2 && rc == PARITY_OK; j++)
        if (!(P.date[j] = malloc(sizeof(int32_t)))) rc = errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
    if (rc == PARITY_OK) rc = read_staff_dict(s, &P, false, s->errmsg);
    if (rc == PARITY_OK) rc = dates_from_rows(s, &P, has);
    if (rc == PARITY_OK) rc = write_people(s, &P, 0, has);
    if (rc == PARITY_OK) rc = exec(s, "DROP TABLE staff_dict");
    dict_free(&ids);
    people_free(&P);
    return rc;
}

/* Codes as they are stored (kind staff_delta): each row's code + 1 (0 for
** a row without a staff id) as its difference from the row before's,
** zigzag-mapped to unsigned and written in LEB128 -- one byte a row for a
** file that lists its people in the same order year after year, never
** more than five. out has room for 5 * n bytes; its length is returned. */
static size_t staff_encode(const uint32_t *codes, size_t n, uint8_t *out) {
    size_t k = 0;
    int64_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t v = codes[i] == UINT32_MAX ? 0 : (int64_t)codes[i] + 1, d = v - prev;
        uint64_t z = d >= 0 ? (uint64_t)d << 1 : ((uint64_t)(-d) << 1) - 1;
        prev = v;
        while (z >= 0x80) {
            out[k++] = (uint8_t)(z | 0x80);
            z >>= 7;
        }
        out[k++] = (uint8_t)z;
    }
    return k;
}

/* The n codes of staff_encode's bytes into codes; false when the bytes do
** not decode to exactly n codes below nids (or none). */
static bool staff_decode(const uint8_t *in, size_t len, uint32_t *codes, size_t n, uint32_t nids) {
    size_t k = 0;
    int64_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t z = 0;
        for (int shift = 0;; shift += 7) {
            if (k >= len || shift > 28) return false;
            uint8_t b = in[k++];
            z |= (uint64_t)(b & 0x7f) << shift;
            if (!(b & 0x80)) break;
        }
        int64_t d = z & 1 ? -(int64_t)((z + 1) >> 1) : (int64_t)(z >> 1), v = prev + d;
        if (v < 0 || v > (int64_t)nids) return false;
        codes[i] = v == 0 ? UINT32_MAX : (uint32_t)(v - 1);
        prev = v;
    }
    return k == len;
}

/* ---- writing ----------------------------------------------------------- */

/* A dictionary as one blob: the strings, each followed by a NUL, in code
** order. */
static void *dict_blob(const dictionary *d, size_t *len) {
    size_t n = 0;
    for (uint32_t c = 0; c < d->n; c++) n += strlen(d->str[c]) + 1;
    char *b = malloc(n ? n : 1);
    if (!b) return NULL;
    size_t at = 0;
    for (uint32_t c = 0; c < d->n; c++) {
        size_t l = strlen(d->str[c]) + 1;
        memcpy(b + at, d->str[c], l);
        at += l;
    }
    *len = n;
    return b;
}

/* The checksum a blob is stored with: XXH3 of its data, continued over its
** dictionary, so that a flipped bit in either is caught on reading. */
static int64_t blob_sum(const void *data, size_t len, const void *dict, size_t dlen) {
    uint64_t h = XXH3_64bits(data, len);
    if (dict) h = XXH3_64bits_withSeed(dict, dlen, h);
    return (int64_t)h;
}

static int put_blob(parity_store *s, sqlite3_stmt *ins, const char *date, const char *name,
                    const char *kind, const void *dict, size_t dlen, const void *data,
                    size_t len) {
    sqlite3_bind_text(ins, 1, date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 3, kind, -1, SQLITE_STATIC);
    if (dict) sqlite3_bind_blob64(ins, 4, dict, dlen, SQLITE_STATIC);
    else sqlite3_bind_null(ins, 4);
    sqlite3_bind_blob64(ins, 5, data, len ? len : 0, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 6, blob_sum(data, len, dict, dlen));
    int rc = sqlite3_step(ins) == SQLITE_DONE ? PARITY_OK : sql_fail(s, PARITY_IO, "write");
    sqlite3_reset(ins);
    sqlite3_clear_bindings(ins);
    return rc;
}

/* The plain rows of snapshot k of t, for SQL (staff_row). */
static int write_rows(parity_store *s, const parity_table *t, size_t k, const char *date,
                      sqlite3_stmt *ins_row) {
    const table_snapshot *sn = &t->snap[k];
    static const char *const sexname[4] = {"F", "M", "X", "U"};
    static const int canon_cols[4] = {CANON_DEPARTMENT, CANON_DUTY_STATION, CANON_LOCATION_TYPE,
                                      CANON_CONTRACT_TYPE};
    long cc[4];
    for (int c = 0; c < 4; c++) cc[c] = table_find_col(t, config_canon_name[canon_cols[c]]);
    int rc = PARITY_OK;
    for (size_t i = sn->begin; i < sn->end && !rc; i++) {
        sqlite3_bind_text(ins_row, 1, date, -1, SQLITE_STATIC);
        if (t->staff[i] != UINT32_MAX)
            sqlite3_bind_text(ins_row, 2, dict_str(&t->staff_ids, t->staff[i]), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_row, 3, sexname[t->sex[i]], 1, SQLITE_STATIC);
        sqlite3_bind_text(ins_row, 4, dict_str(&t->grades, table_grade(t, i)), -1, SQLITE_STATIC);
        for (int c = 0; c < 4; c++) {
            uint32_t code = cc[c] >= 0 ? table_code_get(&t->cols[cc[c]], i) : 0;
            if (code) sqlite3_bind_text(ins_row, 5 + c, dict_str(&t->cols[cc[c]].dict, code), -1,
                                        SQLITE_STATIC);
        }
        char d[2][11];
        const table_dates *pc[2] = {&t->entry_date, &t->birth_date};
        for (int j = 0; j < 2; j++) {
            int32_t day = table_date_of(t, pc[j], i);
            if (day == DATE_NONE) continue;
            date_format(day, d[j]);
            sqlite3_bind_text(ins_row, 9 + j, d[j], -1, SQLITE_STATIC);
        }
        sqlite3_bind_int64(ins_row, 11, t->count ? t->count[i] : 1);
        if (sqlite3_step(ins_row) != SQLITE_DONE) rc = sql_fail(s, PARITY_IO, "write");
        sqlite3_reset(ins_row);
        sqlite3_clear_bindings(ins_row);
    }
    return rc;
}

/* Writes snapshot k of table t; staff codes map through gmap (table id ->
** store code), whose people P are; its plain rows too when ins_row is not
** NULL. */
static int write_snapshot(parity_store *s, const parity_table *t, size_t k, const people *P,
                          const uint32_t *gmap,
                          const char *source, const char *checksum, sqlite3_stmt *ins_snap,
                          sqlite3_stmt *ins_row, sqlite3_stmt *ins_blob) {
    const table_snapshot *sn = &t->snap[k];
    size_t n = sn->end - sn->begin;
    char date[11], stamp[32];
    date_format(sn->date, date);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    sqlite3_bind_text(ins_snap, 1, date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins_snap, 2, (sqlite3_int64)n);
    sqlite3_bind_text(ins_snap, 3, source, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins_snap, 4, checksum, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins_snap, 5, stamp, -1, SQLITE_TRANSIENT);
    /* how its file was read: its columns, sex codes, date formats */
    char *read_with = config_reading_text(&t->cfg);
    if (!read_with) return errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
    sqlite3_bind_text(ins_snap, 6, read_with, -1, SQLITE_TRANSIENT);
    free(read_with);
    int rc = sqlite3_step(ins_snap) == SQLITE_DONE ? PARITY_OK : sql_fail(s, PARITY_IO, "write");
    sqlite3_reset(ins_snap);
    if (rc) return rc;

    if (ins_row && (rc = write_rows(s, t, k, date, ins_row)) != PARITY_OK) return rc;

    /* the columnar blobs */
    uint32_t *codes = malloc((n ? n : 1) * sizeof *codes);
    uint8_t *enc = malloc((n ? n : 1) * 5);
    if (!codes || !enc) {
        free(codes);
        free(enc);
        return errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
    }
    size_t dlen;
    void *dict;
    bool staff = t->has_staff_all || (n && t->staff[sn->begin] != UINT32_MAX);
    if (staff) {
        for (size_t i = 0; i < n; i++) {
            uint32_t id = t->staff[sn->begin + i];
            codes[i] = id == UINT32_MAX ? UINT32_MAX : gmap[id];
        }
        rc = put_blob(s, ins_blob, date, "staff_id", "staff_delta", NULL, 0, enc,
                      staff_encode(codes, n, enc));
    }
    if (!rc) rc = put_blob(s, ins_blob, date, "sex", "u8", NULL, 0, t->sex + sn->begin, n);
    /* categorical columns: the dictionary, and the codes at the narrowest
    ** width that holds them all */
    for (size_t c = 0; c <= t->ncols && !rc; c++) {
        const dictionary *d = c == 0 ? &t->grades : &t->cols[c - 1].dict;
        const table_column *col = c == 0 ? &t->grade : &t->cols[c - 1];
        table_column out = {.width = table_code_width(d->n ? d->n - 1 : 0), .codes = codes};
        for (size_t i = 0; i < n; i++) table_code_put(&out, i, table_code_get(col, sn->begin + i));
        if (!(dict = dict_blob(d, &dlen))) {
            rc = PARITY_NOMEM;
            break;
        }
        rc = put_blob(s, ins_blob, date, c == 0 ? "grade" : col->name,
                      out.width == 1 ? "dict8" : out.width == 2 ? "dict16" : "dict", dict, dlen,
                      codes, n * out.width);
        free(dict);
    }
    /* person dates: the rows whose date is not their person's (kind
    ** person_date: row, day number), or when those are many, every row's
    ** (kind i32: 32-bit day numbers, whatever their width here) */
    const table_dates *dcol[2] = {&t->entry_date, &t->birth_date};
    for (int j = 0; j < 2 && !rc; j++) {
        if (!table_dates_present(dcol[j])) continue;
        size_t nexc = 0;
        for (size_t i = 0; i < n && staff; i++) {
            uint32_t id = t->staff[sn->begin + i];
            int32_t own = id == UINT32_MAX ? DATE_NONE : P->date[j][gmap[id]];
            nexc += table_date_of(t, dcol[j], sn->begin + i) != own;
        }
        bool by_person = staff && nexc < n / 2;
        int32_t *days = (int32_t *)codes, *exc = (int32_t *)enc;
        for (size_t i = 0, e = 0; i < n; i++) {
            int32_t d = table_date_of(t, dcol[j], sn->begin + i);
            if (!by_person) {
                days[i] = d;
                continue;
            }
            uint32_t id = t->staff[sn->begin + i];
            if (d != (id == UINT32_MAX ? DATE_NONE : P->date[j][gmap[id]])) {
                exc[2 * e] = (int32_t)i;
                exc[2 * e++ + 1] = d;
            }
        }
        rc = by_person ? put_blob(s, ins_blob, date, date_col[j], "person_date", NULL, 0, exc, nexc * 8)
                       : put_blob(s, ins_blob, date, date_col[j], "i32", NULL, 0, days, n * 4);
    }
    if (!rc && t->count)
        rc = put_blob(s, ins_blob, date, "count", "u32", NULL, 0, t->count + sn->begin, n * 4);
    free(codes);
    free(enc);
    if (rc == PARITY_NOMEM) errmsg_set(s->errmsg, rc, "out of memory");
    return rc;
}

static int exec(parity_store *s, const char *sql) {
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? PARITY_OK
                                                                   : sql_fail(s, PARITY_IO, sql);
}

/* The statements of an import. */
typedef struct import_stmts {
    sqlite3_stmt *find, *del[3], *ins_snap, *ins_row, *ins_blob;
    bool rows; /* the store keeps plain rows for SQL */
} import_stmts;

static int import_prepare(parity_store *s, import_stmts *q) {
    if (sqlite3_prepare_v2(s->db, "SELECT source, checksum FROM snapshot WHERE snapshot_date=?",
                           -1, &q->find, NULL) ||
        sqlite3_prepare_v2(s->db, "DELETE FROM snapshot WHERE snapshot_date=?1", -1, &q->del[0], NULL) ||
        sqlite3_prepare_v2(s->db, "DELETE FROM staff_row WHERE snapshot_date=?1", -1, &q->del[1], NULL) ||
        sqlite3_prepare_v2(s->db, "DELETE FROM column_blob WHERE snapshot_date=?1", -1, &q->del[2], NULL) ||
        sqlite3_prepare_v2(s->db, "INSERT INTO snapshot(snapshot_date, rows, source, checksum, "
                           "imported_at, read_with) VALUES(?,?,?,?,?,?)", -1, &q->ins_snap, NULL) ||
        sqlite3_prepare_v2(s->db, "INSERT INTO staff_row VALUES(?,?,?,?,?,?,?,?,?,?,?)", -1,
                           &q->ins_row, NULL) ||
        sqlite3_prepare_v2(s->db,
                           "INSERT INTO column_blob(snapshot_date, name, kind, dict, data, xxh3) "
                           "VALUES(?,?,?,?,?,?)",
                           -1, &q->ins_blob, NULL))
        return sql_fail(s, PARITY_IO, "prepare");
    return PARITY_OK;
}

static void import_finalize(import_stmts *q) {
    sqlite3_finalize(q->find);
    for (int d = 0; d < 3; d++) sqlite3_finalize(q->del[d]);
    sqlite3_finalize(q->ins_snap);
    sqlite3_finalize(q->ins_row);
    sqlite3_finalize(q->ins_blob);
}

/* The store's people with t's added (their chunk written), so codes stay
** stable across imports: *gmap maps t's staff codes to the store's. A new
** person's dates are those of their first row in t; P->date[j] is read
** (and kept) for the date columns t has. */
static int staff_codes(parity_store *s, const parity_table *t, people *P, uint32_t **gmap) {
    const table_dates *tdate[2] = {&t->entry_date, &t->birth_date};
    bool has[2];
    for (int j = 0; j < 2; j++)
        if ((has[j] = table_dates_present(tdate[j])) && !(P->date[j] = malloc(sizeof(int32_t))))
            return errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
    int rc = read_people(s, P, true, s->errmsg);
    if (rc != PARITY_OK) return rc;
    uint32_t first = P->ids->n;
    if (!(*gmap = malloc((t->staff_ids.n ? t->staff_ids.n : 1) * sizeof **gmap)))
        return errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
    for (uint32_t id = 0; id < t->staff_ids.n; id++) {
        const char *sid = dict_str(&t->staff_ids, id);
        int64_t code = dict_intern(P->ids, sid, strlen(sid));
        if (code < 0) return errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
        (*gmap)[id] = (uint32_t)code;
    }
    if (people_grow(P, P->ids->n) != PARITY_OK) return errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
    if (has[0] || has[1]) {
        uint8_t *set = calloc(P->ids->n - first + 1, 1);
        if (!set) return errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
        for (size_t r = 0; r < t->n; r++) {
            uint32_t id = t->staff[r], c = id == UINT32_MAX ? 0 : (*gmap)[id];
            if (id == UINT32_MAX || c < first || set[c - first]) continue;
            set[c - first] = 1;
            for (int j = 0; j < 2; j++)
                if (has[j]) P->date[j][c] = table_date_of(t, tdate[j], r);
        }
        free(set);
    }
    return write_people(s, P, first, has);
}

/* Snapshot k of t into the store: unchanged when the same bytes are stored
** under its date, refused when other bytes are (unless replace), else
** written. counts: added, unchanged, replaced. */
static int import_snapshot(parity_store *s, const parity_table *t, size_t k, int replace,
                           import_stmts *q, const people *P, const uint32_t *gmap, size_t counts[3]) {
    const table_snapshot *sn = &t->snap[k];
    const char *source = sn->source ? sn->source : "(unknown)";
    const char *checksum = sn->source ? sn->checksum : "";
    char date[11];
    date_format(sn->date, date);
    sqlite3_bind_text(q->find, 1, date, -1, SQLITE_TRANSIENT);
    int have = sqlite3_step(q->find) == SQLITE_ROW;
    const char *old_sum = have ? (const char *)sqlite3_column_text(q->find, 1) : NULL;
    bool same = have && old_sum && *checksum &&
                (strcmp(old_sum, checksum) == 0 || legacy_same(old_sum, source));
    char old_source[512] = "";
    const char *was = have ? (const char *)sqlite3_column_text(q->find, 0) : NULL;
    if (have) snprintf(old_source, sizeof old_source, "%s", was ? was : "(an unknown file)");
    sqlite3_reset(q->find);
    if (same) {
        counts[1]++;
        return PARITY_OK;
    }
    if (have && !replace)
        return errmsg_set(s->errmsg, PARITY_INVALID,
                          "%s: snapshot %s is stored already, from %s, with other content; "
                          "nothing imported (replace it with 'replace')",
                          source, date, old_source);
    int rc = PARITY_OK;
    if (have) {
        for (int d = 0; d < 3 && !rc; d++) {
            sqlite3_bind_text(q->del[d], 1, date, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(q->del[d]) != SQLITE_DONE) rc = sql_fail(s, PARITY_IO, "write");
            sqlite3_reset(q->del[d]);
        }
        counts[2]++;
    } else {
        counts[0]++;
    }
    if (!rc) rc = write_snapshot(s, t, k, P, gmap, source, checksum, q->ins_snap, q->rows ? q->ins_row : NULL,
                                 q->ins_blob);
    return rc;
}

/* The stored value of setting `key` into a new string, NULL when there is
** none (or no settings table: a store read as it was). *rc on failure. */
static char *stored_setting(parity_store *s, const char *key, int *rc) {
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    *rc = PARITY_OK;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM setting WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
        return NULL; /* no table: no settings */
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && !(out = str_dup((const char *)sqlite3_column_text(st, 0))))
        *rc = PARITY_NOMEM;
    sqlite3_finalize(st);
    return out;
}

/* Setting key := value. */
static int keep_setting(parity_store *s, const char *key, const char *value) {
    sqlite3_stmt *st = NULL;
    int rc = PARITY_OK;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO setting(key, value) VALUES(?, ?)", -1, &st,
                           NULL) != SQLITE_OK)
        rc = sql_fail(s, PARITY_IO, "cannot keep the settings");
    else {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) rc = sql_fail(s, PARITY_IO, "cannot keep the settings");
    }
    sqlite3_finalize(st);
    return rc;
}

/* The import's settings against the store's: the same, or new to the
** store (then kept), or replaced when asked; else refused, naming both. */
static int import_settings(parity_store *s, const parity_table *t) {
    int rc = PARITY_OK;
    for (size_t i = 0; i < CONFIG_NSETTINGS && rc == PARITY_OK; i++) {
        char *mine = config_setting_text(&t->cfg, i);
        char *theirs = mine ? stored_setting(s, config_setting_key[i], &rc) : NULL;
        if (!mine) rc = errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
        if (rc == PARITY_OK && theirs && strcmp(mine, theirs) != 0 && !s->replace_settings)
            rc = errmsg_set(s->errmsg, PARITY_USAGE,
                            "%s was imported with '%s' \"%s\"; these files are read with \"%s\": "
                            "read them as the store's data was, or change the store's settings "
                            "with 'replace_settings'",
                            s->path, config_setting_key[i], theirs, mine);
        if (rc == PARITY_OK && (!theirs || strcmp(mine, theirs) != 0))
            rc = keep_setting(s, config_setting_key[i], mine);
        free(mine);
        free(theirs);
    }
    return rc;
}

/* The import's sex codes against those the store's data was read with
** (setting sex_codes: the ones not built in, of every import so far): a
** value one reads as another sex than the other is refused, naming both,
** unless the settings are replaced; values new to the store are added. */
static int import_sex_codes(parity_store *s, const parity_table *t) {
    int rc = PARITY_OK;
    char *text = stored_setting(s, "sex_codes", &rc);
    cJSON *mine = config_sex_codes_json(&t->cfg), *theirs = text ? cJSON_Parse(text) : cJSON_CreateObject();
    if (rc == PARITY_OK && (!mine || (!theirs && !text)))
        rc = errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
    else if (rc == PARITY_OK && !cJSON_IsObject(theirs))
        rc = errmsg_set(s->errmsg, PARITY_IO, "%s: the stored setting 'sex_codes' does not read", s->path);
    for (int side = 0; side < 2 && rc == PARITY_OK && !s->replace_settings; side++) {
        const cJSON *kv;
        cJSON_ArrayForEach(kv, (side ? mine : theirs)) {
            int a = config_sex_in(theirs, kv->string), b = config_sex(&t->cfg, kv->string, strlen(kv->string));
            if (a < 0 || b < 0 || a == b) continue;
            rc = errmsg_set(s->errmsg, PARITY_USAGE,
                            "%s was imported with sex code \"%s\" = %c; these files are read with "
                            "\"%s\" = %c: read them as the store's data was, or change the store's "
                            "settings with 'replace_settings'",
                            s->path, kv->string, "FMXU"[a], kv->string, "FMXU"[b]);
            break;
        }
    }
    /* the store's, with the import's (its own where they differ, replaced) */
    const cJSON *kv;
    cJSON_ArrayForEach(kv, (rc == PARITY_OK ? mine : NULL)) {
        cJSON *copy = cJSON_Duplicate(kv, 1);
        if (!copy) rc = errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
        else if (cJSON_GetObjectItemCaseSensitive(theirs, kv->string))
            cJSON_ReplaceItemInObjectCaseSensitive(theirs, kv->string, copy);
        else
            cJSON_AddItemToObject(theirs, kv->string, copy);
        if (rc != PARITY_OK) break;
    }
    char *merged = rc == PARITY_OK ? cJSON_PrintUnformatted(theirs) : NULL;
    if (rc == PARITY_OK && !merged) rc = errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
    if (rc == PARITY_OK && (!text || strcmp(text, merged) != 0)) rc = keep_setting(s, "sex_codes", merged);
    cJSON_free(merged);
    cJSON_Delete(mine);
    cJSON_Delete(theirs);
    free(text);
    return rc;
}

/* Up to n of the names of d, comma-separated, into out. */
static void some_names(const dictionary *d, const uint8_t *use, char *out, size_t cap) {
    size_t at = 0, shown = 0;
    out[0] = '\0';
    for (uint32_t c = 0; c < d->n && at + 1 < cap; c++) {
        if ((use && !use[c]) || !*dict_str(d, c)) continue;
        if (shown == 4) {
            snprintf(out + at, cap - at, ", ...");
            break;
        }
        int w = snprintf(out + at, cap - at, "%s%s", shown ? ", " : "", dict_str(d, c));
        if (w > 0) at += (size_t)w;
        shown++;
    }
}

/* The import's grades against the grades stored for other dates: files
** whose grades are none of them read another grade column, or another
** scale (Montgomery County's assignment categories of 2014 to 2017, its
** pay grades of 2020), which one grade column must not mix: refused,
** naming both, unless the settings are replaced. */
static int import_grades(parity_store *s, const parity_table *t) {
    if (s->replace_settings || !t->n) return PARITY_OK;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT snapshot_date, dict FROM column_blob WHERE name = 'grade'", -1,
                           &q, NULL) != SQLITE_OK)
        return sql_fail(s, PARITY_IO, "read");
    dictionary stored;
    dict_init(&stored);
    int rc = PARITY_OK;
    while (rc == PARITY_OK && sqlite3_step(q) == SQLITE_ROW) {
        const char *date = (const char *)sqlite3_column_text(q, 0);
        int32_t d;
        if (!date || !date_parse(date, strlen(date), NULL, &d) || table_snapshot_of(t, d) >= 0)
            continue; /* a date these files bring (replaced, or the same bytes) */
        const char *dict = sqlite3_column_blob(q, 1);
        size_t len = (size_t)sqlite3_column_bytes(q, 1);
        for (size_t at = 0; dict && at < len && rc == PARITY_OK;) {
            size_t l = strnlen(dict + at, len - at);
            if (l && dict_intern(&stored, dict + at, l) < 0) rc = errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
            at += l + 1;
        }
    }
    sqlite3_finalize(q);
    uint8_t *used = rc == PARITY_OK && stored.n ? calloc(t->grades.n ? t->grades.n : 1, 1) : NULL;
    if (rc == PARITY_OK && stored.n && !used) rc = errmsg_set(s->errmsg, PARITY_NOMEM, "out of memory");
    bool shared = true, any = false;
    if (used) {
        for (size_t r = 0; r < t->n; r++) used[table_grade(t, r)] = 1;
        shared = false;
        for (uint32_t c = 0; c < t->grades.n && !shared; c++) {
            const char *g = dict_str(&t->grades, c);
            if (!used[c] || !*g) continue;
            any = true;
            shared = dict_find(&stored, g, strlen(g)) >= 0;
        }
    }
    if (rc == PARITY_OK && used && any && !shared) {
        char mine[256], theirs[256];
        some_names(&t->grades, used, mine, sizeof mine);
        some_names(&stored, NULL, theirs, sizeof theirs);
        rc = errmsg_set(s->errmsg, PARITY_USAGE,
                        "%s holds the grades %s; these files' grades are none of them (%s): another "
                        "grade column, or another scale, which one grade column must not mix; map "
                        "the grade column the store's data was read from, or, if these are its grades "
                        "renamed, import them with 'replace_settings'",
                        s->path, theirs, mine);
    }
    free(used);
    dict_free(&stored);
    return rc;
}

/* The store's settings into t's configuration where its reader did not set
** them: a store imported with --grade-order none is read so again. */
static int adopt_settings(parity_table *t, parity_store *s) {
    int rc = PARITY_OK;
    for (size_t i = 0; i < CONFIG_NSETTINGS && rc == PARITY_OK; i++) {
        bool scale = i < 4;
        if (scale ? t->cfg.scale_set : t->cfg.band_set) continue;
        char *v = stored_setting(s, config_setting_key[i], &rc);
        if (v && config_setting_apply(&t->cfg, i, v) != PARITY_OK)
            rc = errmsg_set(table_errbuf(t), PARITY_INVALID, "%s: the stored setting '%s' \"%s\" does not read",
                            s->path, config_setting_key[i], v);
        free(v);
    }
    /* what was adopted is the store's, not the reader's */
    t->cfg.scale_set = t->cfg.band_set = false;
    return rc;
}

int parity_store_import(parity_store *s, parity_table *t, int replace, size_t *added,
                        size_t *unchanged, size_t *replaced) {
    *added = *unchanged = *replaced = 0;
    if (t->partial)
        return errmsg_set(s->errmsg, PARITY_USAGE,
                        "the table was read from a store with only some of its columns; import "
                        "tables read whole");
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sqlite3_errcode(s->db) == SQLITE_BUSY
                   ? errmsg_set(s->errmsg, PARITY_ERROR,
                              "%s: the store is busy (another import is under way); try again",
                              s->path)
                   : sql_fail(s, PARITY_IO, "cannot start the import");
    int rc = PARITY_OK;
    import_stmts q = {0};
    uint32_t *gmap = NULL;
    dictionary ids;
    dict_init(&ids);
    people P = {.ids = &ids};
    size_t counts[3] = {0, 0, 0};
    /* blobs are written with their checksums; stores from before have no
    ** column for them yet (their blobs stay unchecked, as they were) */
    if (!has_schema(s, "column_blob", "xxh3") &&
        (rc = exec(s, "ALTER TABLE column_blob ADD COLUMN xxh3 INTEGER")) != PARITY_OK)
        goto out;
    if ((rc = import_settings(s, t)) != PARITY_OK || (rc = import_sex_codes(s, t)) != PARITY_OK ||
        (rc = import_grades(s, t)) != PARITY_OK)
        goto out;
    if ((rc = import_prepare(s, &q)) != PARITY_OK) goto out;
    {
        char *v = stored_setting(s, "sql_rows", &rc);
        q.rows = !v || strcmp(v, "0") != 0; /* none: a store from before, with rows */
        free(v);
        if (rc != PARITY_OK) goto out;
    }
    /* this writes blobs of the current kinds */
    if ((rc = exec(s, "PRAGMA user_version = " PSTR(SCHEMA_VERSION))) != PARITY_OK) goto out;
    if ((rc = staff_codes(s, t, &P, &gmap)) != PARITY_OK) goto out;
    for (size_t k = 0; k < t->nsnap && !rc; k++) rc = import_snapshot(s, t, k, replace, &q, &P, gmap, counts);
out:
    *added = counts[0];
    *unchanged = counts[1];
    *replaced = counts[2];
    import_finalize(&q);
    free(gmap);
    dict_free(&ids);
    people_free(&P);
    if (rc == PARITY_OK) rc = exec(s, "COMMIT");
    if (rc != PARITY_OK) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int parity_store_drop(parity_store *s, const char *date) {
    int32_t d;
    if (!date_parse(date, strlen(date), NULL, &d))
        return errmsg_set(s->errmsg, PARITY_USAGE, "'date' \"%s\" is not a date (YYYY-MM-DD)", date);
    int rc = exec(s, "BEGIN IMMEDIATE");
    if (rc) return rc;
    static const char *const sql[3] = {"DELETE FROM snapshot WHERE snapshot_date=?1",
                                       "DELETE FROM staff_row WHERE snapshot_date=?1",
                                       "DELETE FROM column_blob WHERE snapshot_date=?1"};
    int changed = 0;
    for (int i = 0; i < 3 && !rc; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db, sql[i], -1, &st, NULL) != SQLITE_OK) {
            rc = sql_fail(s, PARITY_IO, "prepare");
            break;
        }
        sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) rc = sql_fail(s, PARITY_IO, "write");
        if (i == 0) changed = sqlite3_changes(s->db);
        sqlite3_finalize(st);
    }
    if (!rc && !changed) rc = errmsg_set(s->errmsg, PARITY_NOTFOUND, "no snapshot dated %s in %s", date, s->path);
    if (rc == PARITY_OK) return exec(s, "COMMIT");
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int parity_store_snapshots(parity_store *s, parity_result **out) {
    *out = NULL;
    sqlite3_stmt *st;
    /* how each file was read; stores before version 4 did not keep it */
    bool kept = has_schema(s, "snapshot", "read_with");
    if (sqlite3_prepare_v2(s->db,
                           kept ? "SELECT snapshot_date, rows, source, checksum, imported_at, read_with "
                                  "FROM snapshot ORDER BY snapshot_date"
                                : "SELECT snapshot_date, rows, source, checksum, imported_at, NULL "
                                  "FROM snapshot ORDER BY snapshot_date",
                           -1, &st, NULL) != SQLITE_OK)
        return sql_fail(s, PARITY_IO, "read");
    char title[600];
    snprintf(title, sizeof title, "Snapshots in %s", s->path);
    parity_result *r = result_new("snapshots", title);
    int rc = !r || result_add_col(r, "snapshot_date", "snapshot_date", RESULT_DIM) ||
                     result_add_col(r, "rows", "rows", RESULT_COUNT) ||
                     result_add_col(r, "source", "source", RESULT_TEXT) ||
                     result_add_col(r, "checksum", "checksum", RESULT_TEXT) ||
                     result_add_col(r, "imported_at", "imported at (UTC)", RESULT_TEXT) ||
                     result_add_col(r, "read_with", "read with", RESULT_TEXT)
                 ? PARITY_NOMEM
                 : PARITY_OK;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        long row = result_add_row(r);
        if (row < 0) {
            rc = PARITY_NOMEM;
            break;
        }
        result_set_text(r, (size_t)row, 0, (const char *)sqlite3_column_text(st, 0));
        result_set_num(r, (size_t)row, 1, (double)sqlite3_column_int64(st, 1));
        for (int c = 2; c < 6; c++) result_set_text(r, (size_t)row, (size_t)c, (const char *)sqlite3_column_text(st, c));
    }
    sqlite3_finalize(st);
    if (rc) {
        parity_result_free(r);
        return errmsg_set(s->errmsg, rc, "out of memory");
    }
    *out = r;
    return PARITY_OK;
}

/* ---- reading ----------------------------------------------------------- */

/* Maps the codes of a dictionary blob to codes of the table through fn. */
typedef int64_t (*map_fn)(parity_table *t, void *ctx, const char *s, size_t len);

static int64_t map_grade(parity_table *t, void *ctx, const char *s, size_t len) {
    (void)ctx;
    if (len == 0) return table_grade_blank(t); /* rows of a file without grades */
    return table_grade_code(t, s, len);
}

static int64_t map_col(parity_table *t, void *ctx, const char *s, size_t len) {
    (void)t;
    return dict_intern(&((table_column *)ctx)->dict, s, len);
}

/* Local dictionary of a blob -> table codes, into *out (caller frees). */
static int map_dict(parity_table *t, const char *blob, size_t len, map_fn fn, void *ctx,
                    uint32_t **out, size_t *n, const char **bad) {
    size_t count = 0;
    for (size_t i = 0; i < len; i++) count += blob[i] == '\0';
    uint32_t *m = malloc((count ? count : 1) * sizeof *m);
    if (!m) return PARITY_NOMEM;
    const char *p = blob;
    for (size_t c = 0; c < count; c++) {
        size_t l = strlen(p);
        int64_t code = fn(t, ctx, p, l);
        if (code < 0) {
            free(m);
            *bad = p;
            return code == -2 ? PARITY_NOMEM : PARITY_INVALID;
        }
        m[c] = (uint32_t)code;
        p += l + 1;
    }
    *out = m;
    *n = count;
    return PARITY_OK;
}

/* Whether column `name` is among the wanted ones (all when want is NULL). */
static bool wanted(const char *const *want, size_t nwant, const char *name) {
    if (!want) return true;
    for (size_t i = 0; i < nwant; i++)
        if (strcasecmp(want[i], name) == 0) return true;
    return false;
}

/* Bytes per code of a categorical blob kind: "dict" (the first stores: 4),
** "dict8", "dict16"; 0 when the kind is not a categorical one. */
static size_t code_width(const char *kind) {
    return strcmp(kind, "dict") == 0     ? 4
           : strcmp(kind, "dict8") == 0  ? 1
           : strcmp(kind, "dict16") == 0 ? 2
                                         : 0;
}

/* What reading the blobs of a store needs: an incremental-I/O handle that
** reads a blob straight into its destination (sqlite3_column_blob would
** copy it into a buffer of SQLite's first), and a scratch buffer for the
** columns that are converted on the way. */
typedef struct blob_reader {
    parity_store *s;
    sqlite3_blob *blob;
    void *scratch;
    size_t cap;
    const people *P; /* the people, for the dates kept by person */
} blob_reader;

/* Reads the data of column_blob row `rowid` (len bytes) into dest, or into
** the scratch buffer when dest is NULL; the bytes, or NULL on failure. */
static void *fetch(blob_reader *B, sqlite3_int64 rowid, void *dest, size_t len) {
    if (!dest) {
        if (len > B->cap) {
            void *p = realloc(B->scratch, len);
            if (!p) return NULL;
            B->scratch = p;
            B->cap = len;
        }
        dest = B->scratch;
    }
    int rc = B->blob ? sqlite3_blob_reopen(B->blob, rowid)
                     : sqlite3_blob_open(B->s->db, "main", "column_blob", "data", rowid, 0, &B->blob);
    if (rc != SQLITE_OK || len > INT_MAX || sqlite3_blob_bytes(B->blob) != (int)len ||
        sqlite3_blob_read(B->blob, dest, (int)len, 0) != SQLITE_OK)
        return NULL;
    return dest;
}

/* What reading one snapshot's blobs found: the columns every snapshot
** must have, and the staff ids. */
typedef struct blob_seen {
    bool sex, grade, staff;
} blob_seen;

/* A stored column found damaged: the message names the store, the
** snapshot, the column and what is wrong with it. */
static int damaged(parity_table *t, parity_store *s, const char *date, const char *name,
                   const char *what) {
    return errmsg_set(table_errbuf(t), PARITY_IO,
                    "%s: the store is damaged: column %s of snapshot %s %s; nothing was read "
                    "from it (restore it from a backup, or import its files again)",
                    s->path, name ? name : "(unnamed)", date, what);
}

/* Whether the checksum stored with a blob (NULL: a blob from before
** checksums) matches the bytes read. */
static bool sum_ok(sqlite3_stmt *st, const void *data, size_t len) {
    if (sqlite3_column_type(st, 5) == SQLITE_NULL) return true;
    const void *dict = sqlite3_column_blob(st, 2);
    size_t dlen = (size_t)sqlite3_column_bytes(st, 2);
    return sqlite3_column_int64(st, 5) == blob_sum(data, len, dict, dlen);
}

/* Reads one stored column of the snapshot at rows [r0, r0 + n): its bytes
** straight into the table where they can go, every code checked against
** what it indexes (a code read from a file is never trusted to be in
** range), and the checksum compared when the blob has one. */
static int read_blob(parity_table *t, blob_reader *B, sqlite3_stmt *st, const char *date,
                     size_t r0, size_t n, blob_seen *seen) {
    parity_store *s = B->s;
    const char *name = (const char *)sqlite3_column_text(st, 0);
    const char *kind = (const char *)sqlite3_column_text(st, 1);
    if (!name || !kind) return damaged(t, s, date, name, "has no name or kind");
    sqlite3_int64 rowid = sqlite3_column_int64(st, 3);
    size_t cw = code_width(kind);
    size_t len = (size_t)sqlite3_column_int64(st, 4);
    size_t want = strcmp(kind, "u8") == 0 ? n : cw ? n * cw : n * 4;
    bool delta = strcmp(kind, "staff_delta") == 0, by_person = strcmp(kind, "person_date") == 0;
    if ((delta ? len < n || len > 5 * n : by_person ? len % 8 || len / 8 > n : len != want) ||
        sqlite3_column_type(st, 4) == SQLITE_NULL)
        return damaged(t, s, date, name, "has the wrong length for the snapshot's rows");
    if (delta) {
        uint32_t *ids = table_staff_block(t, r0);
        const uint8_t *enc = fetch(B, rowid, NULL, len);
        if (!enc) goto unreadable;
        if (!sum_ok(st, enc, len)) goto bad_sum;
        if (!staff_decode(enc, len, ids, n, t->staff_ids.n))
            return damaged(t, s, date, name, "holds staff codes that do not decode to the staff dictionary");
        for (size_t i = 0; i < n; i++)
            if (ids[i] == UINT32_MAX) {
                table_mark_no_staff(t); /* rows without a staff id: nobody is followed */
                break;
            }
        seen->staff = true;
    } else if (by_person) {
        int j = strcmp(name, "entry_date") == 0 ? 0 : strcmp(name, "birth_date") == 0 ? 1 : -1;
        if (j < 0 || !seen->staff || !B->P || !B->P->date[j])
            return damaged(t, s, date, name, "holds dates by person without the staff ids to give them");
        table_dates *col = j == 0 ? &t->entry_date : &t->birth_date;
        if (!col->v && table_dates_create(t, col) != PARITY_OK) return PARITY_NOMEM;
        const int32_t *exc = fetch(B, rowid, NULL, len);
        if (!exc) goto unreadable;
        if (!sum_ok(st, exc, len)) goto bad_sum;
        const uint32_t *ids = table_staff_block(t, r0);
        size_t nexc = len / 8, e = 0;
        for (size_t i = 0; i < n; i++) {
            int32_t d = ids[i] == UINT32_MAX ? DATE_NONE : B->P->date[j][ids[i]];
            if (e < nexc && (uint32_t)exc[2 * e] == i) d = exc[2 * e++ + 1];
            if (e < nexc && (uint32_t)exc[2 * e] <= i)
                return damaged(t, s, date, name, "lists its rows out of order");
            if (!date_sound(d)) return damaged(t, s, date, name, "holds a date outside the years 1000 to 9999");
            if (table_date_set(t, col, r0 + i, d) != PARITY_OK) return PARITY_NOMEM;
        }
        if (e < nexc) return damaged(t, s, date, name, "lists rows beyond the snapshot's");
    } else if (strcmp(kind, "staff") == 0) {
        uint32_t *ids = table_staff_block(t, r0);
        if (!fetch(B, rowid, ids, len)) goto unreadable;
        if (!sum_ok(st, ids, len)) goto bad_sum;
        uint32_t nids = t->staff_ids.n;
        bool missing = false;
        for (size_t i = 0; i < n; i++) {
            if (ids[i] >= nids && ids[i] != UINT32_MAX)
                return damaged(t, s, date, name, "holds a staff code beyond the staff dictionary");
            missing |= ids[i] == UINT32_MAX;
        }
        /* rows without a staff id (a file that had none): nobody is followed */
        if (missing) table_mark_no_staff(t);
        seen->staff = true;
    } else if (strcmp(kind, "u8") == 0) {
        uint8_t *sx = table_sex_block(t, r0);
        if (!fetch(B, rowid, sx, len)) goto unreadable;
        if (!sum_ok(st, sx, len)) goto bad_sum;
        uint8_t most = 0;
        for (size_t i = 0; i < n; i++) most = sx[i] > most ? sx[i] : most;
        if (most > SEX_U) return damaged(t, s, date, name, "holds a sex code other than F, M, X, U");
        seen->sex = true;
    } else if (strcmp(kind, "i32") == 0) {
        table_dates *col = strcmp(name, "entry_date") == 0 ? &t->entry_date : &t->birth_date;
        if (!col->v && table_dates_create(t, col) != PARITY_OK) return PARITY_NOMEM;
        const int32_t *days = fetch(B, rowid, NULL, len);
        if (!days) goto unreadable;
        if (!sum_ok(st, days, len)) goto bad_sum;
        for (size_t i = 0; i < n; i++) {
            if (!date_sound(days[i]))
                return damaged(t, s, date, name, "holds a date outside the years 1000 to 9999");
            if (table_date_set(t, col, r0 + i, days[i]) != PARITY_OK) return PARITY_NOMEM;
        }
    } else if (strcmp(kind, "u32") == 0) {
        if (table_count_create(t) != PARITY_OK) return PARITY_NOMEM;
        uint32_t *counts = table_count_block(t, r0);
        if (!fetch(B, rowid, counts, len)) goto unreadable;
        if (!sum_ok(st, counts, len)) goto bad_sum;
    } else if (cw) {
        bool grade = strcmp(name, "grade") == 0;
        long c = grade ? -1 : table_col_add(t, name);
        if (!grade && c < 0) return PARITY_NOMEM;
        const char *dblob = sqlite3_column_blob(st, 2), *bad = NULL;
        size_t nm;
        uint32_t *map = NULL;
        int rc = map_dict(t, dblob, (size_t)sqlite3_column_bytes(st, 2), grade ? map_grade : map_col,
                          grade ? NULL : &t->cols[c], &map, &nm, &bad);
        if (rc == PARITY_INVALID)
            return errmsg_set(table_errbuf(t), PARITY_INVALID,
                            "%s: stored grade \"%s\" is not on this grade scale; read the "
                            "store with the 'grade_order'/'grades' it was imported with",
                            s->path, bad);
        if (rc) return rc;
        table_column *dst = grade ? &t->grade : &t->cols[c];
        bool identity = nm > 0 && table_col_set(t, dst, r0, (uint32_t)nm - 1) == PARITY_OK; /* widens */
        for (size_t i = 0; i < nm && identity; i++) identity = map[i] == i;
        /* codes the table's dictionary gives the same (the first snapshot's,
        ** and every snapshot's whose values came in the same order), at the
        ** same width: read straight into the column */
        bool direct = identity && dst->width == cw;
        const table_column src = {.width = (uint8_t)cw,
                          .codes = fetch(B, rowid, direct ? (char *)dst->codes + r0 * cw : NULL, len)};
        if (!src.codes) rc = damaged(t, s, date, name, "cannot be read");
        else if (!sum_ok(st, src.codes, len)) rc = damaged(t, s, date, name, "fails its checksum");
        else if (n && table_code_max(&src, n) >= nm)
            rc = damaged(t, s, date, name, "holds a code beyond its dictionary");
        else if (!direct) rc = table_col_map(t, dst, r0, &src, n, map);
        free(map);
        if (grade && rc == PARITY_OK) seen->grade = true;
        return rc;
    } else {
        return errmsg_set(table_errbuf(t), PARITY_ERROR,
                        "%s: column %s of %s is of a kind (%s) this parity does not read; "
                        "upgrade parity",
                        s->path, name, date, kind);
    }
    return PARITY_OK;
unreadable:
    return errmsg_set(table_errbuf(t), PARITY_IO, "%s: column %s of snapshot %s cannot be read: %s",
                    s->path, name, date, sqlite3_errmsg(s->db));
bad_sum:
    return damaged(t, s, date, name, "fails its checksum (its bytes changed since import)");
}

/* PARITY_OK when some snapshot of the store has the categorical column
** `name`; else PARITY_USAGE, with the message listing the ones it has. */
static int store_has_column(parity_store *s, parity_table *t, const char *name) {
    sqlite3_stmt *q = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name FROM column_blob WHERE kind LIKE 'dict%' AND "
                           "name <> 'grade' GROUP BY name ORDER BY min(rowid)",
                           -1, &q, NULL) != SQLITE_OK)
        return errmsg_set(table_errbuf(t), PARITY_IO, "%s: %s", s->path, sqlite3_errmsg(s->db));
    char have[1024] = "grade, category, snapshot_date";
    size_t used = strlen(have);
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *nm = (const char *)sqlite3_column_text(q, 0);
        if (!nm) continue;
        found |= strcasecmp(nm, name) == 0;
        int w = snprintf(have + used, sizeof have - used, ", %s", nm);
        if (w > 0 && (size_t)w < sizeof have - used) used += (size_t)w;
    }
    sqlite3_finalize(q);
    if (found) return PARITY_OK;
    return errmsg_set(table_errbuf(t), PARITY_USAGE, "unknown dimension \"%s\" (the store has: %s)",
                    name, have);
}

/* The statements of a read. */
typedef struct read_stmts {
    sqlite3_stmt *snaps, *blobs, *nrows;
} read_stmts;

static int read_prepare(parity_table *t, parity_store *s, read_stmts *q) {
    /* the blobs' checksums where the store keeps them; the staff codes
    ** first, as the dates kept by person are given through them */
    const char *blob_sql = has_schema(s, "column_blob", "xxh3")
                               ? "SELECT name, kind, dict, rowid, length(data), xxh3 FROM "
                                 "column_blob WHERE snapshot_date=? ORDER BY name <> 'staff_id', name"
                               : "SELECT name, kind, dict, rowid, length(data), NULL FROM "
                                 "column_blob WHERE snapshot_date=? ORDER BY name <> 'staff_id', name";
    if (/* every row count sound before any is trusted with memory */
        sqlite3_prepare_v2(s->db,
                           "SELECT sum(rows), sum(rows IS NULL OR typeof(rows) <> 'integer' OR "
                           "rows < 0 OR rows > 2000000000 OR snapshot_date IS NULL) FROM snapshot",
                           -1, &q->nrows, NULL) ||
        sqlite3_prepare_v2(s->db,
                           "SELECT snapshot_date, rows, source, checksum FROM snapshot "
                           "ORDER BY snapshot_date",
                           -1, &q->snaps, NULL) ||
        sqlite3_prepare_v2(s->db, blob_sql, -1, &q->blobs, NULL))
        return errmsg_set(table_errbuf(t), PARITY_IO, "%s: cannot read the store: %s", s->path,
                          sqlite3_errmsg(s->db));
    return PARITY_OK;
}

static void read_finalize(read_stmts *q) {
    sqlite3_finalize(q->nrows);
    sqlite3_finalize(q->snaps);
    sqlite3_finalize(q->blobs);
}

/* A wanted column the store does not have: say what it has. */
static int check_wanted(parity_table *t, parity_store *s, const char *const *want, size_t nwant) {
    static const char *const derived[] = {"staff_id", "grade", "category", "snapshot_date",
                                          "period", "date", ""};
    for (size_t i = 0; want && i < nwant; i++) {
        bool known = false;
        for (size_t k = 0; k < sizeof derived / sizeof derived[0] && !known; k++)
            known = strcasecmp(want[i], derived[k]) == 0;
        int rc = known ? PARITY_OK : store_has_column(s, t, want[i]);
        if (rc != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

/* The columns sized once, not grown and copied snapshot by snapshot. */
static int reserve_rows(parity_table *t, parity_store *s, read_stmts *q) {
    if (sqlite3_step(q->nrows) != SQLITE_ROW)
        return errmsg_set(table_errbuf(t), PARITY_IO, "%s: cannot read the store: %s", s->path,
                          sqlite3_errmsg(s->db));
    if (sqlite3_column_int64(q->nrows, 1) > 0 || sqlite3_column_int64(q->nrows, 0) > UINT32_MAX)
        return errmsg_set(table_errbuf(t), PARITY_IO,
                          "%s: the store is damaged: its list of snapshots has a missing date or "
                          "an impossible number of rows; nothing was read from it",
                          s->path);
    if (sqlite3_column_int64(q->nrows, 0) > 0 &&
        table_reserve(t, (size_t)sqlite3_column_int64(q->nrows, 0)) != PARITY_OK)
        return PARITY_NOMEM;
    return PARITY_OK;
}

/* The snapshot at the current row of q->snaps, after *last_date: its dates
** and checksum checked, its blobs read (those wanted), its rows committed. */
static int read_snapshot(parity_table *t, parity_store *s, read_stmts *q, blob_reader *B,
                         const char *const *want, size_t nwant, bool staff, int32_t *last_date) {
    const char *date = (const char *)sqlite3_column_text(q->snaps, 0);
    size_t n = (size_t)sqlite3_column_int64(q->snaps, 1), r0 = t->n;
    int32_t d;
    if (table_reserve(t, r0 + n) != PARITY_OK) return PARITY_NOMEM;
    if (!date || !date_parse(date, strlen(date), NULL, &d) || d <= *last_date)
        return errmsg_set(table_errbuf(t), PARITY_IO,
                          "%s: the store is damaged: snapshot date \"%s\" is not a date; nothing "
                          "was read from it",
                          s->path, date ? date : "(none)");
    *last_date = d;
    const char *src = (const char *)sqlite3_column_text(q->snaps, 2);
    const char *sum = (const char *)sqlite3_column_text(q->snaps, 3);
    if (sum && !checksum_form(sum))
        return errmsg_set(table_errbuf(t), PARITY_IO,
                          "%s: the store is damaged: the checksum recorded for snapshot %s is "
                          "not one parity writes; nothing was read from it",
                          s->path, date);
    if (!table_snapshot_append(t, d, n, src, sum)) return PARITY_NOMEM;
    /* what the columns this snapshot may lack read as */
    table_block_defaults(t, r0, n);
    blob_seen seen = {false, false, false};
    int rc = PARITY_OK;
    sqlite3_bind_text(q->blobs, 1, date, -1, SQLITE_TRANSIENT);
    while (!rc && sqlite3_step(q->blobs) == SQLITE_ROW) {
        /* a column not wanted is passed over before its data is read */
        const char *name = (const char *)sqlite3_column_text(q->blobs, 0);
        const char *kind = (const char *)sqlite3_column_text(q->blobs, 1);
        if (!name || !kind) {
            rc = damaged(t, s, date, name, "has no name or kind");
            break;
        }
        bool always = strcmp(name, "sex") == 0 || strcmp(name, "grade") == 0 || strcmp(kind, "u32") == 0;
        bool dates = strcmp(name, date_col[0]) == 0 || strcmp(name, date_col[1]) == 0;
        if (!want || always || (!dates && wanted(want, nwant, name)))
            rc = read_blob(t, B, q->blobs, date, r0, n, &seen);
    }
    sqlite3_reset(q->blobs);
    if (rc) return rc;
    /* every snapshot has its sex and grade columns: never defaults */
    if (!seen.sex || !seen.grade) return damaged(t, s, date, seen.sex ? "grade" : "sex", "is missing");
    if (staff && !seen.staff) { /* a snapshot imported without staff ids */
        for (size_t i = 0; i < n; i++) table_set_staff(t, r0 + i, UINT32_MAX);
        table_mark_no_staff(t);
    }
    table_rows_commit(t, n);
    return PARITY_OK;
}

/* Reads the store into t: every column when want is NULL, else sex, grade,
** counts and the columns named in want ("staff_id" for the staff ids). */
static int load_store(parity_table *t, parity_store *s, const char *const *want, size_t nwant) {
    if (t->n) return errmsg_set(table_errbuf(t), PARITY_USAGE, "load the store into an empty table");
    table_diag_reset(t);
    table_clear_error(t);
    bool staff = wanted(want, nwant, "staff_id");
    table_savepoint sp;
    int rc = table_savepoint_open(t, &sp, s->path);
    if (rc != PARITY_OK) return rc;
    read_stmts q = {0};
    people P = {.ids = &t->staff_ids};
    blob_reader B = {.s = s, .P = &P};
    if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        table_savepoint_close(&sp);
        return errmsg_set(table_errbuf(t), PARITY_IO, "%s: %s", s->path, sqlite3_errmsg(s->db));
    }
    if ((rc = adopt_settings(t, s)) == PARITY_OK && (rc = read_prepare(t, s, &q)) == PARITY_OK && (rc = check_wanted(t, s, want, nwant)) == PARITY_OK &&
        (rc = reserve_rows(t, s, &q)) == PARITY_OK) {
        /* the people's dates are read with every column (want NULL) */
        for (int j = 0; j < 2 && !want && staff; j++)
            if (!(P.date[j] = malloc(sizeof(int32_t)))) rc = PARITY_NOMEM;
        if (rc == PARITY_OK && staff) rc = read_people(s, &P, false, table_errbuf(t));
        else if (rc == PARITY_OK) table_mark_partial(t);
    }
    int32_t last_date = DATE_NONE;
    while (!rc && sqlite3_step(q.snaps) == SQLITE_ROW)
        rc = read_snapshot(t, s, &q, &B, want, nwant, staff, &last_date);
    sqlite3_blob_close(B.blob);
    free(B.scratch);
    people_free(&P);
    read_finalize(&q);
    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    /* grades are there when a row has one */
    for (size_t i = 0; i < t->n; i++)
        if (table_grade(t, i) != t->grade_blank) {
            table_mark_grades(t);
            break;
        }
    if (rc == PARITY_OK) rc = table_seal_sorted(t);
    if (rc == PARITY_OK && table_set_store_path(t, s->path) != PARITY_OK) rc = PARITY_NOMEM;
    if (rc != PARITY_OK) {
        if (!table_errbuf(t)[0])
            errmsg_set(table_errbuf(t), rc, rc == PARITY_NOMEM ? "%s: out of memory" : "%s: cannot read the store", s->path);
        /* nothing of a store that cannot be read is kept */
        table_savepoint_rollback(t, &sp);
        table_snapshots_free(t);
        table_load_end(t);
    } else {
        table_savepoint_close(&sp);
    }
    return rc;
}

int parity_table_load_store(parity_table *t, parity_store *s) {
    return load_store(t, s, NULL, 0);
}

int parity_table_load_store_columns(parity_table *t, parity_store *s,
                                    const char *const *columns, size_t n) {
    if (!t) return PARITY_USAGE;
    return load_store(t, s, columns ? columns : (const char *const[]){""}, columns ? n : 0);
}

int parity_table_load_store_by(parity_table *t, parity_store *s, const char *by) {
    if (!t) return PARITY_USAGE;
    char *buf;
    const char **names;
    size_t n;
    if (group_split(by ? by : GROUP_DEFAULT, &buf, &names, &n) != PARITY_OK)
        return errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
    int rc = load_store(t, s, n ? names : (const char *const[]){""}, n);
    free(names);
    free(buf);
    return rc;
}
