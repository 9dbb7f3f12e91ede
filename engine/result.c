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

#include "result.h"

parity_result *result_new(const char *command, const char *title) {
    parity_result *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->command = str_dup(command);
    r->title = str_dup(title ? title : "");
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

int result_add_col(parity_result *r, const char *name, const char *label, result_kind kind) {
    if (r->nrow) return PARITY_ERROR; /* columns come first */
    result_col *col = realloc(r->col, (r->ncol + 1) * sizeof *col);
    if (!col) return PARITY_NOMEM;
    r->col = col;
    col[r->ncol].name = str_dup(name);
    col[r->ncol].label = str_dup(label);
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

int result_add_machine_col(parity_result *r, const char *name, result_kind kind) {
    int rc = result_add_col(r, name, name, kind);
    if (rc == PARITY_OK) r->col[r->ncol - 1].machine_only = true;
    return rc;
}

long result_add_row(parity_result *r) {
    if (r->nrow == r->caprow) {
        size_t cap = r->caprow ? r->caprow * 2 : 16;
        result_cell *cell = realloc(r->cell, cap * r->ncol * sizeof *cell);
        if (!cell) return -1;
        r->cell = cell;
        r->caprow = cap;
    }
    result_cell *row = r->cell + r->nrow * r->ncol;
    for (size_t c = 0; c < r->ncol; c++) {
        row[c].null = true;
        row[c].v[0] = row[c].v[1] = 0;
        row[c].s = NULL;
    }
    return (long)r->nrow++;
}

result_cell *result_at(parity_result *r, size_t row, size_t col) {
    return r->cell + row * r->ncol + col;
}

static const result_cell *cell_at(const parity_result *r, size_t row, size_t col) {
    if (!r || row >= r->nrow || col >= r->ncol) return NULL;
    return r->cell + row * r->ncol + col;
}

int result_set_num(parity_result *r, size_t row, size_t col, double v) {
    result_cell *c = result_at(r, row, col);
    if (!isfinite(v)) return PARITY_OK; /* stays null: no NaN or Infinity */
    c->null = false;
    c->v[0] = v;
    return PARITY_OK;
}

int result_set_ci(parity_result *r, size_t row, size_t col, double lo, double hi) {
    result_cell *c = result_at(r, row, col);
    if (!isfinite(lo) || !isfinite(hi)) return PARITY_OK;
    c->null = false;
    c->v[0] = lo;
    c->v[1] = hi;
    return PARITY_OK;
}

int result_set_text(parity_result *r, size_t row, size_t col, const char *s) {
    result_cell *c = result_at(r, row, col);
    free(c->s);
    c->s = NULL;
    c->null = s == NULL;
    if (s && !(c->s = str_dup(s))) return PARITY_NOMEM;
    return PARITY_OK;
}

int result_note(parity_result *r, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return strlist_add(&r->notes, &r->nnotes, "%s", buf);
}

void result_set_has_total(parity_result *r, bool has) { r->has_total = has; }

int result_set_counts(parity_result *r, size_t c0, size_t ncount, const uint8_t *role,
                      const size_t *derived, size_t nderived, unsigned from) {
    if (ncount > RESULT_MAX_COUNTS || nderived > RESULT_MAX_DERIVED || c0 + ncount > r->ncol)
        return PARITY_USAGE;
    r->counts.c0 = c0;
    r->counts.ncount = ncount;
    memcpy(r->counts.role, role, ncount);
    memcpy(r->counts.derived, derived, nderived * sizeof *derived);
    r->counts.nderived = nderived;
    r->counts.from = from;
    return PARITY_OK;
}

int result_meta(parity_result *r, const char *key, cJSON *item) {
    if (!item) return PARITY_NOMEM;
    cJSON_DeleteItemFromObjectCaseSensitive(r->meta, key);
    if (!cJSON_AddItemToObject(r->meta, key, item)) {
        cJSON_Delete(item);
        return PARITY_NOMEM;
    }
    return PARITY_OK;
}

/* The "parameters" object, made on first use. */
static cJSON *params(parity_result *r) {
    cJSON *p = cJSON_GetObjectItemCaseSensitive(r->meta, "parameters");
    return p ? p : cJSON_AddObjectToObject(r->meta, "parameters");
}

int result_param_json(parity_result *r, const char *key, cJSON *item) {
    cJSON *p = params(r);
    if (!p || !item || !cJSON_AddItemToObject(p, key, item)) {
        cJSON_Delete(item);
        return PARITY_NOMEM;
    }
    return PARITY_OK;
}

int result_param_str(parity_result *r, const char *key, const char *str) {
    return result_param_json(r, key, str ? cJSON_CreateString(str) : cJSON_CreateNull());
}

int result_param_num(parity_result *r, const char *key, double v) {
    return result_param_json(r, key, cJSON_CreateNumber(v));
}

int result_param_bool(parity_result *r, const char *key, bool v) {
    return result_param_json(r, key, cJSON_CreateBool(v));
}

size_t result_ngroups(const parity_result *r) { return r->nrow - (r->has_total ? 1 : 0); }

/* ---- public accessors -------------------------------------------------- */

size_t parity_result_ngroups(const parity_result *r) { return r ? result_ngroups(r) : 0; }
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
    const result_cell *c = cell_at(r, group, col);
    return !c || c->null;
}

double parity_result_number(const parity_result *r, size_t group, size_t col) {
    const result_cell *c = cell_at(r, group, col);
    return c && !c->null ? c->v[0] : 0;
}

double parity_result_high(const parity_result *r, size_t group, size_t col) {
    const result_cell *c = cell_at(r, group, col);
    return c && !c->null ? c->v[1] : 0;
}

const char *parity_result_text(const parity_result *r, size_t group, size_t col) {
    const result_cell *c = cell_at(r, group, col);
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

/* ---- text ---------------------------------------------------------------- */

/* The length of the UTF-8 sequence at s (at most len bytes), or 0 when it is
** not valid UTF-8 (no overlong forms, no surrogates, at most U+10FFFF). */
static size_t utf8_len(const unsigned char *s, size_t len, uint32_t *cp) {
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (!n || n > len) return 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c == 0xE0) lo = 0xA0;
    else if (c == 0xED) hi = 0x9F;
    else if (c == 0xF0) lo = 0x90;
    else if (c == 0xF4) hi = 0x8F;
    if (s[1] < lo || s[1] > hi) return 0;
    uint32_t v = c & (0x7F >> n);
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0;
        v = v << 6 | (s[k] & 0x3F);
    }
    *cp = v;
    return n;
}

/* Columns a code point takes on a terminal: 0 for combining marks and
** zero-width characters, 2 for East Asian wide and emoji, else 1. */
static int cp_width(uint32_t c) {
    if ((c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
        (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
        (c >= 0xFE20 && c <= 0xFE2F) || (c >= 0x200B && c <= 0x200F))
        return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
        (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

/* The terminal width of UTF-8 text (as escaped for people: valid). */
static size_t display_width(const char *s) {
    size_t w = 0, len = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    while (len) {
        uint32_t cp;
        size_t n = utf8_len(p, len, &cp);
        if (!n) n = 1, cp = 0xFFFD;
        w += (size_t)cp_width(cp);
        p += n;
        len -= n;
    }
    return w;
}

/* Text for a person's screen: control characters (a terminal would obey
** them: an escape sequence in a department's name could retitle the window
** or clear the screen) written as \n, \t, \xHH; invalid UTF-8 as U+FFFD;
** for Markdown, '|' as "\|". At most cap - 1 bytes. */
static void for_people(const char *s, bool md, char *out, size_t cap) {
    size_t o = 0, len = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    while (len && o + 8 < cap) {
        uint32_t cp;
        size_t n = utf8_len(p, len, &cp);
        if (!n) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++, len--;
            continue;
        }
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            int w = cp == '\n' ? snprintf(out + o, cap - o, "\\n")
                    : cp == '\r' ? snprintf(out + o, cap - o, "\\r")
                    : cp == '\t' ? snprintf(out + o, cap - o, "\\t")
                                 : snprintf(out + o, cap - o, "\\x%02X", (unsigned)cp);
            o += (size_t)w;
        } else if (md && cp == '|') {
            out[o++] = '\\';
            out[o++] = '|';
        } else {
            memcpy(out + o, p, n);
            o += n;
        }
        p += n;
        len -= n;
    }
    out[o] = '\0';
}

/* Copies text to f with every invalid UTF-8 byte written as U+FFFD, so what
** parity writes is always valid UTF-8 whatever it was given. */
static void put_utf8(FILE *f, const char *text, size_t len) {
    const unsigned char *p = (const unsigned char *)text;
    size_t run = 0; /* valid bytes not yet written */
    while (len) {
        uint32_t cp;
        size_t n = utf8_len(p + run, len, &cp);
        if (n) {
            run += n;
            len -= n;
            continue;
        }
        fwrite(p, 1, run, f);
        fputs("\xEF\xBF\xBD", f);
        p += run + 1;
        run = 0;
        len--;
    }
    fwrite(p, 1, run, f);
}

/* ---- cell text ----------------------------------------------------------- */

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

static void cell_text(const result_col *col, const result_cell *c, bool human, char *out,
                      size_t cap) {
    if (c->null) {
        snprintf(out, cap, "%s", human ? (col->kind == RESULT_DIM ? "(blank)" : "-") : "");
        return;
    }
    switch (col->kind) {
    case RESULT_DIM:
    case RESULT_TEXT:
    case RESULT_NOTE:
        snprintf(out, cap, "%s", c->s ? c->s : "");
        break;
    case RESULT_YEAR:
        if (human && c->s) snprintf(out, cap, "%s", c->s);
        else if (c->v[0] != 0) snprintf(out, cap, "%.0f", c->v[0]);
        else snprintf(out, cap, "%s", human ? "-" : "");
        break;
    case RESULT_BOOL:
        snprintf(out, cap, "%s", c->v[0] != 0 ? (human ? "yes" : "true") : (human ? "no" : "false"));
        break;
    case RESULT_COUNT:
        if (human) fmt_count(c->v[0], out, cap);
        else snprintf(out, cap, "%.0f", c->v[0]);
        break;
    case RESULT_SHARE:
        if (human) snprintf(out, cap, "%.1f%%", 100 * c->v[0]);
        else snprintf(out, cap, "%.6f", c->v[0]);
        break;
    case RESULT_REAL:
        snprintf(out, cap, human ? "%.2f" : "%.6g", c->v[0]);
        break;
    case RESULT_CI:
        if (human) snprintf(out, cap, "%.1f-%.1f%%", 100 * c->v[0], 100 * c->v[1]);
        else snprintf(out, cap, "%.6f", c->v[0]); /* the CSV writer adds the high */
        break;
    }
}

static bool right_aligned(result_kind k) { return k != RESULT_DIM && k != RESULT_TEXT && k != RESULT_NOTE; }

#define CELL_MAX 1024
#define TABLE_WIDTH 100 /* columns a table for people fits in, wrapped if need be */

/* The text of every cell people see, escaped, with footnote marks in
** place of notes; the notes themselves numbered in fn. */
typedef struct grid {
    size_t nr, nc;
    const result_col **cols;
    char **text;   /* nr x nc */
    size_t *w;     /* display width per column */
    char **fn;     /* footnotes, each once */
    size_t nfn;
} grid;

static void grid_free(grid *g) {
    for (size_t i = 0; g->text && i < g->nr * g->nc; i++) free(g->text[i]);
    for (size_t i = 0; i < g->nfn; i++) free(g->fn[i]);
    free(g->text);
    free(g->cols);
    free(g->w);
    free(g->fn);
}

static int grid_build(const parity_result *r, bool md, grid *g) {
    memset(g, 0, sizeof *g);
    g->nr = r->nrow;
    g->cols = malloc((r->ncol ? r->ncol : 1) * sizeof *g->cols);
    size_t *src = malloc((r->ncol ? r->ncol : 1) * sizeof *src);
    if (!g->cols || !src) goto nomem;
    /* notes are not columns: a mark after the cell before them */
    for (size_t c = 0; c < r->ncol; c++)
        if (!r->col[c].machine_only && r->col[c].kind != RESULT_NOTE) {
            g->cols[g->nc] = &r->col[c];
            src[g->nc++] = c;
        }
    size_t ncells = g->nr * g->nc > 0 ? g->nr * g->nc : 1;
    g->text = calloc(ncells, sizeof *g->text);
    g->w = calloc(g->nc ? g->nc : 1, sizeof *g->w);
    g->fn = malloc((g->nr ? g->nr : 1) * r->ncol * sizeof *g->fn);
    if (!g->text || !g->w || !g->fn) goto nomem;
    char raw[CELL_MAX], buf[4 * CELL_MAX];
    for (size_t c = 0; c < g->nc; c++) {
        for_people(g->cols[c]->label, md, buf, sizeof buf);
        g->w[c] = display_width(buf);
    }
    for (size_t i = 0; i < g->nr; i++) {
        bool total_row = r->has_total && i == g->nr - 1;
        for (size_t c = 0; c < g->nc; c++) {
            const result_cell *cell = cell_at(r, i, src[c]);
            cell_text(g->cols[c], cell, true, raw, sizeof raw);
            if (total_row && g->cols[c]->kind == RESULT_DIM)
                snprintf(raw, sizeof raw, "%s", c == 0 ? (md ? "**Total**" : "Total") : "");
            /* the notes between this column and the next visible one */
            size_t end = c + 1 < g->nc ? src[c + 1] : r->ncol;
            for (size_t k = src[c] + 1; k < end; k++) {
                const result_cell *note = cell_at(r, i, k);
                if (r->col[k].kind != RESULT_NOTE || note->null || !note->s || !*note->s) continue;
                size_t f = 0;
                while (f < g->nfn && strcmp(g->fn[f], note->s) != 0) f++;
                if (f == g->nfn && !(g->fn[g->nfn++] = str_dup(note->s))) goto nomem;
                size_t len = strlen(raw);
                snprintf(raw + len, sizeof raw - len, " [%zu]", f + 1);
            }
            for_people(raw, md && !(total_row && c == 0), buf, sizeof buf);
            if (!(g->text[i * g->nc + c] = str_dup(buf))) goto nomem;
            size_t w = display_width(buf);
            if (w > g->w[c]) g->w[c] = w;
        }
    }
    free(src);
    return PARITY_OK;
nomem:
    free(src);
    grid_free(g);
    return PARITY_NOMEM;
}

/* Writes text padded to width columns of the screen, left or right. */
static void pad(FILE *f, const char *text, size_t width, bool right) {
    size_t w = display_width(text);
    if (right)
        for (size_t k = w; k < width; k++) fputc(' ', f);
    fputs(text, f);
    if (!right)
        for (size_t k = w; k < width; k++) fputc(' ', f);
}

static void rule(FILE *f, size_t width) {
    for (size_t k = 0; k < width; k++) fputc('-', f);
    fputc('\n', f);
}

/* Columns [c0, c1) of the grid, after its first nkeep (the dimensions,
** repeated in every block of a wrapped table). */
static void grid_block(const grid *g, FILE *f, bool md, size_t nkeep, size_t c0, size_t c1,
                       bool has_total) {
    size_t ncols = nkeep + (c1 - c0), total = 0;
    size_t *pick = malloc((ncols ? ncols : 1) * sizeof *pick);
    if (!pick) return;
    for (size_t k = 0; k < nkeep; k++) pick[k] = k;
    for (size_t k = c0; k < c1; k++) pick[nkeep + k - c0] = k;
    for (size_t k = 0; k < ncols; k++) total += g->w[pick[k]] + (k ? 2 : 0);
    const char *sep = md ? " | " : "  ";
    char buf[4 * CELL_MAX];
    if (md) fputs("| ", f);
    for (size_t k = 0; k < ncols; k++) {
        size_t c = pick[k];
        bool right = right_aligned(g->cols[c]->kind);
        for_people(g->cols[c]->label, md, buf, sizeof buf);
        if (k) fputs(sep, f);
        /* no trailing blanks on a line */
        pad(f, buf, !md && k == ncols - 1 && !right ? 0 : g->w[c], right);
    }
    fputs(md ? " |\n" : "\n", f);
    if (md) {
        fputs("|", f);
        for (size_t k = 0; k < ncols; k++) {
            bool right = right_aligned(g->cols[pick[k]]->kind);
            fputc(right ? '-' : ':', f);
            for (size_t j = 0; j < g->w[pick[k]]; j++) fputc('-', f);
            fputs(right ? ":|" : "-|", f);
        }
        fputs("\n", f);
    } else {
        rule(f, total);
    }
    for (size_t i = 0; i < g->nr; i++) {
        bool total_row = has_total && i == g->nr - 1;
        if (total_row && !md && g->nr > 1) rule(f, total);
        if (md) fputs("| ", f);
        for (size_t k = 0; k < ncols; k++) {
            size_t c = pick[k];
            bool right = right_aligned(g->cols[c]->kind);
            if (k) fputs(sep, f);
            pad(f, g->text[i * g->nc + c], !md && k == ncols - 1 && !right ? 0 : g->w[c], right);
        }
        fputs(md ? " |\n" : "\n", f);
    }
    free(pick);
}

/* Writes prose for a terminal, its words wrapped at TABLE_WIDTH columns,
** lines after the first indented by `hang` spaces; Markdown keeps it one
** line (a paragraph). */
static void prose(FILE *f, const char *lead, const char *text, bool md) {
    if (md) {
        fprintf(f, "%s%s\n", lead, text);
        return;
    }
    size_t col = 0, hang = display_width(lead);
    fputs(lead, f);
    col = hang;
    const char *p = text;
    char word[4 * CELL_MAX];
    while (*p) {
        while (*p == ' ') p++;
        size_t n = strcspn(p, " ");
        if (!n) break;
        if (n >= sizeof word) n = sizeof word - 1;
        memcpy(word, p, n);
        word[n] = '\0';
        size_t w = display_width(word);
        if (col > hang && col + 1 + w > TABLE_WIDTH) {
            fputc('\n', f);
            for (size_t k = 0; k < hang; k++) fputc(' ', f);
            col = hang;
        } else if (col > hang) {
            fputc(' ', f);
            col++;
        }
        fputs(word, f);
        col += w;
        p += n;
    }
    fputc('\n', f);
}

/* Aligned text (md = false) or a Markdown table (md = true). Text tables
** wider than TABLE_WIDTH are wrapped: the dimension columns, then as many
** measures as fit, block after block. */
static int write_grid(const parity_result *r, FILE *f, bool md) {
    grid g;
    if (grid_build(r, md, &g) != PARITY_OK) return PARITY_NOMEM;
    char buf[4 * CELL_MAX];
    if (r->title[0]) {
        for_people(r->title, false, buf, sizeof buf);
        if (md) fprintf(f, "**%s**\n", buf);
        else prose(f, "", buf, false);
        fputc('\n', f);
    }
    size_t nkeep = 0, keep_w = 0;
    while (nkeep < g.nc && g.cols[nkeep]->kind == RESULT_DIM) keep_w += g.w[nkeep++] + 2;
    if (nkeep == g.nc || md) {
        grid_block(&g, f, md, 0, 0, g.nc, r->has_total);
    } else {
        for (size_t c0 = nkeep; c0 < g.nc;) {
            size_t c1 = c0, w = keep_w;
            while (c1 < g.nc && (c1 == c0 || w + g.w[c1] + 2 <= TABLE_WIDTH + 2)) w += g.w[c1++] + 2;
            if (c0 > nkeep) fputc('\n', f);
            grid_block(&g, f, false, nkeep, c0, c1, r->has_total);
            c0 = c1;
        }
    }
    if (r->nnotes || g.nfn) fputc('\n', f);
    for (size_t i = 0; i < g.nfn; i++) {
        char lead[32];
        snprintf(lead, sizeof lead, "%s[%zu] ", md ? "- " : "", i + 1);
        for_people(g.fn[i], md, buf, sizeof buf);
        prose(f, lead, buf, md);
    }
    for (size_t i = 0; i < r->nnotes; i++) {
        for_people(r->notes[i], false, buf, sizeof buf);
        prose(f, md ? "- " : "", buf, md);
    }
    grid_free(&g);
    return PARITY_OK;
}

/* ---- CSV ----------------------------------------------------------------- */

/* A text value for a spreadsheet: one starting with = + - @ or a tab or CR
** would be taken for a formula (CSV injection), so it gets a leading
** apostrophe, the usual neutraliser (OWASP); then RFC 4180 quoting where
** needed. */
static void csv_text(FILE *f, const char *s) {
    char buf[CELL_MAX + 2];
    if (strchr("=+-@\t\r", s[0]) && s[0]) {
        snprintf(buf, sizeof buf, "'%s", s);
        s = buf;
    }
    if (strpbrk(s, ",\"\r\n")) csv_fwrite(f, s, strlen(s));
    else fputs(s, f);
}

/* Columns "projection.YEAR.x" form a series: CSV writes it long, one line
** per group and year, so its columns do not depend on the years asked. */
static int series_year(const result_col *col, const char **rest) {
    const char *p = col->name;
    if (strncmp(p, "projection.", 11) != 0) return 0;
    char *end;
    long y = strtol(p + 11, &end, 10);
    if (end == p + 11 || *end != '.') return 0;
    *rest = end + 1;
    return (int)y;
}

static void csv_name(FILE *f, const char *name, const char *suffix) {
    /* CSV names are flat: "a.b" is written a_b */
    for (const char *p = name; *p; p++) fputc(*p == '.' ? '_' : *p, f);
    fputs(suffix, f);
}

static void csv_cell(FILE *f, const result_col *col, const result_cell *cell) {
    char buf[CELL_MAX];
    cell_text(col, cell, false, buf, sizeof buf);
    if (col->kind == RESULT_DIM || col->kind == RESULT_TEXT || col->kind == RESULT_NOTE) {
        if (!cell->null) csv_text(f, buf);
    } else {
        fputs(buf, f);
    }
    if (col->kind == RESULT_CI) {
        fputc(',', f);
        if (!cell->null) fprintf(f, "%.6f", cell->v[1]);
    }
}

static int write_csv(const parity_result *r, FILE *f) {
    /* the series' years, and the columns of one year (named without it) */
    int first_year = 0;
    size_t per_year = 0;
    for (size_t c = 0; c < r->ncol; c++) {
        const char *rest;
        int y = series_year(&r->col[c], &rest);
        if (!y) continue;
        if (!first_year) first_year = y;
        if (y == first_year) per_year++;
    }
    bool wrote = false;
    for (size_t c = 0; c < r->ncol; c++) {
        const char *rest;
        int y = series_year(&r->col[c], &rest);
        if (y && y != first_year) continue;
        if (wrote) fputc(',', f);
        wrote = true;
        if (y && y == first_year && strcmp(rest, "female_share") == 0) fputs("year,", f);
        const char *name = y ? rest : r->col[c].name;
        char pre[80] = "";
        if (y) snprintf(pre, sizeof pre, "projected_");
        if (*pre) fputs(pre, f);
        csv_name(f, name, "");
        if (r->col[c].kind == RESULT_CI) {
            fputs("_low,", f);
            if (*pre) fputs(pre, f);
            csv_name(f, name, "_high");
        }
    }
    if (r->has_total) fputs(",is_total", f);
    fputc('\n', f);
    size_t nyears = 0;
    for (size_t c = 0; c < r->ncol; c++) {
        const char *rest;
        if (series_year(&r->col[c], &rest) && strcmp(rest, "female_share") == 0) nyears++;
    }
    for (size_t i = 0; i < r->nrow; i++) {
        bool total_row = r->has_total && i == r->nrow - 1;
        for (size_t yi = 0; yi < (nyears ? nyears : 1); yi++) {
            bool sep = false;
            size_t in_year = 0;
            for (size_t c = 0; c < r->ncol; c++) {
                const char *rest;
                int y = series_year(&r->col[c], &rest);
                if (y && (size_t)(y - first_year) != yi) continue;
                if (sep) fputc(',', f);
                sep = true;
                if (y && in_year++ == 0) fprintf(f, "%d,", y);
                if (total_row && r->col[c].kind == RESULT_DIM) continue; /* blank: see is_total */
                csv_cell(f, &r->col[c], cell_at(r, i, c));
            }
            if (r->has_total) fputs(total_row ? ",true" : ",false", f);
            fputc('\n', f);
        }
    }
    (void)per_year;
    return PARITY_OK;
}

/* ---- JSON ---------------------------------------------------------------- */

/* The JSON object of one row: dimensions and measures by name, "a.b" names
** nested as {"a": {"b": ...}}. */
cJSON *result_cell_json(const result_col *col, const result_cell *cell) {
    if (cell->null) return cJSON_CreateNull();
    if (col->kind == RESULT_DIM || col->kind == RESULT_TEXT || col->kind == RESULT_NOTE)
        return cJSON_CreateString(cell->s);
    if (col->kind == RESULT_CI) return cJSON_CreateDoubleArray(cell->v, 2);
    if (col->kind == RESULT_YEAR && cell->v[0] == 0)
        return cJSON_CreateNull();
    if (col->kind == RESULT_BOOL) return cJSON_CreateBool(cell->v[0] != 0);
    return cJSON_CreateNumber(cell->v[0]);
}

static cJSON *row_json(const parity_result *r, size_t i, bool dims) {
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    for (size_t c = 0; c < r->ncol; c++) {
        const result_col *col = &r->col[c];
        const result_cell *cell = cell_at(r, i, c);
        if (!dims && col->kind == RESULT_DIM) continue;
        cJSON *v = result_cell_json(col, cell);
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
    for (size_t i = 0; i < result_ngroups(r); i++) {
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
    /* rendered in memory, then written as valid UTF-8 whatever went in */
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return PARITY_NOMEM;
    int rc;
    switch (format) {
    case PARITY_FORMAT_JSON: rc = write_json(r, m); break;
    case PARITY_FORMAT_CSV: rc = write_csv(r, m); break;
    case PARITY_FORMAT_MD: rc = write_grid(r, m, true); break;
    default: rc = write_grid(r, m, false); break;
    }
    if (fclose(m) != 0 && rc == PARITY_OK) rc = PARITY_NOMEM;
    if (rc == PARITY_OK) put_utf8(f, text, len);
    free(text);
    if (rc == PARITY_OK && (fflush(f) != 0 || ferror(f))) rc = PARITY_IO;
    return rc;
}

int parity_result_render(const parity_result *r, parity_format format, char **out, size_t *len) {
    if (!r || !out || !len) return PARITY_USAGE;
    *out = NULL;
    *len = 0;
    FILE *m = open_memstream(out, len);
    if (!m) return PARITY_NOMEM;
    int rc = parity_result_write(r, m, format);
    if (fclose(m) != 0 && rc == PARITY_OK) rc = PARITY_NOMEM;
    if (rc != PARITY_OK) {
        free(*out);
        *out = NULL;
        *len = 0;
    }
    return rc;
}
