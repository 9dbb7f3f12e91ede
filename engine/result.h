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
/* Number of group rows (excluding the total row). */
size_t result_ngroups(const parity_result *r);

#endif /* PARITY_RESULT_H */
