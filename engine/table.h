/*
** table.h -- the columnar core.
**
** Every column is a dense array indexed by row. Categorical columns hold
** dictionary codes whose width (1, 2 or 4 bytes) grows with the dictionary;
** code 0 is always the empty (missing) value. Grades are codes into the
** table's grade dictionary, with a rank per code for ordered scales. Staff
** ids are interned to dense uint32 ids shared by all snapshots, so matching
** a person across snapshots is an array lookup. Dates are day numbers.
** After each load the rows are kept sorted by snapshot date, so a snapshot
** is the row range [snap[i].begin, snap[i].end).
*/
#ifndef PARITY_TABLE_H
#define PARITY_TABLE_H

#include "config.h"
#include "date.h"
#include "dict.h"

typedef struct table_column {
    char *name;     /* dimension name: canonical name or header as written */
    uint8_t width;  /* bytes per code: 1, 2 or 4 */
    void *codes;
    dictionary dict;     /* code 0 = "" */
} table_column;

/* The bytes per code a column needs to hold `code`: 1, 2 or 4. */
static inline uint8_t table_code_width(uint32_t code) {
    return code <= UINT8_MAX ? 1 : code <= UINT16_MAX ? 2 : 4;
}

static inline uint32_t table_code_get(const table_column *c, size_t i) {
    switch (c->width) {
    case 1: return ((const uint8_t *)c->codes)[i];
    case 2: return ((const uint16_t *)c->codes)[i];
    default: return ((const uint32_t *)c->codes)[i];
    }
}

/* The largest of the first n codes of c (0 when n is 0): one pass per
** width, no branch per code. */
uint32_t table_code_max(const table_column *c, size_t n);

/* Writes a code that fits the column's width (table_col_set widens first). */
static inline void table_code_put(table_column *c, size_t i, uint32_t code) {
    switch (c->width) {
    case 1: ((uint8_t *)c->codes)[i] = (uint8_t)code; break;
    case 2: ((uint16_t *)c->codes)[i] = (uint16_t)code; break;
    default: ((uint32_t *)c->codes)[i] = code; break;
    }
}

/* A person-date column (entry, birth). While a load runs, a date per row:
** 16-bit days since 1900-01-01 (UINT16_MAX: no date) while every date fits,
** 1900 to 2079, else 32-bit day numbers (DATE_NONE: no date). Between
** loads, a date per person instead (these dates belong to the person, not
** to the snapshot): person[] is indexed by staff id, and the rows whose date
** is not their person's (a re-hire, a corrected birth date, a row without a
** staff id) are listed in exc[], by row. A column in which more than one row
** in TABLE_DATE_EXC_SHARE is such a row stays a date per row. table_date_of() reads
** a row's date either way; table_date_get() and table_date_set() are the per-row form. */
typedef struct table_date_exception {
    size_t row;
    int32_t date;
} table_date_exception;

typedef struct table_dates {
    uint8_t width;   /* 2 or 4: bytes per date, in v or in person */
    void *v;         /* per row; NULL when kept per person or absent */
    void *person;    /* per staff id; NULL unless kept per person */
    table_date_exception *exc;    /* rows whose date is not their person's, by row */
    size_t nexc;
} table_dates;

#define TABLE_DATE_EPOCH (-25567) /* 1900-01-01 */
#define TABLE_DATE_EXC_SHARE 16

static inline int32_t table_date_decode(const void *v, uint8_t width, size_t i) {
    if (width == 4) return ((const int32_t *)v)[i];
    uint16_t d = ((const uint16_t *)v)[i];
    return d == UINT16_MAX ? DATE_NONE : TABLE_DATE_EPOCH + (int32_t)d;
}

/* Writes date d, which fits the width, at index i of a person-date array. */
static inline void table_date_encode(void *v, uint8_t width, size_t i, int32_t d) {
    if (width == 4) ((int32_t *)v)[i] = d;
    else ((uint16_t *)v)[i] = d == DATE_NONE ? UINT16_MAX : (uint16_t)(d - TABLE_DATE_EPOCH);
}

/* Row i's date of a column kept per row. */
static inline int32_t table_date_get(const table_dates *c, size_t i) { return table_date_decode(c->v, c->width, i); }

/* Whether any file had the column. */
static inline bool table_dates_present(const table_dates *c) { return c->v || c->person; }

/* A snapshot: its date, its rows, and where it came from -- the file (or
** files, when several were combined into it, joined with " + ") and the
** checksum of their bytes as read (TABLE_CHECKSUM_LEN characters: "xxh3-"
** and 16 hex digits; for a combined snapshot, of its files' checksums). */
#define TABLE_CHECKSUM_LEN 21
typedef struct table_snapshot {
    int32_t date;
    size_t begin, end;
    char *source;                       /* owned; NULL when not known */
    char checksum[TABLE_CHECKSUM_LEN + 1];
} table_snapshot;

/* A file loaded into the table: its name and the checksum of its bytes, to
** refuse the same bytes given twice. */
typedef struct table_loaded {
    char *name;
    char checksum[TABLE_CHECKSUM_LEN + 1];
} table_loaded;

/* A 64-bit hash of len bytes (XXH3, as `xxhsum -H3` computes it), and its
** text as the tables and the store give checksums. */
uint64_t table_hash_bytes(const void *data, size_t len);
void table_checksum_text(uint64_t hash, char out[TABLE_CHECKSUM_LEN + 1]);

#define TABLE_MAX_DIAG 1000
#define TABLE_NAME_MAX 1024 /* bytes of a column name, with its NUL */

struct parity_table {
    parity_config cfg;
    size_t n, cap;           /* rows used / allocated in every column */

    /* fixed columns */
    uint32_t *staff;         /* interned staff id, or UINT32_MAX when absent */
    int32_t *date;           /* snapshot date (day number) of each row, only while
                             ** a load runs: after it the snapshot ranges say it */
    uint8_t *sex;            /* sexcode */
    table_column grade;              /* codes into grades (no name, no dict of its own) */
    uint32_t *count;         /* weight of the row (aggregated input), or NULL */
    table_dates entry_date;        /* person dates; .v NULL when no file had them */
    table_dates birth_date;
    bool has_staff_all;      /* every row so far had a staff id */
    bool has_grade;          /* some file had a grade column */
    uint32_t grade_blank;    /* grade code of rows without a grade, or UINT32_MAX */
    bool combine;            /* files may add rows to a snapshot loaded before */
    table_loaded *loads;            /* the files loaded, in order */
    size_t nloads;
    char *store_path;        /* the store it was read from, or NULL */
    char **warn;             /* warnings of the last load call */
    size_t nwarn;
    bool partial;            /* read from the store with only some columns:
                             ** answers queries, takes no more rows, is not
                             ** imported anywhere */

    dictionary staff_ids;
    dictionary grades;            /* grade code -> name as reported */
    int32_t *grade_rank;     /* per grade code, -1 when unranked */
    uint32_t *grade_cat;     /* per grade code, code into categories */
    size_t grade_cap;
    dictionary categories;        /* code 0 = "" */
    dictionary grade_spelling;    /* raw spelling -> grade code, a memo */
    uint32_t *spelling_code;
    size_t spelling_cap;

    table_column *cols;              /* categorical dimensions */
    size_t ncols;
    dictionary colnames;          /* lower-cased column name -> index into cols */

    table_snapshot *snap;
    size_t nsnap;

    char **dims;             /* the dimension names a `by` accepts */
    size_t ndims;

    char **diag;
    size_t ndiag, ndiag_total;
    parity_progress_fn progress; /* called as a file loads, or NULL */
    void *progress_data;
    int threads;             /* for loads; 0: one per core */
};

/* ---- writing rows: the only way in --------------------------------------
**
** A load opens a savepoint, appends rows at index t->n (table_reserve()
** makes room; the setters fill row r; table_row_commit() counts it), and
** either seals them (table_seal()) or rolls back to the savepoint, which
** leaves the table exactly as it was: rows, columns, and the strings the
** load added to its dictionaries. */
typedef struct table_savepoint {
    size_t n, ncols;
    uint32_t nstaff, ngrades, nspellings, ncategories, grade_blank;
    uint32_t *coldict;       /* per column then: its dictionary's size */
    bool has_staff_all, has_grade, partial;
} table_savepoint;

/* Opens a savepoint; PARITY_USAGE (message on t, naming `name`) for a
** table read from a store with only some of its columns. */
int table_savepoint_open(parity_table *t, table_savepoint *sp, const char *name);
/* Back to the savepoint (and closes it). */
void table_savepoint_rollback(parity_table *t, table_savepoint *sp);
/* Keeps what was done since (and closes it). */
void table_savepoint_close(table_savepoint *sp);

int table_reserve(parity_table *t, size_t rows);
static inline void table_set_staff(parity_table *t, size_t r, uint32_t id) { t->staff[r] = id; }
static inline void table_set_date(parity_table *t, size_t r, int32_t d) { t->date[r] = d; }
static inline void table_set_sex(parity_table *t, size_t r, uint8_t sex) { t->sex[r] = sex; }
static inline void table_set_count(parity_table *t, size_t r, uint32_t n) { t->count[r] = n; }
/* Row t->n is filled: count it. */
static inline void table_row_commit(parity_table *t) { t->n++; }
/* A file without staff ids (flows cannot follow its people), one with a
** grade column. */
static inline void table_mark_no_staff(parity_table *t) { t->has_staff_all = false; }
static inline void table_mark_grades(parity_table *t) { t->has_grade = true; }
/* Appends the rows of a part's table s (the same configuration) to t, its
** codes remapped into t's dictionaries, and moves its diagnostics after
** t's. */
int table_absorb(parity_table *t, parity_table *s);
void table_take_diagnostics(parity_table *t, parity_table *s);
/* The buffer for the message of a failed call on t: the calling thread's
** own (errno's way), so threads that query one table at once each read
** their own message. It holds t's message until a call on another table
** writes one in this thread. */
char *table_errbuf(const parity_table *t);
/* Clears the message of the last failed call. */
static inline void table_clear_error(const parity_table *t) { table_errbuf(t)[0] = '\0'; }

/* For a reader that fills whole blocks (the store's blobs, read straight
** into the columns): the columns' memory from row r0, rows reserved. */
static inline uint32_t *table_staff_block(parity_table *t, size_t r0) { return t->staff + r0; }
static inline uint8_t *table_sex_block(parity_table *t, size_t r0) { return t->sex + r0; }
static inline uint32_t *table_count_block(parity_table *t, size_t r0) { return t->count + r0; }
/* Appends snapshot `date` of n rows from row t->n (reserved, filled by the
** caller) with its source and checksum (either may be NULL); NULL when out
** of memory. The rows are counted by table_rows_commit(). */
table_snapshot *table_snapshot_append(parity_table *t, int32_t date, size_t n, const char *source,
                                      const char *checksum);
static inline void table_rows_commit(parity_table *t, size_t n) { t->n += n; }
/* The table holds only some of the store's columns: it answers queries on
** them, takes no more rows and is not imported. */
static inline void table_mark_partial(parity_table *t) {
    t->has_staff_all = false;
    t->partial = true;
}
/* Rows [r0, r0 + n) as a file without the table's other columns reads:
** categorical code 0 (blank), no person dates, a count of 1. */
void table_block_defaults(parity_table *t, size_t r0, size_t n);
/* The store t was read from (NULL: CSV files); PARITY_NOMEM. */
int table_set_store_path(parity_table *t, const char *path);
/* The grade code of row r. */
static inline uint32_t table_grade(const parity_table *t, size_t r) { return table_code_get(&t->grade, r); }
/* Gives a table a person-date column, every row so far without a date. */
int table_dates_create(parity_table *t, table_dates *c);
/* Gives a table its count column (aggregated input), every row so far a
** count of 1; PARITY_OK at once if it has one. */
int table_count_create(parity_table *t);
/* Scratch for matching people between two snapshots: staff_ids.n entries,
** each UINT32_MAX ("not in the earlier snapshot"); the caller sets the
** entries of one snapshot's people, reads those of the next's, and puts
** UINT32_MAX back. NULL when out of memory. */
uint32_t *table_staff_pos_new(const parity_table *t);
/* Row i's date, however the column is kept. */
int32_t table_date_of(const parity_table *t, const table_dates *c, size_t i);
/* Back to a date per row (table_reserve does, so that rows can be added). */
int table_dates_by_row(parity_table *t, table_dates *c);
/* table_date_set() when the date is none, or does not fit two bytes, or the column
** is four bytes wide already (widening it when the date does not fit). */
int table_date_set_slow(parity_table *t, table_dates *c, size_t i, int32_t d);
/* Sets row i of a person-date column, widening it when d does not fit; the
** common case (two bytes, and the date fits) inline. */
static inline int table_date_set(parity_table *t, table_dates *c, size_t i, int32_t d) {
    if (c->width == 2 && d >= TABLE_DATE_EPOCH && d - TABLE_DATE_EPOCH < UINT16_MAX) {
        table_date_encode(c->v, 2, i, d);
        return PARITY_OK;
    }
    return table_date_set_slow(t, c, i, d);
}
#define TABLE_NOMEM (-2L) /* out of memory, where an index is returned */
/* The index of the categorical column named name, case-insensitively (a
** hash look-up, so a header of thousands of columns stays linear); -1 when
** absent, TABLE_NOMEM when a name of 256 bytes or more cannot be folded. */
long table_find_col(const parity_table *t, const char *name);
/* The column named name, created (backfilled with code 0) when absent: its
** index, or TABLE_NOMEM. */
long table_col_add(parity_table *t, const char *name);
/* Removes the columns from index n on (a failed load's). */
void table_cols_truncate(parity_table *t, size_t n);
#define TABLE_MAX_COLS 10000 /* columns a table takes: a staff file has dozens */
/* table_col_set() when the code does not fit the column's width. */
int table_col_set_wider(parity_table *t, table_column *c, size_t i, uint32_t code);
/* Appends a code to a column at row i, widening the column when needed. */
static inline int table_col_set(parity_table *t, table_column *c, size_t i, uint32_t code) {
    if (table_code_width(code) > c->width) return table_col_set_wider(t, c, i, code);
    table_code_put(c, i, code);
    return PARITY_OK;
}
/* Writes rows [r0, r0 + n) of c from rows [0, n) of src, each code through
** map; c is widened once, up front, when the codes need it. */
int table_col_map(parity_table *t, table_column *c, size_t r0, const table_column *src, size_t n,
               const uint32_t *map);
/* Grade code of a raw spelling; -1 when not in an ordered scale, -2 NOMEM. */
int64_t table_grade_code(parity_table *t, const char *s, size_t len);
/* As table_grade_code(), trying the spelling *hint first and leaving there the
** spelling of s (UINT32_MAX when it has none). */
int64_t table_grade_code_hint(parity_table *t, const char *s, size_t len, uint32_t *hint);
/* The grade code of rows that have no grade (a file without a grade
** column), interned when first asked for; -2 when out of memory. */
int64_t table_grade_blank(parity_table *t);
/* Re-sorts rows by date, rebuilds snapshot ranges and the dimension list,
** and checks duplicate staff ids within a snapshot starting at row `from`
** (rows before it were checked before). lines/file give each new row's
** source for diagnostics; checksum is that of the file's bytes. A file
** whose bytes were loaded before, or whose snapshot dates were loaded from
** another file (unless t->combine), is refused. */
int table_seal(parity_table *t, size_t from, const uint32_t *lines,
            const char *file, const char *checksum);
/* Adds a warning to the last load's (a message for the caller to show). */
void table_warn(parity_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void table_warn_reset(parity_table *t);
/* Frees the snapshot list. */
void table_snapshots_free(parity_table *t);
/* table_seal for rows read in snapshot order with t->snap set by the reader
** and checked for duplicates before (the store's): ranks, dimensions, end. */
int table_seal_sorted(parity_table *t);
/* Ends a load (table_seal does, and a failed load): frees the load-time date
** column and keeps the person dates per person where they allow it. */
void table_load_end(parity_table *t);
void table_diag(parity_table *t, const char *file, size_t line, size_t col,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Keeps a malloc'ed message among the diagnostics (t owns it from now; it is
** freed when TABLE_MAX_DIAG are kept already). Does not count it: table_diag does. */
void table_diag_keep(parity_table *t, char *msg);
void table_diag_reset(parity_table *t);
/* Snapshot index of date d, or -1. */
long table_snapshot_of(const parity_table *t, int32_t d);

/* Snapshot `at` ("YYYY-MM-DD") of t into *s; PARITY_USAGE when it is not a
** date, PARITY_NOTFOUND (listing the dates there are) when t has none such.
** `what` names the argument in the message ("'at'", the API's word). */
int table_snapshot_arg(parity_table *t, const char *at, const char *what, size_t *s);

/* The inputs' identity for JSON: the store read from (or null), the rows,
** and per snapshot its date, rows, source and checksum. */
struct cJSON *table_inputs_json(const parity_table *t);

#endif /* PARITY_TABLE_H */
