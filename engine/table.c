/*
** table.c -- the columnar core: row storage, categorical columns, grades,
** snapshots.
**
** Layout (see internal.h): one dense array per column, grown by doubling, so
** appending a row never allocates on its own. Categorical codes start one
** byte wide and widen to two or four bytes the first time the dictionary
** outgrows them. After every load the rows are stably sorted by snapshot date
** (a counting sort: there are few dates), so a snapshot is a row range and
** "the latest snapshot" is the last range.
*/
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <gsl/gsl_errno.h>
#include <pthread.h>
#include <xxhash.h>

#include "table.h"

/* Grows the per-grade arrays to hold code `code`. */
static int grade_room(parity_table *t, size_t code) {
    if (code < t->grade_cap) return PARITY_OK;
    size_t cap = t->grade_cap ? t->grade_cap * 2 : 64;
    while (cap <= code) cap *= 2;
    int32_t *rank = realloc(t->grade_rank, cap * sizeof *rank);
    if (!rank) return PARITY_NOMEM;
    t->grade_rank = rank;
    uint32_t *cat = realloc(t->grade_cat, cap * sizeof *cat);
    if (!cat) return PARITY_NOMEM;
    t->grade_cat = cat;
    t->grade_cap = cap;
    return PARITY_OK;
}

/* The category of a (normalised) grade name: from the configuration's
** categories when it has any, else from the UN scale. */
static const char *category_of(const parity_config *cfg, const char *norm) {
    for (size_t i = 0; i < cfg->ncategories; i++)
        for (size_t j = 0; j < cfg->categories[i].ngrades; j++)
            if (strcmp(cfg->categories[i].grades[j], norm) == 0) return cfg->categories[i].name;
    if (cfg->order == GRADE_ORDER_UN && !cfg->ncategories)
        for (size_t i = 0; i < grade_un_count; i++)
            if (strcmp(grade_un_names[i], norm) == 0) return grade_un_categories[i];
    return "";
}

/* Interns a grade under its reported name with the given rank. */
static int64_t add_grade(parity_table *t, const char *name, int32_t rank) {
    int64_t code = dict_intern(&t->grades, name, strlen(name));
    if (code < 0 || grade_room(t, (size_t)code) != PARITY_OK) return -2;
    char norm[128];
    grade_normalise(name, strlen(name), norm, sizeof norm);
    const char *cat = category_of(&t->cfg, norm);
    int64_t cc = dict_intern(&t->categories, cat, strlen(cat));
    if (cc < 0) return -2;
    t->grade_rank[code] = rank;
    t->grade_cat[code] = (uint32_t)cc;
    return code;
}

/* GSL's default error handler aborts the process; parity checks what GSL
** returns instead. Process-wide, once. */
static pthread_once_t gsl_quiet = PTHREAD_ONCE_INIT;
static void gsl_handler_off(void) { gsl_set_error_handler_off(); }

parity_table *parity_table_new(const parity_config *cfg) {
    pthread_once(&gsl_quiet, gsl_handler_off);
    parity_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    table_clear_error(t); /* not the message of a table freed at this address */
    parity_config *defaults = NULL;
    if (!cfg) cfg = defaults = parity_config_new();
    if (!cfg || config_copy(&t->cfg, cfg) != PARITY_OK) {
        parity_config_free(defaults);
        free(t);
        return NULL;
    }
    parity_config_free(defaults);
    dict_init(&t->staff_ids);
    dict_init(&t->grades);
    dict_init(&t->categories);
    dict_init(&t->grade_spelling);
    dict_init(&t->colnames);
    t->grade.width = 1;
    t->grade_blank = UINT32_MAX;
    t->has_staff_all = true;
    bool fail = dict_intern(&t->categories, "", 0) != 0;
    /* An ordered scale is interned up front so that code == rank. */
    if (t->cfg.order == GRADE_ORDER_UN) {
        for (size_t i = 0; i < grade_un_count && !fail; i++)
            fail = add_grade(t, grade_un_names[i], (int32_t)i) < 0;
    } else if (t->cfg.order == GRADE_ORDER_AS_LISTED) {
        for (size_t i = 0; i < t->cfg.ngrades && !fail; i++)
            fail = add_grade(t, t->cfg.grades[i], (int32_t)i) < 0;
    }
    if (fail) {
        parity_table_free(t);
        return NULL;
    }
    return t;
}

static void free_col(table_column *c) {
    free(c->name);
    free(c->codes);
    dict_free(&c->dict);
}

void parity_table_free(parity_table *t) {
    if (!t) return;
    table_clear_error(t);
    free(t->staff);
    free(t->date);
    free(t->sex);
    free(t->grade.codes);
    free(t->count);
    table_dates *dc[2] = {&t->entry_date, &t->birth_date};
    for (int k = 0; k < 2; k++) {
        free(dc[k]->v);
        free(dc[k]->person);
        free(dc[k]->exc);
    }
    dict_free(&t->staff_ids);
    dict_free(&t->grades);
    dict_free(&t->categories);
    dict_free(&t->grade_spelling);
    free(t->spelling_code);
    free(t->grade_rank);
    free(t->grade_cat);
    for (size_t i = 0; i < t->ncols; i++) free_col(&t->cols[i]);
    free(t->cols);
    dict_free(&t->colnames);
    table_snapshots_free(t);
    for (size_t i = 0; i < t->nloads; i++) free(t->loads[i].name);
    free(t->loads);
    free(t->store_path);
    table_warn_reset(t);
    for (size_t i = 0; i < t->ndims; i++) free(t->dims[i]);
    free(t->dims);
    table_diag_reset(t);
    config_clear(&t->cfg);
    free(t);
}

static _Thread_local struct {
    const parity_table *t; /* whose message msg is */
    char msg[PARITY_ERRMSG_MAX];
} last_error;

char *table_errbuf(const parity_table *t) {
    if (last_error.t != t) {
        last_error.t = t;
        last_error.msg[0] = '\0';
    }
    return last_error.msg;
}

const char *parity_table_errmsg(const parity_table *t) {
    if (!t) return "no table";
    return last_error.t == t ? last_error.msg : "";
}

/* ---- rows and columns -------------------------------------------------- */

static int grow(void **p, size_t elem, size_t cap) {
    void *q = realloc(*p, cap * elem);
    if (!q) return PARITY_NOMEM;
    *p = q;
    return PARITY_OK;
}

int table_savepoint_open(parity_table *t, table_savepoint *sp, const char *name) {
    memset(sp, 0, sizeof *sp);
    if (t->partial)
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                          "%s: the table was read from a store with only some of its columns; "
                          "it takes no more rows",
                          name);
    sp->n = t->n;
    sp->ncols = t->ncols;
    sp->nstaff = t->staff_ids.n;
    sp->ngrades = t->grades.n;
    sp->nspellings = t->grade_spelling.n;
    sp->ncategories = t->categories.n;
    sp->grade_blank = t->grade_blank;
    sp->has_staff_all = t->has_staff_all;
    sp->has_grade = t->has_grade;
    sp->partial = t->partial;
    if (!(sp->coldict = malloc((t->ncols ? t->ncols : 1) * sizeof *sp->coldict)))
        return errmsg_set(table_errbuf(t), PARITY_NOMEM, "%s: out of memory", name);
    for (size_t c = 0; c < t->ncols; c++) sp->coldict[c] = t->cols[c].dict.n;
    return PARITY_OK;
}

void table_savepoint_rollback(parity_table *t, table_savepoint *sp) {
    t->n = sp->n;
    table_cols_truncate(t, sp->ncols);
    for (size_t c = 0; sp->coldict && c < t->ncols; c++) dict_truncate(&t->cols[c].dict, sp->coldict[c]);
    dict_truncate(&t->staff_ids, sp->nstaff);
    dict_truncate(&t->grades, sp->ngrades);
    dict_truncate(&t->grade_spelling, sp->nspellings);
    dict_truncate(&t->categories, sp->ncategories);
    t->grade_blank = sp->grade_blank;
    t->has_staff_all = sp->has_staff_all;
    t->has_grade = sp->has_grade;
    t->partial = sp->partial;
    table_warn_reset(t);
    table_savepoint_close(sp);
}

void table_savepoint_close(table_savepoint *sp) {
    free(sp->coldict);
    sp->coldict = NULL;
}

table_snapshot *table_snapshot_append(parity_table *t, int32_t date, size_t n, const char *source,
                                      const char *checksum) {
    table_snapshot *sn = realloc(t->snap, (t->nsnap + 1) * sizeof *sn);
    if (!sn) return NULL;
    t->snap = sn;
    table_snapshot *cur = &sn[t->nsnap];
    *cur = (table_snapshot){.date = date, .begin = t->n, .end = t->n + n};
    if (source && !(cur->source = str_dup(source))) return NULL;
    snprintf(cur->checksum, sizeof cur->checksum, "%s", checksum ? checksum : "");
    t->nsnap++;
    return cur;
}

void table_block_defaults(parity_table *t, size_t r0, size_t n) {
    for (size_t c = 0; c < t->ncols; c++)
        memset((char *)t->cols[c].codes + r0 * t->cols[c].width, 0, n * t->cols[c].width);
    table_dates *dc[2] = {&t->entry_date, &t->birth_date};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; dc[k]->v && i < n; i++) table_date_encode(dc[k]->v, dc[k]->width, r0 + i, DATE_NONE);
    for (size_t i = 0; t->count && i < n; i++) t->count[r0 + i] = 1;
}

int table_set_store_path(parity_table *t, const char *path) {
    free(t->store_path);
    t->store_path = path ? str_dup(path) : NULL;
    return path && !t->store_path ? PARITY_NOMEM : PARITY_OK;
}

void parity_table_set_progress(parity_table *t, parity_progress_fn fn, void *data) {
    t->progress = fn;
    t->progress_data = data;
}

int parity_table_set_threads(parity_table *t, int n) {
    if (!t) return PARITY_USAGE;
    if (n < 0)
        return errmsg_set(table_errbuf(t), PARITY_USAGE, "threads must be 0 (one per core) or more, not %d",
                          n);
    t->threads = n;
    return PARITY_OK;
}

void table_take_diagnostics(parity_table *t, parity_table *s) {
    for (size_t i = 0; i < s->ndiag; i++) {
        table_diag_keep(t, s->diag[i]);
        s->diag[i] = NULL;
    }
    t->ndiag_total += s->ndiag_total;
}

int table_reserve(parity_table *t, size_t rows) {
    /* the load-time date column comes back for each load, and the person
    ** dates a date per row */
    if (!t->date && t->cap && grow((void **)&t->date, sizeof *t->date, t->cap))
        return PARITY_NOMEM;
    if ((t->entry_date.person && table_dates_by_row(t, &t->entry_date)) ||
        (t->birth_date.person && table_dates_by_row(t, &t->birth_date)))
        return PARITY_NOMEM;
    if (rows <= t->cap) return PARITY_OK;
    size_t cap = t->cap ? t->cap : 1024;
    while (cap < rows) cap *= 2;
    if (grow((void **)&t->staff, sizeof *t->staff, cap) ||
        grow((void **)&t->date, sizeof *t->date, cap) ||
        grow((void **)&t->sex, sizeof *t->sex, cap) ||
        grow(&t->grade.codes, t->grade.width, cap) ||
        (t->count && grow((void **)&t->count, sizeof *t->count, cap)) ||
        (t->entry_date.v && grow(&t->entry_date.v, t->entry_date.width, cap)) ||
        (t->birth_date.v && grow(&t->birth_date.v, t->birth_date.width, cap)))
        return PARITY_NOMEM;
    for (size_t i = 0; i < t->ncols; i++)
        if (grow(&t->cols[i].codes, t->cols[i].width, cap)) return PARITY_NOMEM;
    t->cap = cap;
    return PARITY_OK;
}

/* A column name lower-cased (ASCII) into a malloc'ed copy. */
static char *folded(const char *name, size_t *len) {
    size_t n = strlen(name);
    char *f = malloc(n + 1);
    if (!f) return NULL;
    for (size_t i = 0; i <= n; i++) f[i] = (char)tolower((unsigned char)name[i]);
    *len = n;
    return f;
}

long table_find_col(const parity_table *t, const char *name) {
    char small[256];
    size_t len = strlen(name);
    char *key = len < sizeof small ? small : malloc(len + 1);
    if (!key) return TABLE_NOMEM;
    for (size_t i = 0; i <= len; i++) key[i] = (char)tolower((unsigned char)name[i]);
    int64_t found = dict_find(&t->colnames, key, len);
    if (key != small) free(key);
    return found >= 0 ? (long)found : -1;
}

long table_col_add(parity_table *t, const char *name) {
    long found = table_find_col(t, name);
    if (found != -1) return found;
    size_t len;
    char *key = folded(name, &len);
    if (!key) return TABLE_NOMEM;
    table_column *cols = realloc(t->cols, (t->ncols + 1) * sizeof *cols);
    if (!cols) {
        free(key);
        return TABLE_NOMEM;
    }
    t->cols = cols;
    table_column *c = &cols[t->ncols];
    memset(c, 0, sizeof *c);
    c->width = 1;
    dict_init(&c->dict);
    c->name = str_dup(name);
    c->codes = calloc(t->cap ? t->cap : 1, 1); /* backfilled with code 0 */
    bool ok = c->name && c->codes && dict_intern(&c->dict, "", 0) == 0 &&
              dict_intern(&t->colnames, key, len) == (int64_t)t->ncols;
    free(key);
    if (!ok) {
        free_col(c);
        table_cols_truncate(t, t->ncols); /* the index as it was */
        return TABLE_NOMEM;
    }
    return (long)t->ncols++;
}

void table_cols_truncate(parity_table *t, size_t n) {
    while (t->ncols > n) free_col(&t->cols[--t->ncols]);
    /* the name index again, for the columns that are left */
    dict_free(&t->colnames);
    dict_init(&t->colnames);
    for (size_t i = 0; i < t->ncols; i++) {
        size_t len;
        char *key = folded(t->cols[i].name, &len);
        if (key) dict_intern(&t->colnames, key, len);
        free(key);
    }
}

#define MAX_OF(type)                                                          \
    do {                                                                      \
        const type *v = c->codes;                                             \
        type m = 0;                                                           \
        for (size_t i = 0; i < n; i++) m = v[i] > m ? v[i] : m;               \
        return m;                                                             \
    } while (0)

uint32_t table_code_max(const table_column *c, size_t n) {
    switch (c->width) {
    case 1: MAX_OF(uint8_t);
    case 2: MAX_OF(uint16_t);
    default: MAX_OF(uint32_t);
    }
}
#undef MAX_OF

int table_col_set_wider(parity_table *t, table_column *c, size_t i, uint32_t code) {
    uint8_t need = table_code_width(code);
    table_column wide = {.width = need, .codes = malloc((t->cap ? t->cap : 1) * need)};
    if (!wide.codes) return PARITY_NOMEM;
    /* rows before i: those of the table and any of a block being filled */
    for (size_t r = 0, n = i > t->n ? i : t->n; r < n; r++) table_code_put(&wide, r, table_code_get(c, r));
    free(c->codes);
    c->codes = wide.codes;
    c->width = need;
    table_code_put(c, i, code);
    return PARITY_OK;
}

int table_dates_create(parity_table *t, table_dates *c) {
    c->width = 2;
    if (!(c->v = malloc((t->cap ? t->cap : 1) * 2))) return PARITY_NOMEM;
    memset(c->v, 0xff, t->n * 2);
    return PARITY_OK;
}

int table_count_create(parity_table *t) {
    if (t->count) return PARITY_OK;
    uint32_t *w = malloc((t->cap ? t->cap : 1) * sizeof *w);
    if (!w) return PARITY_NOMEM;
    for (size_t r = 0; r < t->n; r++) w[r] = 1;
    t->count = w;
    return PARITY_OK;
}

uint32_t *table_staff_pos_new(const parity_table *t) {
    size_t n = t->staff_ids.n;
    uint32_t *pos = malloc((n ? n : 1) * sizeof *pos);
    if (pos) memset(pos, 0xff, n * sizeof *pos);
    return pos;
}

int table_date_set_slow(parity_table *t, table_dates *c, size_t i, int32_t d) {
    if (c->width == 2) {
        if (d == DATE_NONE) {
            table_date_encode(c->v, 2, i, d);
            return PARITY_OK;
        }
        /* a date before 1900 or after 2079: four bytes a row from now on */
        int32_t *wide = malloc((t->cap ? t->cap : 1) * sizeof *wide);
        if (!wide) return PARITY_NOMEM;
        for (size_t r = 0, n = i > t->n ? i : t->n; r < n; r++) wide[r] = table_date_get(c, r);
        free(c->v);
        c->v = wide;
        c->width = 4;
    }
    table_date_encode(c->v, 4, i, d);
    return PARITY_OK;
}

/* The exception for row i, or NULL: a binary search of c->exc. */
static const table_date_exception *exc_of(const table_dates *c, size_t i) {
    size_t lo = 0, hi = c->nexc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->exc[mid].row < i) lo = mid + 1;
        else hi = mid;
    }
    return lo < c->nexc && c->exc[lo].row == i ? &c->exc[lo] : NULL;
}

int32_t table_date_of(const parity_table *t, const table_dates *c, size_t i) {
    if (c->v) return table_date_get(c, i);
    if (!c->person) return DATE_NONE;
    const table_date_exception *e = exc_of(c, i);
    return e ? e->date : table_date_decode(c->person, c->width, t->staff[i]);
}

/* A date per person, when at most one row in TABLE_DATE_EXC_SHARE differs from its
** person's (the person's date is that of their first row). Out of memory,
** the column simply stays a date per row. */
static void by_person(parity_table *t, table_dates *c) {
    if (!c->v || !t->n) return;
    size_t npeople = t->staff_ids.n ? t->staff_ids.n : 1, nexc = 0;
    int32_t *first = malloc(npeople * sizeof *first);
    table_date_exception *exc = NULL;
    void *person = NULL;
    if (!first) goto out;
    /* the first row of each person gives the date; count the rows that differ */
    for (size_t s = 0; s < npeople; s++) first[s] = DATE_NONE; /* none yet, or none */
    uint8_t *seen = calloc(npeople, 1);
    if (!seen) goto out;
    for (size_t r = 0; r < t->n; r++) {
        uint32_t s = t->staff[r];
        int32_t d = table_date_get(c, r);
        if (s == UINT32_MAX) nexc++;
        else if (!seen[s]) seen[s] = 1, first[s] = d;
        else nexc += first[s] != d;
    }
    free(seen);
    if (nexc > t->n / TABLE_DATE_EXC_SHARE || (nexc && !(exc = malloc(nexc * sizeof *exc))) ||
        !(person = malloc(npeople * c->width)))
        goto out;
    size_t k = 0;
    for (size_t r = 0; r < t->n; r++) {
        uint32_t s = t->staff[r];
        int32_t d = table_date_get(c, r);
        if (s == UINT32_MAX || first[s] != d) exc[k++] = (table_date_exception){.row = r, .date = d};
    }
    /* the people's dates at the column's width */
    for (size_t s = 0; s < npeople; s++) table_date_encode(person, c->width, s, first[s]);
    free(c->v);
    c->v = NULL;
    c->person = person;
    c->exc = exc;
    c->nexc = nexc;
    person = NULL;
    exc = NULL;
out:
    free(first);
    free(person);
    free(exc);
}

int table_dates_by_row(parity_table *t, table_dates *c) {
    void *v = malloc((t->cap ? t->cap : 1) * c->width);
    if (!v) return PARITY_NOMEM;
    size_t k = 0;
    for (size_t r = 0; r < t->n; r++) {
        if (k < c->nexc && c->exc[k].row == r) {
            table_date_encode(v, c->width, r, c->exc[k++].date);
        } else {
            memcpy((char *)v + r * c->width, (char *)c->person + (size_t)t->staff[r] * c->width,
                   c->width);
        }
    }
    free(c->person);
    free(c->exc);
    c->person = NULL;
    c->exc = NULL;
    c->nexc = 0;
    c->v = v;
    return PARITY_OK;
}

int table_col_map(parity_table *t, table_column *c, size_t r0, const table_column *src, size_t n,
               const uint32_t *map) {
    uint32_t most = 0;
    for (size_t i = 0; i < n; i++)
        if (map[table_code_get(src, i)] > most) most = map[table_code_get(src, i)];
    if (n && table_col_set(t, c, r0, most) != PARITY_OK) return PARITY_NOMEM; /* widens once */
    for (size_t i = 0; i < n; i++) table_code_put(c, r0 + i, map[table_code_get(src, i)]);
    return PARITY_OK;
}

/* ---- grades ------------------------------------------------------------ */

static int memo_spelling(parity_table *t, const char *s, size_t len, uint32_t code,
                         uint32_t *spelling) {
    int64_t k = dict_intern(&t->grade_spelling, s, len);
    if (k < 0) return PARITY_NOMEM;
    *spelling = (uint32_t)k;
    if ((size_t)k >= t->spelling_cap) {
        size_t cap = t->spelling_cap ? t->spelling_cap * 2 : 64;
        while (cap <= (size_t)k) cap *= 2;
        uint32_t *p = realloc(t->spelling_code, cap * sizeof *p);
        if (!p) return PARITY_NOMEM;
        t->spelling_code = p;
        t->spelling_cap = cap;
    }
    t->spelling_code[k] = code;
    return PARITY_OK;
}

int64_t table_grade_blank(parity_table *t) {
    if (t->grade_blank == UINT32_MAX) {
        int64_t code = add_grade(t, "", -1);
        if (code < 0) return -2;
        t->grade_blank = (uint32_t)code;
    }
    return t->grade_blank;
}

int64_t table_grade_code(parity_table *t, const char *s, size_t len) {
    uint32_t hint = UINT32_MAX;
    return table_grade_code_hint(t, s, len, &hint);
}

int64_t table_grade_code_hint(parity_table *t, const char *s, size_t len, uint32_t *hint) {
    if (*hint < t->grade_spelling.n && dict_same(&t->grade_spelling, *hint, s, len))
        return t->spelling_code[*hint];
    int64_t k = dict_find(&t->grade_spelling, s, len);
    *hint = k >= 0 ? (uint32_t)k : UINT32_MAX;
    if (k >= 0) return t->spelling_code[k];
    /* trimmed copy */
    const char *p = s;
    size_t n = len;
    while (n && isspace((unsigned char)*p)) p++, n--;
    while (n && isspace((unsigned char)p[n - 1])) n--;
    char name[128];
    int64_t code = -1;
    switch (t->cfg.order) {
    case GRADE_ORDER_UN:
    case GRADE_ORDER_AS_LISTED:
        grade_normalise(p, n, name, sizeof name);
        code = dict_find(&t->grades, name, strlen(name));
        break;
    case GRADE_ORDER_NUMERIC: {
        char buf[128], *end;
        if (n == 0 || n >= sizeof buf) return -1;
        memcpy(buf, p, n);
        buf[n] = '\0';
        double v = strtod(buf, &end);
        if (*end || end == buf) return -1;
        snprintf(name, sizeof name, "%.15g", v);
        code = dict_find(&t->grades, name, strlen(name));
        if (code < 0) code = add_grade(t, name, -1); /* ranked at seal */
        break;
    }
    case GRADE_ORDER_NONE:
        if (n == 0 || n >= sizeof name) return -1;
        memcpy(name, p, n);
        name[n] = '\0';
        code = dict_find(&t->grades, name, n);
        if (code < 0) code = add_grade(t, name, -1);
        break;
    }
    if (code == -2) return -2;
    if (code >= 0 && memo_spelling(t, s, len, (uint32_t)code, hint) != PARITY_OK) return -2;
    return code;
}

static int cmp_double(const void *a, const void *b) {
    double x = **(const double *const *)a, y = **(const double *const *)b;
    return (x > y) - (x < y);
}

/* Numeric scales: rank = position of the value among the grades seen. */
static int rank_numeric(parity_table *t) {
    size_t n = t->grades.n;
    double *v = malloc((n ? n : 1) * sizeof *v);
    double **order = malloc((n ? n : 1) * sizeof *order);
    if (!v || !order) {
        free(v);
        free(order);
        return PARITY_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        v[i] = strtod(dict_str(&t->grades, (uint32_t)i), NULL);
        order[i] = &v[i];
    }
    qsort(order, n, sizeof *order, cmp_double);
    for (size_t i = 0; i < n; i++) t->grade_rank[order[i] - v] = (int32_t)i;
    free(v);
    free(order);
    return PARITY_OK;
}

/* ---- diagnostics ------------------------------------------------------- */

void table_diag_reset(parity_table *t) {
    for (size_t i = 0; i < t->ndiag; i++) free(t->diag[i]);
    free(t->diag);
    t->diag = NULL;
    t->ndiag = t->ndiag_total = 0;
}

void table_diag(parity_table *t, const char *file, size_t line, size_t col, const char *fmt,
             ...) {
    t->ndiag_total++;
    if (t->ndiag >= TABLE_MAX_DIAG) return;
    char msg[768], full[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (col) snprintf(full, sizeof full, "%s:%zu:%zu: %s", file, line, col, msg);
    else if (line) snprintf(full, sizeof full, "%s:%zu: %s", file, line, msg);
    else snprintf(full, sizeof full, "%s: %s", file, msg);
    table_diag_keep(t, str_dup(full));
}

void table_diag_keep(parity_table *t, char *msg) {
    char **diag = msg && t->ndiag < TABLE_MAX_DIAG ? realloc(t->diag, (t->ndiag + 1) * sizeof *diag)
                                               : NULL;
    if (!diag) {
        free(msg);
        return;
    }
    t->diag = diag;
    diag[t->ndiag++] = msg;
}

void table_warn_reset(parity_table *t) {
    for (size_t i = 0; i < t->nwarn; i++) free(t->warn[i]);
    free(t->warn);
    t->warn = NULL;
    t->nwarn = 0;
}

void table_warn(parity_table *t, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    strlist_add(&t->warn, &t->nwarn, "%s", msg); /* out of memory: the warning is lost */
}

size_t parity_table_nwarnings(const parity_table *t) { return t ? t->nwarn : 0; }
const char *parity_table_warning(const parity_table *t, size_t i) {
    return t && i < t->nwarn ? t->warn[i] : NULL;
}

size_t parity_table_ndiagnostics(const parity_table *t) { return t ? t->ndiag : 0; }
size_t parity_table_ndiagnostics_total(const parity_table *t) {
    return t ? t->ndiag_total : 0;
}
const char *parity_table_diagnostic(const parity_table *t, size_t i) {
    return t && i < t->ndiag ? t->diag[i] : NULL;
}

/* ---- sealing ----------------------------------------------------------- */

long table_snapshot_of(const parity_table *t, int32_t d) {
    size_t lo = 0, hi = t->nsnap;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->snap[mid].date < d) lo = mid + 1;
        else hi = mid;
    }
    return lo < t->nsnap && t->snap[lo].date == d ? (long)lo : -1;
}

int table_snapshot_arg(parity_table *t, const char *at, const char *what, size_t *s) {
    int32_t d;
    if (!date_parse(at, strlen(at), NULL, &d))
        return errmsg_set(table_errbuf(t), PARITY_USAGE, "%s \"%s\" is not a date (YYYY-MM-DD)", what, at);
    long k = table_snapshot_of(t, d);
    if (k >= 0) {
        *s = (size_t)k;
        return PARITY_OK;
    }
    /* the dates there are: all of a short history, else its ends and the nearest */
    char list[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < t->nsnap && used + 16 < sizeof list; i++) {
        if (t->nsnap > 12 && i > 2 && i + 3 < t->nsnap) {
            if (i == 3) used += (size_t)snprintf(list + used, sizeof list - used, ", ...");
            continue;
        }
        char ds[11];
        date_format(t->snap[i].date, ds);
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", ds);
    }
    return errmsg_set(table_errbuf(t), PARITY_NOTFOUND, "%s %s: no snapshot of that date (snapshots: %s)",
                    what, at, t->nsnap ? list : "none");
}

static int cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The sorted distinct dates of rows [from, to), into *out (caller frees):
** one entry per run of equal dates, sorted, repeats dropped. */
static int distinct_dates(const parity_table *t, size_t from, size_t to, int32_t **out,
                          size_t *nout) {
    size_t runs = 0;
    for (size_t i = from; i < to; i++) runs += i == from || t->date[i] != t->date[i - 1];
    int32_t *d = malloc((runs ? runs : 1) * sizeof *d);
    if (!d) return PARITY_NOMEM;
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        if (i == from || t->date[i] != t->date[i - 1]) d[n++] = t->date[i];
    qsort(d, n, sizeof *d, cmp_i32);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || d[i] != d[k - 1]) d[k++] = d[i];
    *out = d;
    *nout = k;
    return PARITY_OK;
}

static size_t date_index(const int32_t *dates, size_t n, int32_t d) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (dates[mid] < d) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* A duplicate found, reported in line order once all are known. */
typedef struct dup {
    uint32_t line, first, id;
    int32_t date;
} dup;

static int cmp_dup(const void *a, const void *b) {
    const dup *x = a, *y = b;
    return (x->line > y->line) - (x->line < y->line);
}

/* Each staff id at most once per snapshot: checks rows [from, n) against
** each other and against rows already loaded for the same date. One pass per
** distinct new date, with a stamp per staff id: array lookups, no hashing. */
static int check_duplicates(parity_table *t, size_t from, const uint32_t *lines,
                            const char *file) {
    int rc = PARITY_OK;
    size_t nid = t->staff_ids.n, ndup = 0, capdup = 0;
    uint32_t *stamp = calloc(nid ? nid : 1, sizeof *stamp);
    uint32_t *first = calloc(nid ? nid : 1, sizeof *first);
    dup *dups = NULL;
    /* per date k, its new rows: rows lo[k] .. hi[k] when each date's rows
    ** are one run (files are written snapshot by snapshot), else
    ** order[lo[k] .. hi[k]), the new rows sorted by date (a counting sort),
    ** so that a date's pass scans its own rows however the dates
    ** interleave */
    size_t *lo = NULL, *hi = NULL;
    uint32_t *order = NULL;
    int32_t *dates = NULL;
    size_t ndates = 0, nnew = t->n - from, runs = 0;
    if (!stamp || !first || distinct_dates(t, from, t->n, &dates, &ndates) ||
        !(lo = calloc(ndates + 1, sizeof *lo)) || !(hi = calloc(ndates + 1, sizeof *hi))) {
        rc = PARITY_NOMEM;
        goto out;
    }
    for (size_t i = from; i < t->n; i++) runs += i == from || t->date[i] != t->date[i - 1];
    if (runs == ndates) {
        for (size_t i = from; i < t->n; i++) {
            size_t k = date_index(dates, ndates, t->date[i]);
            if (i == from || t->date[i] != t->date[i - 1]) lo[k] = i;
            hi[k] = i + 1;
        }
    } else {
        if (!(order = malloc((nnew ? nnew : 1) * sizeof *order))) {
            rc = PARITY_NOMEM;
            goto out;
        }
        for (size_t i = from; i < t->n; i++) hi[date_index(dates, ndates, t->date[i])]++;
        for (size_t k = 0, sum = 0; k < ndates; k++) {
            lo[k] = sum;
            sum += hi[k];
            hi[k] = lo[k];
        }
        for (size_t i = from; i < t->n; i++)
            order[hi[date_index(dates, ndates, t->date[i])]++] = (uint32_t)(i - from);
    }
    for (size_t k = 0; k < ndates; k++) {
        uint32_t mark = (uint32_t)k + 1;
        long s = table_snapshot_of(t, dates[k]);
        if (s >= 0)
            for (size_t i = t->snap[s].begin; i < t->snap[s].end; i++)
                if (t->staff[i] != UINT32_MAX) {
                    stamp[t->staff[i]] = mark;
                    first[t->staff[i]] = 0;
                }
        for (size_t o = lo[k]; o < hi[k]; o++) {
            size_t i = order ? from + order[o] : o;
            uint32_t id = t->staff[i];
            if (id == UINT32_MAX) continue;
            if (stamp[id] != mark) {
                stamp[id] = mark;
                first[id] = lines[i - from];
                continue;
            }
            if (ndup == capdup) {
                capdup = capdup ? capdup * 2 : 16;
                dup *p = realloc(dups, capdup * sizeof *p);
                if (!p) {
                    rc = PARITY_NOMEM;
                    goto out;
                }
                dups = p;
            }
            dups[ndup++] = (dup){lines[i - from], first[id], id, dates[k]};
        }
    }
    if (ndup) qsort(dups, ndup, sizeof *dups, cmp_dup);
    for (size_t i = 0; i < ndup; i++) {
        char d[11];
        date_format(dups[i].date, d);
        if (dups[i].first)
            table_diag(t, file, dups[i].line, 0,
                    "duplicate staff_id \"%s\" in snapshot %s (first at line %u)",
                    dict_str(&t->staff_ids, dups[i].id), d, dups[i].first);
        else
            table_diag(t, file, dups[i].line, 0,
                    "duplicate staff_id \"%s\" in snapshot %s (already loaded from an "
                    "earlier file)",
                    dict_str(&t->staff_ids, dups[i].id), d);
        rc = PARITY_INVALID;
    }
out:
    free(stamp);
    free(first);
    free(dups);
    free(lo);
    free(hi);
    free(order);
    free(dates);
    return rc;
}

/* Applies the permutation perm (new row i = old row perm[i]) to one column. */
static int permute(void *col, size_t elem, const size_t *perm, size_t n) {
    if (!col) return PARITY_OK;
    char *tmp = malloc((n ? n : 1) * elem);
    if (!tmp) return PARITY_NOMEM;
    const char *src = col;
    for (size_t i = 0; i < n; i++) memcpy(tmp + i * elem, src + perm[i] * elem, elem);
    memcpy(col, tmp, n * elem);
    free(tmp);
    return PARITY_OK;
}

static int sort_by_date(parity_table *t) {
    int32_t *dates = NULL;
    size_t ndates = 0;
    if (distinct_dates(t, 0, t->n, &dates, &ndates)) return PARITY_NOMEM;
    table_snapshot *snap = calloc(ndates ? ndates : 1, sizeof *snap);
    if (!snap) {
        free(dates);
        return PARITY_NOMEM;
    }
    bool sorted = true;
    for (size_t i = 1; i < t->n && sorted; i++) sorted = t->date[i - 1] <= t->date[i];
    for (size_t i = 0; i < t->n; i++) snap[date_index(dates, ndates, t->date[i])].end++;
    size_t at = 0;
    for (size_t k = 0; k < ndates; k++) {
        snap[k].date = dates[k];
        snap[k].begin = at;
        at += snap[k].end;
        snap[k].end = at;
    }
    int rc = PARITY_OK;
    if (!sorted) {
        size_t *perm = malloc(t->n * sizeof *perm);
        size_t *next = malloc(ndates * sizeof *next);
        if (!perm || !next) rc = PARITY_NOMEM;
        else {
            for (size_t k = 0; k < ndates; k++) next[k] = snap[k].begin;
            for (size_t i = 0; i < t->n; i++)
                perm[next[date_index(dates, ndates, t->date[i])]++] = i;
            rc = permute(t->staff, sizeof *t->staff, perm, t->n) ||
                         permute(t->date, sizeof *t->date, perm, t->n) ||
                         permute(t->sex, sizeof *t->sex, perm, t->n) ||
                         permute(t->grade.codes, t->grade.width, perm, t->n) ||
                         permute(t->count, sizeof *t->count, perm, t->n) ||
                         permute(t->entry_date.v, t->entry_date.width, perm, t->n) ||
                         permute(t->birth_date.v, t->birth_date.width, perm, t->n)
                     ? PARITY_NOMEM
                     : PARITY_OK;
            for (size_t c = 0; c < t->ncols && rc == PARITY_OK; c++)
                rc = permute(t->cols[c].codes, t->cols[c].width, perm, t->n);
        }
        free(perm);
        free(next);
    }
    free(dates);
    if (rc != PARITY_OK) {
        free(snap);
        return rc;
    }
    /* the snapshots loaded before keep where they came from */
    for (size_t k = 0, j = 0; k < t->nsnap; k++) {
        while (j < ndates && snap[j].date < t->snap[k].date) j++;
        if (j == ndates || snap[j].date != t->snap[k].date) continue;
        snap[j].source = t->snap[k].source;
        t->snap[k].source = NULL;
        memcpy(snap[j].checksum, t->snap[k].checksum, sizeof snap[j].checksum);
    }
    table_snapshots_free(t);
    t->snap = snap;
    t->nsnap = ndates;
    return PARITY_OK;
}

void table_snapshots_free(parity_table *t) {
    for (size_t k = 0; k < t->nsnap; k++) free(t->snap[k].source);
    free(t->snap);
    t->snap = NULL;
    t->nsnap = 0;
}

void table_checksum_text(uint64_t hash, char out[TABLE_CHECKSUM_LEN + 1]) {
    snprintf(out, TABLE_CHECKSUM_LEN + 1, "xxh3-%016" PRIx64, hash);
}

/* Records that snapshot k has rows from `file` too. */
static int add_source(table_snapshot *sn, const char *file, const char *checksum) {
    if (!sn->source) {
        if (!(sn->source = str_dup(file))) return PARITY_NOMEM;
        memcpy(sn->checksum, checksum, sizeof sn->checksum);
        return PARITY_OK;
    }
    /* combined: "a.csv + b.csv", and a checksum of the checksums */
    size_t n = strlen(sn->source) + strlen(file) + 4;
    char *joined = malloc(n);
    if (!joined) return PARITY_NOMEM;
    snprintf(joined, n, "%s + %s", sn->source, file);
    free(sn->source);
    sn->source = joined;
    char both[2 * TABLE_CHECKSUM_LEN + 2];
    snprintf(both, sizeof both, "%s+%s", sn->checksum, checksum);
    table_checksum_text(table_hash_bytes(both, strlen(both)), sn->checksum);
    return PARITY_OK;
}

/* Refuses a file whose bytes were loaded before, or whose snapshot dates
** (the sorted dates[0..n)) another file loaded, unless t->combine; true
** when the file may be sealed. */
static bool check_sources(parity_table *t, const int32_t *dates, size_t n, const char *file,
                          const char *checksum) {
    for (size_t i = 0; i < t->nloads; i++)
        if (strcmp(t->loads[i].checksum, checksum) == 0) {
            table_diag(t, file, 0, 0,
                    "the same bytes as %s, loaded already: the same file given twice would "
                    "count everyone twice",
                    t->loads[i].name);
            return false;
        }
    if (t->combine) return true;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        long k = table_snapshot_of(t, dates[i]);
        if (k < 0) continue;
        char d[11];
        date_format(dates[i], d);
        table_diag(t, file, 0, 0,
                "snapshot %s is loaded already from %s; two files for one date are combined "
                "into one snapshot only when asked to ('combine'), e.g. one export per region",
                d, t->snap[k].source ? t->snap[k].source : "an earlier input");
        ok = false;
    }
    return ok;
}

static int add_dim(parity_table *t, const char *name) {
    char **dims = realloc(t->dims, (t->ndims + 1) * sizeof *dims);
    if (!dims) return PARITY_NOMEM;
    t->dims = dims;
    if (!(dims[t->ndims] = str_dup(name))) return PARITY_NOMEM;
    t->ndims++;
    return PARITY_OK;
}

static int rebuild_dims(parity_table *t) {
    for (size_t i = 0; i < t->ndims; i++) free(t->dims[i]);
    t->ndims = 0;
    int rc = t->has_grade ? add_dim(t, "grade") : PARITY_OK;
    if (!rc && t->has_grade && t->categories.n > 1) rc = add_dim(t, "category");
    if (!rc) rc = add_dim(t, "snapshot_date");
    for (size_t i = 0; i < t->ncols && !rc; i++) rc = add_dim(t, t->cols[i].name);
    return rc;
}

int table_seal(parity_table *t, size_t from, const uint32_t *lines, const char *file,
            const char *checksum) {
    /* the new rows' dates, before sorting moves them */
    int32_t *dates = NULL;
    size_t ndates = 0;
    int rc = distinct_dates(t, from, t->n, &dates, &ndates) ? PARITY_NOMEM : PARITY_OK;
    if (rc == PARITY_OK && !check_sources(t, dates, ndates, file, checksum)) rc = PARITY_INVALID;
    table_loaded *loads = rc == PARITY_OK ? realloc(t->loads, (t->nloads + 1) * sizeof *loads) : NULL;
    if (rc == PARITY_OK && !loads) rc = PARITY_NOMEM;
    if (rc == PARITY_OK) t->loads = loads;
    /* the rows of earlier loads get their dates back from their snapshots */
    for (size_t s = 0; s < t->nsnap && rc == PARITY_OK; s++)
        for (size_t r = t->snap[s].begin; r < t->snap[s].end; r++) t->date[r] = t->snap[s].date;
    if (rc == PARITY_OK) rc = check_duplicates(t, from, lines, file);
    if (rc == PARITY_OK) rc = sort_by_date(t);
    for (size_t i = 0; i < ndates && rc == PARITY_OK; i++)
        rc = add_source(&t->snap[table_snapshot_of(t, dates[i])], file, checksum);
    free(dates);
    if (rc == PARITY_OK) {
        table_loaded *l = &t->loads[t->nloads];
        if (!(l->name = str_dup(file))) rc = PARITY_NOMEM;
        memcpy(l->checksum, checksum, sizeof l->checksum);
    }
    if (rc == PARITY_OK) {
        t->nloads++;
        return table_seal_sorted(t);
    }
    table_load_end(t);
    return rc;
}

uint64_t table_hash_bytes(const void *data, size_t len) { return XXH3_64bits(data, len); }

void parity_table_set_combine(parity_table *t, int combine) {
    if (t) t->combine = combine != 0;
}

int parity_table_snapshot_source(const parity_table *t, size_t i, const char **source,
                                 const char **checksum) {
    if (!t || i >= t->nsnap) return PARITY_NOTFOUND;
    if (source) *source = t->snap[i].source;
    if (checksum) *checksum = t->snap[i].source ? t->snap[i].checksum : NULL;
    return PARITY_OK;
}

int table_seal_sorted(parity_table *t) {
    int rc = t->cfg.order == GRADE_ORDER_NUMERIC ? rank_numeric(t) : PARITY_OK;
    if (rc == PARITY_OK) rc = rebuild_dims(t);
    table_load_end(t);
    return rc;
}

void table_load_end(parity_table *t) {
    free(t->date);
    t->date = NULL;
    by_person(t, &t->entry_date);
    by_person(t, &t->birth_date);
}

/* ---- inspection -------------------------------------------------------- */

size_t parity_table_nrows(const parity_table *t) { return t ? t->n : 0; }
size_t parity_table_nsnapshots(const parity_table *t) { return t ? t->nsnap : 0; }

int parity_table_snapshot(const parity_table *t, size_t i, char out[11], size_t *rows) {
    if (!t || i >= t->nsnap) return PARITY_NOTFOUND;
    date_format(t->snap[i].date, out);
    if (rows) *rows = t->snap[i].end - t->snap[i].begin;
    return PARITY_OK;
}

size_t parity_table_ndimensions(const parity_table *t) { return t ? t->ndims : 0; }
const char *parity_table_dimension(const parity_table *t, size_t i) {
    return t && i < t->ndims ? t->dims[i] : NULL;
}

cJSON *table_inputs_json(const parity_table *t) {
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    if (t->store_path) cJSON_AddStringToObject(o, "store", t->store_path);
    else cJSON_AddNullToObject(o, "store");
    cJSON_AddNumberToObject(o, "rows", (double)t->n);
    cJSON *snaps = cJSON_AddArrayToObject(o, "snapshots");
    for (size_t i = 0; snaps && i < t->nsnap; i++) {
        cJSON *s = cJSON_CreateObject();
        char d[11];
        date_format(t->snap[i].date, d);
        cJSON_AddStringToObject(s, "date", d);
        cJSON_AddNumberToObject(s, "rows", (double)(t->snap[i].end - t->snap[i].begin));
        if (t->snap[i].source) {
            cJSON_AddStringToObject(s, "source", t->snap[i].source);
            cJSON_AddStringToObject(s, "checksum", t->snap[i].checksum);
        } else {
            cJSON_AddNullToObject(s, "source");
            cJSON_AddNullToObject(s, "checksum");
        }
        cJSON_AddItemToArray(snaps, s);
    }
    return o;
}

int table_absorb(parity_table *t, parity_table *s) {
    int rc = PARITY_NOMEM;
    uint32_t *smap = malloc((s->staff_ids.n + 1) * sizeof *smap);
    uint32_t *gmap = malloc((s->grades.n + 1) * sizeof *gmap);
    uint32_t *cmap = NULL;
    if (!smap || !gmap || table_reserve(t, t->n + s->n) != PARITY_OK) goto out;
    if (dict_merge(&t->staff_ids, &s->staff_ids, smap) != 0) goto out;
    for (uint32_t g = 0; g < s->grades.n; g++) {
        /* a grade the part accepted is accepted here: same configuration;
        ** rows of a file without grades have the blank one */
        int64_t k = g == s->grade_blank ? table_grade_blank(t)
                                        : table_grade_code(t, s->grades.str[g], strlen(s->grades.str[g]));
        if (k == -2) goto out;
        gmap[g] = k < 0 ? 0 : (uint32_t)k;
    }
    size_t r0 = t->n, n = s->n;
    for (size_t i = 0; i < n; i++)
        t->staff[r0 + i] = s->staff[i] == UINT32_MAX ? UINT32_MAX : smap[s->staff[i]];
    if (table_col_map(t, &t->grade, r0, &s->grade, n, gmap) != PARITY_OK) goto out;
    memcpy(t->date + r0, s->date, n * sizeof *s->date);
    memcpy(t->sex + r0, s->sex, n * sizeof *s->sex);
    table_dates *tdate[2] = {&t->entry_date, &t->birth_date}, *sdate[2] = {&s->entry_date, &s->birth_date};
    for (int k = 0; k < 2; k++) {
        if (!tdate[k]->v) continue;
        if (sdate[k]->v && sdate[k]->width == tdate[k]->width)
            memcpy((char *)tdate[k]->v + r0 * tdate[k]->width, sdate[k]->v, n * tdate[k]->width);
        else
            for (size_t i = 0; i < n; i++)
                if (table_date_set(t, tdate[k], r0 + i, sdate[k]->v ? table_date_get(sdate[k], i) : DATE_NONE))
                    goto out;
    }
    if (t->count)
        for (size_t i = 0; i < n; i++) t->count[r0 + i] = s->count ? s->count[i] : 1;
    for (size_t c = 0; c < t->ncols; c++) {
        table_column *tc = &t->cols[c];
        long sc = table_find_col(s, tc->name);
        if (sc == TABLE_NOMEM) goto out;
        if (sc < 0) {
            for (size_t i = 0; i < n; i++)
                if (table_col_set(t, tc, r0 + i, 0) != PARITY_OK) goto out;
            continue;
        }
        const table_column *col = &s->cols[sc];
        uint32_t *m = realloc(cmap, (col->dict.n + 1) * sizeof *m);
        if (!m) goto out;
        cmap = m;
        if (dict_merge(&tc->dict, &col->dict, cmap) != 0 || table_col_map(t, tc, r0, col, n, cmap) != PARITY_OK) goto out;
    }
    t->n += n;
    rc = PARITY_OK;
out:
    free(smap);
    free(gmap);
    free(cmap);
    return rc;
}
