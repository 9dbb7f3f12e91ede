/*
** csvload.c -- loading CSV snapshots into the columnar table with libcsv.
**
** libcsv is a push parser: we hand it bytes, it calls on_field() for every
** field and on_row() at the end of every record. It knows nothing of line
** numbers, so we feed it one physical line at a time and count: a field that
** ends on line L and contains k newlines (a quoted, multi-line value) began on
** line L - k. Every diagnostic therefore names the file, the line where the
** offending field starts and the field's 1-based position ("column").
**
** A file is all or nothing. Rows are appended as they are parsed, but the
** first problem marks the file as failed; parsing goes on to report every
** problem (up to PT_MAX_DIAG), and at the end the rows of a failed file are
** cut off again, leaving the table exactly as it was.
*/
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csv.h>

#include "internal.h"

#define CHUNK (1 << 20)

typedef struct field {
    size_t off, len, line;
} field;

typedef struct loader {
    parity_table *t;
    const char *file;
    size_t line;          /* physical line being fed, 1-based */
    size_t record_line;   /* line where the record being parsed began */
    char *buf;            /* the current record's field bytes */
    size_t blen, bcap;
    field *f;
    size_t nf, fcap;

    bool header_done;
    size_t nheader;
    int canon_pos[PC_NCANON]; /* header position of each canonical column or -1 */
    long *col_field;          /* per table column: header position or -1 */
    size_t ncol_field;
    size_t ncols_before;      /* table columns before this file */
    int32_t fixed_date;

    size_t from;              /* table rows before this file */
    uint32_t *lines;          /* source line of each new row */
    size_t lcap;

    char memo_date[32];       /* last snapshot_date string and its value */
    size_t memo_len;
    int32_t memo_value;

    int status;               /* PARITY_OK, PARITY_INVALID or PARITY_NOMEM */
    bool stop;                /* unrecoverable: stop feeding */
} loader;

static void fail(loader *L, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(loader *L, size_t line, size_t col, const char *fmt, ...) {
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pt_diag(L->t, L->file, line, col, "%s", msg);
    if (L->status == PARITY_OK) L->status = PARITY_INVALID;
}

static void nomem(loader *L) {
    L->status = PARITY_NOMEM;
    L->stop = true;
}

/* A field's bytes with surrounding white space trimmed. */
static const char *fval(const loader *L, size_t i, size_t *len) {
    const char *s = L->buf + L->f[i].off;
    size_t n = L->f[i].len;
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    *len = n;
    return s;
}

/* Quotes at most 60 bytes of a value for a message. */
static const char *shown(const char *s, size_t len, char *out, size_t cap) {
    size_t n = len < 60 ? len : 60;
    if (n >= cap) n = cap - 4;
    memcpy(out, s, n);
    if (n < len) memcpy(out + n, "...", 4);
    else out[n] = '\0';
    return out;
}

static void on_field(void *s, size_t len, void *data) {
    loader *L = data;
    if (L->stop) return;
    if (L->blen + len + 1 > L->bcap) {
        size_t cap = L->bcap ? L->bcap : 4096;
        while (cap < L->blen + len + 1) cap *= 2;
        char *p = realloc(L->buf, cap);
        if (!p) return nomem(L);
        L->buf = p;
        L->bcap = cap;
    }
    if (L->nf == L->fcap) {
        size_t cap = L->fcap ? L->fcap * 2 : 64;
        field *p = realloc(L->f, cap * sizeof *p);
        if (!p) return nomem(L);
        L->f = p;
        L->fcap = cap;
    }
    size_t nl = 0;
    for (const char *p = s, *end = (const char *)s + len;
         (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        nl++;
    if (len) memcpy(L->buf + L->blen, s, len);
    L->f[L->nf].off = L->blen;
    L->f[L->nf].len = len;
    L->f[L->nf].line = L->line - nl;
    L->blen += len;
    L->buf[L->blen++] = '\0';
    L->nf++;
}

/* ---- the header -------------------------------------------------------- */

static void header(loader *L) {
    parity_table *t = L->t;
    const parity_config *cfg = &t->cfg;
    size_t n = L->nf;
    long *pos_col = malloc((n ? n : 1) * sizeof *pos_col); /* header pos -> table column */
    if (!pos_col) return nomem(L);
    for (int c = 0; c < PC_NCANON; c++) L->canon_pos[c] = -1;
    L->nheader = n;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *s = fval(L, i, &len);
        char name[256];
        if (len >= sizeof name) len = sizeof name - 1;
        memcpy(name, s, len);
        name[len] = '\0';
        pos_col[i] = -1;
        int canon = -1;
        for (int c = 0; c < PC_NCANON && canon < 0; c++)
            if (cfg->column[c] && strcasecmp(cfg->column[c], name) == 0) canon = c;
        if (canon < 0) {
            int c = pcanon_find(name);
            if (c >= 0 && !cfg->column[c]) canon = c;
        }
        if (canon >= 0) {
            if (L->canon_pos[canon] >= 0) {
                fail(L, L->f[i].line, i + 1, "column \"%s\" appears twice (as \"%s\")",
                     pcanon_name[canon], name);
                continue;
            }
            L->canon_pos[canon] = (int)i;
            if (canon < PC_DEPARTMENT || canon > PC_CONTRACT_TYPE) continue;
            snprintf(name, sizeof name, "%s", pcanon_name[canon]);
        } else {
            if (len == 0) snprintf(name, sizeof name, "column_%zu", i + 1);
            if (strcasecmp(name, "sex") == 0 || strcasecmp(name, "grade") == 0 ||
                strcasecmp(name, "snapshot_date") == 0 || strcasecmp(name, "category") == 0) {
                /* a canonical name mapped away from this column: keep it
                ** out of the way of the real one */
                size_t at = strlen(name);
                if (at + sizeof "_column" <= sizeof name) memcpy(name + at, "_column", sizeof "_column");
            }
        }
        long c = pt_col(t, name, false);
        for (size_t j = 0; c >= 0 && j < i; j++)
            if (pos_col[j] == c) {
                fail(L, L->f[i].line, i + 1, "column \"%s\" appears twice", name);
                c = -2;
            }
        if (c == -2) continue;
        if (c < 0 && (c = pt_col(t, name, true)) < 0) {
            free(pos_col);
            return nomem(L);
        }
        pos_col[i] = c;
    }
    /* required columns and mappings that matched nothing */
    for (int c = 0; c < PC_NCANON; c++) {
        if (cfg->column[c] && L->canon_pos[c] < 0)
            fail(L, 1, 0, "column \"%s\" (mapped to %s) not found in the header",
                 cfg->column[c], pcanon_name[c]);
    }
    static const int required[] = {PC_SEX, PC_GRADE, PC_SNAPSHOT_DATE};
    for (size_t k = 0; k < 3; k++) {
        int c = required[k];
        if (L->canon_pos[c] >= 0 || cfg->column[c]) continue;
        if (c == PC_SNAPSHOT_DATE && L->fixed_date != PDATE_NONE) continue;
        char found[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < n && used + 4 < sizeof found; i++) {
            size_t len;
            const char *s = fval(L, i, &len);
            int w = snprintf(found + used, sizeof found - used, "%s%.*s", i ? ", " : "",
                             (int)(len > 40 ? 40 : len), s);
            if (w > 0) used += (size_t)w;
        }
        if (c == PC_SNAPSHOT_DATE)
            fail(L, 1, 0,
                 "missing required column \"snapshot_date\" (header: %s); give the "
                 "snapshot's date with --date YYYY-MM-DD or map a column with --column "
                 "snapshot_date=HEADER",
                 found);
        else
            fail(L, 1, 0,
                 "missing required column \"%s\" (header: %s); map one with --column %s=HEADER",
                 pcanon_name[c], found, pcanon_name[c]);
    }
    /* a header that fails leaves no sound way to read the records */
    if (L->status != PARITY_OK) {
        free(pos_col);
        L->stop = true;
        return;
    }
    /* per table column, the header position that feeds it */
    L->ncol_field = t->ncols;
    L->col_field = malloc((t->ncols ? t->ncols : 1) * sizeof *L->col_field);
    if (!L->col_field) {
        free(pos_col);
        return nomem(L);
    }
    for (size_t c = 0; c < t->ncols; c++) L->col_field[c] = -1;
    for (size_t i = 0; i < n; i++)
        if (pos_col[i] >= 0) L->col_field[pos_col[i]] = (long)i;
    free(pos_col);
    /* optional fixed columns appear the first time a file has them */
    if (L->canon_pos[PC_STAFF_ID] < 0) t->has_staff_all = false;
    int32_t **dates[2] = {&t->entry_date, &t->birth_date};
    int canon_of[2] = {PC_ENTRY_DATE, PC_BIRTH_DATE};
    for (int k = 0; k < 2; k++) {
        if (L->canon_pos[canon_of[k]] < 0 || *dates[k]) continue;
        int32_t *d = malloc((t->cap ? t->cap : 1) * sizeof *d);
        if (!d) return nomem(L);
        for (size_t r = 0; r < t->n; r++) d[r] = PDATE_NONE;
        *dates[k] = d;
    }
    if (L->canon_pos[PC_COUNT] >= 0 && !t->count) {
        uint32_t *w = malloc((t->cap ? t->cap : 1) * sizeof *w);
        if (!w) return nomem(L);
        for (size_t r = 0; r < t->n; r++) w[r] = 1;
        t->count = w;
    }
    L->header_done = true;
}

/* ---- one record -------------------------------------------------------- */

static bool parse_date(loader *L, int canon, size_t i, int32_t *out, bool required) {
    size_t len;
    const char *s = fval(L, i, &len);
    if (len == 0) {
        if (!required) {
            *out = PDATE_NONE;
            return true;
        }
        fail(L, L->f[i].line, i + 1, "empty %s", pcanon_name[canon]);
        return false;
    }
    const char *fmt = L->t->cfg.date_format[canon];
    if (!pdate_parse(s, len, fmt, out)) {
        char v[64];
        fail(L, L->f[i].line, i + 1, "malformed %s \"%s\" (expected %s)", pcanon_name[canon],
             shown(s, len, v, sizeof v), fmt ? fmt : "YYYY-MM-DD");
        return false;
    }
    return true;
}

static void record(loader *L) {
    parity_table *t = L->t;
    const parity_config *cfg = &t->cfg;
    if (L->nf != L->nheader) {
        size_t line = L->nf ? L->f[0].line : L->record_line;
        fail(L, line, L->nf < L->nheader ? L->nf : L->nheader + 1,
             "expected %zu fields, found %zu", L->nheader, L->nf);
        return;
    }
    size_t r = t->n;
    if (pt_reserve(t, r + 1) != PARITY_OK) return nomem(L);
    bool ok = true;
    size_t len;
    const char *s;
    char v[64];
    int p;

    if ((p = L->canon_pos[PC_STAFF_ID]) >= 0) {
        s = fval(L, (size_t)p, &len);
        if (len == 0) {
            fail(L, L->f[p].line, (size_t)p + 1, "empty staff_id");
            ok = false;
        } else {
            int64_t id = pd_intern(&t->staff_ids, s, len);
            if (id < 0) return nomem(L);
            t->staff[r] = (uint32_t)id;
        }
    } else {
        t->staff[r] = UINT32_MAX;
    }

    if ((p = L->canon_pos[PC_SNAPSHOT_DATE]) >= 0) {
        s = fval(L, (size_t)p, &len);
        if (len && len == L->memo_len && memcmp(s, L->memo_date, len) == 0) {
            t->date[r] = L->memo_value;
        } else if (parse_date(L, PC_SNAPSHOT_DATE, (size_t)p, &t->date[r], true)) {
            if (len < sizeof L->memo_date) {
                memcpy(L->memo_date, s, len);
                L->memo_len = len;
                L->memo_value = t->date[r];
            }
        } else {
            ok = false;
        }
    } else {
        t->date[r] = L->fixed_date;
    }

    p = L->canon_pos[PC_SEX];
    s = fval(L, (size_t)p, &len);
    int sex = pcfg_sex(cfg, s, len);
    if (sex < 0) {
        shown(s, len, v, sizeof v);
        fail(L, L->f[p].line, (size_t)p + 1,
             "unknown sex code \"%s\" (expected F, M, X or U or an alias; map it with "
             "--sex-code '%s=F|M|X|U')",
             v, v);
        ok = false;
    } else {
        t->sex[r] = (uint8_t)sex;
    }

    p = L->canon_pos[PC_GRADE];
    s = fval(L, (size_t)p, &len);
    int64_t g = len ? pt_grade_code(t, s, len) : -1;
    if (g == -2) return nomem(L);
    if (g < 0) {
        static const char *const scale[] = {"the UN common-system scale", "the --grades scale",
                                            "a number", "a grade"};
        if (len == 0)
            fail(L, L->f[p].line, (size_t)p + 1, "empty grade");
        else
            fail(L, L->f[p].line, (size_t)p + 1,
                 "unknown grade \"%s\" (not %s%s; --grade-order none keeps grades as "
                 "written)",
                 shown(s, len, v, sizeof v), cfg->order == PG_ORDER_NUMERIC ? "" : "in ",
                 scale[cfg->order]);
        ok = false;
    } else {
        t->grade[r] = (uint32_t)g;
    }

    for (size_t c = 0; c < L->ncol_field; c++) {
        uint32_t code = 0;
        if (L->col_field[c] >= 0) {
            s = fval(L, (size_t)L->col_field[c], &len);
            int64_t k = pd_intern(&t->cols[c].dict, s, len);
            if (k < 0) return nomem(L);
            code = (uint32_t)k;
        }
        if (pt_col_set(t, &t->cols[c], r, code) != PARITY_OK) return nomem(L);
    }

    int32_t *dcol[2] = {t->entry_date, t->birth_date};
    int dcanon[2] = {PC_ENTRY_DATE, PC_BIRTH_DATE};
    for (int k = 0; k < 2; k++) {
        if (!dcol[k]) continue;
        p = L->canon_pos[dcanon[k]];
        if (p < 0) dcol[k][r] = PDATE_NONE;
        else if (!parse_date(L, dcanon[k], (size_t)p, &dcol[k][r], false)) ok = false;
    }

    if (t->count) {
        t->count[r] = 1;
        if ((p = L->canon_pos[PC_COUNT]) >= 0) {
            s = fval(L, (size_t)p, &len);
            uint64_t n = 0;
            bool num = len > 0 && len <= 10;
            for (size_t i = 0; i < len && num; i++) {
                num = s[i] >= '0' && s[i] <= '9';
                n = n * 10 + (uint64_t)(s[i] - '0');
            }
            if (!num || n > UINT32_MAX) {
                fail(L, L->f[p].line, (size_t)p + 1,
                     "count \"%s\" is not a whole number >= 0", shown(s, len, v, sizeof v));
                ok = false;
            } else {
                t->count[r] = (uint32_t)n;
            }
        }
    }

    if (!ok) return;
    size_t k = r - L->from;
    if (k >= L->lcap) {
        size_t cap = L->lcap ? L->lcap * 2 : 1024;
        uint32_t *lines = realloc(L->lines, cap * sizeof *lines);
        if (!lines) return nomem(L);
        L->lines = lines;
        L->lcap = cap;
    }
    L->lines[k] = (uint32_t)(L->nf ? L->f[0].line : L->record_line);
    t->n++;
}

static void on_row(int c, void *data) {
    loader *L = data;
    (void)c;
    if (!L->stop) {
        if (!L->header_done) header(L);
        else record(L);
    }
    L->nf = 0;
    L->blen = 0;
}

/* ---- feeding ----------------------------------------------------------- */

/* Feeds one chunk of input, a line at a time. Returns false to stop. */
static bool feed(loader *L, struct csv_parser *p, const char *s, size_t len) {
    if (L->line == 1 && L->blen == 0 && L->nf == 0 && !L->header_done && len >= 3 &&
        memcmp(s, "\xEF\xBB\xBF", 3) == 0 && p->pstate == 0) {
        s += 3; /* UTF-8 byte order mark */
        len -= 3;
    }
    const char *nul = memchr(s, '\0', len);
    if (nul) {
        size_t line = L->line;
        for (const char *q = s; (q = memchr(q, '\n', (size_t)(nul - q))) != NULL; q++) line++;
        fail(L, line, 0, "binary data (a NUL byte): not a CSV text file");
        L->stop = true;
        return false;
    }
    while (len && !L->stop) {
        const char *nl = memchr(s, '\n', len);
        size_t seg = nl ? (size_t)(nl - s) + 1 : len;
        if (p->pstate == 0) L->record_line = L->line; /* between records */
        if (csv_parse(p, s, seg, on_field, on_row, L) != seg) {
            fail(L, L->line, L->nf + 1, "malformed quoting (%s)", csv_strerror(csv_error(p)));
            L->stop = true;
            return false;
        }
        if (nl) L->line++;
        s += seg;
        len -= seg;
    }
    return !L->stop;
}

#define PROGRESS_EVERY (16u << 20)

void parity_table_set_progress(parity_table *t, parity_progress_fn fn, void *data) {
    t->progress = fn;
    t->progress_data = data;
}

static int load(parity_table *t, const char *name, FILE *f, const char *data, size_t len,
                const char *date) {
    pt_diag_reset(t);
    t->errmsg[0] = '\0';
    loader L;
    memset(&L, 0, sizeof L);
    L.t = t;
    L.file = name;
    L.line = 1;
    L.record_line = 1;
    L.from = t->n;
    L.ncols_before = t->ncols;
    L.fixed_date = PDATE_NONE;
    bool had_staff_all = t->has_staff_all;
    if (date && !pdate_parse(date, strlen(date), NULL, &L.fixed_date))
        return perr_set(t->errmsg, PARITY_USAGE, "--date \"%s\" is not a date (YYYY-MM-DD)",
                        date);

    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return perr_set(t->errmsg, PARITY_NOMEM, "out of memory");
    char *chunk = NULL;
    int rc = PARITY_OK;
    bool any = false;
    if (f) {
        if (!(chunk = malloc(CHUNK))) {
            rc = perr_set(t->errmsg, PARITY_NOMEM, "out of memory");
            goto out;
        }
        size_t got;
        uint64_t done = 0, next = PROGRESS_EVERY, total = 0;
        struct stat sb;
        if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)) total = (uint64_t)sb.st_size;
        while ((got = fread(chunk, 1, CHUNK, f)) > 0) {
            any = true;
            if (!feed(&L, &p, chunk, got)) break;
            done += got;
            if (t->progress && done >= next) {
                t->progress(t->progress_data, name, done, total);
                next = done + PROGRESS_EVERY;
            }
        }
        if (t->progress) t->progress(t->progress_data, name, done, total);
        if (ferror(f)) {
            rc = perr_set(t->errmsg, PARITY_IO, "%s: read error: %s", name, strerror(errno));
            goto out;
        }
    } else if (len) {
        any = true;
        feed(&L, &p, data, len);
    }
    if (!L.stop) {
        if (csv_fini(&p, on_field, on_row, &L) != 0)
            fail(&L, L.record_line, 0, "unclosed quote: a quoted field starts on this line and never ends");
    }
    if (L.status == PARITY_NOMEM) {
        rc = perr_set(t->errmsg, PARITY_NOMEM, "%s: out of memory", name);
        goto out;
    }
    if (!any || (!L.header_done && L.status == PARITY_OK))
        fail(&L, 1, 0, "empty file: no header row");
    else if (L.status == PARITY_OK && t->n == L.from)
        fail(&L, 2, 0, "no data rows after the header");
    if (L.status == PARITY_OK) {
        rc = pt_seal(t, L.from, L.lines, name);
        if (rc == PARITY_INVALID) L.status = rc;
        else if (rc != PARITY_OK) {
            perr_set(t->errmsg, rc, "%s: out of memory", name);
            goto out;
        }
    }
    if (L.status != PARITY_OK) {
        rc = perr_set(t->errmsg, PARITY_INVALID, "%s: %zu problem%s found", name,
                      t->ndiag_total, t->ndiag_total == 1 ? "" : "s");
    }
out:
    if (rc != PARITY_OK) {
        /* leave the table exactly as it was */
        t->n = L.from;
        t->has_staff_all = had_staff_all;
        while (t->ncols > L.ncols_before) {
            pcol *c = &t->cols[--t->ncols];
            free(c->name);
            free(c->codes);
            pd_free(&c->dict);
        }
    }
    csv_free(&p);
    free(chunk);
    free(L.buf);
    free(L.f);
    free(L.lines);
    free(L.col_field);
    return rc;
}

int parity_table_load_csv(parity_table *t, const char *path, const char *date) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        pt_diag_reset(t);
        return perr_set(t->errmsg, PARITY_IO, "%s: cannot open: %s", path, strerror(errno));
    }
    int rc = load(t, path, f, NULL, 0, date);
    fclose(f);
    return rc;
}

int parity_table_load_csv_buffer(parity_table *t, const char *name, const char *data,
                                 size_t len, const char *date) {
    return load(t, name, NULL, data, len, date);
}
