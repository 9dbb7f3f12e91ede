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
** Each field goes straight into the row being read, as libcsv hands it over
** (on_field -> take): what it fills is settled once, from the header. A
** field's problem is held until the record ends and told only if the record
** has the header's number of fields (if not, that is the one problem).
** Categorical values, grade spellings and one-byte sex codes are looked up
** through small memos of hints, so that a look-up is mostly one comparison.
**
** A file is all or nothing. Rows are appended as they are parsed, but the
** first problem marks the file as failed; parsing goes on to report every
** problem (up to TABLE_MAX_DIAG), and at the end the rows of a failed file are
** cut off again, leaving the table exactly as it was.
*/
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>
#include <iconv.h>
#include <xxhash.h>

#include "table.h"

#define CHUNK (1 << 20)

typedef struct field {
    size_t off, len, line;
} field;

/* What the field at a header position fills in the row being read. */
enum { F_SKIP, F_STAFF, F_DATE, F_SEX, F_GRADE, F_COL, F_ENTRY, F_BIRTH, F_COUNT };
typedef struct feeds {
    uint8_t what;
    uint32_t col; /* F_COL: the table column */
} feeds;

/* A problem found in a record's field, reported once the record has ended
** with the right number of fields (a record that has not is one problem). */
typedef struct pending {
    size_t line, col;
    char *msg;
} pending;

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
    int canon_pos[CANON_N]; /* header position of each canonical column or -1 */
    feeds *feeds;             /* per header position: what its field fills */
    uint32_t *memo;           /* per table column, DICT_MEMO hints (see dict_memo_key) */
    uint32_t grade_memo[DICT_MEMO]; /* hints of grade spellings */
    int8_t sex1[256];         /* sex code of each one-byte value; -2 until asked */
    uint32_t *absent;         /* table columns this file lacks (code 0 on its rows) */
    size_t nabsent;
    size_t ncols_before;      /* table columns before this file */
    int32_t fixed_date;

    size_t from;              /* table rows before this file */
    uint32_t *lines;          /* source line of each new row */
    size_t lcap;

    uint32_t last_staff;      /* the previous row's staff id, UINT32_MAX at first */
    uint32_t *succ;           /* per staff id: the one on the row after it, last time */
    size_t nsucc;
    char memo_date[32];       /* last snapshot_date string and its value */
    size_t memo_len;
    int32_t memo_value;

    size_t row_line;          /* line where the current record's first field began */
    pending *pend;            /* the current record's problems, until its end */
    size_t npend, pendcap;

    bool check_utf8;          /* a byte >= 0x80 was seen: fields are checked */
    bool open;                /* libcsv holds part of a record: fed a line a
                              ** time, a line with content not ended by a record
                              ** opens one, a record's end closes it */
    size_t rows;              /* records ended, counted by on_row */
    uint32_t grade_blank;     /* grade code of this file's rows when it has no grade */
    bool fast;                /* slices fed whole, a line per record assumed */
    size_t nrec;              /* data records ended while fast */

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
    table_diag(L->t, L->file, line, col, "%s", msg);
    if (L->status == PARITY_OK) L->status = PARITY_INVALID;
}

static void nomem(loader *L) {
    L->status = PARITY_NOMEM;
    L->stop = true;
}

static void problem(loader *L, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A problem in a field of the record being read: kept until the record ends. */
static void problem(loader *L, size_t line, size_t col, const char *fmt, ...) {
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (L->npend == L->pendcap) {
        size_t cap = L->pendcap ? L->pendcap * 2 : 8;
        pending *p = realloc(L->pend, cap * sizeof *p);
        if (!p) return nomem(L);
        L->pend = p;
        L->pendcap = cap;
    }
    if (!(L->pend[L->npend].msg = strdup(msg))) return nomem(L);
    L->pend[L->npend].line = line;
    L->pend[L->npend++].col = col;
}

/* Reports the record's problems (report) or forgets them; true if it had none. */
static bool settle(loader *L, bool report) {
    bool none = L->npend == 0;
    for (size_t i = 0; i < L->npend; i++) {
        if (report) fail(L, L->pend[i].line, L->pend[i].col, "%s", L->pend[i].msg);
        free(L->pend[i].msg);
    }
    L->npend = 0;
    return none;
}

/* isspace() in the C locale, without a call per byte. */
static inline bool blank(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Whether any of len bytes has its high bit set: 64 bytes a step, OR-ed
** together without a branch per word (the compiler vectorises it). */
static bool has_high_byte(const char *s, size_t len) {
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        uint64_t w[8], acc = 0;
        memcpy(w, s + i, 64);
        for (int k = 0; k < 8; k++) acc |= w[k];
        if (acc & 0x8080808080808080u) return true;
    }
    for (; i < len; i++)
        if ((unsigned char)s[i] & 0x80) return true;
    return false;
}

/* The offset of the first byte of s that is not part of valid UTF-8 (no
** overlong forms, no surrogates, nothing above U+10FFFF), or len. */
static size_t utf8_bad(const char *str, size_t len) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (!n || i + n > len) return i;
        unsigned char lo = 0x80, hi = 0xBF; /* the second byte's range */
        if (c == 0xE0) lo = 0xA0;
        else if (c == 0xED) hi = 0x9F;
        else if (c == 0xF0) lo = 0x90;
        else if (c == 0xF4) hi = 0x8F;
        if (s[i + 1] < lo || s[i + 1] > hi) return i;
        for (size_t k = 2; k < n; k++)
            if ((s[i + k] & 0xC0) != 0x80) return i;
        i += n;
    }
    return len;
}

/* A field that is not valid UTF-8: a problem naming the byte, and the hint. */
static bool utf8_field(loader *L, const char *s, size_t len, size_t line, size_t col) {
    size_t bad = utf8_bad(s, len);
    if (bad == len) return true;
    problem(L, line, col,
            "not UTF-8 text: byte 0x%02X at position %zu of the field (a file saved as "
            "Latin-1 or Windows-1252, as Excel does in Western Europe? read it with "
            "'encoding' cp1252)",
            (unsigned)(unsigned char)s[bad], bad + 1);
    return false;
}

/* A field's bytes with surrounding white space trimmed. */
static const char *fval(const loader *L, size_t i, size_t *len) {
    const char *s = L->buf + L->f[i].off;
    size_t n = L->f[i].len;
    while (n && blank(*s)) s++, n--;
    while (n && blank(s[n - 1])) n--;
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

/* Keeps a header field's bytes (the header is read whole, then matched). */
static void keep(loader *L, const char *s, size_t len, size_t line) {
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
    if (len) memcpy(L->buf + L->blen, s, len);
    L->f[L->nf].off = L->blen;
    L->f[L->nf].len = len;
    L->f[L->nf].line = line;
    L->blen += len;
    L->buf[L->blen++] = '\0';
    L->nf++;
}

static void take(loader *L, size_t i, const char *s, size_t len, size_t line);

static void on_field(void *s, size_t len, void *data) {
    loader *L = data;
    if (L->stop) return;
    size_t line = L->line; /* where the field began: a multi-line value ends later */
    if (L->line != L->record_line)
        for (const char *p = s, *end = (const char *)s + len;
             (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
            line--;
    if (!L->header_done) {
        if (L->check_utf8 && !utf8_field(L, s, len, line, L->nf + 1)) {
            /* a header that is not text: told now, the header cannot be read */
            settle(L, true);
        }
        return keep(L, s, len, line);
    }
    size_t i = L->nf++;
    if (i == 0) {
        L->row_line = line;
        /* the load's first row was made room for by header() */
        if (L->t->n >= L->t->cap && table_reserve(L->t, L->t->n + 1) != PARITY_OK) return nomem(L);
    }
    if (i >= L->nheader) return; /* too many fields: told at the record's end */
    if (L->check_utf8 && !utf8_field(L, s, len, line, i + 1)) return;
    const char *v = s;
    while (len && blank(*v)) v++, len--;
    while (len && blank(v[len - 1])) len--;
    take(L, i, v, len, line);
}

static int set_successor(loader *L, uint32_t id, uint32_t next) {
    if (id >= L->nsucc) {
        size_t cap = L->nsucc ? L->nsucc : 1024;
        while (cap <= id) cap *= 2;
        uint32_t *p = realloc(L->succ, cap * sizeof *p);
        if (!p) return PARITY_NOMEM;
        memset(p + L->nsucc, 0xff, (cap - L->nsucc) * sizeof *p);
        L->succ = p;
        L->nsucc = cap;
    }
    L->succ[id] = next;
    return PARITY_OK;
}

/* ---- the header -------------------------------------------------------- */

/* The dimension header field `name` feeds, into out: the name a mapping
** gives it; else a canonical column it spells (unless the caller mapped
** that one elsewhere); else its own name -- kept out of the way of a
** canonical or mapped name it merely spells ("Department" beside a mapped
** department is "Department_column"), and of the names parity derives. */
static void dimension_of(const parity_config *cfg, const char *name, size_t i, char *out,
                         size_t cap) {
    const config_map *m = config_map_of_header(cfg, name);
    if (m) {
        snprintf(out, cap, "%s", m->name);
        return;
    }
    int c = config_canon_find(name);
    if (c >= 0 && !config_mapped(cfg, config_canon_name[c])) {
        snprintf(out, cap, "%s", config_canon_name[c]);
        return;
    }
    if (!*name) {
        snprintf(out, cap, "column_%zu", i + 1);
        return;
    }
    bool taken = c >= 0 || config_mapped(cfg, name) || strcasecmp(name, "category") == 0 ||
                 strcasecmp(name, "period") == 0 || strcasecmp(name, "date") == 0;
    snprintf(out, cap, "%s%s", name, taken ? "_column" : "");
}

/* When the header is one field holding a likely separator: that separator. */
static char likely_delimiter(loader *L) {
    if (L->nf != 1) return 0;
    size_t len;
    const char *s = fval(L, 0, &len);
    static const char seps[] = ";\t|,";
    for (const char *d = seps; *d; d++)
        if (*d != L->t->cfg.delimiter && memchr(s, *d, len)) return *d;
    return 0;
}

/* A header no record can be read under: not text, one field holding
** another separator, too many columns. True when it is one. */
static bool header_refused(loader *L) {
    if (L->npend) { /* the header is not text: nothing can be matched */
        L->stop = true;
        return true;
    }
    char sep = likely_delimiter(L);
    if (sep) {
        char shown_sep[8];
        snprintf(shown_sep, sizeof shown_sep, sep == '\t' ? "tab" : "'%c'", sep);
        fail(L, 1, 0,
             "the header is a single column holding %s: the file looks %s-separated; read it "
             "with 'delimiter' %s",
             sep == '\t' ? "tabs" : shown_sep, shown_sep, shown_sep);
        L->stop = true;
        return true;
    }
    if (L->nf > TABLE_MAX_COLS) {
        fail(L, 1, 0, "the header has %zu columns; parity reads at most %d (is this a staff file?)",
             L->nf, TABLE_MAX_COLS);
        L->stop = true;
        return true;
    }
    return false;
}

/* Header field i, named `name`: the canonical column it is (in
** L->canon_pos) or the table column it feeds (pos_col[i], created when
** new); fed_by[c] the field feeding table column c. */
static int header_field(loader *L, size_t i, const char *name, char *dim, long *pos_col,
                        long *fed_by) {
    parity_table *t = L->t;
    dimension_of(&t->cfg, name, i, dim, TABLE_NAME_MAX);
    int canon = config_canon_find(dim);
    if (canon >= 0) {
        if (L->canon_pos[canon] >= 0) {
            size_t j = (size_t)L->canon_pos[canon], lj;
            const char *sj = fval(L, j, &lj);
            fail(L, L->f[i].line, i + 1, "columns \"%.*s\" and \"%s\" are both read as %s",
                 (int)(lj > 60 ? 60 : lj), sj, name, config_canon_name[canon]);
            return PARITY_OK;
        }
        L->canon_pos[canon] = (int)i;
        if (canon < CANON_DEPARTMENT || canon > CANON_CONTRACT_TYPE) return PARITY_OK;
    }
    long c = table_find_col(t, dim);
    if (c >= 0 && fed_by[c] >= 0) {
        fail(L, L->f[i].line, i + 1, "column \"%s\" appears twice", name);
        return PARITY_OK;
    }
    if (c < 0 && (c = table_col_add(t, dim)) < 0) return PARITY_NOMEM;
    pos_col[i] = c;
    fed_by[c] = (long)i;
    return PARITY_OK;
}

/* Every header field's column (pos_col[i], -1: none). */
static int header_columns(loader *L, long *pos_col) {
    parity_table *t = L->t;
    size_t n = L->nf;
    /* table column -> the header position feeding it, or -1: a second
    ** field for one column is found at once, not by a search */
    size_t nfed = t->ncols + n + 1;
    long *fed_by = malloc(nfed * sizeof *fed_by);
    char *dim = malloc(TABLE_NAME_MAX), *name = malloc(TABLE_NAME_MAX);
    int rc = PARITY_NOMEM;
    if (!fed_by || !dim || !name) goto out;
    for (size_t c = 0; c < nfed; c++) fed_by[c] = -1;
    for (int c = 0; c < CANON_N; c++) L->canon_pos[c] = -1;
    rc = PARITY_OK;
    for (size_t i = 0; i < n && rc == PARITY_OK; i++) {
        size_t len;
        const char *s = fval(L, i, &len);
        pos_col[i] = -1;
        if (len >= TABLE_NAME_MAX) {
            fail(L, L->f[i].line, i + 1, "column name of %zu bytes (at most %d)", len,
                 TABLE_NAME_MAX - 1);
            continue;
        }
        memcpy(name, s, len);
        name[len] = '\0';
        if (config_dropped(&t->cfg, name)) continue; /* kept out: never read */
        rc = header_field(L, i, name, dim, pos_col, fed_by);
    }
out:
    free(fed_by);
    free(dim);
    free(name);
    return rc;
}

/* Mappings that matched nothing: each name needs one of its headers. */
static void header_unmatched_maps(loader *L) {
    const parity_config *cfg = &L->t->cfg;
    for (size_t m = 0; m < cfg->nmaps; m++) {
        bool first = true, found = false;
        for (size_t k = 0; k < m && first; k++)
            first = strcasecmp(cfg->maps[k].name, cfg->maps[m].name) != 0;
        if (!first) continue;
        char heads[512] = "";
        size_t used = 0;
        for (size_t k = m; k < cfg->nmaps; k++) {
            if (strcasecmp(cfg->maps[k].name, cfg->maps[m].name) != 0) continue;
            for (size_t i = 0; i < L->nf && !found; i++) {
                size_t len;
                const char *s = fval(L, i, &len);
                found = strlen(cfg->maps[k].header) == len &&
                        strncasecmp(cfg->maps[k].header, s, len) == 0;
            }
            int w = snprintf(heads + used, sizeof heads - used, "%s\"%s\"", used ? ", " : "",
                             cfg->maps[k].header);
            if (w > 0 && (size_t)w < sizeof heads - used) used += (size_t)w;
        }
        if (!found)
            fail(L, 1, 0, "no column %s in the header (mapped to %s)", heads, cfg->maps[m].name);
    }
}

/* The columns every file needs: sex, and the snapshot date (or 'date'). */
static void header_required(loader *L) {
    const parity_config *cfg = &L->t->cfg;
    static const int required[] = {CANON_SEX, CANON_SNAPSHOT_DATE};
    for (size_t k = 0; k < 2; k++) {
        int c = required[k];
        if (L->canon_pos[c] >= 0 || config_mapped(cfg, config_canon_name[c])) continue;
        if (c == CANON_SNAPSHOT_DATE && L->fixed_date != DATE_NONE) continue;
        char found[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < L->nf && used + 4 < sizeof found; i++) {
            size_t len;
            const char *s = fval(L, i, &len);
            int w = snprintf(found + used, sizeof found - used, "%s%.*s", i ? ", " : "",
                             (int)(len > 40 ? 40 : len), s);
            if (w > 0) used += (size_t)w;
        }
        if (c == CANON_SNAPSHOT_DATE)
            fail(L, 1, 0,
                 "missing required column \"snapshot_date\" (header: %s); give the "
                 "snapshot's date with 'date' YYYY-MM-DD or map a column with 'column' "
                 "snapshot_date=HEADER",
                 found);
        else
            fail(L, 1, 0,
                 "missing required column \"%s\" (header: %s); map one with 'column' %s=HEADER",
                 config_canon_name[c], found, config_canon_name[c]);
    }
}

/* What each header position fills, and the table columns none does. */
static int header_plan(loader *L, const long *pos_col) {
    parity_table *t = L->t;
    size_t n = L->nf;
    L->feeds = calloc(n ? n : 1, sizeof *L->feeds);
    L->memo = malloc((t->ncols ? t->ncols : 1) * DICT_MEMO * sizeof *L->memo);
    L->absent = malloc((t->ncols ? t->ncols : 1) * sizeof *L->absent);
    bool *fed = calloc(t->ncols ? t->ncols : 1, sizeof *fed);
    if (!L->feeds || !L->memo || !L->absent || !fed) {
        free(fed);
        return PARITY_NOMEM;
    }
    static const uint8_t fixed[CANON_N] = {
        [CANON_STAFF_ID] = F_STAFF, [CANON_SNAPSHOT_DATE] = F_DATE, [CANON_SEX] = F_SEX,
        [CANON_GRADE] = F_GRADE,    [CANON_ENTRY_DATE] = F_ENTRY,   [CANON_BIRTH_DATE] = F_BIRTH,
        [CANON_COUNT] = F_COUNT};
    for (size_t i = 0; i < n; i++)
        if (pos_col[i] >= 0) {
            L->feeds[i] = (feeds){F_COL, (uint32_t)pos_col[i]};
            fed[pos_col[i]] = true;
        }
    for (int c = 0; c < CANON_N; c++)
        if (L->canon_pos[c] >= 0 && fixed[c]) L->feeds[L->canon_pos[c]].what = fixed[c];
    for (size_t c = 0; c < t->ncols; c++)
        if (!fed[c]) L->absent[L->nabsent++] = (uint32_t)c;
    free(fed);
    memset(L->memo, 0xff, t->ncols * DICT_MEMO * sizeof *L->memo);
    memset(L->grade_memo, 0xff, sizeof L->grade_memo);
    memset(L->sex1, -2, sizeof L->sex1);
    return PARITY_OK;
}

/* The optional fixed columns appear the first time a file has them; then
** room for the first row, and the columns a load fills per row (the
** snapshot date, person dates) back: later rows need only the room. */
static int header_fixed_columns(loader *L) {
    parity_table *t = L->t;
    if (L->canon_pos[CANON_STAFF_ID] < 0) table_mark_no_staff(t);
    table_dates *dates[2] = {&t->entry_date, &t->birth_date};
    int canon_of[2] = {CANON_ENTRY_DATE, CANON_BIRTH_DATE};
    for (int k = 0; k < 2; k++)
        if (L->canon_pos[canon_of[k]] >= 0 && !table_dates_present(dates[k]) && table_dates_create(t, dates[k]))
            return PARITY_NOMEM;
    if (L->canon_pos[CANON_COUNT] >= 0 && table_count_create(t) != PARITY_OK) return PARITY_NOMEM;
    if (L->canon_pos[CANON_GRADE] >= 0) {
        table_mark_grades(t);
    } else {
        int64_t blank = table_grade_blank(t);
        if (blank < 0) return PARITY_NOMEM;
        L->grade_blank = (uint32_t)blank;
    }
    return table_reserve(t, t->n + 1);
}

static void header(loader *L) {
    if (header_refused(L)) return;
    long *pos_col = malloc((L->nf ? L->nf : 1) * sizeof *pos_col); /* header pos -> table column */
    L->nheader = L->nf;
    if (!pos_col || header_columns(L, pos_col) != PARITY_OK) {
        free(pos_col);
        return nomem(L);
    }
    header_unmatched_maps(L);
    header_required(L);
    /* a header that fails leaves no sound way to read the records */
    if (L->status != PARITY_OK) {
        free(pos_col);
        L->stop = true;
        return;
    }
    int rc = header_plan(L, pos_col);
    free(pos_col);
    if (rc != PARITY_OK || header_fixed_columns(L) != PARITY_OK) return nomem(L);
    L->header_done = true;
}

/* ---- one record -------------------------------------------------------- */

/* Reads a date field into *out; a problem if malformed, or empty and required. */
static bool parse_date(loader *L, int canon, const char *s, size_t len, size_t line, size_t col,
                       int32_t *out, bool required) {
    if (len == 0) {
        if (!required) {
            *out = DATE_NONE;
            return true;
        }
        problem(L, line, col, "empty %s", config_canon_name[canon]);
        return false;
    }
    const char *fmt = L->t->cfg.date_format[canon];
    if (!date_parse(s, len, fmt, out)) {
        char v[64];
        problem(L, line, col, "malformed %s \"%s\" (expected %s)", config_canon_name[canon],
                shown(s, len, v, sizeof v), fmt ? fmt : "YYYY-MM-DD");
        return false;
    }
    return true;
}

/* Fills the part of row t->n that field i (trimmed: s, len) feeds. */
static void take_staff(loader *L, size_t r, const char *s, size_t len, size_t line, size_t col) {
    if (len == 0) return problem(L, line, col, "empty staff_id");
    /* exports list people in much the same order snapshot after snapshot:
    ** guess the person who followed the previous row's last time (right 9
    ** times in 10 on the generator's files) */
    uint32_t last = L->last_staff;
    int64_t id = dict_intern_hint(&L->t->staff_ids, s, len, last < L->nsucc ? L->succ[last] : UINT32_MAX);
    if (id < 0) return nomem(L);
    if (last < UINT32_MAX && set_successor(L, last, (uint32_t)id) != PARITY_OK) return nomem(L);
    L->last_staff = (uint32_t)id;
    table_set_staff(L->t, r, L->last_staff);
}

static void take_date(loader *L, size_t r, const char *s, size_t len, size_t line, size_t col) {
    if (len && len == L->memo_len && memcmp(s, L->memo_date, len) == 0)
        return table_set_date(L->t, r, L->memo_value);
    int32_t d;
    if (!parse_date(L, CANON_SNAPSHOT_DATE, s, len, line, col, &d, true)) return;
    table_set_date(L->t, r, d);
    if (len < sizeof L->memo_date) {
        memcpy(L->memo_date, s, len);
        L->memo_len = len;
        L->memo_value = d;
    }
}

static void take_sex(loader *L, size_t r, const char *s, size_t len, size_t line, size_t col) {
    const parity_config *cfg = &L->t->cfg;
    int sex;
    if (len != 1) sex = config_sex(cfg, s, len);
    else if ((sex = L->sex1[(unsigned char)*s]) == -2) /* F, M: asked once */
        sex = L->sex1[(unsigned char)*s] = (int8_t)config_sex(cfg, s, len);
    if (sex >= 0) return table_set_sex(L->t, r, (uint8_t)sex);
    char v[64];
    shown(s, len, v, sizeof v);
    problem(L, line, col,
            "unknown sex code \"%s\" (expected F, M, X or U or an alias; map it with "
            "'sex_code' '%s=F|M|X|U')",
            v, v);
}

static void take_grade(loader *L, size_t r, const char *s, size_t len, size_t line, size_t col) {
    parity_table *t = L->t;
    int64_t g = len ? table_grade_code_hint(t, s, len, &L->grade_memo[dict_memo_key(s, len)]) : -1;
    if (g == -2) return nomem(L);
    if (g >= 0) {
        if (table_col_set(t, &t->grade, r, (uint32_t)g) != PARITY_OK) nomem(L);
        return;
    }
    if (len == 0) return problem(L, line, col, "empty grade");
    static const char *const scale[] = {"the UN common-system scale", "the 'grades' scale",
                                        "a number", "a grade"};
    char v[64];
    problem(L, line, col,
            "unknown grade \"%s\" (not %s%s; 'grade_order' none keeps grades as written)",
            shown(s, len, v, sizeof v), t->cfg.order == GRADE_ORDER_NUMERIC ? "" : "in ",
            scale[t->cfg.order]);
}

static void take_count(loader *L, size_t r, const char *s, size_t len, size_t line, size_t col) {
    uint64_t n = 0;
    bool num = len > 0 && len <= 10;
    for (size_t k = 0; k < len && num; k++) {
        num = s[k] >= '0' && s[k] <= '9';
        n = n * 10 + (uint64_t)(s[k] - '0');
    }
    char v[64];
    if (!num || n > UINT32_MAX)
        problem(L, line, col, "count \"%s\" is not a whole number >= 0", shown(s, len, v, sizeof v));
    else
        table_set_count(L->t, r, (uint32_t)n);
}

static void take(loader *L, size_t i, const char *s, size_t len, size_t line) {
    parity_table *t = L->t;
    size_t r = t->n, col = i + 1;
    const feeds *f = &L->feeds[i];
    switch (f->what) {
    case F_STAFF: return take_staff(L, r, s, len, line, col);
    case F_DATE: return take_date(L, r, s, len, line, col);
    case F_SEX: return take_sex(L, r, s, len, line, col);
    case F_GRADE: return take_grade(L, r, s, len, line, col);
    case F_COUNT: return take_count(L, r, s, len, line, col);
    case F_COL: {
        uint32_t *hint = &L->memo[f->col * DICT_MEMO + dict_memo_key(s, len)];
        int64_t k = dict_intern_hint(&t->cols[f->col].dict, s, len, *hint);
        if (k < 0) return nomem(L);
        *hint = (uint32_t)k;
        if (table_col_set(t, &t->cols[f->col], r, (uint32_t)k) != PARITY_OK) nomem(L);
        return;
    }
    case F_ENTRY:
    case F_BIRTH: {
        int canon = f->what == F_ENTRY ? CANON_ENTRY_DATE : CANON_BIRTH_DATE;
        table_dates *dc = f->what == F_ENTRY ? &t->entry_date : &t->birth_date;
        int32_t d;
        if (parse_date(L, canon, s, len, line, col, &d, false) && table_date_set(t, dc, r, d) != PARITY_OK)
            nomem(L);
        return;
    }
    default:
        return;
    }
}

/* The end of a data record: the row is kept if it had the header's number
** of fields and no problem, with what this file lacks filled in. */
static void record(loader *L) {
    parity_table *t = L->t;
    if (L->nf != L->nheader) {
        settle(L, false);
        fail(L, L->nf ? L->row_line : L->record_line, L->nf < L->nheader ? L->nf : L->nheader + 1,
             "expected %zu fields, found %zu", L->nheader, L->nf);
        return;
    }
    if (!settle(L, true) || L->stop) return;
    size_t r = t->n;
    if (L->canon_pos[CANON_STAFF_ID] < 0) table_set_staff(t, r, UINT32_MAX);
    if (L->canon_pos[CANON_SNAPSHOT_DATE] < 0) table_set_date(t, r, L->fixed_date);
    if (L->canon_pos[CANON_GRADE] < 0 && table_col_set(t, &t->grade, r, L->grade_blank) != PARITY_OK)
        return nomem(L);
    for (size_t k = 0; k < L->nabsent; k++)
        if (table_col_set(t, &t->cols[L->absent[k]], r, 0) != PARITY_OK) return nomem(L);
    table_dates *dcol[2] = {&t->entry_date, &t->birth_date};
    int dcanon[2] = {CANON_ENTRY_DATE, CANON_BIRTH_DATE};
    for (int k = 0; k < 2; k++)
        if (dcol[k]->v && L->canon_pos[dcanon[k]] < 0 && table_date_set(t, dcol[k], r, DATE_NONE) != PARITY_OK)
            return nomem(L);
    if (t->count && L->canon_pos[CANON_COUNT] < 0) table_set_count(t, r, 1);
    size_t k = r - L->from;
    if (k >= L->lcap) {
        size_t cap = L->lcap ? L->lcap * 2 : 1024;
        uint32_t *lines = realloc(L->lines, cap * sizeof *lines);
        if (!lines) return nomem(L);
        L->lines = lines;
        L->lcap = cap;
    }
    L->lines[k] = (uint32_t)L->row_line;
    table_row_commit(t);
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
    L->rows++;
    L->open = false;
    if (L->fast) {
        L->nrec++;
        L->record_line = ++L->line;
    }
}

/* ---- feeding ----------------------------------------------------------- */

/* Whether a line has more than its line end. */
static bool has_content(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] != '\r' && s[i] != '\n') return true;
    return false;
}

/* libcsv trims spaces and tabs around unquoted fields; a tab that separates
** fields must not be one of them. */
static int space_only(unsigned char c) { return c == ' '; }

/* A strict libcsv parser with the configuration's delimiter; 0 on success. */
static int parser_init(struct csv_parser *p, const parity_config *cfg) {
    if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI) != 0) return -1;
    csv_set_delim(p, (unsigned char)cfg->delimiter);
    /* libcsv grows a field's buffer by this much at a time (128 bytes by
    ** default: a field of megabytes would be copied thousands of times) */
    csv_set_blk_size(p, 1 << 16);
    if (cfg->delimiter == '\t') csv_set_space_func(p, space_only);
    return 0;
}

/* Feeds one chunk of input, a line at a time. Returns false to stop. */
static bool feed(loader *L, struct csv_parser *p, const char *s, size_t len) {
    bool start = L->line == 1 && L->blen == 0 && L->nf == 0 && !L->header_done && !L->open;
    if (start && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3; /* UTF-8 byte order mark */
        len -= 3;
    } else if (start && len >= 2 && (memcmp(s, "\xFF\xFE", 2) == 0 || memcmp(s, "\xFE\xFF", 2) == 0)) {
        fail(L, 1, 0,
             "UTF-16 text (it starts with a UTF-16 byte-order mark), as Excel saves \"Unicode "
             "text\": read it with 'encoding' utf-16 (and 'delimiter' tab for Excel's)");
        L->stop = true;
        return false;
    }
    if (!L->check_utf8 && has_high_byte(s, len)) L->check_utf8 = true;
    const char *nul = memchr(s, '\0', len);
    if (nul) {
        size_t line = L->line;
        for (const char *q = s; (q = memchr(q, '\n', (size_t)(nul - q))) != NULL; q++) line++;
        fail(L, line, 0, "binary data (a NUL byte): not a CSV text file");
        L->stop = true;
        return false;
    }
    if (L->fast) {
        /* the whole slice in one call: its line numbers hold if every record
        ** is one line, which the caller checks once the part is read */
        if (csv_parse(p, s, len, on_field, on_row, L) != len) {
            fail(L, L->line, L->nf + 1, "malformed quoting (%s)", csv_strerror(csv_error(p)));
            L->stop = true;
        }
        return !L->stop;
    }
    while (len && !L->stop) {
        const char *nl = memchr(s, '\n', len);
        size_t seg = nl ? (size_t)(nl - s) + 1 : len;
        if (!L->open) L->record_line = L->line; /* between records */
        size_t rows = L->rows;
        if (csv_parse(p, s, seg, on_field, on_row, L) != seg) {
            fail(L, L->line, L->nf + 1, "malformed quoting (%s)", csv_strerror(csv_error(p)));
            L->stop = true;
            return false;
        }
        /* a record ends only at the end of a line: if none ended in this
        ** one, a line with content leaves one open (a quoted value going
        ** on), and a blank line leaves things as they were */
        if (L->rows == rows && has_content(s, seg)) L->open = true;
        if (nl) L->line++;
        s += seg;
        len -= seg;
    }
    return !L->stop;
}

#define PROGRESS_EVERY (16u << 20)

/* The threads a load may use: the table's setting, or one per core. */
static size_t load_threads(const parity_table *t) {
    if (t->threads > 0) return (size_t)t->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}

static void loader_init(loader *L, parity_table *t, const char *file, int32_t fixed_date) {
    memset(L, 0, sizeof *L);
    L->t = t;
    L->file = file;
    L->line = 1;
    L->record_line = 1;
    L->from = t->n;
    L->ncols_before = t->ncols;
    L->fixed_date = fixed_date;
    L->last_staff = UINT32_MAX;
}

static void loader_free(loader *L) {
    free(L->succ);
    free(L->buf);
    free(L->f);
    free(L->lines);
    free(L->feeds);
    free(L->memo);
    free(L->absent);
    settle(L, false);
    free(L->pend);
}

/* Feeds whole lines until the header record has been read; returns the bytes
** consumed (the offset of the first data record). */
static size_t feed_header(loader *L, struct csv_parser *p, const char *s, size_t len) {
    size_t at = 0;
    while (at < len && !L->header_done && !L->stop) {
        const char *nl = memchr(s + at, '\n', len - at);
        size_t seg = nl ? (size_t)(nl - (s + at)) + 1 : len - at;
        if (!feed(L, p, s + at, seg)) break;
        at += seg;
    }
    return at;
}

/* ---- the parallel load --------------------------------------------------
**
** A file already in memory (mapped, or a caller's buffer) of at least
** PAR_MIN_PART bytes per thread is cut into one part per thread, each part
** starting just after a newline. Every part is parsed by its own libcsv
** parser into its own table (part 0 into the table itself), with the header
** fed first so that its columns line up. A cut may land inside a quoted
** field that spans lines; that is detected afterwards: a part that starts on
** a record boundary and ends between records proves the next part started on
** one too, so the parts are sound if each but the last ends between records.
** If one does not, the file is parsed again on one thread. Line numbers are
** exact: the newlines of each part are counted first (in parallel), so every
** part knows its first line.
**
** libcsv knows nothing of lines, so the reader of a stream feeds it a line
** at a time to know each field's line. A part is first fed a slice at a
** time instead (a call per megabyte rather than per line, and no search for
** each newline), taking each record to be one line. That holds exactly when
** the part ends with as many records as it has lines; if it does not (a
** quoted value spanning lines, a blank line, lone CR line ends), or if any
** problem was reported (its line might be off), the file is parsed again a
** line at a time, so every line number reported is exact.
**
** The parts' tables are then absorbed into the table in file order: their
** dictionaries are interned into the table's (in each part's order of first
** appearance, so the codes come out as a one-thread load would give them)
** and their rows copied with the codes remapped. Diagnostics are taken in
** part order, so they read as from one pass.
*/
#define PAR_MIN_PART (1u << 20)
#define SLICE (1u << 20)

typedef struct part {
    loader *L;
    struct csv_parser *p;
    loader own_L;              /* parts after the first */
    struct csv_parser own_p;
    parity_table *sub;         /* the part's own table; NULL for part 0 */
    const char *s;
    size_t len, nl;
    size_t first_line;
    bool last, clean, started;
    bool fast;                 /* fed a slice at a time (see parse_parallel) */
    const char *head;          /* the header's bytes */
    size_t headlen;
    _Atomic uint64_t *done;    /* bytes parsed by all parts */
    uint64_t total;
    pthread_t th;
} part;

/* Newlines in s: eight bytes at a time, exact (no false positives). */
static size_t count_newlines(const char *s, size_t len) {
    const uint64_t ones = 0x0101010101010101u, lows = 0x7f7f7f7f7f7f7f7fu;
    size_t n = 0, i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        w ^= ones * '\n';                         /* a newline byte becomes 0 */
        uint64_t t = ((w & lows) + lows) | w;     /* high bit set unless the byte is 0 */
        n += (size_t)((((~t & ~lows) >> 7) * ones) >> 56); /* add up the 0/1 bytes */
    }
    for (; i < len; i++) n += s[i] == '\n';
    return n;
}

static void *count_part(void *arg) {
    part *P = arg;
    P->nl = count_newlines(P->s, P->len);
    return NULL;
}

/* Ends the input of a parser: the last record may lack its newline. */
static void finish(loader *L, struct csv_parser *p) {
    if (!L->stop && csv_fini(p, on_field, on_row, L) != 0)
        fail(L, L->record_line, 0, "unclosed quote: a quoted field starts on this line and never ends");
}

static void *parse_part(void *arg) {
    part *P = arg;
    loader *L = P->L;
    parity_table *t = L->t;
    if (P->sub) {
        feed_header(L, P->p, P->head, P->headlen); /* sets up the part's columns */
        L->line = L->record_line = P->first_line;
    }
    L->fast = P->fast;
    for (size_t at = 0; at < P->len && !L->stop;) {
        size_t n = P->len - at < SLICE ? P->len - at : SLICE;
        if (!feed(L, P->p, P->s + at, n)) break;
        at += n;
        uint64_t done = atomic_fetch_add(P->done, n) + n;
        if (!P->sub && t->progress && done / PROGRESS_EVERY != (done - n) / PROGRESS_EVERY)
            t->progress(t->progress_data, L->file, done, P->total);
    }
    /* between records at the end: fed a slice at a time, when every line
    ** was one record (else the part is read again a line at a time) */
    P->clean = P->fast ? L->nrec == P->nl + (P->len && P->s[P->len - 1] != '\n') : !L->open;
    if (P->last) finish(L, P->p);
    return NULL;
}

/* Appends a part's source line numbers to the first loader's. */
static int take_lines(loader *L, const loader *from, size_t n) {
    size_t have = L->t->n - L->from;
    if (have + n > L->lcap) {
        uint32_t *lines = realloc(L->lines, (have + n) * sizeof *lines);
        if (!lines) return PARITY_NOMEM;
        L->lines = lines;
        L->lcap = have + n;
    }
    memcpy(L->lines + have, from->lines, n * sizeof *L->lines);
    return PARITY_OK;
}

enum { PAR_DONE = 0, PAR_RETRY = 1, PAR_EXACT = 2 };

/* Cuts s into at most nparts parts, each just after a newline near k/nparts
** of the way; returns how many. */
static size_t cut_parts(part *parts, size_t nparts, const char *s, size_t len) {
    size_t at = 0, n = 0;
    for (size_t k = 0; k < nparts && at < len; k++) {
        size_t end = len;
        if (k + 1 < nparts) {
            size_t aim = len / nparts * (k + 1);
            if (aim < at) aim = at;
            const char *nl = memchr(s + aim, '\n', len - aim);
            end = nl ? (size_t)(nl - s) + 1 : len;
        }
        parts[n].s = s + at;
        parts[n++].len = end - at;
        at = end;
    }
    parts[n - 1].last = true;
    return n;
}

/* Parts after the first get a table, a loader and a parser of their own. */
static bool start_parts(loader *L0, part *parts, size_t n) {
    for (size_t k = 1; k < n; k++) {
        part *P = &parts[k];
        if (!(P->sub = parity_table_new(&L0->t->cfg))) return false;
        loader_init(&P->own_L, P->sub, L0->file, L0->fixed_date);
        P->L = &P->own_L;
        P->p = &P->own_p;
        if (parser_init(P->p, &L0->t->cfg) != 0) return false;
        P->started = true;
    }
    return true;
}

/* 1: count each part's newlines, so that each knows its first line; 2: parse. */
static void run_parts(loader *L0, part *parts, size_t n) {
    void *(*phase[2])(void *) = {count_part, parse_part};
    for (int ph = 0; ph < 2; ph++) {
        bool joinable[n];
        for (size_t k = 1; k < n; k++)
            joinable[k] = pthread_create(&parts[k].th, NULL, phase[ph], &parts[k]) == 0;
        phase[ph](&parts[0]);
        for (size_t k = 1; k < n; k++) {
            if (joinable[k]) pthread_join(parts[k].th, NULL);
            else phase[ph](&parts[k]); /* no thread to be had: here, after the first */
        }
        if (ph == 0) {
            size_t line = L0->line;
            for (size_t k = 1; k < n; k++) parts[k].first_line = line += parts[k - 1].nl;
        }
    }
}

/* 3: takes the parts in order into the first: their diagnostics, then
** (when all is well) their rows. PAR_DONE, or why the parts must be read
** again. */
static int take_parts(loader *L0, part *parts, size_t n, bool fast) {
    parity_table *t = L0->t;
    for (size_t k = 0; k < n; k++) {
        part *P = &parts[k];
        if (P->L->status == PARITY_NOMEM) {
            nomem(L0);
            break;
        }
        /* fed a slice at a time, line numbers hold when the part has as many
        ** records as lines (a record spanning lines, a blank line or a line
        ** ending in a lone CR makes them differ) and nothing was reported */
        if (fast && (P->L->status != PARITY_OK ||
                     P->L->nrec != P->nl + (P->len && P->s[P->len - 1] != '\n')))
            return PAR_EXACT;
        if (k + 1 < n && !P->L->stop && !P->clean)
            return PAR_RETRY; /* the next cut fell inside a quoted field */
        if (k > 0) {
            table_take_diagnostics(t, P->sub);
            if (P->L->status != PARITY_OK && L0->status == PARITY_OK) L0->status = P->L->status;
        }
        if (P->L->stop) break; /* one thread would have stopped here too */
    }
    for (size_t k = 1; k < n && L0->status == PARITY_OK; k++) {
        size_t rows = parts[k].sub->n;
        if (take_lines(L0, parts[k].L, rows) != PARITY_OK || table_absorb(t, parts[k].sub) != PARITY_OK)
            nomem(L0);
    }
    return PAR_DONE;
}

/* Parses s (the records after the header) in nparts parts; L0/p0 carry on
** from the header; fast: feed the parts a slice at a time. Returns PAR_RETRY
** when a cut fell inside a quoted field, PAR_EXACT when a part fed a slice
** at a time may have misnumbered its lines (nothing of the parts is kept
** either way), else PAR_DONE with L0->status set. */
static int parse_parallel(loader *L0, struct csv_parser *p0, const char *head, size_t headlen,
                          const char *s, size_t len, size_t nparts, uint64_t total, bool fast) {
    part *parts = calloc(nparts, sizeof *parts);
    if (!parts) {
        nomem(L0);
        return PAR_DONE;
    }
    _Atomic uint64_t done = headlen;
    int result = PAR_DONE;
    size_t n = cut_parts(parts, nparts, s, len);
    for (size_t k = 0; k < n; k++) {
        parts[k].head = head;
        parts[k].headlen = headlen;
        parts[k].done = &done;
        parts[k].total = total;
        parts[k].fast = fast;
    }
    parts[0].L = L0;
    parts[0].p = p0;
    if (!start_parts(L0, parts, n)) {
        nomem(L0);
    } else {
        run_parts(L0, parts, n);
        result = take_parts(L0, parts, n, fast);
    }
    for (size_t k = 1; k < n; k++) {
        if (parts[k].started) csv_free(&parts[k].own_p);
        if (parts[k].sub) loader_free(&parts[k].own_L);
        parity_table_free(parts[k].sub);
    }
    free(parts);
    return result;
}

/* The checksum of bytes in memory, computed on a thread of its own. */
typedef struct hash_job {
    const char *data;
    size_t len;
    uint64_t digest;
    pthread_t th;
} hash_job;

static void *hash_run(void *arg) {
    hash_job *h = arg;
    h->digest = XXH3_64bits(h->data, h->len);
    return NULL;
}

/* Warns of the columns this file fed that identify people: a value of
** their own on nearly every row of a snapshot (names, e-mail addresses). */
static void warn_identifying(loader *L) {
    parity_table *t = L->t;
    size_t rows = t->n - L->from;
    if (rows < 50) return;
    for (size_t i = 0; i < L->nheader; i++) {
        if (L->feeds[i].what != F_COL) continue;
        const table_column *c = &t->cols[L->feeds[i].col];
        if (config_canon_find(c->name) >= 0) continue;
        /* distinct (date, value) pairs: a stamp per value of the last date
        ** it was seen on (files list a snapshot's rows together) */
        int32_t *stamp = malloc((c->dict.n ? c->dict.n : 1) * sizeof *stamp);
        if (!stamp) return;
        for (uint32_t k = 0; k < c->dict.n; k++) stamp[k] = DATE_NONE;
        size_t distinct = 0;
        for (size_t r = L->from; r < t->n; r++) {
            uint32_t code = table_code_get(c, r);
            if (code && stamp[code] != t->date[r]) {
                stamp[code] = t->date[r];
                distinct++;
            }
        }
        free(stamp);
        if (distinct * 10 < rows * 9) continue;
        size_t len;
        const char *h = fval(L, i, &len);
        table_warn(t,
                "%s: column \"%.*s\" has a value of its own on %zu of %zu rows: it identifies "
                "people, and it would be kept and shown by 'by'; keep it out with 'drop' \"%.*s\"",
                L->file, (int)len, h, distinct, rows, (int)len, h);
    }
}

/* The size of the input, for progress (*total); a regular file large
** enough to be shared out between threads is mapped: *data and *len its
** bytes, *f NULL. Returns the mapping, or NULL. */
static void *map_input(FILE **f, size_t threads, const char **data, size_t *len, uint64_t *total) {
    if (!*f) return NULL;
    struct stat sb;
    if (fstat(fileno(*f), &sb) == 0 && S_ISREG(sb.st_mode)) *total = (uint64_t)sb.st_size;
    if (threads <= 1 || *total < 2 * PAR_MIN_PART || *total > SIZE_MAX) return NULL;
    void *map = mmap(NULL, (size_t)*total, PROT_READ, MAP_PRIVATE, fileno(*f), 0);
    if (map == MAP_FAILED) return NULL;
    *data = map;
    *len = (size_t)*total;
    *f = NULL;
    return map;
}

/* Reads the stream f through the parser a chunk at a time, hashing the
** bytes as read into *digest when hash_it; *any: it had a byte. */
static int read_stream(loader *L, struct csv_parser *p, FILE *f, const char *name, bool hash_it,
                       uint64_t total, uint64_t *digest, bool *any) {
    parity_table *t = L->t;
    char *chunk = malloc(CHUNK);
    XXH3_state_t *hash = hash_it ? XXH3_createState() : NULL;
    int rc = PARITY_OK;
    if (!chunk || (hash_it && !hash)) {
        rc = errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
        goto out;
    }
    if (hash) XXH3_64bits_reset(hash);
    size_t got;
    uint64_t done = 0;
    while ((got = fread(chunk, 1, CHUNK, f)) > 0) {
        *any = true;
        if (hash) XXH3_64bits_update(hash, chunk, got); /* the bytes loaded, as read */
        if (!feed(L, p, chunk, got)) break;
        done += got;
        if (t->progress && done / PROGRESS_EVERY != (done - got) / PROGRESS_EVERY)
            t->progress(t->progress_data, name, done, total);
    }
    if (ferror(f)) {
        rc = errmsg_set(table_errbuf(t), PARITY_IO, "%s: read error: %s", name, strerror(errno));
        goto out;
    }
    finish(L, p);
    if (hash) *digest = XXH3_64bits_digest(hash);
out:
    free(chunk);
    XXH3_freeState(hash);
    return rc;
}

/* Parses bytes in memory, the body shared out between threads when there
** is enough of it (exact: fed a line at a time). PAR_DONE, or PAR_RETRY /
** PAR_EXACT: read it again on one thread / a line at a time. */
static int read_memory(loader *L, struct csv_parser *p, const char *data, size_t len,
                       size_t threads, uint64_t total, bool exact) {
    size_t body = feed_header(L, p, data, len), nparts = threads;
    while (nparts > 1 && (len - body) / nparts < PAR_MIN_PART) nparts--;
    if (nparts > 1 && L->header_done && !L->stop)
        return parse_parallel(L, p, data, body, data + body, len - body, nparts, total, !exact);
    /* on this thread: the whole body as the one and last part */
    _Atomic uint64_t done = body;
    part one = {.L = L, .p = p, .s = data + body, .len = len - body, .last = true,
                .done = &done, .total = total};
    parse_part(&one);
    return PAR_DONE;
}

/* After the last byte: a file without a header or rows is a problem; a
** sound one is sealed into the table with its checksum. The load's status. */
static int load_seal(loader *L, const char *name, bool any, uint64_t digest) {
    parity_table *t = L->t;
    if (L->status == PARITY_NOMEM) return errmsg_set(table_errbuf(t), PARITY_NOMEM, "%s: out of memory", name);
    if (!any || (!L->header_done && L->status == PARITY_OK))
        fail(L, 1, 0, "empty file: no header row");
    else if (L->status == PARITY_OK && t->n == L->from)
        fail(L, 2, 0, "no data rows after the header");
    if (L->status == PARITY_OK) {
        char checksum[TABLE_CHECKSUM_LEN + 1];
        table_checksum_text(digest, checksum);
        warn_identifying(L);
        int rc = table_seal(t, L->from, L->lines, name, checksum);
        if (rc == PARITY_INVALID) L->status = rc;
        else if (rc != PARITY_OK) return errmsg_set(table_errbuf(t), rc, "%s: out of memory", name);
    }
    if (L->status != PARITY_OK)
        return errmsg_set(table_errbuf(t), PARITY_INVALID, "%s: %zu problem%s found", name,
                          t->ndiag_total, t->ndiag_total == 1 ? "" : "s");
    return PARITY_OK;
}

static int load_utf8(parity_table *t, const char *name, FILE *f, const char *data, size_t len,
                     const char *date, const uint64_t *raw_hash) {
    int32_t fixed_date = DATE_NONE;
    if (date && !date_parse(date, strlen(date), NULL, &fixed_date))
        return errmsg_set(table_errbuf(t), PARITY_USAGE, "'date' \"%s\" is not a date (YYYY-MM-DD)",
                        date);
    table_savepoint sp;
    int rc = table_savepoint_open(t, &sp, name);
    if (rc != PARITY_OK) return rc;
    size_t ncols_before = t->ncols, threads = load_threads(t);
    uint64_t digest = raw_hash ? *raw_hash : 0, total = len;
    void *map = map_input(&f, threads, &data, &len, &total);
    loader L;
    struct csv_parser p;
    bool exact = false, any = false; /* exact: feed a line at a time (see parse_parallel) */
    /* the checksum of bytes in memory: on a thread of its own while the
    ** parts parse, when the file is large enough to be shared out */
    hash_job hj = {.data = data, .len = len};
    bool hashing = false;
    if (!f && !raw_hash && len) {
        if (threads > 1 && len >= 2 * PAR_MIN_PART && pthread_create(&hj.th, NULL, hash_run, &hj) == 0)
            hashing = true;
        else
            digest = XXH3_64bits(data, len);
    }
    for (;;) {
        loader_init(&L, t, name, fixed_date);
        L.ncols_before = ncols_before;
        if (parser_init(&p, &t->cfg) != 0) {
            rc = errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
            goto done;
        }
        if (f) {
            if ((rc = read_stream(&L, &p, f, name, !raw_hash, total, &digest, &any)) != PARITY_OK) goto out;
        } else if (len) {
            any = true;
            int how = read_memory(&L, &p, data, len, threads, total, exact);
            if (how != PAR_DONE) {
                /* a cut fell inside a quoted field: once more, on one thread;
                ** or the line numbers may be off: once more, a line at a time */
                table_savepoint_rollback(t, &sp);
                table_diag_reset(t);
                csv_free(&p);
                loader_free(&L);
                if ((rc = table_savepoint_open(t, &sp, name)) != PARITY_OK) goto done;
                if (how == PAR_RETRY) threads = 1;
                exact = true;
                continue;
            }
        } else {
            finish(&L, &p);
        }
        break;
    }
    if (hashing) {
        pthread_join(hj.th, NULL);
        hashing = false;
        digest = hj.digest;
    }
    if (t->progress) t->progress(t->progress_data, name, total, total);
    rc = load_seal(&L, name, any, digest);
out:
    csv_free(&p);
done:
    /* a failed load leaves the table exactly as it was */
    if (rc != PARITY_OK) table_savepoint_rollback(t, &sp);
    else table_savepoint_close(&sp);
    if (hashing) pthread_join(hj.th, NULL); /* before the bytes are unmapped */
    table_load_end(t);
    loader_free(&L);
    if (map) munmap(map, (size_t)total);
    return rc;
}

/* Reads all of f into a malloc'ed buffer; PARITY_IO or PARITY_NOMEM on failure. */
static int slurp(parity_table *t, const char *name, FILE *f, char **out, size_t *outlen) {
    size_t len = 0, cap = CHUNK;
    char *buf = malloc(cap);
    if (!buf) return errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
    size_t got;
    while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            char *p = cap <= SIZE_MAX / 2 ? realloc(buf, cap *= 2) : NULL;
            if (!p) {
                free(buf);
                return errmsg_set(table_errbuf(t), PARITY_NOMEM, "%s: out of memory", name);
            }
            buf = p;
        }
    }
    if (ferror(f)) {
        free(buf);
        return errmsg_set(table_errbuf(t), PARITY_IO, "%s: read error: %s", name, strerror(errno));
    }
    *out = buf;
    *outlen = len;
    return PARITY_OK;
}

/* Converts len bytes in encoding enc to UTF-8 (iconv) into a malloc'ed
** buffer; a byte that is not text in that encoding is a diagnostic with
** its line. */
static int to_utf8(parity_table *t, const char *name, const char *enc, const char *in,
                   size_t len, char **out, size_t *outlen) {
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1)
        return errmsg_set(table_errbuf(t), PARITY_ERROR, "%s: cannot convert from %s: %s", name, enc,
                        strerror(errno));
    size_t cap = len + len / 2 + 16, used = 0;
    char *buf = malloc(cap);
    int rc = buf ? PARITY_OK : PARITY_NOMEM;
    char *src = (char *)in;
    size_t left = len;
    while (rc == PARITY_OK && left) {
        char *dst = buf + used;
        size_t room = cap - used;
        size_t r = iconv(cd, &src, &left, &dst, &room);
        used = (size_t)(dst - buf);
        if (r != (size_t)-1) break;
        if (errno == E2BIG) {
            char *p = realloc(buf, cap *= 2);
            if (!p) rc = PARITY_NOMEM;
            else buf = p;
        } else {
            size_t line = 1;
            for (size_t i = 0; i < used; i++) line += buf[i] == '\n';
            table_diag(t, name, line, 0, "byte 0x%02X at offset %zu is not %s text%s",
                    (unsigned)(unsigned char)*src, (size_t)(src - in), enc,
                    errno == EINVAL ? " (the input ends inside a character)" : "");
            rc = errmsg_set(table_errbuf(t), PARITY_INVALID, "%s: 1 problem found", name);
        }
    }
    iconv_close(cd);
    if (rc == PARITY_NOMEM) errmsg_set(table_errbuf(t), rc, "%s: out of memory", name);
    if (rc != PARITY_OK) {
        free(buf);
        return rc;
    }
    *out = buf;
    *outlen = used;
    return PARITY_OK;
}

/* Loads one input: UTF-8 as it is read, another encoding read whole and
** converted first (its checksum is that of the bytes as they were). */
static int load(parity_table *t, const char *name, FILE *f, const char *data, size_t len,
                const char *date) {
    table_diag_reset(t);
    table_warn_reset(t);
    table_clear_error(t);
    if (!t->cfg.encoding) return load_utf8(t, name, f, data, len, date, NULL);
    char *raw = NULL, *text = NULL;
    size_t rawlen = len, textlen = 0;
    int rc = f ? slurp(t, name, f, &raw, &rawlen) : PARITY_OK;
    const char *bytes = f ? raw : data;
    if (rc == PARITY_OK) rc = to_utf8(t, name, t->cfg.encoding, bytes, rawlen, &text, &textlen);
    if (rc == PARITY_OK) {
        uint64_t digest = XXH3_64bits(bytes, rawlen);
        rc = load_utf8(t, name, NULL, text, textlen, date, &digest);
    }
    free(raw);
    free(text);
    return rc;
}

int parity_table_load_csv(parity_table *t, const char *path, const char *date) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        table_diag_reset(t);
        return errmsg_set(table_errbuf(t), PARITY_IO, "%s: cannot open: %s", path, strerror(errno));
    }
    int rc = load(t, path, f, NULL, 0, date);
    fclose(f);
    return rc;
}

int parity_table_load_csv_stream(parity_table *t, const char *name, FILE *f, const char *date) {
    if (!t || !name || !f) return PARITY_USAGE;
    return load(t, name, f, NULL, 0, date);
}

int parity_table_load_csv_buffer(parity_table *t, const char *name, const char *data,
                                 size_t len, const char *date) {
    return load(t, name, NULL, data, len, date);
}
