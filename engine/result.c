/*
** result.c -- the result frame and its writers.
**
** Every analysis returns the same shape: named columns (dimensions, counts,
** shares, intervals, words), one row per group and an optional total row,
** plus a cJSON object of metadata (inputs, parameters, scalars such as the
** glass ceiling index). The four writers below are the only place that knows
** about output formats, so every command prints alike.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <csv.h>

#include "internal.h"

parity_result *pr_new(const char *command, const char *title) {
    parity_result *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->command = pstrdup(command);
    r->title = pstrdup(title ? title : "");
    r->meta = cJSON_CreateObject();
    if (!r->command || !r->title || !r->meta) {
        parity_result_free(r);
        return NULL;
    }
    return r;
}

void parity_result_free(parity_result *r) {
    if (!r) return;
    for (size_t i = 0; i < r->nrow * r->ncol; i++) free(r->cell[i].s);
    free(r->cell);
    for (size_t c = 0; c < r->ncol; c++) {
        free(r->col[c].name);
        free(r->col[c].label);
    }
    free(r->col);
    for (size_t i = 0; i < r->nnotes; i++) free(r->notes[i]);
    free(r->notes);
    cJSON_Delete(r->meta);
    free(r->command);
    free(r->title);
    free(r);
}

int pr_add_col(parity_result *r, const char *name, const char *label, pr_kind kind) {
    if (r->nrow) return PARITY_ERROR; /* columns come first */
    pr_col *col = realloc(r->col, (r->ncol + 1) * sizeof *col);
    if (!col) return PARITY_NOMEM;
    r->col = col;
    col[r->ncol].name = pstrdup(name);
    col[r->ncol].label = pstrdup(label);
    col[r->ncol].kind = kind;
    col[r->ncol].machine_only = false;
    if (!col[r->ncol].name || !col[r->ncol].label) {
        free(col[r->ncol].name);
        free(col[r->ncol].label);
        return PARITY_NOMEM;
    }
    r->ncol++;
    return PARITY_OK;
}

int pr_add_machine_col(parity_result *r, const char *name, pr_kind kind) {
    int rc = pr_add_col(r, name, name, kind);
    if (rc == PARITY_OK) r->col[r->ncol - 1].machine_only = true;
    return rc;
}

long pr_add_row(parity_result *r) {
    if (r->nrow == r->caprow) {
        size_t cap = r->caprow ? r->caprow * 2 : 16;
        pr_cell *cell = realloc(r->cell, cap * r->ncol * sizeof *cell);
        if (!cell) return -1;
        r->cell = cell;
        r->caprow = cap;
    }
    pr_cell *row = r->cell + r->nrow * r->ncol;
    for (size_t c = 0; c < r->ncol; c++) {
        row[c].null = true;
        row[c].v[0] = row[c].v[1] = 0;
        row[c].s = NULL;
    }
    return (long)r->nrow++;
}

pr_cell *pr_at(parity_result *r, size_t row, size_t col) {
    return r->cell + row * r->ncol + col;
}

static const pr_cell *cell_at(const parity_result *r, size_t row, size_t col) {
    if (!r || row >= r->nrow || col >= r->ncol) return NULL;
    return r->cell + row * r->ncol + col;
}

int pr_set_num(parity_result *r, size_t row, size_t col, double v) {
    pr_cell *c = pr_at(r, row, col);
    if (!isfinite(v)) return PARITY_OK; /* stays null: no NaN or Infinity */
    c->null = false;
    c->v[0] = v;
    return PARITY_OK;
}

int pr_set_ci(parity_result *r, size_t row, size_t col, double lo, double hi) {
    pr_cell *c = pr_at(r, row, col);
    if (!isfinite(lo) || !isfinite(hi)) return PARITY_OK;
    c->null = false;
    c->v[0] = lo;
    c->v[1] = hi;
    return PARITY_OK;
}

int pr_set_text(parity_result *r, size_t row, size_t col, const char *s) {
    pr_cell *c = pr_at(r, row, col);
    free(c->s);
    c->s = NULL;
    c->null = s == NULL;
    if (s && !(c->s = pstrdup(s))) return PARITY_NOMEM;
    return PARITY_OK;
}

int pr_note(parity_result *r, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **notes = realloc(r->notes, (r->nnotes + 1) * sizeof *notes);
    if (!notes) return PARITY_NOMEM;
    r->notes = notes;
    if (!(notes[r->nnotes] = pstrdup(buf))) return PARITY_NOMEM;
    r->nnotes++;
    return PARITY_OK;
}

size_t pr_ngroups(const parity_result *r) { return r->nrow - (r->has_total ? 1 : 0); }

/* ---- public accessors -------------------------------------------------- */

size_t parity_result_ngroups(const parity_result *r) { return r ? pr_ngroups(r) : 0; }
int parity_result_has_total(const parity_result *r) { return r && r->has_total; }
size_t parity_result_ncols(const parity_result *r) { return r ? r->ncol : 0; }

const char *parity_result_colname(const parity_result *r, size_t col) {
    return r && col < r->ncol ? r->col[col].name : NULL;
}

long parity_result_column(const parity_result *r, const char *name) {
    for (size_t c = 0; r && c < r->ncol; c++)
        if (strcmp(r->col[c].name, name) == 0) return (long)c;
    return -1;
}

int parity_result_is_null(const parity_result *r, size_t group, size_t col) {
    const pr_cell *c = cell_at(r, group, col);
    return !c || c->null;
}

double parity_result_number(const parity_result *r, size_t group, size_t col) {
    const pr_cell *c = cell_at(r, group, col);
    return c && !c->null ? c->v[0] : 0;
}

double parity_result_high(const parity_result *r, size_t group, size_t col) {
    const pr_cell *c = cell_at(r, group, col);
    return c && !c->null ? c->v[1] : 0;
}

const char *parity_result_text(const parity_result *r, size_t group, size_t col) {
    const pr_cell *c = cell_at(r, group, col);
    return c && !c->null ? c->s : NULL;
}

int parity_result_scalar(const parity_result *r, const char *name, double *out) {
    const cJSON *v = r ? cJSON_GetObjectItemCaseSensitive(r->meta, name) : NULL;
    if (!cJSON_IsNumber(v)) return 0;
    *out = v->valuedouble;
    return 1;
}

int parity_format_parse(const char *name, parity_format *out) {
    static const char *const names[] = {"table", "json", "csv", "md"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (parity_format)i;
            return PARITY_OK;
        }
    return PARITY_USAGE;
}

/* ---- cell text for people ---------------------------------------------- */

/* Digits grouped in thousands: 10291 -> "10,291". */
static void fmt_count(double v, char *out, size_t cap) {
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t n = strlen(digits), o = 0;
    if (v < 0 && o + 1 < cap) out[o++] = '-';
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (i && (n - i) % 3 == 0 && o + 1 < cap) out[o++] = ',';
        if (o + 1 < cap) out[o++] = digits[i];
    }
    out[o] = '\0';
}

static void cell_text(const pr_col *col, const pr_cell *c, bool human, char *out,
                      size_t cap) {
    if (c->null) {
        snprintf(out, cap, "%s", human ? (col->kind == PR_DIM ? "(blank)" : "-") : "");
        return;
    }
    switch (col->kind) {
    case PR_DIM:
    case PR_TEXT:
        snprintf(out, cap, "%s", c->s ? c->s : "");
        break;
    case PR_YEAR:
        if (c->s) snprintf(out, cap, "%s", c->s);
        else snprintf(out, cap, "%.0f", c->v[0]);
        break;
    case PR_COUNT:
        if (human) fmt_count(c->v[0], out, cap);
        else snprintf(out, cap, "%.0f", c->v[0]);
        break;
    case PR_SHARE:
        if (human) snprintf(out, cap, "%.1f%%", 100 * c->v[0]);
        else snprintf(out, cap, "%.6f", c->v[0]);
        break;
    case PR_REAL:
        snprintf(out, cap, human ? "%.2f" : "%.6g", c->v[0]);
        break;
    case PR_CI:
        if (human) snprintf(out, cap, "%.1f-%.1f%%", 100 * c->v[0], 100 * c->v[1]);
        else snprintf(out, cap, "%.6f", c->v[0]); /* the CSV writer adds the high */
        break;
    }
}

static bool right_aligned(pr_kind k) { return k != PR_DIM && k != PR_TEXT; }

#define CELL_MAX 256

/* Aligned text (md = false) or a Markdown table (md = true). */
static int write_grid(const parity_result *r, FILE *f, bool md) {
    size_t nr = r->nrow, nc = 0;
    /* the columns for people: a view of r without the machine-only ones */
    pr_col *cols = malloc((r->ncol ? r->ncol : 1) * sizeof *cols);
    size_t *src = malloc((r->ncol ? r->ncol : 1) * sizeof *src);
    if (!cols || !src) {
        free(cols);
        free(src);
        return PARITY_NOMEM;
    }
    for (size_t c = 0; c < r->ncol; c++)
        if (!r->col[c].machine_only) {
            cols[nc] = r->col[c];
            src[nc++] = c;
        }
    size_t *w = calloc(nc ? nc : 1, sizeof *w);
    if (!w) {
        free(cols);
        free(src);
        return PARITY_NOMEM;
    }
    char buf[CELL_MAX];
    for (size_t c = 0; c < nc; c++) {
        w[c] = strlen(cols[c].label);
        for (size_t i = 0; i < nr; i++) {
            cell_text(&cols[c], cell_at(r, i, src[c]), true, buf, sizeof buf);
            if (r->has_total && i == nr - 1 && c == 0) snprintf(buf, sizeof buf, "Total");
            size_t len = strlen(buf);
            if (len > w[c]) w[c] = len;
        }
    }
    if (md) {
        if (r->title[0]) fprintf(f, "**%s**\n\n", r->title);
    } else if (r->title[0]) {
        fprintf(f, "%s\n\n", r->title);
    }
    const char *sep = md ? " | " : "  ";
    if (md) fputs("| ", f);
    for (size_t c = 0; c < nc; c++) {
        int width = right_aligned(cols[c].kind) ? (int)w[c] : -(int)w[c];
        if (!md && c == nc - 1 && width < 0) width = 0;
        fprintf(f, "%s%*s", c ? sep : "", width, cols[c].label);
    }
    fputs(md ? " |\n" : "\n", f);
    if (md) {
        fputs("|", f);
        for (size_t c = 0; c < nc; c++) {
            fputc(right_aligned(cols[c].kind) ? '-' : ':', f);
            for (size_t k = 0; k < w[c]; k++) fputc('-', f);
            fputs(right_aligned(cols[c].kind) ? ":|" : "-|", f);
        }
        fputs("\n", f);
    } else {
        size_t total = 0;
        for (size_t c = 0; c < nc; c++) total += w[c] + (c ? 2 : 0);
        for (size_t k = 0; k < total; k++) fputc('-', f);
        fputc('\n', f);
    }
    for (size_t i = 0; i < nr; i++) {
        bool total_row = r->has_total && i == nr - 1;
        if (total_row && !md && nr > 1) {
            size_t total = 0;
            for (size_t c = 0; c < nc; c++) total += w[c] + (c ? 2 : 0);
            for (size_t k = 0; k < total; k++) fputc('-', f);
            fputc('\n', f);
        }
        if (md) fputs("| ", f);
        for (size_t c = 0; c < nc; c++) {
            cell_text(&cols[c], cell_at(r, i, src[c]), true, buf, sizeof buf);
            if (total_row && cols[c].kind == PR_DIM)
                snprintf(buf, sizeof buf, "%s", c == 0 ? (md ? "**Total**" : "Total") : "");
            int width = (int)w[c] + (md && total_row && c == 0 ? 4 : 0);
            if (!md && c == nc - 1 && !right_aligned(cols[c].kind)) width = 0; /* no trailing blanks */
            fprintf(f, "%s%*s", c ? sep : "", right_aligned(cols[c].kind) ? width : -width, buf);
        }
        fputs(md ? " |\n" : "\n", f);
    }
    if (r->nnotes) fputc('\n', f);
    for (size_t i = 0; i < r->nnotes; i++) fprintf(f, "%s%s\n", md ? "- " : "", r->notes[i]);
    free(w);
    free(cols);
    free(src);
    return PARITY_OK;
}

static int write_csv(const parity_result *r, FILE *f) {
    char buf[CELL_MAX];
    for (size_t c = 0; c < r->ncol; c++) {
        if (c) fputc(',', f);
        /* CSV names are flat: "a.b" is written a_b */
        for (const char *p = r->col[c].name; *p; p++) fputc(*p == '.' ? '_' : *p, f);
        if (r->col[c].kind == PR_CI) {
            fputs("_low,", f);
            for (const char *p = r->col[c].name; *p; p++) fputc(*p == '.' ? '_' : *p, f);
            fputs("_high", f);
        }
    }
    fputc('\n', f);
    for (size_t i = 0; i < r->nrow; i++) {
        bool total_row = r->has_total && i == r->nrow - 1;
        for (size_t c = 0; c < r->ncol; c++) {
            const pr_cell *cell = cell_at(r, i, c);
            if (c) fputc(',', f);
            if (total_row && r->col[c].kind == PR_DIM) {
                if (c == 0) fputs("TOTAL", f);
                continue;
            }
            cell_text(&r->col[c], cell, false, buf, sizeof buf);
            if (r->col[c].kind == PR_DIM || r->col[c].kind == PR_TEXT ||
                r->col[c].kind == PR_YEAR) {
                /* RFC 4180: quote only what needs it */
                if (strpbrk(buf, ",\"\r\n")) csv_fwrite(f, buf, strlen(buf));
                else fputs(buf, f);
            } else {
                fputs(buf, f);
            }
            if (r->col[c].kind == PR_CI) {
                fputc(',', f);
                if (!cell->null) fprintf(f, "%.6f", cell->v[1]);
            }
        }
        fputc('\n', f);
    }
    return PARITY_OK;
}

/* The JSON object of one row: dimensions and measures by name, "a.b" names
** nested as {"a": {"b": ...}}. */
static cJSON *row_json(const parity_result *r, size_t i, bool dims) {
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    for (size_t c = 0; c < r->ncol; c++) {
        const pr_col *col = &r->col[c];
        const pr_cell *cell = cell_at(r, i, c);
        if (!dims && col->kind == PR_DIM) continue;
        cJSON *v;
        if (cell->null) v = cJSON_CreateNull();
        else if (col->kind == PR_DIM || col->kind == PR_TEXT) v = cJSON_CreateString(cell->s);
        else if (col->kind == PR_CI) v = cJSON_CreateDoubleArray(cell->v, 2);
        else if (col->kind == PR_YEAR && cell->s) v = cJSON_CreateString(cell->s);
        else v = cJSON_CreateNumber(cell->v[0]);
        if (!v) goto fail;
        cJSON *parent = o;
        const char *name = col->name;
        const char *dot;
        char head[128];
        while (parent && (dot = strchr(name, '.')) != NULL && (size_t)(dot - name) < sizeof head) {
            memcpy(head, name, (size_t)(dot - name));
            head[dot - name] = '\0';
            cJSON *child = cJSON_GetObjectItemCaseSensitive(parent, head);
            parent = child ? child : cJSON_AddObjectToObject(parent, head);
            name = dot + 1;
        }
        if (!parent || !cJSON_AddItemToObject(parent, name, v)) {
            cJSON_Delete(v);
            goto fail;
        }
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

static int write_json(const parity_result *r, FILE *f) {
    int rc = PARITY_NOMEM;
    cJSON *root = cJSON_CreateObject();
    if (!root) return rc;
    if (!cJSON_AddStringToObject(root, "parity_version", PARITY_VERSION)) goto out;
    if (!cJSON_AddStringToObject(root, "command", r->command)) goto out;
    const cJSON *m;
    cJSON_ArrayForEach(m, r->meta) {
        cJSON *copy = cJSON_Duplicate(m, 1);
        if (!copy || !cJSON_AddItemToObject(root, m->string, copy)) {
            cJSON_Delete(copy);
            goto out;
        }
    }
    cJSON *groups = cJSON_AddArrayToObject(root, "groups");
    if (!groups) goto out;
    for (size_t i = 0; i < pr_ngroups(r); i++) {
        cJSON *g = row_json(r, i, true);
        if (!g || !cJSON_AddItemToArray(groups, g)) {
            cJSON_Delete(g);
            goto out;
        }
    }
    if (r->has_total) {
        cJSON *t = row_json(r, r->nrow - 1, false);
        if (!t || !cJSON_AddItemToObject(root, "total", t)) {
            cJSON_Delete(t);
            goto out;
        }
    }
    if (r->nnotes) {
        cJSON *notes = cJSON_CreateStringArray((const char *const *)r->notes, (int)r->nnotes);
        if (!notes || !cJSON_AddItemToObject(root, "notes", notes)) {
            cJSON_Delete(notes);
            goto out;
        }
    }
    char *text = cJSON_Print(root);
    if (!text) goto out;
    fputs(text, f);
    fputc('\n', f);
    cJSON_free(text);
    rc = PARITY_OK;
out:
    cJSON_Delete(root);
    return rc;
}

int parity_result_write(const parity_result *r, FILE *f, parity_format format) {
    int rc;
    switch (format) {
    case PARITY_FORMAT_JSON: rc = write_json(r, f); break;
    case PARITY_FORMAT_CSV: rc = write_csv(r, f); break;
    case PARITY_FORMAT_MD: rc = write_grid(r, f, true); break;
    default: rc = write_grid(r, f, false); break;
    }
    if (rc == PARITY_OK && (fflush(f) != 0 || ferror(f))) rc = PARITY_IO;
    return rc;
}
