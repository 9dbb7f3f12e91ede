/*
** result.h -- the result frame.
*/
#ifndef PARITY_RESULT_H
#define PARITY_RESULT_H

#include "common.h"

typedef enum result_kind {
    RESULT_DIM = 0,  /* dimension value, text */
    RESULT_COUNT,    /* integer count */
    RESULT_SHARE,    /* fraction 0..1, shown as a percentage */
    RESULT_REAL,     /* other real number */
    RESULT_CI,       /* interval [lo, hi] of shares */
    RESULT_TEXT,     /* a word, e.g. a status */
    RESULT_YEAR,     /* a year (JSON: a number or null); people may see a word
                 ** in its place ("reached") or a mark ("2190*") */
    RESULT_BOOL,     /* true or false */
    RESULT_NOTE      /* prose: in JSON and CSV as it is, for people a footnote
                 ** mark ([1]) with the text under the table */
} result_kind;

typedef struct result_cell {
    bool null;
    double v[2];
    char *s;
} result_cell;

typedef struct result_col {
    char *name;   /* JSON name; "a.b" nests b inside object a */
    char *label;  /* header for people */
    result_kind kind;
    bool machine_only; /* shown in JSON and CSV, not in table and md */
} result_col;

/* The counts a result publishes, for their protection (disclose.c):
** columns c0 .. c0 + ncount - 1 of every row; role[i] says how column i
** adds up along a row (RESULT_PART: a part of the row's total, RESULT_SUM:
** the row's total, RESULT_ALONE: in no row's sum); each group row's counts
** add up to the total row's, when the result has one. derived[] are the
** columns computed from the counts whose bits are set in `from` (bit i:
** column c0 + i), withheld with any of them. */
enum { RESULT_ALONE = 0, RESULT_PART = 1, RESULT_SUM = 2 };
#define RESULT_MAX_COUNTS 8
#define RESULT_MAX_DERIVED 16
typedef struct result_counts {
    size_t c0, ncount;
    uint8_t role[RESULT_MAX_COUNTS];
    size_t derived[RESULT_MAX_DERIVED];
    size_t nderived;
    unsigned from;
} result_counts;

struct parity_result {
    char *command;
    result_col *col;
    size_t ncol;
    result_cell *cell;          /* row-major, (ngroup + has_total) x ncol */
    size_t nrow, caprow;
    bool has_total;
    struct cJSON *meta;     /* inputs, parameters and scalars for JSON */
    char **notes;           /* lines shown under the table */
    size_t nnotes;
    char *title;
    result_counts counts;   /* what protection needs to know; ncount 0: none */
};

parity_result *result_new(const char *command, const char *title);
int result_add_col(parity_result *r, const char *name, const char *label,
               result_kind kind);
/* As result_add_col, for a column only JSON and CSV show. */
int result_add_machine_col(parity_result *r, const char *name, result_kind kind);
/* Appends a row of nulls; returns its index or -1 (NOMEM). */
long result_add_row(parity_result *r);
result_cell *result_at(parity_result *r, size_t row, size_t col);
int result_set_num(parity_result *r, size_t row, size_t col, double v);
int result_set_ci(parity_result *r, size_t row, size_t col, double lo, double hi);
int result_set_text(parity_result *r, size_t row, size_t col, const char *s);
int result_note(parity_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The last row is the total row (or not). */
void result_set_has_total(parity_result *r, bool has);
/* Metadata of the result beside its groups, for JSON: an item at the top
** level (r takes item, which may be NULL after a failed allocation:
** PARITY_NOMEM), and the "parameters" object's entries (str NULL: null). */
int result_meta(parity_result *r, const char *key, struct cJSON *item);
int result_param_str(parity_result *r, const char *key, const char *str);
int result_param_num(parity_result *r, const char *key, double v);
int result_param_bool(parity_result *r, const char *key, bool v);
int result_param_json(parity_result *r, const char *key, struct cJSON *item);
/* Declares the result's counts for protection (see result_counts). */
int result_set_counts(parity_result *r, size_t c0, size_t ncount, const uint8_t *role,
                      const size_t *derived, size_t nderived, unsigned from);
/* A cell as JSON: null, a string, a number, [lo, hi], a boolean. */
struct cJSON *result_cell_json(const result_col *col, const result_cell *cell);
/* Number of group rows (excluding the total row). */
size_t result_ngroups(const parity_result *r);

#endif /* PARITY_RESULT_H */
