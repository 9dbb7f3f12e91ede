/*
** internal.h -- structures and functions shared between the engine's files.
**
** Nothing here is exported from the library (the build uses hidden
** visibility); prefixes name the owning file: pd_ dict.c, pdate_ date.c,
** pg_ grade.c, pcfg_ config.c, pt_ table.c, pr_ result.c, ps_ stats.c.
*/
#ifndef PARITY_INTERNAL_H
#define PARITY_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "parity.h"

struct cJSON;

#define PARITY_ERRMSG_MAX 512

/* Formats a message into buf (PARITY_ERRMSG_MAX bytes) and returns status. */
int perr_set(char *buf, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A malloc'ed copy of s (the caller frees it), or NULL when out of memory. */
char *pstrdup(const char *s);
/* Appends a formatted, malloc'ed string to the list *list of *n (a table's
** warnings, a result's notes); PARITY_NOMEM leaves the list as it was. */
int pstrs_add(char ***list, size_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------------------
** dict.c -- string interning: string <-> dense code 0..n-1.
**
** Open addressing over a power-of-two slot array; the strings live in a
** chunked arena owned by the dict, so interning allocates only when a chunk
** fills, never per lookup.
*/
typedef struct pd_arena_chunk pd_arena_chunk;

typedef struct pdict {
    char **str;        /* code -> NUL-terminated string (in the arena) */
    uint32_t n, cap;   /* codes in use / allocated */
    uint64_t *slot;    /* hash << 32 | (code + 1), or 0 for empty */
    uint32_t nslot;    /* power of two, or 0 */
    uint32_t nindexed; /* codes [0, nindexed) are in slot[]; codes added by
                       ** pd_add() after them are indexed on the next look-up */
    pd_arena_chunk *arena;
} pdict;

void pd_init(pdict *d);
void pd_free(pdict *d);
/* The code of s (interning it when new); -1 when out of memory. */
int64_t pd_intern(pdict *d, const char *s, size_t len);
/* The code of s, or -1 when absent (or out of memory building the index). */
int64_t pd_find(const pdict *d, const char *s, size_t len);
/* Makes room for n strings in all; -1 when out of memory. */
int pd_reserve(pdict *d, uint32_t n);
/* Adds s, known to be absent (e.g. read from a UNIQUE column), without
** looking for it: its new code, or -1 when out of memory. The hash index
** takes it in on the next look-up, so a dictionary that is only read by
** code (staff ids reloaded from the store) never builds one. */
int64_t pd_add(pdict *d, const char *s, size_t len);
/* Interns every string of src into d, in src's code order, writing each
** one's code in d to map[its code in src]; -1 when out of memory. */
int pd_merge(pdict *d, const pdict *src, uint32_t *map);
/* As pd_intern(), trying the code `hint` first: one comparison instead of
** a hash and a probe when the caller guesses right, as a loader does for
** staff ids listed in the same order snapshot after snapshot. */
int64_t pd_intern_hint(pdict *d, const char *s, size_t len, uint32_t hint);
/* Whether code holds s (len bytes, no NUL among them: the CSV reader
** rejects NUL bytes and the store reader stops at one). The first bytes are
** compared inline, the rest by strncmp(); when it finds the first len bytes
** equal, none of the stored string's is its NUL, so its byte len is still
** its own, and must be its end. */
static inline bool pd_same(const pdict *d, uint32_t code, const char *s, size_t len) {
    const char *t = d->str[code];
    if (len == 0) return t[0] == '\0';
    return t[0] == s[0] && strncmp(t, s, len) == 0 && t[len] == '\0';
}
/* A caller's memo of hints for one dictionary: PD_MEMO codes, direct-mapped
** by pd_memo_key() (the length and three bytes of the string), each the
** code last found for a string with that key. For a column of a few dozen
** values it guesses right nearly every time, so a look-up is one comparison
** instead of a hash and a probe. */
#define PD_MEMO 256
static inline uint32_t pd_memo_key(const char *s, size_t len) {
    if (len == 0) return 0;
    uint32_t k = (uint32_t)(unsigned char)s[0] | (uint32_t)(unsigned char)s[len / 2] << 8 |
                 (uint32_t)(unsigned char)s[len - 1] << 16 | (uint32_t)len << 24;
    return (k * 0x9E3779B1u) >> 24;
}
static inline const char *pd_str(const pdict *d, uint32_t code) {
    return d->str[code];
}
uint32_t pd_hash(const char *s, size_t len);

/* ------------------------------------------------------------------------
** date.c -- calendar dates as day numbers (days since 1970-01-01).
*/
#define PDATE_NONE INT32_MIN

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int32_t pdate_from_ymd(int y, int m, int d);
void pdate_to_ymd(int32_t days, int *y, int *m, int *d);
/* Parses s (len bytes) with the strptime-style format fmt, or strict ISO
** YYYY-MM-DD when fmt is NULL. Returns false when s is not a valid date in
** that format (trailing text, day 31 of a 30-day month, ...). */
bool pdate_parse(const char *s, size_t len, const char *fmt, int32_t *out);
/* Writes "YYYY-MM-DD" (11 bytes with NUL). */
void pdate_format(int32_t days, char out[11]);
/* The date as a decimal year, e.g. 2020-07-02 -> 2020.5. */
double pdate_decimal_year(int32_t days);

/* ------------------------------------------------------------------------
** grade.c -- grade scales, spelling normalisation and categories.
*/
typedef enum pg_order {
    PG_ORDER_UN = 0,
    PG_ORDER_AS_LISTED,
    PG_ORDER_NUMERIC,
    PG_ORDER_NONE
} pg_order;

/* Normalises a grade spelling for lookup in an ordered scale: trims, upper-
** cases, drops spaces, '-', '_' and '.', so "p-4", "P 4" and "P4" agree.
** Writes at most cap-1 bytes and a NUL into out; returns the length. */
size_t pg_normalise(const char *s, size_t len, char *out, size_t cap);

/* The default UN common-system scale: names in order, lowest first, and the
** category of each. */
extern const char *const pg_un_grades[];
extern const char *const pg_un_categories[];
extern const size_t pg_un_ngrades;

/* ------------------------------------------------------------------------
** config.c -- the private body of parity_config.
*/
enum pcanon {
    PC_STAFF_ID = 0,
    PC_SNAPSHOT_DATE,
    PC_SEX,
    PC_GRADE,
    PC_DEPARTMENT,
    PC_DUTY_STATION,
    PC_LOCATION_TYPE,
    PC_CONTRACT_TYPE,
    PC_ENTRY_DATE,
    PC_BIRTH_DATE,
    PC_COUNT,
    PC_NCANON
};
extern const char *const pcanon_name[PC_NCANON];
int pcanon_find(const char *name); /* -1 when unknown */

typedef enum psex { PSEX_F = 0, PSEX_M = 1, PSEX_X = 2, PSEX_U = 3 } psex;

typedef struct pcfg_category {
    char *name;
    char **grades; /* normalised grade names */
    size_t ngrades;
} pcfg_category;

/* A target (DESIGN.md, "Targets"): a scope, a measure, a share, a year. */
typedef enum ptmeasure { PTM_STOCK = 0, PTM_HIRES, PTM_PROMOTIONS, PTM_MOVES } ptmeasure;
extern const char *const ptmeasure_name[4];

typedef struct ptarget {
    char *scope;         /* "grade=P4", "category=Professional,department=HQ", "all" */
    char **dim, **value; /* the scope split into dimension = value pairs */
    size_t nscope;       /* 0: everyone */
    ptmeasure measure;
    double share;
    double band;         /* < 0: the configuration's band */
    int year;
} ptarget;

/* A column mapping: the input column `header` is read as the dimension
** `name` (a canonical column or any other name). A name may have several
** headers, alternatives for files that spell it differently. */
typedef struct pcfg_map {
    char *name;
    char *header;
} pcfg_map;

struct parity_config {
    pcfg_map *maps;              /* column mappings, in the order given */
    size_t nmaps;
    char **drop;                 /* input columns kept out of the table */
    size_t ndrop;
    char delimiter;              /* field separator, ',' by default */
    char *encoding;              /* iconv name of the input's encoding; NULL: UTF-8 */
    pdict sex_values;            /* lower-cased value -> index into sex_code */
    uint8_t *sex_code;           /* parallel to sex_values codes */
    size_t sex_cap;
    pg_order order;
    char **grades;               /* as-listed scale (normalised), lowest first */
    size_t ngrades;
    pcfg_category *categories;   /* optional grade -> category mapping */
    size_t ncategories;
    char **top_grades;           /* glass-ceiling top grades, or NULL: default */
    size_t ntop;
    char *date_format[PC_NCANON]; /* per date column, NULL = ISO */
    double target, band;
    ptarget *targets;
    size_t ntargets;
    char errmsg[PARITY_ERRMSG_MAX];
};

/* A deep copy of src into dst (dst uninitialised). */
int pcfg_copy(parity_config *dst, const parity_config *src);
void pcfg_clear(parity_config *cfg);
/* Looks up a sex value (trimmed, case-insensitive): 0..3 or -1. */
int pcfg_sex(const parity_config *cfg, const char *s, size_t len);
/* Whether `name` has a mapping (any header mapped onto it). */
bool pcfg_mapped(const parity_config *cfg, const char *name);
/* The mapping whose header is `header` (case-insensitive), or NULL. */
const pcfg_map *pcfg_map_of_header(const parity_config *cfg, const char *header);
/* Whether the input column `header` is to be kept out of the table. */
bool pcfg_dropped(const parity_config *cfg, const char *header);

/* ------------------------------------------------------------------------
** table.c -- the columnar core.
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
typedef struct pcol {
    char *name;     /* dimension name: canonical name or header as written */
    uint8_t width;  /* bytes per code: 1, 2 or 4 */
    void *codes;
    pdict dict;     /* code 0 = "" */
} pcol;

/* The bytes per code a column needs to hold `code`: 1, 2 or 4. */
static inline uint8_t pcol_width_for(uint32_t code) {
    return code <= UINT8_MAX ? 1 : code <= UINT16_MAX ? 2 : 4;
}

static inline uint32_t pcol_get(const pcol *c, size_t i) {
    switch (c->width) {
    case 1: return ((const uint8_t *)c->codes)[i];
    case 2: return ((const uint16_t *)c->codes)[i];
    default: return ((const uint32_t *)c->codes)[i];
    }
}

/* The largest of the first n codes of c (0 when n is 0): one pass per
** width, no branch per code. */
uint32_t pcol_max(const pcol *c, size_t n);

/* Writes a code that fits the column's width (pt_col_set widens first). */
static inline void pcol_put(pcol *c, size_t i, uint32_t code) {
    switch (c->width) {
    case 1: ((uint8_t *)c->codes)[i] = (uint8_t)code; break;
    case 2: ((uint16_t *)c->codes)[i] = (uint16_t)code; break;
    default: ((uint32_t *)c->codes)[i] = code; break;
    }
}

/* A person-date column (entry, birth). While a load runs, a date per row:
** 16-bit days since 1900-01-01 (UINT16_MAX: no date) while every date fits,
** 1900 to 2079, else 32-bit day numbers (PDATE_NONE: no date). Between
** loads, a date per person instead (these dates belong to the person, not
** to the snapshot): person[] is indexed by staff id, and the rows whose date
** is not their person's (a re-hire, a corrected birth date, a row without a
** staff id) are listed in exc[], by row. A column in which more than one row
** in PDC_EXC_SHARE is such a row stays a date per row. pt_pdc_date() reads
** a row's date either way; pdc_get() and pdc_set() are the per-row form. */
typedef struct pdc_exc {
    size_t row;
    int32_t date;
} pdc_exc;

typedef struct pdcol {
    uint8_t width;   /* 2 or 4: bytes per date, in v or in person */
    void *v;         /* per row; NULL when kept per person or absent */
    void *person;    /* per staff id; NULL unless kept per person */
    pdc_exc *exc;    /* rows whose date is not their person's, by row */
    size_t nexc;
} pdcol;

#define PDC_EPOCH (-25567) /* 1900-01-01 */
#define PDC_EXC_SHARE 16

static inline int32_t pdc_decode(const void *v, uint8_t width, size_t i) {
    if (width == 4) return ((const int32_t *)v)[i];
    uint16_t d = ((const uint16_t *)v)[i];
    return d == UINT16_MAX ? PDATE_NONE : PDC_EPOCH + (int32_t)d;
}

/* Writes date d, which fits the width, at index i of a person-date array. */
static inline void pdc_encode(void *v, uint8_t width, size_t i, int32_t d) {
    if (width == 4) ((int32_t *)v)[i] = d;
    else ((uint16_t *)v)[i] = d == PDATE_NONE ? UINT16_MAX : (uint16_t)(d - PDC_EPOCH);
}

/* Row i's date of a column kept per row. */
static inline int32_t pdc_get(const pdcol *c, size_t i) { return pdc_decode(c->v, c->width, i); }

/* Whether any file had the column. */
static inline bool pdc_present(const pdcol *c) { return c->v || c->person; }

/* A snapshot: its date, its rows, and where it came from -- the file (or
** files, when several were combined into it, joined with " + ") and the
** checksum of their bytes as read (PT_CHECKSUM_LEN characters: "xxh3-"
** and 16 hex digits; for a combined snapshot, of its files' checksums). */
#define PT_CHECKSUM_LEN 21
typedef struct psnap {
    int32_t date;
    size_t begin, end;
    char *source;                       /* owned; NULL when not known */
    char checksum[PT_CHECKSUM_LEN + 1];
} psnap;

/* A file loaded into the table: its name and the checksum of its bytes, to
** refuse the same bytes given twice. */
typedef struct pload {
    char *name;
    char checksum[PT_CHECKSUM_LEN + 1];
} pload;

/* A 64-bit hash of len bytes (XXH3, as `xxhsum -H3` computes it), and its
** text as the tables and the store give checksums. */
uint64_t pt_hash_bytes(const void *data, size_t len);
void pt_checksum_text(uint64_t hash, char out[PT_CHECKSUM_LEN + 1]);

#define PT_MAX_DIAG 1000
#define PT_NAME_MAX 1024 /* bytes of a column name, with its NUL */

struct parity_table {
    parity_config cfg;
    size_t n, cap;           /* rows used / allocated in every column */

    /* fixed columns */
    uint32_t *staff;         /* interned staff id, or UINT32_MAX when absent */
    int32_t *date;           /* snapshot date (day number) of each row, only while
                             ** a load runs: after it the snapshot ranges say it */
    uint8_t *sex;            /* psex */
    pcol grade;              /* codes into grades (no name, no dict of its own) */
    uint32_t *count;         /* weight of the row (aggregated input), or NULL */
    pdcol entry_date;        /* person dates; .v NULL when no file had them */
    pdcol birth_date;
    bool has_staff_all;      /* every row so far had a staff id */
    bool has_grade;          /* some file had a grade column */
    uint32_t grade_blank;    /* grade code of rows without a grade, or UINT32_MAX */
    bool combine;            /* files may add rows to a snapshot loaded before */
    pload *loads;            /* the files loaded, in order */
    size_t nloads;
    char *store_path;        /* the store it was read from, or NULL */
    char **warn;             /* warnings of the last load call */
    size_t nwarn;
    bool partial;            /* read from the store with only some columns:
                             ** answers queries, takes no more rows, is not
                             ** imported anywhere */

    pdict staff_ids;
    pdict grades;            /* grade code -> name as reported */
    int32_t *grade_rank;     /* per grade code, -1 when unranked */
    uint32_t *grade_cat;     /* per grade code, code into categories */
    size_t grade_cap;
    pdict categories;        /* code 0 = "" */
    pdict grade_spelling;    /* raw spelling -> grade code, a memo */
    uint32_t *spelling_code;
    size_t spelling_cap;

    pcol *cols;              /* categorical dimensions */
    size_t ncols;
    pdict colnames;          /* lower-cased column name -> index into cols */

    psnap *snap;
    size_t nsnap;

    char **dims;             /* names accepted by --by */
    size_t ndims;

    char **diag;
    size_t ndiag, ndiag_total;
    parity_progress_fn progress; /* called as a file loads, or NULL */
    void *progress_data;
    int threads;             /* for loads; 0: one per core */
    char errmsg[PARITY_ERRMSG_MAX];
};

int pt_reserve(parity_table *t, size_t rows);
/* The grade code of row r. */
static inline uint32_t pt_grade(const parity_table *t, size_t r) { return pcol_get(&t->grade, r); }
/* Gives a table a person-date column, every row so far without a date. */
int pt_pdc_create(parity_table *t, pdcol *c);
/* Gives a table its count column (aggregated input), every row so far a
** count of 1; PARITY_OK at once if it has one. */
int pt_count_create(parity_table *t);
/* Scratch for matching people between two snapshots: staff_ids.n entries,
** each UINT32_MAX ("not in the earlier snapshot"); the caller sets the
** entries of one snapshot's people, reads those of the next's, and puts
** UINT32_MAX back. NULL when out of memory. */
uint32_t *pt_staff_pos_new(const parity_table *t);
/* Row i's date, however the column is kept. */
int32_t pt_pdc_date(const parity_table *t, const pdcol *c, size_t i);
/* Back to a date per row (pt_reserve does, so that rows can be added). */
int pt_pdc_by_row(parity_table *t, pdcol *c);
/* pdc_set() when the date is none, or does not fit two bytes, or the column
** is four bytes wide already (widening it when the date does not fit). */
int pt_pdc_set_slow(parity_table *t, pdcol *c, size_t i, int32_t d);
/* Sets row i of a person-date column, widening it when d does not fit; the
** common case (two bytes, and the date fits) inline. */
static inline int pdc_set(parity_table *t, pdcol *c, size_t i, int32_t d) {
    if (c->width == 2 && d >= PDC_EPOCH && d - PDC_EPOCH < UINT16_MAX) {
        pdc_encode(c->v, 2, i, d);
        return PARITY_OK;
    }
    return pt_pdc_set_slow(t, c, i, d);
}
/* The index of the categorical column named name (case-insensitively: a
** hash look-up, so a header of thousands of columns stays linear),
** creating it (backfilled with code 0) when create is true; -1 when absent
** or out of memory. */
long pt_col(parity_table *t, const char *name, bool create);
/* Removes the columns from index n on (a failed load's). */
void pt_cols_truncate(parity_table *t, size_t n);
#define PT_MAX_COLS 10000 /* columns a table takes: a staff file has dozens */
/* pt_col_set() when the code does not fit the column's width. */
int pt_col_set_wider(parity_table *t, pcol *c, size_t i, uint32_t code);
/* Appends a code to a column at row i, widening the column when needed. */
static inline int pt_col_set(parity_table *t, pcol *c, size_t i, uint32_t code) {
    if (pcol_width_for(code) > c->width) return pt_col_set_wider(t, c, i, code);
    pcol_put(c, i, code);
    return PARITY_OK;
}
/* Writes rows [r0, r0 + n) of c from rows [0, n) of src, each code through
** map; c is widened once, up front, when the codes need it. */
int pt_col_map(parity_table *t, pcol *c, size_t r0, const pcol *src, size_t n,
               const uint32_t *map);
/* Grade code of a raw spelling; -1 when not in an ordered scale, -2 NOMEM. */
int64_t pt_grade_code(parity_table *t, const char *s, size_t len);
/* As pt_grade_code(), trying the spelling *hint first and leaving there the
** spelling of s (UINT32_MAX when it has none). */
int64_t pt_grade_code_hint(parity_table *t, const char *s, size_t len, uint32_t *hint);
/* The grade code of rows that have no grade (a file without a grade
** column), interned when first asked for; -2 when out of memory. */
int64_t pt_grade_blank(parity_table *t);
/* Re-sorts rows by date, rebuilds snapshot ranges and the dimension list,
** and checks duplicate staff ids within a snapshot starting at row `from`
** (rows before it were checked before). lines/file give each new row's
** source for diagnostics; checksum is that of the file's bytes. A file
** whose bytes were loaded before, or whose snapshot dates were loaded from
** another file (unless t->combine), is refused. */
int pt_seal(parity_table *t, size_t from, const uint32_t *lines,
            const char *file, const char *checksum);
/* Adds a warning to the last load's (a message for the caller to show). */
void pt_warn(parity_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pt_warn_reset(parity_table *t);
/* Frees the snapshot list. */
void pt_snaps_free(parity_table *t);
/* pt_seal for rows read in snapshot order with t->snap set by the reader
** and checked for duplicates before (the store's): ranks, dimensions, end. */
int pt_seal_sorted(parity_table *t);
/* Ends a load (pt_seal does, and a failed load): frees the load-time date
** column and keeps the person dates per person where they allow it. */
void pt_load_end(parity_table *t);
void pt_diag(parity_table *t, const char *file, size_t line, size_t col,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Keeps a malloc'ed message among the diagnostics (t owns it from now; it is
** freed when PT_MAX_DIAG are kept already). Does not count it: pt_diag does. */
void pt_diag_keep(parity_table *t, char *msg);
void pt_diag_reset(parity_table *t);
/* Snapshot index of date d, or -1. */
long pt_snapshot_of(const parity_table *t, int32_t d);

/* ------------------------------------------------------------------------
** stats.c -- shares, intervals and the parity band.
*/
typedef enum pband { PBAND_BELOW = 0, PBAND_WITHIN, PBAND_ABOVE } pband;
extern const char *const pband_name[3];

/* Wilson score interval for k successes in n trials at the given two-sided
** confidence (0.95). n = 0 gives [0, 1]. */
void ps_wilson(double k, double n, double confidence, double *lo, double *hi);
pband ps_band(double share, double target, double band);
/* ceil(target * total) - female when below the band, else 0: the women
** who would have to replace men for the group to reach the target share. */
int64_t ps_gap_to_parity(int64_t female, int64_t total, double target,
                         double band);
/* Its mirror: female - floor(target * total) when above the band, else 0:
** the men who would have to replace women. */
int64_t ps_gap_men(int64_t female, int64_t total, double target, double band);
/* Snapshot `at` ("YYYY-MM-DD") of t into *s; PARITY_USAGE when it is not a
** date, PARITY_NOTFOUND (listing the dates there are) when t has none such.
** `what` names the argument in the message ("--at"). */
int pt_snapshot_arg(parity_table *t, const char *at, const char *what, size_t *s);

/* Two-proportion z-test (pooled); false when undefined. */
bool ps_ztest(double x1, double n1, double x2, double n2, double *z, double *p);
/* Fisher's exact test, two-sided, for x1 events of n1 against x2 of n2. */
double ps_fisher(unsigned x1, unsigned n1, unsigned x2, unsigned n2);

/* A least-squares line y = c0 + c1 x (GSL) and what its prediction
** interval needs. */
typedef struct ps_line {
    double c0, c1;   /* intercept, slope */
    double s2;       /* residual variance, RSS / (n - 2) */
    double xbar, sxx; /* mean of x, sum of (x - xbar)^2 */
    double t975;     /* Student t quantile, n - 2 degrees of freedom */
    size_t n;
} ps_line;

/* Fits n >= 3 points; false when there are fewer or x does not vary. */
bool ps_linfit(const double *x, const double *y, size_t n, ps_line *out);
/* The line at x, and its 95% prediction interval in *lo, *hi. */
double ps_linfit_predict(const ps_line *l, double x, double *lo, double *hi);
/* The standard error of the slope, sqrt(s2 / Sxx). */
double ps_linfit_slope_sd(const ps_line *l);

/* ------------------------------------------------------------------------
** result.c -- the result frame.
*/
typedef enum pr_kind {
    PR_DIM = 0,  /* dimension value, text */
    PR_COUNT,    /* integer count */
    PR_SHARE,    /* fraction 0..1, shown as a percentage */
    PR_REAL,     /* other real number */
    PR_CI,       /* interval [lo, hi] of shares */
    PR_TEXT,     /* a word, e.g. a status */
    PR_YEAR,     /* a year (JSON: a number or null); people may see a word
                 ** in its place ("reached") or a mark ("2190*") */
    PR_BOOL,     /* true or false */
    PR_NOTE      /* prose: in JSON and CSV as it is, for people a footnote
                 ** mark ([1]) with the text under the table */
} pr_kind;

typedef struct pr_cell {
    bool null;
    double v[2];
    char *s;
} pr_cell;

typedef struct pr_col {
    char *name;   /* JSON name; "a.b" nests b inside object a */
    char *label;  /* header for people */
    pr_kind kind;
    bool machine_only; /* shown in JSON and CSV, not in table and md */
} pr_col;

struct parity_result {
    char *command;
    pr_col *col;
    size_t ncol;
    pr_cell *cell;          /* row-major, (ngroup + has_total) x ncol */
    size_t nrow, caprow;
    bool has_total;
    struct cJSON *meta;     /* inputs, parameters and scalars for JSON */
    char **notes;           /* lines shown under the table */
    size_t nnotes;
    char *title;
};

parity_result *pr_new(const char *command, const char *title);
int pr_add_col(parity_result *r, const char *name, const char *label,
               pr_kind kind);
/* As pr_add_col, for a column only JSON and CSV show. */
int pr_add_machine_col(parity_result *r, const char *name, pr_kind kind);
/* Appends a row of nulls; returns its index or -1 (NOMEM). */
long pr_add_row(parity_result *r);
pr_cell *pr_at(parity_result *r, size_t row, size_t col);
int pr_set_num(parity_result *r, size_t row, size_t col, double v);
int pr_set_ci(parity_result *r, size_t row, size_t col, double lo, double hi);
int pr_set_text(parity_result *r, size_t row, size_t col, const char *s);
int pr_note(parity_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Number of group rows (excluding the total row). */
size_t pr_ngroups(const parity_result *r);

#endif /* PARITY_INTERNAL_H */

/* ------------------------------------------------------------------------
** group.c -- group-by over dictionary codes.
**
** A grouping is a list of dimensions; a group's key is its codes in mixed
** radix (code_0 + card_0 * (code_1 + card_1 * ...)), so counting into groups
** is direct indexing into an array of nkeys cells, never a hash. Output order
** comes from a rank per code (the grade scale, dates, then natural
** alphabetical order with blanks last), composed the same way.
*/
typedef enum pgr_kind { PGR_GRADE, PGR_CATEGORY, PGR_SNAPSHOT, PGR_COL } pgr_kind;

typedef struct pgr_dim {
    pgr_kind kind;
    size_t col;       /* PGR_COL: table column */
    uint32_t card;    /* number of codes */
    uint64_t stride;
    uint32_t *rank;   /* code -> output position */
    const char *name;
} pgr_dim;

typedef struct pgrouping {
    pgr_dim *dim;
    size_t ndim;
    uint64_t nkeys;
    bool by_snapshot;
    bool periods;     /* label snapshot codes as periods "t0/t1" (flows) */
} pgrouping;

#define PGR_MAX_KEYS (1u << 22)

/* Parses "grade,department" into g; errors (unknown dimension, too many
** groups) are written to errmsg. */
int pgr_init(pgrouping *g, const parity_table *t, const char *by, char *errmsg);
void pgr_free(pgrouping *g);
static inline uint64_t pgr_key(const pgrouping *g, const parity_table *t, size_t row,
                               size_t snap) {
    uint64_t key = 0;
    for (size_t d = 0; d < g->ndim; d++) {
        const pgr_dim *dm = &g->dim[d];
        uint32_t code;
        switch (dm->kind) {
        case PGR_GRADE: code = pt_grade(t, row); break;
        case PGR_CATEGORY: code = t->grade_cat[pt_grade(t, row)]; break;
        case PGR_SNAPSHOT: code = (uint32_t)snap; break;
        default: code = pcol_get(&t->cols[dm->col], row); break;
        }
        key += code * dm->stride;
    }
    return key;
}
/* The code of a value of dimension d ("P-4" finds grade P4), or -1. */
int64_t pgr_find(const pgrouping *g, const parity_table *t, size_t d, const char *value);
/* Sorts keys[0..n) into output order. */
int pgr_sort(const pgrouping *g, uint64_t *keys, size_t n);
/* Adds one PR_DIM column per dimension to r. */
int pgr_add_columns(const pgrouping *g, parity_result *r);
/* Writes the dimension values of key into row `row` of r (columns 0..ndim). */
int pgr_set_row(const pgrouping *g, const parity_table *t, parity_result *r, size_t row,
                uint64_t key);
/* The dimension list as a JSON array, for "parameters". */
struct cJSON *pgr_json(const pgrouping *g);
/* ------------------------------------------------------------------------
** represent.c -- stock counts.
*/
typedef struct psexcount {
    int64_t n[4]; /* indexed by psex */
} psexcount;

/* Stock counts per group and snapshot for snapshots [s0, s1): a new array
** of g->nkeys * (s1 - s0) cells, cell [key * (s1 - s0) + (s - s0)]. NULL
** when out of memory. */
psexcount *prep_stocks(const parity_table *t, const pgrouping *g, size_t s0, size_t s1);

/* ------------------------------------------------------------------------
** project.c, trend.c, flowmodel.c, targets.c -- projections and targets.
*/
#define PJ_MAX_YEAR 2200

typedef struct pj_years {
    size_t s_at;            /* the last snapshot used */
    int at_year, month, day; /* its date */
    int first, last;        /* the years projected: at_year + 1 .. horizon */
} pj_years;

/* Resolves o->at and o->horizon. */
int pj_setup(parity_table *t, const parity_project_options *o, pj_years *y);
/* The date year `year` is projected at, and that date as a decimal year. */
int32_t pj_date(const pj_years *y, int year);
double pj_x(const pj_years *y, int year);
/* Has a share that started at `start`, outside the band, reached it: at or
** past the band's near edge? (A fast line may step over the band.) */
bool pj_reached(double share, double start, double target, double band);
/* The columns projection.YEAR.female_share and .pi95 (and .simulated_mean
** when mc_mean), people seeing at most six of the years and the horizon's
** interval when there are intervals. */
int pj_add_columns(parity_result *r, const pj_years *y, bool intervals, bool mc_mean);
/* Writes a projected share (and its interval) clamped to [0, 1]. */
void pj_put(parity_result *r, size_t row, size_t col, double share, double lo, double hi,
            bool has_interval);

/* The parity columns of a projection: parity_year (a year, or null),
** parity_status ("reached", "projected", "not_reached"; null when there is
** no projection), parity_year_extrapolated and reason (a note), at offsets
** 0, 1, 2 and PJ_C_REASON from the first. */
#define PJ_C_REASON 3
int pj_add_parity_columns(parity_result *r);
/* Fills them: year -1 for "reached", 0 for not reached, else the year
** (extrapolated: beyond the span of the data behind it, marked "*"). */
void pj_put_parity(parity_result *r, size_t row, size_t col, int year, bool extrapolated);

int pj_trend(parity_table *t, const parity_project_options *o, parity_result **out);
int pj_flow(parity_table *t, const parity_project_options *o, parity_result **out);

/* The first year after y->at_year at which the line is within the band
** [target - band, target + band], or has stepped over it since the year
** before, judged on the line itself from its value at the last snapshot;
** 0 when it never is before PJ_MAX_YEAR. */
int pj_line_parity_year(const ps_line *l, const pj_years *y, double target, double band);

/* The flow model (flowmodel.c). */
typedef struct pfm {
    size_t ng;            /* states: the table's grade codes */
    double *base;         /* headcount per grade at the start, all sexes */
    double *n0[3];        /* per sex F, M, X: stock at the start */
    double *risk[3], *sep[3], *hire[3]; /* pooled counts per grade */
    double *tr[3];        /* pooled stayers from grade i to j, [i * ng + j] */
    double *P[3];         /* chance of being in grade j one period on */
    double *q[3];         /* chance of leaving */
    double *hs[3];        /* shares of hires by sex, per grade */
    double hires_mult, growth;
    int spy;              /* steps (periods) per year */
    size_t periods, fallback_hire_grades;
    size_t borrowed;      /* (sex, grade) rows with nobody at risk: the grade's
                          ** all-sex rates stand in */
    uint8_t *fixed;       /* [sex * ng + grade]: that row of P set by --set */
    uint8_t *fixed_hire;  /* [grade]: the hire share set by --set */
    double *mem;
} pfm;

/* Estimates the model from the last `periods` periods (0: 3) up to
** snapshot s_at, for the rows where flt's key is fkey (flt NULL: all). */
int pfm_estimate(pfm *m, parity_table *t, size_t s_at, int periods, const pgrouping *flt,
                 uint64_t fkey);
void pfm_free(pfm *m);
/* Applies a what-if override "KEY[.SEX][:GRADE]=VALUE"; grades is a
** grouping by grade, for looking grades up. */
int pfm_set(pfm *m, parity_table *t, const pgrouping *grades, const char *spec);
/* Sets the female share of hires into grade g, keeping the X share. */
void pfm_set_hire_share(pfm *m, size_t g, double v);
/* The female share of the grades in scope after `steps` deterministic
** steps, their hire share set to v first when set_share; -1 when they are
** empty, -2 when out of memory. */
double pfm_scope_share(pfm *m, long steps, const uint8_t *in_scope, bool set_share,
                       double v);

/* Inputs identity for JSON: {"rows": n, "snapshots": [{"date","rows"}...]}. */
struct cJSON *pt_inputs_json(const parity_table *t);
