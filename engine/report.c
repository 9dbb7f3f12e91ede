/*
** report.c -- the annual report: the tables an organisation publishes on
** the composition of its staff by sex, protected together.
** Exports parity_report_build(), parity_report_free() and the table accessors
** (parity.h); report_table(), report_add_table() (report.h).
**
** Every table comes from the analyses (representation, flows, targets,
** project), read at the report date with protection off, then copied into
** the report's own flat tables. Protection runs once over all of them
** (audit.c): every count is a cell keyed by the population it counts, so
** the total row of one table and the headline are the same cell; the
** equations a reader knows are each row's parts and total, every coarse
** row as the sum of the finer rows of another table inside it (a
** category, a department, the total), and for movements the staff at the
** end of the year as those at its start plus the year's movements. Each
** table's own complementary cells are chosen first (disclose.c), then the
** audit adds what the links between tables need. A report is one of a
** series (last year's counted this year's staff at the start): the
** patterns are fixed snapshot by snapshot and year by year, so that a
** count is shown or withheld alike in every report ("protection", below).
*/
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cJSON.h>

#include "audit.h"
#include "disclose.h"
#include "report.h"
#include "represent.h"
#include "stats.h"
#include "table.h"

/* ---- the model -------------------------------------------------------- */

parity_result *report_table(const parity_report *rep, const char *name) {
    for (size_t i = 0; i < rep->ntab; i++)
        if (strcmp(rep->tname[i], name) == 0) return rep->tab[i];
    return NULL;
}

int report_add_table(parity_report *rep, const char *name, parity_result *r) {
    parity_result **tab = realloc(rep->tab, (rep->ntab + 1) * sizeof *tab);
    if (tab) rep->tab = tab;
    char **tn = tab ? realloc(rep->tname, (rep->ntab + 1) * sizeof *tn) : NULL;
    if (tn) rep->tname = tn;
    char *copy = tn ? str_dup(name) : NULL;
    if (!copy) {
        parity_result_free(r);
        return PARITY_NOMEM;
    }
    rep->tab[rep->ntab] = r;
    rep->tname[rep->ntab++] = copy;
    return PARITY_OK;
}

void parity_report_free(parity_report *rep) {
    if (!rep) return;
    for (size_t i = 0; i < rep->ntab; i++) {
        parity_result_free(rep->tab[i]);
        free(rep->tname[i]);
    }
    free(rep->tab);
    free(rep->tname);
    cJSON_Delete(rep->model);
    free(rep);
}

size_t parity_report_ntables(const parity_report *rep) { return rep ? rep->ntab : 0; }
const char *parity_report_table_name(const parity_report *rep, size_t i) {
    return rep && i < rep->ntab ? rep->tname[i] : NULL;
}
const parity_result *parity_report_table(const parity_report *rep, size_t i) {
    return rep && i < rep->ntab ? rep->tab[i] : NULL;
}

void parity_report_options_init(parity_report_options *o) {
    memset(o, 0, sizeof *o);
    o->min_cell = -1;
}

/* The options behind a handle own their date; the options come first. */
typedef struct report_handle {
    parity_report_options o;
    char at[11];
} report_handle;

parity_report_options *parity_report_options_new(void) {
    report_handle *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    parity_report_options_init(&h->o);
    return &h->o;
}

void parity_report_options_free(parity_report_options *o) { free(o); }

int parity_report_options_set(parity_report_options *o, const char *key, const char *value) {
    if (!o || !key) return PARITY_USAGE;
    report_handle *h = (report_handle *)o;
    if (strcmp(key, "at") == 0) {
        if (!value) {
            o->at = NULL;
            return PARITY_OK;
        }
        if (strlen(value) != 10) return PARITY_USAGE;
        memcpy(h->at, value, 11);
        o->at = h->at;
        return PARITY_OK;
    }
    if (!value) return PARITY_USAGE;
    char *end;
    long n = strtol(value, &end, 10);
    if (end == value || *end) return PARITY_USAGE;
    if (strcmp(key, "min_cell") == 0 && n >= -1 && n <= 1000000) o->min_cell = n;
    else if (strcmp(key, "history") == 0 && n >= 0 && n <= 16) o->history = (int)n;
    else if (strcmp(key, "pooled") == 0 && n >= 0 && n <= 16) o->pooled = (int)n;
    else if (strcmp(key, "reproducible") == 0 && (n == 0 || n == 1)) o->reproducible = (int)n;
    else return PARITY_USAGE;
    return PARITY_OK;
}

/* ---- building --------------------------------------------------------- */

/* What the builder carries: the table, the options, the snapshots up to
** the report date (s_at is the report date's), and the parts made. */
typedef struct report_fixed fixed;
typedef struct builder {
    parity_table *t;
    const parity_report_options *o;
    parity_report *rep;
    size_t s_at;             /* index of the report date's snapshot */
    int history, pooled;
    cJSON *missing;          /* [{"section", "reason"}] */
    cJSON *notes;            /* strings */
    char *err;               /* t's message buffer */
    fixed *fx;               /* the patterns fixed for earlier snapshots and years */
    bool shadow;             /* a snapshot's stocks alone, to fix their pattern */
} builder;

static int missing(builder *b, const char *section, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int missing(builder *b, const char *section, const char *fmt, ...) {
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    cJSON *m = cJSON_CreateObject();
    if (!m || !cJSON_AddStringToObject(m, "section", section) ||
        !cJSON_AddStringToObject(m, "reason", why) || !cJSON_AddItemToArray(b->missing, m)) {
        cJSON_Delete(m);
        return PARITY_NOMEM;
    }
    return PARITY_OK;
}

static void snap_date(const builder *b, size_t s, char out[11]) { date_format(b->t->snap[s].date, out); }

/* Copies cell (sr, sc) of src into (dr, dc) of dst. */
static int copy_cell(parity_result *dst, size_t dr, size_t dc, const parity_result *src, size_t sr,
                     size_t sc) {
    const result_cell *from = &src->cell[sr * src->ncol + sc];
    result_cell *to = result_at(dst, dr, dc);
    if (from->null) return PARITY_OK;
    if (from->s) return result_set_text(dst, dr, dc, from->s);
    to->null = false;
    to->v[0] = from->v[0];
    to->v[1] = from->v[1];
    return PARITY_OK;
}

/* The number in column `name` of row `row` of r, or def when null or absent. */
static double num(const parity_result *r, size_t row, const char *name, double def) {
    long c = parity_result_column(r, name);
    if (c < 0 || r->cell[row * r->ncol + (size_t)c].null) return def;
    return r->cell[row * r->ncol + (size_t)c].v[0];
}

static const char *text(const parity_result *r, size_t row, const char *name) {
    long c = parity_result_column(r, name);
    if (c < 0 || r->cell[row * r->ncol + (size_t)c].null) return NULL;
    return r->cell[row * r->ncol + (size_t)c].s;
}

/* A representation at snapshot s, unprotected. */
static int represent_at(builder *b, const char *by, size_t s, parity_result **out) {
    char d[11];
    snap_date(b, s, d);
    return parity_representation(b->t, by, d, out);
}

/* ---- stock tables ------------------------------------------------------ */

/* The counts a report row publishes: women (F), the others whose sex is
** recorded (N = M + X: men and another sex together, so that a handful of
** staff of another recorded sex is never a column of its own), and the
** total F + N. Staff whose sex is not recorded are counted in the notes. */
enum { NC = 3 };

/* A stock row's population for the audit: a set of grades (NULL: all) and
** at most one other dimension's value. */
typedef struct spop {
    uint64_t *grades; /* bitset over grade codes, or NULL */
    const char *odim, *oval;
    bool part;        /* a part of its table's partition (not a total, not an aggregate) */
} spop;

typedef struct stab {
    parity_result *r;
    size_t c0;        /* first of F, M, X, U, total */
    const char *odim; /* the other dimension, or NULL */
    bool per_grade;   /* its parts carry grade sets */
    bool seed;        /* protect its partition within itself first */
    spop *pop;        /* per row */
} stab;

typedef struct stocks {
    stab *tab;
    size_t n;
    size_t words;     /* of a grade bitset */
} stocks;

/* The stock tables of a report date, and what they are made from. */
typedef struct section {
    stocks st;
    parity_result *rep_grade;  /* unprotected representation by grade at the date, or NULL */
    size_t hist[16], nhist;    /* earlier snapshots shown, oldest first */
} section;

static uint64_t *gset_new(const stocks *st) { return calloc(st->words ? st->words : 1, sizeof(uint64_t)); }
static void gset_add(uint64_t *s, uint32_t g) { s[g / 64] |= 1ull << (g % 64); }

/* Whether a is inside b (1), apart from it (0), or across its edge (-1). */
static int gset_rel(const stocks *st, const uint64_t *a, const uint64_t *b) {
    bool inside = true, apart = true;
    for (size_t w = 0; w < st->words; w++) {
        if (a[w] & ~b[w]) inside = false;
        if (a[w] & b[w]) apart = false;
    }
    return inside ? 1 : apart ? 0 : -1;
}

/* The grade code of a grade name, or -1. */
static int64_t grade_code(const parity_table *t, const char *name) {
    return name ? dict_find(&t->grades, name, strlen(name)) : -1;
}

/* The key of a stock cell: the date (snapshot s), the population, the
** column. */
static void stock_key_at(const builder *b, size_t s, const stocks *st, const spop *p, size_t col,
                         char *key, size_t cap) {
    static const char *const sex[NC] = {"F", "N", "T"};
    char d[11];
    snap_date(b, s, d);
    size_t n = (size_t)snprintf(key, cap, "s|%s|", d);
    for (size_t w = 0; p->grades && w < st->words && n < cap; w++)
        n += (size_t)snprintf(key + n, cap - n, "%016llx", (unsigned long long)p->grades[w]);
    if (!p->grades && n < cap) n += (size_t)snprintf(key + n, cap - n, "*");
    if (n < cap)
        snprintf(key + n, cap - n, "|%s=%s|%s", p->odim ? p->odim : "", p->oval ? p->oval : "",
                 sex[col]);
}

static void stock_key(const builder *b, const stocks *st, const spop *p, size_t col, char *key,
                      size_t cap) {
    stock_key_at(b, b->s_at, st, p, col, key, cap);
}

static int stab_add(stocks *st, parity_result *r, size_t c0, const char *odim, bool per_grade) {
    stab *tab = realloc(st->tab, (st->n + 1) * sizeof *tab);
    if (!tab) return PARITY_NOMEM;
    st->tab = tab;
    spop *pop = calloc(r->nrow ? r->nrow : 1, sizeof *pop);
    if (!pop) return PARITY_NOMEM;
    st->tab[st->n++] = (stab){.r = r, .c0 = c0, .odim = odim, .per_grade = per_grade, .pop = pop};
    return PARITY_OK;
}

static void stocks_free(stocks *st) {
    for (size_t i = 0; i < st->n; i++) {
        for (size_t k = 0; k < st->tab[i].r->nrow; k++) free(st->tab[i].pop[k].grades);
        free(st->tab[i].pop);
    }
    free(st->tab);
}

/* Whether table B's parts can add up to population p, and which rows. */
static bool sums_to(const stocks *st, const stab *B, const spop *p, bool *use) {
    if (p->odim && (!B->odim || strcmp(B->odim, p->odim) != 0)) return false;
    if (p->grades && !B->per_grade) return false;
    size_t n = 0, same = 0;
    for (size_t k = 0; k < B->r->nrow; k++) {
        const spop *q = &B->pop[k];
        use[k] = false;
        if (!q->part) continue;
        if (p->odim && strcmp(q->oval ? q->oval : "", p->oval ? p->oval : "") != 0) continue;
        if (p->grades) {
            int rel = gset_rel(st, q->grades, p->grades);
            if (rel < 0) return false;
            if (!rel) continue;
        }
        use[k] = true;
        n++;
        if (q == p) same++;
    }
    return n > 0 && same == 0;
}

/* Registers every stock count with the audit and the equations between them. */
static int stocks_audit(const builder *b, const stocks *st, audit *a, long **ids) {
    char key[512];
    for (size_t i = 0; i < st->n; i++) {
        const stab *T = &st->tab[i];
        ids[i] = malloc((T->r->nrow ? T->r->nrow : 1) * NC * sizeof **ids);
        if (!ids[i]) return PARITY_NOMEM;
        for (size_t k = 0; k < T->r->nrow; k++)
            for (size_t c = 0; c < NC; c++) {
                stock_key(b, st, &T->pop[k], c, key, sizeof key);
                const result_cell *cell = &T->r->cell[k * T->r->ncol + T->c0 + c];
                long id = audit_cell(a, key, cell->null ? 0 : (int64_t)cell->v[0]);
                if (id < 0) return PARITY_NOMEM;
                audit_cost(a, id, c == 1 ? 1 : 2); /* F and total: the share */
                ids[i][k * NC + c] = id;
            }
    }
    long cell[4096];
    int coef[4096];
    size_t maxrows = 1;
    for (size_t i = 0; i < st->n; i++) if (st->tab[i].r->nrow > maxrows) maxrows = st->tab[i].r->nrow;
    bool *use = malloc(maxrows * sizeof *use);
    if (!use) return PARITY_NOMEM;
    int rc = PARITY_OK;
    for (size_t i = 0; i < st->n && rc == PARITY_OK; i++) {
        const stab *A = &st->tab[i];
        for (size_t k = 0; k < A->r->nrow && rc == PARITY_OK; k++) {
            const long *id = ids[i] + k * NC;
            /* total = F + N */
            long rs[3] = {id[2], id[0], id[1]};
            int rcf[3] = {1, -1, -1};
            rc = audit_equation(a, rs, rcf, 3);
            for (size_t j = 0; j < st->n && rc == PARITY_OK; j++) {
                const stab *B = &st->tab[j];
                if (!sums_to(st, B, &A->pop[k], use)) continue;
                for (size_t c = 0; c < NC && rc == PARITY_OK; c++) {
                    size_t n = 0;
                    cell[n] = id[c];
                    coef[n++] = 1;
                    for (size_t q = 0; q < B->r->nrow && n < 4096; q++)
                        if (use[q]) {
                            cell[n] = ids[j][q * NC + c];
                            coef[n++] = -1;
                        }
                    rc = audit_equation(a, cell, coef, n);
                }
            }
        }
    }
    free(use);
    return rc;
}

/* The grade set of the rows of grade-table r whose grade passes keep(). */
/* The set of the table's grades that pass keep(): every grade it knows,
** not only those at the report date, so that a category is the same
** population (the same audit key) at every snapshot. */
static uint64_t *grades_where(const builder *b, const stocks *st,
                              int (*keep)(const builder *, const char *, const void *),
                              const void *arg) {
    uint64_t *set = gset_new(st);
    if (!set) return NULL;
    for (uint32_t code = 0; code < b->t->grades.n; code++)
        if (keep(b, dict_str(&b->t->grades, code), arg)) gset_add(set, code);
    return set;
}

static const char *category_of(const builder *b, const char *grade) {
    int64_t code = grade_code(b->t, grade);
    if (code < 0 || !b->t->grade_cat) return "";
    return dict_str(&b->t->categories, b->t->grade_cat[code]);
}

static int in_category(const builder *b, const char *grade, const void *cat) {
    return strcmp(category_of(b, grade), (const char *)cat) == 0;
}
static bool prof_category(const char *c) {
    return strcmp(c, "P") == 0 || strcmp(c, "D") == 0 || strcmp(c, "Senior") == 0;
}
static int is_prof(const builder *b, const char *grade, const void *arg) {
    (void)arg;
    return prof_category(category_of(b, grade));
}
static int is_gs(const builder *b, const char *grade, const void *arg) {
    (void)arg;
    return !prof_category(category_of(b, grade));
}
static int is_top(const builder *b, const char *grade, const void *arg) {
    (void)arg;
    int64_t code = grade_code(b->t, grade);
    return code >= 0 && represent_is_top_grade(b->t, (uint32_t)code) == 1;
}

/* Sums the counts of the rows of g whose grade passes keep(). */
static sexcount sum_where(const builder *b, const parity_result *g,
                          int (*keep)(const builder *, const char *, const void *), const void *arg) {
    sexcount c = {{0, 0, 0, 0}};
    static const char *const col[4] = {"female", "male", "other", "unknown"};
    for (size_t k = 0; k < result_ngroups(g); k++) {
        const char *name = text(g, k, "grade");
        if (!name || !keep(b, name, arg)) continue;
        for (int s = 0; s < 4; s++) c.n[s] += (int64_t)num(g, k, col[s], 0);
    }
    return c;
}

static int all_grades(const builder *b, const char *g, const void *a) {
    (void)b, (void)g, (void)a;
    return 1;
}

/* A stock table: dimension columns, the representation's measures, the
** female share at `nhist` earlier snapshots and the change since the last
** of them, in points. */
static parity_result *stock_table(const char *title, const char *const *dims, size_t ndims,
                                  char (*hist)[11], size_t nhist) {
    parity_result *r = result_new("report", title);
    if (!r) return NULL;
    int rc = PARITY_OK;
    for (size_t d = 0; d < ndims && rc == PARITY_OK; d++) rc = result_add_col(r, dims[d], dims[d], RESULT_DIM);
    static const struct {
        const char *name, *label;
        result_kind kind;
    } cols[] = {{"female", "F", RESULT_COUNT},          {"male_other", "M+X", RESULT_COUNT},
                {"total", "total", RESULT_COUNT},       {"female_share", "F share", RESULT_SHARE},
                {"ci95", "95% CI", RESULT_CI},          {"gap_to_parity", "gap F", RESULT_COUNT},
                {"gap_to_parity_men", "gap M", RESULT_COUNT}, {"status", "status", RESULT_TEXT}};
    for (size_t c = 0; c < sizeof cols / sizeof *cols && rc == PARITY_OK; c++)
        rc = result_add_col(r, cols[c].name, cols[c].label, cols[c].kind);
    for (size_t h = 0; h < nhist && rc == PARITY_OK; h++) {
        char name[32], label[32];
        snprintf(name, sizeof name, "female_share_%.4s%.2s%.2s", hist[h], hist[h] + 5, hist[h] + 8);
        snprintf(label, sizeof label, "F share %s", hist[h]);
        rc = result_add_col(r, name, label, RESULT_SHARE);
    }
    if (rc == PARITY_OK && nhist) rc = result_add_col(r, "change_points", "change (pts)", RESULT_REAL);
    static const uint8_t role[NC] = {RESULT_PART, RESULT_PART, RESULT_SUM};
    size_t derived[5];
    for (size_t d = 0; d < 5; d++) derived[d] = ndims + NC + d;
    if (rc == PARITY_OK) rc = result_set_counts(r, ndims, NC, role, derived, 5, 1u << 0 | 1u << 2);
    if (rc != PARITY_OK) {
        parity_result_free(r);
        return NULL;
    }
    return r;
}

/* Row `row` of a stock table from its counts, from column `first` on: F,
** M+X, total, and what is computed from them. */
static void put_stock(parity_result *r, size_t row, size_t first, const sexcount *c,
                      const parity_config *cfg) {
    int64_t f = c->n[SEX_F], total = c->n[SEX_F] + c->n[SEX_M] + c->n[SEX_X];
    result_set_num(r, row, first, (double)f);
    result_set_num(r, row, first + 1, (double)(total - f));
    result_set_num(r, row, first + 2, (double)total);
    represent_put_shares(r, row, first + 3, f, total, cfg);
}

/* The counts of row k of a representation. */
static sexcount rep_counts(const parity_result *src, size_t k) {
    static const char *const col[4] = {"female", "male", "other", "unknown"};
    sexcount c;
    for (int s = 0; s < 4; s++) c.n[s] = (int64_t)num(src, k, col[s], 0);
    return c;
}

/* Appends src's rows (a representation's) to stock table r. */
static int stock_rows(parity_result *r, size_t ndims, const parity_result *src, const parity_config *cfg) {
    for (size_t k = 0; k < src->nrow; k++) {
        long row = result_add_row(r);
        if (row < 0) return PARITY_NOMEM;
        for (size_t c = 0; c < ndims; c++)
            if (copy_cell(r, (size_t)row, c, src, k, c) != PARITY_OK) return PARITY_NOMEM;
        sexcount n = rep_counts(src, k);
        put_stock(r, (size_t)row, ndims, &n, cfg);
    }
    result_set_has_total(r, src->has_total);
    return PARITY_OK;
}

/* Whether a share of counts f, m, x may be published: women and the others
** each 0 or at least min_cell. */
static bool share_safe(int64_t f, int64_t m, int64_t x, long min_cell) {
    return !disclose_small(f, min_cell) && !disclose_small(m + x, min_cell);
}

static bool fixed_withheld(const fixed *fx, const char *key);
typedef struct dated dated;
static int date_fixed(builder *b, size_t s, dated **out);

/* Whether the share of population p at snapshot s, of counts c, may be
** published: women and the others each none or at least min_cell, and
** neither they nor their total withheld where that snapshot's stocks are
** published (its pattern is fixed: every report shows them alike). */
static int share_ok(builder *b, size_t s, const stocks *st, const spop *p, const sexcount *c, bool *ok) {
    *ok = false;
    int64_t tot = c->n[SEX_F] + c->n[SEX_M] + c->n[SEX_X];
    if (!tot || !share_safe(c->n[SEX_F], c->n[SEX_M], c->n[SEX_X], b->rep->min_cell)) return PARITY_OK;
    if (b->rep->min_cell > 1) {
        int rc = date_fixed(b, s, NULL);
        if (rc != PARITY_OK) return rc;
        char key[512];
        for (size_t col = 0; col < NC; col++) {
            stock_key_at(b, s, st, p, col, key, sizeof key);
            if (fixed_withheld(b->fx, key)) return PARITY_OK;
        }
    }
    *ok = true;
    return PARITY_OK;
}

/* Fills the history columns of stock table ti of sec (dimension column 0
** named `by`) from the representations at the earlier snapshots. */
static int stock_history(builder *b, section *sec, size_t ti, const char *by) {
    parity_result *r = sec->st.tab[ti].r;
    size_t h0 = parity_result_column(r, "status") + 1;
    for (size_t h = 0; h < sec->nhist; h++) {
        parity_result *past = NULL;
        int rc = represent_at(b, by, sec->hist[h], &past);
        if (rc != PARITY_OK) return rc;
        for (size_t k = 0; k < r->nrow && rc == PARITY_OK; k++) {
            const char *name = r->cell[k * r->ncol].s;
            bool total = r->has_total && k == r->nrow - 1;
            for (size_t q = 0; q < past->nrow; q++) {
                bool ptotal = past->has_total && q == past->nrow - 1;
                if (total != ptotal) continue;
                if (!total && (!name || !past->cell[q * past->ncol].s ||
                               strcmp(name, past->cell[q * past->ncol].s) != 0))
                    continue;
                sexcount c = rep_counts(past, q);
                bool ok;
                rc = share_ok(b, sec->hist[h], &sec->st, &sec->st.tab[ti].pop[k], &c, &ok);
                if (rc == PARITY_OK && ok)
                    rc = result_set_num(r, k, h0 + h, (double)c.n[SEX_F] / (double)(c.n[SEX_F] + c.n[SEX_M] + c.n[SEX_X]));
                break;
            }
        }
        parity_result_free(past);
        if (rc != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

/* change_points = 100 * (share now - share at the last earlier snapshot). */
static void stock_change(parity_result *r, size_t nhist) {
    if (!nhist) return;
    long now = parity_result_column(r, "female_share"), chg = parity_result_column(r, "change_points");
    size_t last = (size_t)chg - 1;
    for (size_t k = 0; k < r->nrow; k++) {
        const result_cell *a = result_at(r, k, (size_t)now), *p = result_at(r, k, last);
        if (!a->null && !p->null) result_set_num(r, k, (size_t)chg, 100 * (a->v[0] - p->v[0]));
        else result_at(r, k, (size_t)chg)->null = true;
    }
}

/* ---- the stock section -------------------------------------------------- */

/* The earlier snapshots shown beside the report date's. */
static void history_snaps(builder *b, section *sec) {
    size_t n = (size_t)b->history < b->s_at ? (size_t)b->history : b->s_at;
    if (n > 16) n = 16;
    sec->nhist = n;
    for (size_t i = 0; i < n; i++) sec->hist[i] = b->s_at - n + i;
}

static void hist_dates(const builder *b, const size_t *snaps, size_t n, char (*out)[11]) {
    for (size_t i = 0; i < n; i++) snap_date(b, snaps[i], out[i]);
}

/* Population of each row of a table read from a representation by `by`. */
static int pops_from_rows(builder *b, stab *T, const char *odim, bool per_grade) {
    parity_result *r = T->r;
    for (size_t k = 0; k < r->nrow; k++) {
        spop *p = &T->pop[k];
        bool total = r->has_total && k == r->nrow - 1;
        p->part = !total;
        if (total) continue;
        if (odim) {
            p->odim = odim;
            long c = parity_result_column(r, odim);
            p->oval = c >= 0 && r->cell[k * r->ncol + (size_t)c].s ? r->cell[k * r->ncol + (size_t)c].s : "";
        }
        if (per_grade) {
            const char *g = text(r, k, "grade");
            int64_t code = grade_code(b->t, g);
            if (!(p->grades = calloc(b->t->grades.n / 64 + 1, sizeof(uint64_t)))) return PARITY_NOMEM;
            if (code >= 0) gset_add(p->grades, (uint32_t)code);
        }
    }
    return PARITY_OK;
}

static int table_by_grade(builder *b, section *sec) {
    char h[16][11];
    hist_dates(b, sec->hist, sec->nhist, h);
    static const char *const dims[] = {"grade"};
    char title[96];
    snprintf(title, sizeof title, "Staff by grade and sex at %s", b->rep->at);
    parity_result *r = stock_table(title, dims, 1, h, sec->nhist);
    if (!r) return PARITY_NOMEM;
    int rc = stock_rows(r, 1, sec->rep_grade, &b->t->cfg);
    if (rc == PARITY_OK) rc = report_add_table(b->rep, "representation_by_grade", r);
    else parity_result_free(r);
    if (rc == PARITY_OK) rc = stab_add(&sec->st, r, 1, NULL, true);
    if (rc == PARITY_OK) {
        sec->st.tab[sec->st.n - 1].seed = true;
        rc = pops_from_rows(b, &sec->st.tab[sec->st.n - 1], NULL, true);
    }
    if (rc == PARITY_OK) rc = stock_history(b, sec, sec->st.n - 1, "grade");
    return rc;
}

/* The aggregate rows of the category table, on the UN scale. */
static int category_aggregates(builder *b, section *sec, parity_result *r) {
    static const struct {
        const char *name;
        int (*keep)(const builder *, const char *, const void *);
    } agg[] = {{"Professional and higher", is_prof}, {"General Service and related", is_gs}};
    for (size_t i = 0; i < 2; i++) {
        sexcount c = sum_where(b, sec->rep_grade, agg[i].keep, NULL);
        long row = result_add_row(r);
        if (row < 0) return PARITY_NOMEM;
        result_set_text(r, (size_t)row, 0, agg[i].name);
        put_stock(r, (size_t)row, 1, &c, &b->t->cfg);
    }
    return PARITY_OK;
}

static bool un_categories(const builder *b) {
    return b->t->cfg.order == GRADE_ORDER_UN && b->t->cfg.ncategories == 0;
}

static int table_by_category(builder *b, section *sec) {
    parity_result *src = NULL;
    int rc = represent_at(b, "category", b->s_at, &src);
    if (rc != PARITY_OK) return rc;
    char h[16][11];
    hist_dates(b, sec->hist, sec->nhist, h);
    static const char *const dims[] = {"category"};
    char title[96];
    snprintf(title, sizeof title, "Staff by category and sex at %s", b->rep->at);
    parity_result *r = stock_table(title, dims, 1, h, sec->nhist);
    if (!r) rc = PARITY_NOMEM;
    /* the categories, the aggregates, the total */
    size_t ng = result_ngroups(src);
    for (size_t k = 0; k < ng && rc == PARITY_OK; k++) {
        long row = result_add_row(r);
        if (row < 0) {
            rc = PARITY_NOMEM;
            break;
        }
        rc = copy_cell(r, (size_t)row, 0, src, k, 0);
        sexcount n = rep_counts(src, k);
        put_stock(r, (size_t)row, 1, &n, &b->t->cfg);
    }
    if (rc == PARITY_OK && un_categories(b)) rc = category_aggregates(b, sec, r);
    if (rc == PARITY_OK) {
        long row = result_add_row(r);
        if (row < 0) rc = PARITY_NOMEM;
        sexcount n = rep_counts(src, src->nrow - 1);
        if (row >= 0) put_stock(r, (size_t)row, 1, &n, &b->t->cfg);
        result_set_has_total(r, true);
    }
    parity_result_free(src);
    if (rc != PARITY_OK) {
        parity_result_free(r);
        return rc;
    }
    if ((rc = report_add_table(b->rep, "representation_by_category", r)) != PARITY_OK) return rc;
    if ((rc = stab_add(&sec->st, r, 1, NULL, true)) != PARITY_OK) return rc;
    stab *T = &sec->st.tab[sec->st.n - 1];
    T->seed = true;
    for (size_t k = 0; k + 1 < r->nrow; k++) {
        spop *p = &T->pop[k];
        const char *name = r->cell[k * r->ncol].s;
        p->part = k < ng;
        if (k < ng) p->grades = grades_where(b, &sec->st, in_category, name ? name : "");
        else p->grades = grades_where(b, &sec->st, k == ng ? is_prof : is_gs, NULL);
        if (!p->grades) return PARITY_NOMEM;
    }
    return stock_history(b, sec, sec->st.n - 1, "category");
}

/* The headline: women's share of all staff, of Professional and higher,
** of the top grades; the first and the previous snapshot beside. */
static int table_headline(builder *b, section *sec) {
    static const struct {
        const char *name;
        int (*keep)(const builder *, const char *, const void *);
    } rows[] = {{"all staff", all_grades},
                {"Professional and higher (P1 and above)", is_prof},
                {"senior grades (D1 and above)", is_top}};
    size_t earlier[2], ne = 0;
    if (b->s_at > 0 && !b->shadow) {
        earlier[ne++] = 0;
        if (b->s_at - 1 > 0) earlier[ne++] = b->s_at - 1;
    }
    char h[2][11];
    hist_dates(b, earlier, ne, h);
    static const char *const dims[] = {"population"};
    char title[96];
    snprintf(title, sizeof title, "Headline: women's share at %s", b->rep->at);
    parity_result *r = stock_table(title, dims, 1, h, ne);
    if (!r) return PARITY_NOMEM;
    parity_result *past[2] = {NULL, NULL};
    int rc = PARITY_OK;
    for (size_t i = 0; i < ne && rc == PARITY_OK; i++) rc = represent_at(b, "grade", earlier[i], &past[i]);
    bool top_defined = false;
    for (size_t k = 0; k < result_ngroups(sec->rep_grade); k++)
        top_defined |= is_top(b, text(sec->rep_grade, k, "grade"), NULL) != 0;
    size_t kept[3], nk = 0;
    for (size_t i = 0; i < 3 && rc == PARITY_OK; i++) {
        if (i == 1 && !un_categories(b)) continue;
        if (i == 2 && !top_defined) continue;
        sexcount c = sum_where(b, sec->rep_grade, rows[i].keep, NULL);
        long row = result_add_row(r);
        if (row < 0) {
            rc = PARITY_NOMEM;
            break;
        }
        kept[nk++] = i;
        result_set_text(r, (size_t)row, 0, i == 2 && b->t->cfg.ntop ? "the top grades" : rows[i].name);
        put_stock(r, (size_t)row, 1, &c, &b->t->cfg);
    }
    if (rc == PARITY_OK) rc = report_add_table(b->rep, "headline", r);
    else parity_result_free(r);
    /* the grades of each population, for a reader who sums a unit's rows */
    cJSON *pops = rc == PARITY_OK && !b->shadow ? cJSON_AddObjectToObject(b->rep->model, "populations") : NULL;
    for (size_t k = 0; pops && k < nk; k++) {
        cJSON *g = cJSON_AddArrayToObject(pops, r->cell[k * r->ncol].s);
        for (size_t q = 0; g && q < result_ngroups(sec->rep_grade); q++) {
            const char *grade = text(sec->rep_grade, q, "grade");
            if (grade && rows[kept[k]].keep(b, grade, NULL)) cJSON_AddItemToArray(g, cJSON_CreateString(grade));
        }
    }
    if (rc == PARITY_OK) rc = stab_add(&sec->st, r, 1, NULL, true);
    size_t ti = sec->st.n - 1;
    for (size_t k = 0; k < nk && rc == PARITY_OK; k++) {
        if (kept[k] == 0) continue; /* all staff: the total of every table */
        sec->st.tab[ti].pop[k].grades = grades_where(b, &sec->st, rows[kept[k]].keep, NULL);
        if (!sec->st.tab[ti].pop[k].grades) rc = PARITY_NOMEM;
    }
    /* the earlier shares, as those snapshots publish them */
    size_t h0 = rc == PARITY_OK ? (size_t)parity_result_column(r, "status") + 1 : 0;
    for (size_t k = 0; k < nk && rc == PARITY_OK; k++)
        for (size_t h2 = 0; h2 < ne && rc == PARITY_OK; h2++) {
            sexcount p = sum_where(b, past[h2], rows[kept[k]].keep, NULL);
            bool ok;
            rc = share_ok(b, earlier[h2], &sec->st, &sec->st.tab[ti].pop[k], &p, &ok);
            if (rc == PARITY_OK && ok)
                result_set_num(r, k, h0 + h2, (double)p.n[0] / (double)(p.n[0] + p.n[1] + p.n[2]));
        }
    parity_result_free(past[0]);
    parity_result_free(past[1]);
    return rc;
}

/* A breakdown of the configuration: one dimension alone, or by grade. */
static int table_breakdown(builder *b, section *sec, const char *by, const char *where) {
    char *buf = NULL;
    const char **names = NULL;
    size_t n = 0;
    int rc = group_split(by, &buf, &names, &n);
    if (rc != PARITY_OK) return rc;
    const char *odim = NULL;
    size_t oi = 0;
    bool per_grade = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], "grade") == 0) per_grade = true;
        else if (!odim) odim = names[oi = i];
        else odim = "";
    }
    if (!odim || !*odim || n > 2) {
        free(buf);
        free(names);
        return errmsg_set(b->err, PARITY_USAGE,
                          "%s%s\"report\".\"breakdowns\": \"%s\" must be one dimension other than "
                          "grade, alone or with grade (\"department\", \"department,grade\")",
                          where && *where ? where : "", where && *where ? ": " : "", by);
    }
    parity_result *src = NULL;
    rc = represent_at(b, by, b->s_at, &src);
    if (rc == PARITY_USAGE && where && *where) { /* say where the configuration asks for it */
        char msg[PARITY_ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", b->err);
        errmsg_set(b->err, rc, "%s: \"report\".\"breakdowns\": %s", where, msg);
    }
    char title[256], name[160];
    snprintf(title, sizeof title, "Staff by %s%s and sex at %s", odim, per_grade ? " and grade" : "",
             b->rep->at);
    snprintf(name, sizeof name, "by_%s%s", odim, per_grade ? "_and_grade" : "");
    for (char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) *p = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : '_';
    parity_result *r = NULL;
    if (rc == PARITY_OK && report_table(b->rep, name)) rc = PARITY_OK; /* asked twice: once */
    else if (rc == PARITY_OK) {
        r = stock_table(title, names, n, NULL, 0);
        rc = r ? stock_rows(r, n, src, &b->t->cfg) : PARITY_NOMEM;
        if (rc == PARITY_OK) rc = report_add_table(b->rep, name, r);
        else parity_result_free(r);
        /* the dimension's name as the table keeps it: names[] goes with buf */
        if (rc == PARITY_OK) rc = stab_add(&sec->st, r, n, r->col[oi].name, per_grade);
        if (rc == PARITY_OK) {
            stab *T = &sec->st.tab[sec->st.n - 1];
            rc = pops_from_rows(b, T, T->odim, per_grade);
            sec->st.tab[sec->st.n - 1].seed = true;
        }
    }
    parity_result_free(src);
    free(buf);
    free(names);
    return rc;
}

/* ---- movements ---------------------------------------------------------- */

static const char *const events[] = {"headcount", "hires", "promotions", "promotions_out", "separations", "moves"};
static const char *const event_label[] = {"staff at start", "hires", "promotions in", "promotions out", "separations", "moves"};
enum { NEVENT = 6, MW = NEVENT * NC }; /* MW: counts per movement row */
enum { MAXMOVE = 18 };
enum { CHAIN = 5 }; /* a year is protected with the four before it: the pooled window */ /* movement tables in a report: the organisation's and 8 breakdowns' */
static const char *const tests[] = {"separation", "promotion", "move"};
static const size_t test_event[3] = {4, 3, 5}; /* separations, promotions out, moves */

typedef struct mtab {
    parity_result *r;
    parity_result *f;  /* the flows behind it */
    char from[11], to[11];
    const char *odim;  /* a unit's movements: the unit's dimension (rows unit x grade), or NULL */
    size_t nd;         /* dimension columns before the counts: 1 (grade) or 2 (unit, grade) */
    size_t s0;         /* its first snapshot (a report's tables) */
    bool year;         /* one year (else several pooled) */
    long *ids; /* per row, MW cells: event e's F, N, T at e * NC */
    long *end; /* per row, the staff at the end: F, N, T (the year only) */
    uint64_t *grades; /* per row, its grade as a set of grades (audit keys) */
} mtab;

static parity_result *movement_table(const char *title, const char *odim) {
    parity_result *r = result_new("report", title);
    int rc = r ? PARITY_OK : PARITY_NOMEM;
    if (rc == PARITY_OK && odim) rc = result_add_col(r, odim, odim, RESULT_DIM);
    if (rc == PARITY_OK) rc = result_add_col(r, "grade", "grade", RESULT_DIM);
    char name[64], label[64];
    static const char *const sx[NC] = {"female", "male_other", "total"};
    static const char *const sl[NC] = {"F", "M+X", "all"};
    for (size_t e = 0; e < NEVENT && rc == PARITY_OK; e++)
        for (size_t s = 0; s < NC && rc == PARITY_OK; s++) {
            snprintf(name, sizeof name, "%s_%s", events[e], sx[s]);
            snprintf(label, sizeof label, "%s %s", event_label[e], sl[s]);
            rc = result_add_col(r, name, label, RESULT_COUNT);
        }
    if (rc == PARITY_OK) rc = result_add_col(r, "hires_female_share", "hires F share", RESULT_SHARE);
    for (size_t k = 0; k < 3 && rc == PARITY_OK; k++)
        for (size_t s = 0; s < 2 && rc == PARITY_OK; s++) {
            snprintf(name, sizeof name, "%s_rate_%s", tests[k], sx[s]);
            snprintf(label, sizeof label, "%s rate %s", tests[k], sl[s]);
            rc = result_add_col(r, name, label, RESULT_SHARE);
        }
    for (size_t k = 0; k < 3 && rc == PARITY_OK; k++) {
        snprintf(name, sizeof name, "%s_impact_ratio", tests[k]);
        snprintf(label, sizeof label, "%s impact ratio", tests[k]);
        rc = result_add_col(r, name, label, RESULT_REAL);
        snprintf(name, sizeof name, "%s_fails_four_fifths", tests[k]);
        snprintf(label, sizeof label, "%s fails 4/5", tests[k]);
        if (rc == PARITY_OK) rc = result_add_col(r, name, label, RESULT_BOOL);
        snprintf(name, sizeof name, "%s_p_value", tests[k]);
        snprintf(label, sizeof label, "%s p", tests[k]);
        if (rc == PARITY_OK) rc = result_add_col(r, name, label, RESULT_REAL);
    }
    if (rc != PARITY_OK) {
        parity_result_free(r);
        return NULL;
    }
    return r;
}

/* Event e's counts in row k of flows result f: F, N (M + X), total. */
static void event_counts(const parity_result *f, size_t k, size_t e, int64_t out[NC]) {
    char name[64];
    static const char *const sx[3] = {"female", "male", "other"};
    int64_t v[3];
    for (size_t s = 0; s < 3; s++) {
        snprintf(name, sizeof name, "%s.%s", events[e], sx[s]);
        v[s] = (int64_t)num(f, k, name, 0);
    }
    out[0] = v[0];
    out[1] = v[1] + v[2];
    out[2] = v[0] + v[1] + v[2];
}

/* The women-versus-others comparison of a rate: impact ratio (lower rate
** over higher), whether it fails four-fifths, and the p-value -- Fisher's
** exact test when an expected cell is under 5, else the z-test (flows.c
** does the same for women and men). */
static void put_test(parity_result *r, size_t row, size_t c, int64_t x1, int64_t n1, int64_t x2,
                     int64_t n2) {
    if (n1 <= 0 || n2 <= 0 || x1 > n1 || x2 > n2) return;
    double r1 = (double)x1 / (double)n1, r2 = (double)x2 / (double)n2;
    double hi = r1 > r2 ? r1 : r2, lo = r1 > r2 ? r2 : r1;
    if (hi > 0) {
        result_set_num(r, row, c, lo / hi);
        result_set_num(r, row, c + 1, lo / hi < 0.8);
    }
    double z, pz, pf = stats_fisher((unsigned)x1, (unsigned)n1, (unsigned)x2, (unsigned)n2);
    bool zok = stats_ztest((double)x1, (double)n1, (double)x2, (double)n2, &z, &pz);
    double k = (double)(x1 + x2), n = (double)(n1 + n2), m = (double)(n1 < n2 ? n1 : n2);
    bool small = k / n * m < 5 || (n - k) / n * m < 5 || !zok;
    result_set_num(r, row, c + 2, small ? pf : pz);
}

/* The movement table's rows from flows result f, nd dimension columns;
** a unit's table has no total row (the organisation's table has it). */
static int movement_rows(parity_result *r, const parity_result *f, size_t nd) {
    bool total = f->has_total && nd == 1;
    size_t n = f->has_total && !total ? f->nrow - 1 : f->nrow;
    for (size_t k = 0; k < n; k++) {
        long row = result_add_row(r);
        for (size_t c = 0; c < nd && row >= 0; c++)
            if (copy_cell(r, (size_t)row, c, f, k, c) != PARITY_OK) row = -1;
        if (row < 0) return PARITY_NOMEM;
        int64_t v[NEVENT][NC];
        for (size_t e = 0; e < NEVENT; e++) {
            event_counts(f, k, e, v[e]);
            for (size_t s = 0; s < NC; s++) result_set_num(r, (size_t)row, nd + e * NC + s, (double)v[e][s]);
        }
        size_t c = nd + MW;
        if (v[1][2] > 0) result_set_num(r, (size_t)row, c, (double)v[1][0] / (double)v[1][2]);
        c++;
        for (size_t t = 0; t < 3; t++)
            for (size_t s = 0; s < 2; s++, c++)
                if (v[0][s] > 0)
                    result_set_num(r, (size_t)row, c, (double)v[test_event[t]][s] / (double)v[0][s]);
        for (size_t t = 0; t < 3; t++, c += 3)
            put_test(r, (size_t)row, c, v[test_event[t]][0], v[0][0], v[test_event[t]][1], v[0][1]);
    }
    result_set_has_total(r, total);
    return PARITY_OK;
}

/* The movements from snapshot s0 to s1 into m (its table and the flows
** behind it): by grade, or by odim (a unit's dimension) and grade. */
static int build_movements(builder *b, size_t s0, size_t s1, const char *what, const char *odim, mtab *m) {
    char from[11], to[11], by[160];
    snap_date(b, s0, from);
    snap_date(b, s1, to);
    snprintf(by, sizeof by, "%s%sgrade", odim ? odim : "", odim ? "," : "");
    parity_result *f = NULL;
    int rc = parity_flows(b->t, by, from, to, NULL, &f);
    if (rc != PARITY_OK) return rc;
    char title[256];
    snprintf(title, sizeof title, "Movements by %s%sgrade and sex, %s (%s to %s)", odim ? odim : "",
             odim ? ", " : "", what, from, to);
    parity_result *r = movement_table(title, odim);
    size_t nd = odim ? 2 : 1;
    rc = r ? movement_rows(r, f, nd) : PARITY_NOMEM;
    size_t words = b->t->grades.n / 64 + 1;
    if (rc == PARITY_OK && !(m->grades = calloc((r->nrow ? r->nrow : 1) * words, sizeof *m->grades)))
        rc = PARITY_NOMEM;
    for (size_t k = 0; rc == PARITY_OK && k < r->nrow; k++) {
        int64_t code = grade_code(b->t, r->cell[k * r->ncol + nd - 1].s);
        if (code >= 0) gset_add(m->grades + k * words, (uint32_t)code);
    }
    if (rc == PARITY_OK) {
        m->r = r;
        m->nd = nd;
        m->odim = odim ? r->col[0].name : NULL;
        memcpy(m->from, from, 11);
        memcpy(m->to, to, 11);
        m->f = f;
    } else {
        parity_result_free(r);
        parity_result_free(f);
    }
    return rc;
}

static int table_movements(builder *b, size_t s0, const char *name, const char *what, const char *odim,
                           mtab *m) {
    m->s0 = s0;
    m->year = s0 + 1 == b->s_at;
    int rc = build_movements(b, s0, b->s_at, what, odim, m);
    if (rc == PARITY_OK && (rc = report_add_table(b->rep, name, m->r)) != PARITY_OK) m->r = NULL;
    return rc;
}

/* Dimension column c of row k of a movement table ("*" on the total row). */
static const char *mrow_dim(const parity_result *r, size_t k, size_t c) {
    return r->has_total && k == r->nrow - 1 ? "*" : r->cell[k * r->ncol + c].s ? r->cell[k * r->ncol + c].s : "";
}

static const char *mrow_grade(const mtab *m, size_t k) { return mrow_dim(m->r, k, m->nd - 1); }

/* ---- protection ------------------------------------------------------------
**
** A count is published with the same pattern wherever it appears: in the
** report at its date, as the staff at the start of the next year's
** movements, as an earlier share in the reports after, in the dashboard's
** page of six reports. So the pattern is fixed in order, each step given
** the ones before and never changing them (audit_lock):
**   - a snapshot's stocks (every stock table at that date, protected
**     together) depend on that snapshot alone;
**   - a year's movements on its two snapshots' stocks (the staff at its
**     start are the stocks of the first, those at its end of the second)
**     and its own counts;
**   - the pooled movements on the years they add up and their snapshots.
** A later report, or one built again, finds the same patterns; a share of
** an earlier snapshot is shown only where that snapshot shows its counts.
*/

/* Each plain table's own complements (disclose.c: cycles within its rows
** and columns), the cells another table withholds forced in it -- a total
** shared by three tables is withheld in all three, each protecting it
** within itself -- until no table adds a cell. Aggregate rows are left to
** the audit. */
static int seed_tables(section *sec, audit *a, long **ids, long min_cell) {
    for (int round = 0; round < 16; round++) {
        size_t added = 0;
        for (size_t i = 0; i < sec->st.n; i++) {
            if (!sec->st.tab[i].seed) continue;
            const stab *T = &sec->st.tab[i];
            const parity_result *r = T->r;
            parity_result part = *r; /* the partition's rows and the total */
            part.cell = malloc((r->nrow ? r->nrow : 1) * r->ncol * sizeof *part.cell);
            size_t *row = malloc((r->nrow ? r->nrow : 1) * sizeof *row);
            bool *hidden = malloc((r->nrow ? r->nrow : 1) * NC * sizeof *hidden);
            if (!part.cell || !row || !hidden) {
                free(part.cell), free(row), free(hidden);
                return PARITY_NOMEM;
            }
            size_t n = 0;
            for (size_t k = 0; k < r->nrow; k++) {
                if (!T->pop[k].part && !(r->has_total && k == r->nrow - 1)) continue;
                memcpy(part.cell + n * r->ncol, r->cell + k * r->ncol, r->ncol * sizeof *part.cell);
                for (size_t c = 0; c < NC; c++) hidden[n * NC + c] = audit_withheld(a, ids[i][k * NC + c]);
                row[n++] = k;
            }
            part.nrow = part.caprow = n;
            disclose_stats ds;
            int rc = disclose_plan_given(&part, min_cell, hidden, &ds);
            for (size_t q = 0; rc == PARITY_OK && q < n; q++)
                for (size_t c = 0; c < NC; c++) {
                    long id = ids[i][row[q] * NC + c];
                    if (hidden[q * NC + c] && !audit_withheld(a, id)) {
                        audit_withhold(a, id);
                        added++;
                    }
                }
            free(part.cell), free(row), free(hidden);
            if (rc != PARITY_OK) return rc;
        }
        if (!added) break;
    }
    return PARITY_OK;
}

/* Whether audit cell id is a count of a table protected within itself. */
static bool fine_cell(const section *sec, long **ids, long id) {
    for (size_t i = 0; i < sec->st.n; i++)
        if (sec->st.tab[i].seed)
            for (size_t k = 0; k < sec->st.tab[i].r->nrow * NC; k++)
                if (ids[i][k] == id) return true;
    return false;
}

/* Each movement count block (staff at the start, hires, ...: F, M, X and
** their total by grade) protected within itself first; a year's staff at
** the start are stocks, fixed already; a count with no audit cell (id -1:
** a unit's row not named, in the audit as its grade's sum) is left out. */
static int seed_movements(mtab *m, size_t nm, audit *a, long min_cell, bool year) {
    static const uint8_t role[NC] = {RESULT_PART, RESULT_PART, RESULT_SUM};
    for (size_t i = 0; i < nm; i++) {
        const parity_result *r = m[i].r;
        bool *hidden = malloc((r->nrow ? r->nrow : 1) * NC * sizeof *hidden);
        if (!hidden) return PARITY_NOMEM;
        for (size_t e = year ? 1 : 0; e < NEVENT; e++) {
            parity_result block = *r;
            memset(&block.counts, 0, sizeof block.counts);
            block.counts.c0 = m[i].nd + e * NC;
            block.counts.ncount = NC;
            memcpy(block.counts.role, role, sizeof role);
            for (size_t k = 0; k < r->nrow; k++)
                for (size_t c = 0; c < NC; c++) {
                    long id = m[i].ids[k * MW + e * NC + c];
                    hidden[k * NC + c] = id >= 0 && audit_withheld(a, id);
                }
            disclose_stats ds;
            int rc = disclose_plan_given(&block, min_cell, hidden, &ds);
            if (rc != PARITY_OK) {
                free(hidden);
                return rc;
            }
            for (size_t k = 0; k < r->nrow; k++)
                for (size_t c = 0; c < NC; c++)
                    if (hidden[k * NC + c] && m[i].ids[k * MW + e * NC + c] >= 0)
                        audit_withhold(a, m[i].ids[k * MW + e * NC + c]);
        }
        free(hidden);
    }
    return PARITY_OK;
}

struct dated { /* a snapshot's stocks, protected alone */
    size_t s;
    parity_report rep; /* its tables */
    section sec;
    builder b;
};

typedef struct period { /* a year's movements, s - 1 to s */
    size_t s;
    mtab m;
} period;

struct report_fixed {
    dictionary withheld; /* the keys of every cell withheld */
    dated **d;
    size_t nd;
    period **p;
    size_t np;
    period **u;          /* a year's movements by unit and grade (m.odim names the unit's dimension) */
    size_t nu;
};

static bool fixed_withheld(const fixed *fx, const char *key) {
    return dict_find(&fx->withheld, key, strlen(key)) >= 0;
}

fixed *report_fixed_new(void) {
    fixed *fx = calloc(1, sizeof *fx);
    if (fx) dict_init(&fx->withheld);
    return fx;
}

static void mtab_free(mtab *m) {
    parity_result_free(m->r);
    parity_result_free(m->f);
    free(m->ids);
    free(m->end);
    free(m->grades);
}

void report_fixed_free(fixed *fx) {
    if (!fx) return;
    for (size_t i = 0; i < fx->nd; i++) {
        dated *d = fx->d[i];
        stocks_free(&d->sec.st); /* before the tables its rows point into */
        for (size_t k = 0; k < d->rep.ntab; k++) {
            parity_result_free(d->rep.tab[k]);
            free(d->rep.tname[k]);
        }
        free(d->rep.tab);
        free(d->rep.tname);
        cJSON_Delete(d->rep.model);
        cJSON_Delete(d->b.missing);
        cJSON_Delete(d->b.notes);
        parity_result_free(d->sec.rep_grade);
        free(d);
    }
    for (size_t i = 0; i < fx->np; i++) {
        mtab_free(&fx->p[i]->m);
        free(fx->p[i]);
    }
    for (size_t i = 0; i < fx->nu; i++) {
        mtab_free(&fx->u[i]->m);
        free(fx->u[i]);
    }
    free(fx->d);
    free(fx->p);
    free(fx->u);
    dict_free(&fx->withheld);
    free(fx);
}

static int keep_withheld(fixed *fx, const char *key) {
    return dict_intern(&fx->withheld, key, strlen(key)) < 0 ? PARITY_NOMEM : PARITY_OK;
}

/* The stock tables of b's date (b->rep receives them): the headline, by
** grade, by category, the configuration's breakdowns. */
static int stock_section(builder *b, section *sec) {
    parity_table *t = b->t;
    int rc = PARITY_OK;
    history_snaps(b, sec);
    if (t->has_grade) {
        if ((rc = represent_at(b, "grade", b->s_at, &sec->rep_grade)) != PARITY_OK) return rc;
        if ((rc = table_headline(b, sec)) != PARITY_OK) return rc;
        if ((rc = table_by_grade(b, sec)) != PARITY_OK) return rc;
        if (t->categories.n > 1 && (rc = table_by_category(b, sec)) != PARITY_OK) return rc;
        if (t->categories.n <= 1) missing(b, "representation_by_category", "the grade scale has no categories");
    } else {
        missing(b, "representation_by_grade", "the data has no grade column");
    }
    for (size_t i = 0; i < t->cfg.nbreakdowns && rc == PARITY_OK; i++)
        rc = table_breakdown(b, sec, t->cfg.breakdowns[i],
                             i < t->cfg.nbreakdown_where ? t->cfg.breakdown_where[i] : NULL);
    return rc;
}

/* Registers snapshot d's stock cells of populations of grades (the
** headline, by grade, by category: what movements by grade touch), as d
** fixed them: locked, and each one withheld guarded as a primary cell --
** movements may give none of them away, whatever its size. The
** breakdowns by another dimension are left out (their equations with the
** rest would make the audit of six snapshots too slow to run); a
** breakdown count can then only be reached through a combination of
** withheld grade counts that no single one gives away. ids as
** stocks_audit() gives them for *grade_st (caller frees both). */
static int fixed_stocks(audit *a, const fixed *fx, dated *d, stocks *grade_st, long ***ids) {
    *grade_st = d->sec.st;
    grade_st->n = 0;
    grade_st->tab = malloc((d->sec.st.n ? d->sec.st.n : 1) * sizeof *grade_st->tab);
    *ids = calloc(d->sec.st.n ? d->sec.st.n : 1, sizeof **ids);
    if (!grade_st->tab || !*ids) return PARITY_NOMEM;
    for (size_t i = 0; i < d->sec.st.n; i++)
        if (!d->sec.st.tab[i].odim) grade_st->tab[grade_st->n++] = d->sec.st.tab[i];
    int rc = stocks_audit(&d->b, grade_st, a, *ids);
    char key[512];
    for (size_t i = 0; i < grade_st->n && rc == PARITY_OK; i++) {
        const stab *T = &grade_st->tab[i];
        for (size_t k = 0; k < T->r->nrow; k++)
            for (size_t c = 0; c < NC; c++) {
                long id = (*ids)[i][k * NC + c];
                stock_key(&d->b, grade_st, &T->pop[k], c, key, sizeof key);
                if (fixed_withheld(fx, key)) audit_guard(a, id);
                audit_lock(a, id);
            }
    }
    return rc;
}

static void free_ids(long **ids, size_t n) {
    for (size_t i = 0; ids && i < n; i++) free(ids[i]);
    free(ids);
}

/* Snapshot s's stocks protected alone, their pattern kept in b->fx;
** *out (when not NULL) the snapshot's section. */
static int date_fixed(builder *b, size_t s, dated **out) {
    fixed *fx = b->fx;
    for (size_t i = 0; i < fx->nd; i++)
        if (fx->d[i]->s == s) {
            if (out) *out = fx->d[i];
            return PARITY_OK;
        }
    dated *d = calloc(1, sizeof *d);
    dated **grown = d ? realloc(fx->d, (fx->nd + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(d);
        return PARITY_NOMEM;
    }
    fx->d = grown;
    fx->d[fx->nd++] = d;
    d->s = s;
    d->rep.min_cell = b->rep->min_cell;
    d->rep.model = cJSON_CreateObject();
    d->b = *b;
    d->b.s_at = s;
    d->b.rep = &d->rep;
    d->b.history = 0;
    d->b.shadow = true;
    d->b.missing = cJSON_CreateArray();
    d->b.notes = cJSON_CreateArray();
    d->sec = (section){.st = {.words = b->t->grades.n / 64 + 1}};
    snap_date(b, s, d->rep.at);
    if (!d->rep.model || !d->b.missing || !d->b.notes) return PARITY_NOMEM;
    int rc = stock_section(&d->b, &d->sec);
    long min_cell = b->rep->min_cell;
    audit *a = rc == PARITY_OK ? audit_new() : NULL;
    long **ids = a ? calloc(d->sec.st.n ? d->sec.st.n : 1, sizeof *ids) : NULL;
    if (rc == PARITY_OK && (!a || !ids)) rc = PARITY_NOMEM;
    if (rc == PARITY_OK) rc = stocks_audit(&d->b, &d->sec.st, a, ids);
    if (rc == PARITY_OK) rc = seed_tables(&d->sec, a, ids, min_cell);
    /* coarse rows (categories, aggregates, the headline) are what a reader
    ** looks for first: complements are chosen among them last */
    for (size_t i = 0; rc == PARITY_OK && i < d->sec.st.n; i++)
        if (!d->sec.st.tab[i].seed)
            for (size_t k = 0; k < d->sec.st.tab[i].r->nrow * NC; k++)
                if (!fine_cell(&d->sec, ids, ids[i][k])) audit_cost(a, ids[i][k], 3);
    size_t p0, s0;
    if (rc == PARITY_OK) rc = audit_protect(a, min_cell, &p0, &s0);
    char key[512];
    for (size_t i = 0; rc == PARITY_OK && i < d->sec.st.n; i++) {
        const stab *T = &d->sec.st.tab[i];
        for (size_t k = 0; k < T->r->nrow && rc == PARITY_OK; k++)
            for (size_t c = 0; c < NC && rc == PARITY_OK; c++)
                if (audit_withheld(a, ids[i][k * NC + c])) {
                    stock_key(&d->b, &d->sec.st, &T->pop[k], c, key, sizeof key);
                    rc = keep_withheld(fx, key);
                }
    }
    free_ids(ids, d->sec.st.n);
    audit_free(a);
    if (out) *out = d;
    return rc;
}

/* The key of stock column col at snapshot s of the population of row k
** of movement table m: its grade (in its unit), or everyone on the total
** row. */
static void row_stock_key(const builder *b, size_t s, const mtab *m, size_t k, size_t col, char *key,
                          size_t cap) {
    stocks st = {.words = b->t->grades.n / 64 + 1};
    spop p = {.grades = m->r->has_total && k == m->r->nrow - 1 ? NULL : m->grades + k * st.words};
    if (m->odim) {
        p.odim = m->odim;
        p.oval = mrow_dim(m->r, k, 0);
    }
    stock_key_at(b, s, &st, &p, col, key, cap);
}

/* The key of cell c of row k of movement table m, a period from snapshot
** s0: a year's staff at the start are the stocks of s0 (their key); the
** other counts, and a pooled table's, have keys of their own. */
static void movement_key(const builder *b, const mtab *m, size_t k, size_t c, size_t s0, bool year,
                         char *key, size_t cap) {
    if (year && c < NC) row_stock_key(b, s0, m, k, c, key, cap);
    else if (m->odim)
        snprintf(key, cap, "u%s|%s|%s|%s=%s|%s|%zu", year ? "f" : "p", m->from, m->to, m->odim,
                 mrow_dim(m->r, k, 0), mrow_grade(m, k), c);
    else snprintf(key, cap, "%s|%s|%s|%s|%zu", year ? "f" : "p", m->from, m->to, mrow_grade(m, k), c);
}

/* The movement counts of m as audit cells, and what links them: each
** row's parts and total, the grades to the total row, and for a year the
** staff at its end (the stocks of snapshot s1) as those at its start
** plus hires and promotions in, less promotions out and separations
** (demotions and changes of recorded sex taken as known to the reader:
** they are few, and an attacker may guess them none). */
static int movement_cells(const builder *b, audit *a, mtab *m, size_t s0, size_t s1, bool year) {
    char key[512];
    int rc = PARITY_OK;
    parity_result *r = m->r;
    size_t nr = r->nrow, ng = result_ngroups(r);
    free(m->ids);
    if (!(m->ids = malloc((nr ? nr : 1) * MW * sizeof *m->ids))) return PARITY_NOMEM;
    for (size_t k = 0; k < nr; k++)
        for (size_t c = 0; c < MW; c++) {
            movement_key(b, m, k, c, s0, year, key, sizeof key);
            const result_cell *cell = result_at(r, k, m->nd + c);
            long id = audit_cell(a, key, cell->null ? 0 : (int64_t)cell->v[0]);
            if (id < 0) return PARITY_NOMEM;
            if (!(year && c < NC)) audit_cost(a, id, c < NC ? 1 : 0); /* a year's start: stocks */
            m->ids[k * MW + c] = id;
        }
    const long *id = m->ids;
    for (size_t k = 0; k < nr && rc == PARITY_OK; k++)
        for (size_t e = 0; e < NEVENT && rc == PARITY_OK; e++) {
            const long *x = id + k * MW + e * NC;
            long cells[3] = {x[2], x[0], x[1]};
            int coef[3] = {1, -1, -1};
            rc = audit_equation(a, cells, coef, 3);
        }
    if (r->has_total) {
        long *cells = malloc((ng + 1) * sizeof *cells);
        int *coef = malloc((ng + 1) * sizeof *coef);
        if (!cells || !coef) rc = PARITY_NOMEM;
        for (size_t c = 0; c < MW && rc == PARITY_OK; c++) {
            cells[0] = id[ng * MW + c];
            coef[0] = 1;
            for (size_t k = 0; k < ng; k++) {
                cells[k + 1] = id[k * MW + c];
                coef[k + 1] = -1;
            }
            rc = audit_equation(a, cells, coef, ng + 1);
        }
        free(cells);
        free(coef);
    }
    if (!year) return rc;
    free(m->end);
    if (!(m->end = malloc((nr ? nr : 1) * NC * sizeof *m->end))) return PARITY_NOMEM;
    for (size_t k = 0; k < nr && rc == PARITY_OK; k++) {
        int64_t end[NC];
        end[0] = (int64_t)num(m->f, k, "headcount_end.female", 0);
        end[1] = (int64_t)(num(m->f, k, "headcount_end.male", 0) + num(m->f, k, "headcount_end.other", 0));
        end[2] = end[0] + end[1];
        for (size_t s = 0; s < NC && rc == PARITY_OK; s++) {
            row_stock_key(b, s1, m, k, s, key, sizeof key);
            long stock = audit_cell(a, key, end[s]);
            if (stock < 0) {
                rc = PARITY_NOMEM;
                break;
            }
            m->end[k * NC + s] = stock;
            const long *x = id + k * MW;
            /* end = start + hires + promotions in - promotions out - separations */
            long cells[6] = {stock, x[0 * NC + s], x[1 * NC + s], x[2 * NC + s], x[3 * NC + s], x[4 * NC + s]};
            int coef[6] = {1, -1, -1, -1, 1, 1};
            rc = audit_equation(a, cells, coef, 6);
        }
    }
    return rc;
}

/* Registers m's cells as fixed: withheld as b->fx says, locked. */
static void lock_movements(audit *a, const fixed *fx, const builder *b, const mtab *m, size_t s0, bool year) {
    char key[512];
    for (size_t k = 0; k < m->r->nrow; k++)
        for (size_t c = 0; c < MW; c++) {
            movement_key(b, m, k, c, s0, year, key, sizeof key);
            long id = m->ids[k * MW + c];
            if (fixed_withheld(fx, key)) audit_guard(a, id);
            audit_lock(a, id);
        }
}

/* audit_protect(); then, where a primary count is still determined --
** its complements are chosen near it, and the stocks and the counts fixed
** before are locked -- every positive movement count of m in an equation
** with it, and in their rows, withheld (and held so while) the protection runs
** again (the column totals then need complements of their own); then those
** no primary count needs shown again; what still leaks after that, every
** movement count of m withheld (a year's staff at the start are stocks,
** fixed already). */
static int protect_movements(audit *a, mtab *m, long min_cell, bool year) {
    size_t p0, s0, ncell = audit_ncells(a), npin = 0;
    int rc = audit_protect(a, min_cell, &p0, &s0);
    bool *det = rc == PARITY_OK ? malloc((ncell ? ncell : 1) * sizeof *det) : NULL;
    bool *mine = det ? calloc(ncell ? ncell : 1, sizeof *mine) : NULL;
    long *pin = mine ? malloc((ncell ? ncell : 1) * sizeof *pin) : NULL; /* held withheld */
    long leaks = pin ? audit_leaks(a, det) : -1;
    for (size_t k = 0; pin && k < m->r->nrow * MW; k++)
        if (!(year && k % MW < NC) && m->ids[k] >= 0) mine[m->ids[k]] = true;
    for (int round = 0; round < 3 && leaks > 0; round++) {
        size_t before = npin;
        for (size_t i = 0; i < ncell; i++) /* m's counts beside any leak */
            if (det[i]) npin += audit_withhold_near(a, (long)i, mine, pin + npin);
        for (size_t i = before; i < npin; i++) det[pin[i]] = true;
        for (size_t k = 0; k < m->r->nrow; k++) { /* and the rest of their rows */
            bool hit = false;
            for (size_t c = 0; c < MW && !hit; c++) hit = m->ids[k * MW + c] >= 0 && det[m->ids[k * MW + c]];
            for (size_t c = 0; hit && c < MW; c++) {
                long id = m->ids[k * MW + c];
                if (id >= 0 && mine[id] && !audit_withheld(a, id) && audit_value(a, id) > 0) {
                    audit_withhold(a, id);
                    audit_lock(a, id);
                    pin[npin++] = id;
                }
            }
        }
        if (npin == before) break;
        if ((rc = audit_protect(a, min_cell, &p0, &s0)) != PARITY_OK) break;
        leaks = audit_leaks(a, det);
    }
    /* held no more: those no primary count needs shown again */
    for (size_t i = 0; i < npin; i++) audit_unlock(a, pin[i]);
    if (rc == PARITY_OK && npin) rc = audit_protect(a, min_cell, &p0, &s0);
    free(det);
    free(pin);
    if (rc == PARITY_OK && leaks < 0) rc = PARITY_NOMEM;
    for (size_t k = 0; rc == PARITY_OK && leaks > 0 && k < m->r->nrow * MW; k++)
        if (m->ids[k] >= 0 && mine[m->ids[k]]) audit_withhold(a, m->ids[k]);
    free(mine);
    return rc;
}

/* A new year s appended to list (n long), empty; NULL on NOMEM. */
static period *period_add(period ***list, size_t *n, size_t s) {
    period *p = calloc(1, sizeof *p);
    period **grown = p ? realloc(*list, (*n + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(p);
        return NULL;
    }
    *list = grown;
    (*list)[(*n)++] = p;
    p->s = s;
    return p;
}

/* The year from snapshot s - 1 to s: its movements protected given the
** years before it in the pooled window (CHAIN years with it; fixed first,
** so the years are fixed in order and a year's pattern depends on nothing
** after it) and their snapshots' stocks, its pattern kept in b->fx; *out
** (when not NULL) the year. */
static int period_fixed(builder *b, size_t s, period **out) {
    fixed *fx = b->fx;
    for (size_t i = 0; i < fx->np; i++)
        if (fx->p[i]->s == s) {
            if (out) *out = fx->p[i];
            return PARITY_OK;
        }
    /* the years before first, in order: this one is fixed given the last
    ** CHAIN - 1 of them (the staff at its start are the end of the one
    ** before, so the years' counts meet in their stocks) */
    period *prev[CHAIN - 1] = {NULL};
    size_t np = s - 1 < CHAIN - 1 ? s - 1 : CHAIN - 1; /* years s - np .. s - 1 */
    int rc = np ? period_fixed(b, s - 1, &prev[np - 1]) : PARITY_OK;
    for (size_t j = 0; j + 1 < np && rc == PARITY_OK; j++) rc = period_fixed(b, s - np + j, &prev[j]);
    dated *d[CHAIN + 1] = {NULL};
    for (size_t j = 0; j <= np + 1 && rc == PARITY_OK; j++) rc = date_fixed(b, s - np - 1 + j, &d[j]);
    if (rc != PARITY_OK) return rc;
    period *p = period_add(&fx->p, &fx->np, s);
    if (!p) return PARITY_NOMEM;
    if ((rc = build_movements(b, s - 1, s, "reporting year", NULL, &p->m)) != PARITY_OK) return rc;
    audit *a = audit_new();
    if (!a) return PARITY_NOMEM;
    long **ids[CHAIN + 1] = {NULL};
    stocks gst[CHAIN + 1] = {{0}};
    for (size_t j = 0; j <= np + 1 && rc == PARITY_OK; j++) rc = fixed_stocks(a, fx, d[j], &gst[j], &ids[j]);
    for (size_t j = 0; j < np && rc == PARITY_OK; j++) {
        size_t y = s - np + j; /* year y: snapshots y - 1 to y */
        rc = movement_cells(b, a, &prev[j]->m, y - 1, y, true);
        if (rc == PARITY_OK) lock_movements(a, fx, b, &prev[j]->m, y - 1, true);
    }
    if (rc == PARITY_OK) rc = movement_cells(b, a, &p->m, s - 1, s, true);
    if (rc == PARITY_OK) rc = seed_movements(&p->m, 1, a, b->rep->min_cell, true);
    if (rc == PARITY_OK) rc = protect_movements(a, &p->m, b->rep->min_cell, true);
    char key[512];
    for (size_t k = 0; rc == PARITY_OK && k < p->m.r->nrow * MW; k++)
        if (k % MW >= NC && audit_withheld(a, p->m.ids[k])) {
            movement_key(b, &p->m, k / MW, k % MW, s - 1, true, key, sizeof key);
            rc = keep_withheld(fx, key);
        }
    for (size_t j = 0; j <= np + 1; j++) {
        free_ids(ids[j], gst[j].n);
        free(gst[j].tab);
    }
    audit_free(a);
    if (out) *out = p;
    return rc;
}

/* The pooled movements m, periods s0 to s1: protected given the years they
** add up (each fixed) and their snapshots' stocks; their pattern kept. */
static int pooled_fixed(builder *b, mtab *m, size_t s0, size_t s1) {
    fixed *fx = b->fx;
    int rc = PARITY_OK;
    period **years = calloc(s1 - s0, sizeof *years);
    if (!years) return PARITY_NOMEM;
    for (size_t s = s0 + 1; s <= s1 && rc == PARITY_OK; s++) rc = period_fixed(b, s, &years[s - s0 - 1]);
    audit *a = rc == PARITY_OK ? audit_new() : NULL;
    if (rc == PARITY_OK && !a) rc = PARITY_NOMEM;
    size_t nd = s1 - s0 + 1;
    long ***ids = calloc(nd, sizeof *ids);
    dated **d = calloc(nd, sizeof *d);
    stocks *gst = calloc(nd, sizeof *gst);
    if (rc == PARITY_OK && (!ids || !d || !gst)) rc = PARITY_NOMEM;
    for (size_t j = 0; rc == PARITY_OK && j < nd; j++) {
        rc = date_fixed(b, s0 + j, &d[j]);
        if (rc == PARITY_OK) rc = fixed_stocks(a, fx, d[j], &gst[j], &ids[j]);
    }
    for (size_t y = 0; rc == PARITY_OK && y < s1 - s0; y++) {
        rc = movement_cells(b, a, &years[y]->m, s0 + y, s0 + y + 1, true);
        if (rc == PARITY_OK) lock_movements(a, fx, b, &years[y]->m, s0 + y, true);
    }
    if (rc == PARITY_OK) rc = movement_cells(b, a, m, s0, s1, false);
    /* each pooled count is the sum of the years' */
    long cells[64];
    int coef[64];
    for (size_t k = 0; rc == PARITY_OK && k < m->r->nrow; k++)
        for (size_t c = 0; c < MW && rc == PARITY_OK; c++) {
            size_t n = 0;
            cells[n] = m->ids[k * MW + c];
            coef[n++] = 1;
            for (size_t y = 0; y < s1 - s0 && n < 64; y++) {
                const mtab *ym = &years[y]->m;
                for (size_t q = 0; q < ym->r->nrow; q++)
                    if (strcmp(mrow_grade(ym, q), mrow_grade(m, k)) == 0) {
                        cells[n] = ym->ids[q * MW + c];
                        coef[n++] = -1;
                        break;
                    }
            }
            rc = audit_equation(a, cells, coef, n);
        }
    if (rc == PARITY_OK) rc = seed_movements(m, 1, a, b->rep->min_cell, false);
    if (rc == PARITY_OK) rc = protect_movements(a, m, b->rep->min_cell, false);
    char key[512];
    for (size_t k = 0; rc == PARITY_OK && k < m->r->nrow * MW; k++)
        if (audit_withheld(a, m->ids[k])) {
            movement_key(b, m, k / MW, k % MW, s0, false, key, sizeof key);
            rc = keep_withheld(fx, key);
        }
    for (size_t j = 0; ids && gst && j < nd; j++) {
        free_ids(ids[j], gst[j].n);
        free(gst[j].tab);
    }
    free(gst);
    free(ids);
    free(d);
    free(years);
    audit_free(a);
    return rc;
}

/* Whether row k of a unit's movement table m is named: its unit had at
** least min_cell staff of the row's grade at the start or at the end (a
** smaller group's name is microdata, as in the stock tables). */
static bool unit_row_named(const mtab *m, size_t k, long min_cell) {
    const parity_result *f = m->f;
    double h0 = num(m->r, k, "headcount_total", 0);
    double h1 = num(f, k, "headcount_end.female", 0) + num(f, k, "headcount_end.male", 0) +
                num(f, k, "headcount_end.other", 0);
    return min_cell <= 1 || h0 >= (double)min_cell || h1 >= (double)min_cell;
}

/* The counts of a unit's year m as audit cells (ids in m->ids; -1 for a
** row not named), and what links them: each row's parts and total, and a
** grade's counts over the units adding up to the organisation's year om
** (a unit's staff move in and out of it unseen -- a transfer at the same
** grade is no event -- so its end is not its start plus its events). The
** staff at the start are the unit's stocks, fixed. The rows not named
** of a grade enter as one withheld row, their sum: a reader who cannot
** tell them apart can at most work that out, so it is protected as any
** count is -- from 1 to min_cell - 1 it stays undetermined (a grade
** without such rows has none, as a reader may know). */
static int unit_cells(const builder *b, audit *a, mtab *m, const mtab *om, size_t s0) {
    char key[512];
    parity_result *r = m->r;
    size_t nr = r->nrow, ng = result_ngroups(om->r);
    long min_cell = b->rep->min_cell;
    free(m->ids);
    m->ids = malloc((nr ? nr : 1) * MW * sizeof *m->ids);
    int64_t *agg = calloc((ng ? ng : 1) * MW, sizeof *agg);
    bool *some = calloc(ng ? ng : 1, sizeof *some); /* a grade has rows not named */
    long *cells = malloc((nr + ng + 2) * sizeof *cells);
    int *coef = malloc((nr + ng + 2) * sizeof *coef);
    int rc = m->ids && agg && some && cells && coef ? PARITY_OK : PARITY_NOMEM;
    for (size_t k = 0; k < nr && rc == PARITY_OK; k++) {
        bool named = unit_row_named(m, k, min_cell);
        for (size_t c = 0; c < MW && rc == PARITY_OK; c++) {
            const result_cell *cell = result_at(r, k, m->nd + c);
            int64_t v = cell->null ? 0 : (int64_t)cell->v[0];
            m->ids[k * MW + c] = -1;
            if (!named) {
                for (size_t q = 0; q < ng; q++)
                    if (strcmp(mrow_grade(om, q), mrow_grade(m, k)) == 0) {
                        agg[q * MW + c] += v;
                        some[q] = true;
                    }
                continue;
            }
            movement_key(b, m, k, c, s0, true, key, sizeof key);
            long id = audit_cell(a, key, v);
            if (id < 0) rc = PARITY_NOMEM;
            else if (c < NC) { /* the staff at the start: stocks, fixed */
                if (fixed_withheld(b->fx, key)) audit_guard(a, id);
                audit_lock(a, id);
            } else {
                audit_cost(a, id, 1);
            }
            m->ids[k * MW + c] = id;
        }
    }
    long *aid = rc == PARITY_OK ? malloc((ng ? ng : 1) * MW * sizeof *aid) : NULL;
    if (rc == PARITY_OK && !aid) rc = PARITY_NOMEM;
    for (size_t q = 0; q < ng && rc == PARITY_OK; q++)
        for (size_t c = 0; c < MW && rc == PARITY_OK; c++) {
            aid[q * MW + c] = -1;
            if (!some[q] || c < NC) continue;
            snprintf(key, sizeof key, "ua|%s|%s|%s|%s|%zu", m->from, m->to, m->odim, mrow_grade(om, q), c);
            if ((aid[q * MW + c] = audit_cell(a, key, agg[q * MW + c])) < 0) rc = PARITY_NOMEM;
            else audit_withhold(a, aid[q * MW + c]); /* primary when small, as any count */
        }
    for (size_t k = 0; k < nr + ng && rc == PARITY_OK; k++) /* F + N = T */
        for (size_t e = 1; e < NEVENT && rc == PARITY_OK; e++) {
            const long *x = k < nr ? m->ids + k * MW + e * NC : aid + (k - nr) * MW + e * NC;
            if (x[0] < 0) continue;
            long c3[3] = {x[2], x[0], x[1]};
            int k3[3] = {1, -1, -1};
            rc = audit_equation(a, c3, k3, 3);
        }
    for (size_t q = 0; q < ng && rc == PARITY_OK; q++)
        for (size_t c = NC; c < MW && rc == PARITY_OK; c++) {
            size_t n = 0;
            cells[n] = om->ids[q * MW + c];
            coef[n++] = 1;
            if (aid[q * MW + c] >= 0) {
                cells[n] = aid[q * MW + c];
                coef[n++] = -1;
            }
            for (size_t k = 0; k < nr; k++)
                if (m->ids[k * MW + c] >= 0 && strcmp(mrow_grade(m, k), mrow_grade(om, q)) == 0) {
                    cells[n] = m->ids[k * MW + c];
                    coef[n++] = -1;
                }
            rc = audit_equation(a, cells, coef, n);
        }
    free(aid);
    free(agg);
    free(some);
    free(cells);
    free(coef);
    return rc;
}

/* The year from snapshot s - 1 to s by unit of dimension odim and grade:
** protected given the organisation's year (its movements by grade) and
** the two snapshots' stocks, its pattern kept in b->fx; a row whose unit
** is not named withheld whole. */
static int unit_fixed(builder *b, size_t s, const char *odim, period **out) {
    fixed *fx = b->fx;
    for (size_t i = 0; i < fx->nu; i++)
        if (fx->u[i]->s == s && fx->u[i]->m.odim && strcmp(fx->u[i]->m.odim, odim) == 0) {
            *out = fx->u[i];
            return PARITY_OK;
        }
    period *org = NULL;
    dated *d[2] = {NULL, NULL};
    int rc = period_fixed(b, s, &org);
    if (rc == PARITY_OK) rc = date_fixed(b, s - 1, &d[0]);
    if (rc == PARITY_OK) rc = date_fixed(b, s, &d[1]);
    if (rc != PARITY_OK) return rc;
    period *p = period_add(&fx->u, &fx->nu, s);
    if (!p) return PARITY_NOMEM;
    if ((rc = build_movements(b, s - 1, s, "reporting year", odim, &p->m)) != PARITY_OK) return rc;
    long min_cell = b->rep->min_cell;
    mtab *m = &p->m, *om = &org->m;
    audit *a = audit_new();
    if (!a) return PARITY_NOMEM;
    long **ids[2] = {NULL, NULL};
    stocks gst[2] = {{0}, {0}};
    for (int j = 0; j < 2 && rc == PARITY_OK; j++) rc = fixed_stocks(a, fx, d[j], &gst[j], &ids[j]);
    if (rc == PARITY_OK) rc = movement_cells(b, a, om, s - 1, s, true);
    if (rc == PARITY_OK) {
        lock_movements(a, fx, b, om, s - 1, true);
        rc = unit_cells(b, a, m, om, s - 1);
    }
    /* each named row's blocks within themselves first, as the other tables */
    if (rc == PARITY_OK) rc = seed_movements(m, 1, a, min_cell, true);
    if (rc == PARITY_OK) rc = protect_movements(a, m, min_cell, true);
    char key[512];
    for (size_t k = 0; rc == PARITY_OK && k < m->r->nrow * MW; k++)
        if (k % MW >= NC && (m->ids[k] < 0 || audit_withheld(a, m->ids[k]))) {
            movement_key(b, m, k / MW, k % MW, s - 1, true, key, sizeof key);
            rc = keep_withheld(fx, key);
        }
    for (int j = 0; j < 2; j++) {
        free_ids(ids[j], gst[j].n);
        free(gst[j].tab);
    }
    audit_free(a);
    *out = p;
    return rc;
}

/* The pooled movements m by unit, periods s0 to s1: a count is shown only
** where it adds up counts its years show (each year fixed by unit_fixed,
** a year without the row adding none) -- it tells a reader nothing the
** years do not; its pattern kept. Whether row k is named: its unit is
** named in one of the years. */
static int unit_pooled_fixed(builder *b, mtab *m, size_t s0, size_t s1, bool *named) {
    int rc = PARITY_OK;
    char key[512];
    for (size_t k = 0; k < m->r->nrow; k++) named[k] = b->rep->min_cell <= 1;
    bool *gone = calloc(m->r->nrow * MW + 1, sizeof *gone);
    if (!gone) return PARITY_NOMEM;
    for (size_t s = s0 + 1; s <= s1 && rc == PARITY_OK; s++) {
        period *y = NULL;
        if ((rc = unit_fixed(b, s, m->odim, &y)) != PARITY_OK) break;
        const mtab *ym = &y->m;
        for (size_t k = 0; k < m->r->nrow; k++)
            for (size_t q = 0; q < ym->r->nrow; q++) {
                if (strcmp(mrow_grade(ym, q), mrow_grade(m, k)) != 0 ||
                    strcmp(mrow_dim(ym->r, q, 0), mrow_dim(m->r, k, 0)) != 0)
                    continue;
                if (unit_row_named(ym, q, b->rep->min_cell)) named[k] = true;
                /* the staff at the start of a group too small: none shown (movements_apply) */
                bool tiny = disclose_small((int64_t)num(ym->r, q, "headcount_total", 0), b->rep->min_cell);
                for (size_t c = 0; c < MW; c++) {
                    movement_key(b, ym, q, c, s - 1, true, key, sizeof key);
                    if (fixed_withheld(b->fx, key) || (c < NC && tiny)) gone[k * MW + c] = true;
                }
                break;
            }
    }
    for (size_t k = 0; rc == PARITY_OK && k < m->r->nrow * MW; k++)
        if (gone[k] || !named[k / MW]) {
            movement_key(b, m, k / MW, k % MW, s0, false, key, sizeof key);
            rc = keep_withheld(b->fx, key);
        }
    free(gone);
    return rc;
}

/* Withholds the movement counts b->fx withholds, and every share, rate
** and test computed from them or from fewer than min_cell at risk. */
static void movements_apply(const builder *b, mtab *m, size_t s0, bool year, long min_cell) {
    parity_result *r = m->r;
    char key[512];
    for (size_t k = 0; k < r->nrow; k++) {
        bool gone[MW];
        for (size_t c = 0; c < MW; c++) {
            movement_key(b, m, k, c, s0, year, key, sizeof key);
            bool w = fixed_withheld(b->fx, key);
            const result_cell *cell = result_at(r, k, m->nd + c);
            gone[c] = w || (c < NC && !cell->null && disclose_small((int64_t)cell->v[0], min_cell));
            if (w) result_at(r, k, m->nd + c)->null = true;
        }
        /* staff at the start fewer than min_cell: no count shown, its zeros
        ** neither (as the stock tables show such a group) */
        const result_cell *start = result_at(r, k, m->nd + NC - 1);
        if (disclose_small((int64_t)start->v[0], min_cell))
            for (size_t c = 0; c < NC; c++) gone[c] = result_at(r, k, m->nd + c)->null = true;
        size_t c = m->nd + MW;
        if (gone[1 * NC + 0] || gone[1 * NC + 2]) result_at(r, k, c)->null = true;
        c++;
        bool rate_gone[3][2];
        for (size_t t = 0; t < 3; t++)
            for (size_t s = 0; s < 2; s++, c++) {
                rate_gone[t][s] = gone[test_event[t] * NC + s] || gone[s];
                if (rate_gone[t][s]) result_at(r, k, c)->null = true;
            }
        for (size_t t = 0; t < 3; t++, c += 3)
            if (rate_gone[t][0] || rate_gone[t][1])
                for (size_t j = 0; j < 3; j++) result_at(r, k, c + j)->null = true;
    }
}

/* Counts withheld cell `key` once however many tables show it: in
** *primary when it is small, else in *secondary. */
static int count_withheld(dictionary *seen, const char *key, bool small, size_t *primary, size_t *secondary) {
    uint32_t before = seen->n;
    if (dict_intern(seen, key, strlen(key)) < 0) return PARITY_NOMEM;
    if (seen->n > before) (*(small ? primary : secondary))++;
    return PARITY_OK;
}

/* The report's tables as their patterns say: the stocks of its date, the
** year's and the pooled movements; *primary, *secondary the distinct
** counts withheld (a total in three tables is one). */
static int protect_all(builder *b, section *sec, mtab *m, size_t nm, size_t *primary, size_t *secondary) {
    long min_cell = b->rep->min_cell;
    *primary = *secondary = 0;
    if (min_cell <= 1) return PARITY_OK;
    int rc = date_fixed(b, b->s_at, NULL);
    bool *unnamed[MAXMOVE] = {NULL};
    for (size_t i = 0; i < nm && rc == PARITY_OK; i++) {
        period *y = NULL;
        if (!m[i].odim && m[i].year) rc = period_fixed(b, b->s_at, NULL);
        else if (!m[i].odim) rc = pooled_fixed(b, &m[i], m[i].s0, b->s_at);
        else if (!(unnamed[i] = malloc((m[i].r->nrow + 1) * sizeof *unnamed[i]))) rc = PARITY_NOMEM;
        else if (m[i].year) {
            rc = unit_fixed(b, b->s_at, m[i].odim, &y);
            for (size_t k = 0; k < m[i].r->nrow; k++) unnamed[i][k] = !unit_row_named(&m[i], k, min_cell);
        } else {
            rc = unit_pooled_fixed(b, &m[i], m[i].s0, b->s_at, unnamed[i]);
            for (size_t k = 0; k < m[i].r->nrow; k++) unnamed[i][k] = !unnamed[i][k];
        }
    }
    dictionary seen;
    dict_init(&seen);
    char key[512];
    for (size_t i = 0; i < sec->st.n && rc == PARITY_OK; i++) {
        const stab *T = &sec->st.tab[i];
        parity_result *r = T->r;
        bool *hidden = malloc((r->nrow ? r->nrow : 1) * NC * sizeof *hidden);
        if (!hidden) {
            rc = PARITY_NOMEM;
            break;
        }
        disclose_stats ds = {0};
        for (size_t k = 0; k < r->nrow * NC; k++) {
            stock_key(b, &sec->st, &T->pop[k / NC], k % NC, key, sizeof key);
            hidden[k] = fixed_withheld(b->fx, key);
            if (!hidden[k]) continue;
            const result_cell *cell = &r->cell[(k / NC) * r->ncol + T->c0 + k % NC];
            bool small = !cell->null && disclose_small((int64_t)cell->v[0], min_cell);
            if (small) ds.primary++;
            else ds.secondary++;
            rc = count_withheld(&seen, key, small, primary, secondary);
        }
        if (rc == PARITY_OK) rc = disclose_apply(r, min_cell, hidden, &ds);
        /* a row too small to name shows nothing, its earlier shares neither
        ** (matched to an earlier report's, they would name it) */
        for (size_t k = 0; rc == PARITY_OK && k < r->nrow; k++) {
            bool tiny = false;
            for (size_t c = 0; c < r->ncol && !tiny; c++)
                tiny = r->col[c].kind == RESULT_DIM && r->cell[k * r->ncol + c].s &&
                          strcmp(r->cell[k * r->ncol + c].s, "(withheld)") == 0;
            for (size_t c = 0; tiny && c < r->ncol; c++)
                if (r->col[c].kind != RESULT_DIM) result_at(r, k, c)->null = true;
        }
        free(hidden);
    }
    for (size_t i = 0; i < nm && rc == PARITY_OK; i++) {
        size_t s0 = m[i].s0;
        for (size_t k = 0; k < m[i].r->nrow * MW && rc == PARITY_OK; k++) {
            movement_key(b, &m[i], k / MW, k % MW, s0, m[i].year, key, sizeof key);
            if (!fixed_withheld(b->fx, key)) continue;
            const result_cell *cell = result_at(m[i].r, k / MW, m[i].nd + k % MW);
            rc = count_withheld(&seen, key, !cell->null && disclose_small((int64_t)cell->v[0], min_cell),
                                primary, secondary);
        }
        movements_apply(b, &m[i], s0, m[i].year, min_cell);
        /* last: the rows' keys are made from their names */
        if (unnamed[i] && rc == PARITY_OK) rc = disclose_unname(m[i].r, unnamed[i]);
    }
    for (size_t i = 0; i < nm; i++) free(unnamed[i]);
    dict_free(&seen);
    return rc;
}

/* ---- targets and projections --------------------------------------------- */

/* Whether the published female share of population dim=value is withheld
** (1), shown (0), or not in any table of the report (-1). */
static int share_withheld(const parity_report *rep, const char *dim, const char *value) {
    char name[160];
    snprintf(name, sizeof name, "by_%s", dim);
    const char *names[] = {"representation_by_grade", "representation_by_category", name};
    const char *dims[] = {"grade", "category", dim};
    for (size_t i = 0; i < 3; i++) {
        if (strcmp(dims[i], dim) != 0) continue;
        const parity_result *r = report_table(rep, names[i]);
        if (!r) continue;
        long c = parity_result_column(r, "female_share");
        for (size_t k = 0; k < result_ngroups(r); k++)
            if (r->cell[k * r->ncol].s && strcmp(r->cell[k * r->ncol].s, value) == 0)
                return r->cell[k * r->ncol + (size_t)c].null;
        return 1; /* not named there: a tiny group */
    }
    return -1;
}

static void null_from(parity_result *r, size_t row, size_t c0) {
    for (size_t c = c0; c < r->ncol; c++) result_at(r, row, c)->null = true;
}

static int table_targets(builder *b) {
    if (!b->t->cfg.ntargets) return missing(b, "targets", "the configuration sets no targets");
    parity_project_options po;
    parity_project_options_init(&po);
    po.at = b->rep->at;
    parity_result *r = NULL;
    int rc = parity_targets(b->t, &po, &r);
    if (rc != PARITY_OK) return missing(b, "targets", "%s", b->err);
    long cur = parity_result_column(r, "current");
    for (size_t k = 0; k < result_ngroups(r); k++) {
        const char *scope = text(r, k, "target");
        const char *eq = scope ? strchr(scope, '=') : NULL;
        int w = -1;
        if (eq && !strchr(eq, ',')) {
            char dim[128];
            snprintf(dim, sizeof dim, "%.*s", (int)(eq - scope), scope);
            w = share_withheld(b->rep, dim, eq + 1);
        }
        double n = num(r, k, "current_n", 0), share = num(r, k, "current", 0);
        int64_t f = (int64_t)(share * n + 0.5), other = (int64_t)n - f;
        if (w == 1 || (w < 0 && (disclose_small((int64_t)n, b->rep->min_cell) ||
                                 disclose_small(f, b->rep->min_cell) ||
                                 disclose_small(other, b->rep->min_cell))))
            null_from(r, k, (size_t)cur);
    }
    free(r->title);
    char title[96];
    snprintf(title, sizeof title, "Targets at %s", b->rep->at);
    r->title = str_dup(title);
    return r->title ? report_add_table(b->rep, "targets", r) : (parity_result_free(r), PARITY_NOMEM);
}

/* Per grade: the trend's parity year, the flow model's share at the
** target year. */
static int table_projections(builder *b, int year) {
    const parity_result *g = report_table(b->rep, "representation_by_grade");
    if (!g) return missing(b, "projections", "the data has no grade column");
    parity_project_options po;
    parity_project_options_init(&po);
    po.at = b->rep->at;
    parity_result *tr = NULL, *fl = NULL;
    int rct = parity_project(b->t, &po, &tr);
    if (rct != PARITY_OK) missing(b, "projections.trend", "%s", b->err);
    po.method = PARITY_METHOD_FLOW;
    po.horizon = year;
    int rcf = parity_project(b->t, &po, &fl);
    if (rcf != PARITY_OK) missing(b, "projections.flow", "%s", b->err);
    char title[128], fname[48], flabel[48], col[48];
    snprintf(title, sizeof title, "Projections by grade from %s", b->rep->at);
    snprintf(fname, sizeof fname, "flow_female_share_%d", year);
    snprintf(flabel, sizeof flabel, "flow F share %d", year);
    snprintf(col, sizeof col, "projection.%d.female_share", year);
    parity_result *r = result_new("report", title);
    int rc = r ? PARITY_OK : PARITY_NOMEM;
    static const struct { const char *name, *label; result_kind kind; } cols[] = {
        {"grade", "grade", RESULT_DIM},           {"female_share", "F share", RESULT_SHARE},
        {"trend_slope_points", "trend (pts/yr)", RESULT_REAL},
        {"trend_parity_year", "trend parity year", RESULT_YEAR},
        {"trend_parity_status", "trend status", RESULT_TEXT},
        {NULL, NULL, RESULT_SHARE},                {"flow_parity_year", "flow parity year", RESULT_YEAR}};
    for (size_t c = 0; c < 7 && rc == PARITY_OK; c++)
        rc = result_add_col(r, cols[c].name ? cols[c].name : fname, cols[c].label ? cols[c].label : flabel,
                            cols[c].kind);
    long gs = parity_result_column(g, "female_share");
    for (size_t k = 0; k < result_ngroups(g) && rc == PARITY_OK; k++) {
        const char *grade = g->cell[k * g->ncol].s;
        long row = result_add_row(r);
        if (row < 0) {
            rc = PARITY_NOMEM;
            break;
        }
        rc = result_set_text(r, (size_t)row, 0, grade ? grade : "");
        if (!grade || g->cell[k * g->ncol + (size_t)gs].null) continue; /* withheld: nothing */
        copy_cell(r, (size_t)row, 1, g, k, (size_t)gs);
        for (size_t q = 0; tr && q < result_ngroups(tr); q++) {
            if (!tr->cell[q * tr->ncol].s || strcmp(tr->cell[q * tr->ncol].s, grade) != 0) continue;
            copy_cell(r, (size_t)row, 2, tr, q, (size_t)parity_result_column(tr, "slope"));
            copy_cell(r, (size_t)row, 3, tr, q, (size_t)parity_result_column(tr, "parity_year"));
            copy_cell(r, (size_t)row, 4, tr, q, (size_t)parity_result_column(tr, "parity_status"));
        }
        for (size_t q = 0; fl && q < result_ngroups(fl); q++) {
            if (!fl->cell[q * fl->ncol].s || strcmp(fl->cell[q * fl->ncol].s, grade) != 0) continue;
            long fc = parity_result_column(fl, col);
            if (fc >= 0) copy_cell(r, (size_t)row, 5, fl, q, (size_t)fc);
            copy_cell(r, (size_t)row, 6, fl, q, (size_t)parity_result_column(fl, "parity_year"));
        }
    }
    parity_result_free(tr);
    parity_result_free(fl);
    if (rc != PARITY_OK) {
        parity_result_free(r);
        return rc;
    }
    return report_add_table(b->rep, "projections", r);
}

/* ---- headline figures, notes ---------------------------------------------- */

static int headline_scalars(builder *b, section *sec, cJSON *h) {
    /* the index is women's share of all staff over their share of the top
    ** grades: shown when the headline shows both shares */
    const parity_result *hl = report_table(b->rep, "headline");
    double gci = 0;
    bool shown = false;
    if (sec->rep_grade && hl && hl->nrow == 3) {
        long fs = parity_result_column(hl, "female_share");
        const result_cell *all = &hl->cell[0 * hl->ncol + (size_t)fs], *top = &hl->cell[2 * hl->ncol + (size_t)fs];
        shown = !all->null && !top->null && top->v[0] > 0;
        if (shown) gci = all->v[0] / top->v[0];
    }
    cJSON_AddItemToObject(h, "glass_ceiling_index", shown ? cJSON_CreateNumber(gci) : cJSON_CreateNull());
    parity_project_options po;
    parity_project_options_init(&po);
    po.at = b->rep->at;
    po.by = "";
    parity_result *tr = NULL;
    if (parity_project(b->t, &po, &tr) == PARITY_OK && result_ngroups(tr) + tr->has_total > 0) {
        double y = num(tr, 0, "parity_year", 0);
        const char *st = text(tr, 0, "parity_status"), *why = text(tr, 0, "reason");
        cJSON_AddItemToObject(h, "parity_year", y ? cJSON_CreateNumber(y) : cJSON_CreateNull());
        cJSON_AddItemToObject(h, "parity_status", st ? cJSON_CreateString(st) : cJSON_CreateNull());
        cJSON_AddItemToObject(h, "parity_reason", why ? cJSON_CreateString(why) : cJSON_CreateNull());
    } else {
        cJSON_AddNullToObject(h, "parity_year");
        cJSON_AddStringToObject(h, "parity_status", "fewer than 3 snapshots: no trend");
    }
    parity_result_free(tr);
    return PARITY_OK;
}

static const char *const glossary[][2] = {
    {"staff", "people in the snapshot on the report date, each counted once"},
    {"F, M, X, U", "women, men, another recorded sex, sex not recorded; U is counted apart and left out of totals and shares"},
    {"total", "F + M + X"},
    {"female share", "F / total, with its 95% Wilson interval"},
    {"parity band", "a share within 5 points of 50% (configurable), as the UN system-wide strategy on gender parity counts parity"},
    {"status", "below, within or above the parity band"},
    {"gap F, gap M", "women (or men) who would have to be added, others unchanged, for the share to reach 50%"},
    {"change (pts)", "the female share now less the share at the previous snapshot, in percentage points"},
    {"Professional and higher", "the P, D and senior (ASG, USG) grades: the UN's headline figure"},
    {"General Service and related", "the G and national officer (NO) grades"},
    {"glass ceiling index", "women's share of all staff divided by their share of the top grades; 1 is no ceiling, above 1 fewer women at the top"},
    {"appointments (hires)", "people in the snapshot at the end of the period who were not in the one at its start, at their new grade"},
    {"separations", "people in the snapshot at the start who are not in the one at its end, at their old grade"},
    {"promotions", "people whose grade rose between the two snapshots, counted in the grade they reached; promotions out in the grade they left"},
    {"moves", "people whose duty station changed between the two snapshots"},
    {"rate", "events divided by the staff of that sex and grade at the start of the period"},
    {"impact ratio", "the women's rate divided by the men's (for separations, the men's by the women's): below 0.8 fails the four-fifths rule"},
    {"p", "two-sided p-value of the difference between the women's and the men's rate (z-test, or Fisher's exact test when a cell is expected below 5)"},
    {"pooled", "the counts of several years added before rates are computed, where a single year is too small to read"},
    {"trend parity year", "the first year the least-squares line of the female share reaches the parity band"},
    {"flow projection", "the grade-to-grade pipeline (promotion, separation and hiring rates per sex) stepped forward a year at a time"},
    {"–", "withheld to protect the people counted: a count from 1 to the minimum cell size less one, or one that would give such a count away by subtraction, and every share, rate and test computed from them"},
};

static int notes(builder *b, section *sec, size_t primary, size_t secondary) {
    cJSON *m = b->rep->model;
    cJSON *snaps = cJSON_AddArrayToObject(m, "snapshots");
    for (size_t s = 0; snaps && s <= b->s_at; s++) {
        char d[11];
        snap_date(b, s, d);
        const table_snapshot *sn = &b->t->snap[s];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "date", d);
        cJSON_AddNumberToObject(o, "rows", (double)(sn->end - sn->begin));
        cJSON_AddItemToObject(o, "source", sn->source ? cJSON_CreateString(sn->source) : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "checksum", sn->source ? cJSON_CreateString(sn->checksum) : cJSON_CreateNull());
        cJSON_AddItemToArray(snaps, o);
    }
    long mc = b->rep->min_cell;
    cJSON *sup = cJSON_AddObjectToObject(m, "suppression");
    cJSON_AddNumberToObject(sup, "min_cell", (double)mc);
    cJSON_AddNumberToObject(sup, "primary", (double)primary);
    cJSON_AddNumberToObject(sup, "secondary", (double)secondary);
    char line[512];
    if (mc <= 1)
        snprintf(line, sizeof line, "Every count is published (minimum cell size %ld): this report is not "
                 "protected for publication.", mc);
    else
        snprintf(line, sizeof line,
                 "Counts from 1 to %ld are withheld (–) to protect the people counted: %zu such "
                 "count%s, and %zu more that would give them away by subtraction from the totals and "
                 "the other tables, with every share, rate and test computed from them.",
                 mc - 1, primary, primary == 1 ? "" : "s", secondary);
    cJSON_AddItemToArray(b->notes, cJSON_CreateString(line));
    if (sec->rep_grade) {
        int64_t u = (int64_t)num(sec->rep_grade, sec->rep_grade->nrow - 1, "unknown", 0);
        if (u == 0)
            snprintf(line, sizeof line, "Every staff member's sex is recorded.");
        else if (disclose_small(u, mc))
            snprintf(line, sizeof line, "Fewer than %ld staff have no recorded sex (U): counted apart, left out of shares.", mc);
        else
            snprintf(line, sizeof line, "%lld staff have no recorded sex (U): counted apart, left out of shares.", (long long)u);
        cJSON_AddItemToArray(b->notes, cJSON_CreateString(line));
    }
    cJSON_AddItemToArray(b->notes, cJSON_CreateString(
        "The report names no person and shows no value that only a few people share: a group "
        "smaller than the minimum cell size is shown as (withheld), after the groups named."));
    cJSON *gl = cJSON_AddArrayToObject(m, "glossary");
    for (size_t i = 0; gl && i < sizeof glossary / sizeof *glossary; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "term", glossary[i][0]);
        cJSON_AddStringToObject(o, "definition", glossary[i][1]);
        cJSON_AddItemToArray(gl, o);
    }
    return PARITY_OK;
}

/* ---- the report ------------------------------------------------------------- */

/* The report date's snapshot: o->at's, else the latest on or before it. */
static int report_date(builder *b, const char *at) {
    const parity_table *t = b->t;
    if (!at) {
        b->s_at = t->nsnap - 1;
        return PARITY_OK;
    }
    int32_t d;
    if (!date_parse(at, strlen(at), NULL, &d))
        return errmsg_set(b->err, PARITY_USAGE, "'at': \"%s\" is not a date (YYYY-MM-DD)", at);
    size_t i = t->nsnap;
    while (i > 0 && t->snap[i - 1].date > d) i--;
    if (i == 0) {
        char first[11];
        date_format(t->snap[0].date, first);
        return errmsg_set(b->err, PARITY_NOTFOUND, "no snapshot on or before %s (the first is on %s)", at,
                          first);
    }
    b->s_at = i - 1;
    if (t->snap[i - 1].date != d) {
        char got[11], line[160];
        date_format(t->snap[i - 1].date, got);
        snprintf(line, sizeof line, "No snapshot on %s: the report is at %s, the latest before it.", at, got);
        cJSON_AddItemToArray(b->notes, cJSON_CreateString(line));
    }
    return PARITY_OK;
}

static int build(builder *b, section *sec, mtab *m, size_t *nm) {
    parity_table *t = b->t;
    parity_report *rep = b->rep;
    int rc = stock_section(b, sec);
    if (rc != PARITY_OK) return rc;
    *nm = 0;
    if (!t->has_staff_all || t->count) {
        missing(b, "movements", "%s", t->count ? "the input is aggregated counts: movements need a row per person"
                                                : "the data has no staff ids: movements need them");
    } else if (b->s_at == 0) {
        missing(b, "movements", "one snapshot up to %s: movements need two", rep->at);
    } else if (!t->has_grade) {
        missing(b, "movements", "the data has no grade column");
    } else {
        size_t k = (size_t)b->pooled < b->s_at ? (size_t)b->pooled : b->s_at;
        char what[64], name[200];
        snprintf(what, sizeof what, "%zu periods pooled", k);
        if (k <= 1) missing(b, "movements_pooled", "only one period up to %s", rep->at);
        /* the organisation's, then each unit's of the breakdowns by grade */
        for (size_t i = 0; i <= sec->st.n && rc == PARITY_OK; i++) {
            const char *odim = NULL, *tname = "";
            if (i > 0) {
                const stab *T = &sec->st.tab[i - 1];
                if (!T->odim || !T->per_grade) continue;
                odim = T->odim;
                for (size_t j = 0; j < rep->ntab; j++)
                    if (rep->tab[j] == T->r) tname = rep->tname[j]; /* "by_department_and_grade" */
            }
            for (int pooled = 0; pooled < 2 && rc == PARITY_OK && *nm < MAXMOVE; pooled++) {
                if (pooled && k <= 1) break;
                snprintf(name, sizeof name, "movements_%s%s%s", pooled ? "pooled" : "year", *tname ? "_" : "", tname);
                rc = table_movements(b, pooled ? b->s_at - k : b->s_at - 1, name, pooled ? what : "reporting year",
                                     odim, &m[*nm]);
                if (rc == PARITY_OK) ++*nm;
            }
        }
        if (rc != PARITY_OK) return rc;
    }
    size_t primary, secondary;
    if ((rc = protect_all(b, sec, m, *nm, &primary, &secondary)) != PARITY_OK) return rc;
    for (size_t i = 0; i < rep->ntab; i++) {
        parity_result *r = rep->tab[i];
        long chg = parity_result_column(r, "change_points");
        if (chg > 0) stock_change(r, 1);
    }
    int year = 0;
    for (size_t i = 0; i < t->cfg.ntargets; i++)
        if (t->cfg.targets[i].year > year) year = t->cfg.targets[i].year;
    if (!year) year = atoi(rep->at) + 5;
    if ((rc = table_targets(b)) != PARITY_OK) return rc;
    if (t->has_grade && (rc = table_projections(b, year)) != PARITY_OK) return rc;
    cJSON *h = cJSON_AddObjectToObject(rep->model, "headline");
    if (!h) return PARITY_NOMEM;
    if ((rc = headline_scalars(b, sec, h)) != PARITY_OK) return rc;
    return notes(b, sec, primary, secondary);
}

int parity_report_build(parity_table *t, const parity_report_options *o, parity_report **out) {
    fixed *fx = report_fixed_new();
    if (!fx) return PARITY_NOMEM;
    int rc = report_build_fixed(t, o, fx, out);
    report_fixed_free(fx);
    return rc;
}

int report_build_fixed(parity_table *t, const parity_report_options *o, fixed *fx, parity_report **out) {
    *out = NULL;
    if (!t) return PARITY_USAGE;
    table_clear_error(t);
    parity_report_options dflt;
    if (!o) {
        parity_report_options_init(&dflt);
        o = &dflt;
    }
    if (t->nsnap == 0) return errmsg_set(table_errbuf(t), PARITY_INVALID, "the table holds no snapshot");
    parity_report *rep = calloc(1, sizeof *rep);
    if (!rep) return PARITY_NOMEM;
    rep->model = cJSON_CreateObject();
    builder b = {.t = t, .o = o, .rep = rep, .err = table_errbuf(t), .fx = fx,
                 .history = o->history > 0 ? o->history : t->cfg.report_history > 0 ? t->cfg.report_history : 5,
                 .pooled = o->pooled > 0 ? o->pooled : t->cfg.report_pooled > 0 ? t->cfg.report_pooled : 5};
    b.missing = cJSON_CreateArray();
    b.notes = cJSON_CreateArray();
    rep->min_cell = o->min_cell >= 0 ? o->min_cell : t->cfg.min_cell_set ? t->cfg.min_cell : 5;
    rep->reproducible = o->reproducible;
    int rc = rep->model && b.missing && b.notes ? report_date(&b, o->at) : PARITY_NOMEM;
    long saved = t->cfg.min_cell;
    t->cfg.min_cell = 0; /* the analyses unprotected: the report protects them together */
    section sec = {.st = {.words = t->grades.n / 64 + 1}};
    mtab m[MAXMOVE];
    memset(m, 0, sizeof m);
    size_t nm = 0;
    if (rc == PARITY_OK) {
        snap_date(&b, b.s_at, rep->at);
        rc = build(&b, &sec, m, &nm);
    }
    t->cfg.min_cell = saved;
    if (rc == PARITY_OK) {
        cJSON_AddItemToObject(rep->model, "sections_missing", b.missing);
        cJSON_AddItemToObject(rep->model, "notes", b.notes);
        b.missing = b.notes = NULL;
    }
    cJSON_Delete(b.missing);
    cJSON_Delete(b.notes);
    for (size_t i = 0; i < MAXMOVE; i++) {
        parity_result_free(m[i].f);
        free(m[i].ids);
        free(m[i].end);
        free(m[i].grades);
    }
    parity_result_free(sec.rep_grade);
    stocks_free(&sec.st);
    if (rc != PARITY_OK) {
        parity_report_free(rep);
        return rc;
    }
    *out = rep;
    return PARITY_OK;
}
