/*
** group.h -- group-by over dictionary codes.
**
** A grouping is a list of dimensions; a group's key is its codes in mixed
** radix (code_0 + card_0 * (code_1 + card_1 * ...)), so counting into groups
** is direct indexing into an array of nkeys cells, never a hash. Output order
** comes from a rank per code (the grade scale, dates, then natural
** alphabetical order with blanks last), composed the same way.
*/
#ifndef PARITY_GROUP_H
#define PARITY_GROUP_H

#include "result.h"
#include "table.h"

typedef enum group_kind { GROUP_GRADE, GROUP_CATEGORY, GROUP_SNAPSHOT, GROUP_COL } group_kind;

typedef struct group_dim {
    group_kind kind;
    size_t col;       /* GROUP_COL: table column */
    uint32_t card;    /* number of codes */
    uint64_t stride;
    uint32_t *rank;   /* code -> output position */
    const char *name;
} group_dim;

typedef struct grouping {
    group_dim *dim;
    size_t ndim;
    uint64_t nkeys;
    bool by_snapshot;
    bool periods;     /* label snapshot codes as periods "t0/t1" (flows) */
} grouping;

#define GROUP_MAX_KEYS (1u << 22)

/* The dimensions of an analysis when none are named. */
#define GROUP_DEFAULT "grade"

/* Splits a dimension list, "grade, department", into names: *buf a copy
** of the list that the names point into, *names their array (the caller
** frees both); blanks around names and empty names dropped. */
int group_split(const char *by, char **buf, const char ***names, size_t *n);
/* The grouping by names[0..n) (none: the whole population); errors (an
** unknown dimension, too many groups) are written to errmsg. */
int group_init_names(grouping *g, const parity_table *t, const char *const *names, size_t n,
                     char *errmsg);
/* The grouping by a dimension list "grade,department", read once: NULL is
** GROUP_DEFAULT, "" the whole population. */
int group_init(grouping *g, const parity_table *t, const char *by, char *errmsg);
void group_free(grouping *g);
static inline uint64_t group_key(const grouping *g, const parity_table *t, size_t row,
                               size_t snap) {
    uint64_t key = 0;
    for (size_t d = 0; d < g->ndim; d++) {
        const group_dim *dm = &g->dim[d];
        uint32_t code;
        switch (dm->kind) {
        case GROUP_GRADE: code = table_grade(t, row); break;
        case GROUP_CATEGORY: code = t->grade_cat[table_grade(t, row)]; break;
        case GROUP_SNAPSHOT: code = (uint32_t)snap; break;
        default: code = table_code_get(&t->cols[dm->col], row); break;
        }
        key += code * dm->stride;
    }
    return key;
}
/* The code of a value of dimension d ("P-4" finds grade P4), or -1. */
int64_t group_find(const grouping *g, const parity_table *t, size_t d, const char *value);
/* Sorts keys[0..n) into output order. */
int group_sort(const grouping *g, uint64_t *keys, size_t n);
/* Adds one RESULT_DIM column per dimension to r. */
int group_add_columns(const grouping *g, parity_result *r);
/* Writes the dimension values of key into row `row` of r (columns 0..ndim). */
int group_set_row(const grouping *g, const parity_table *t, parity_result *r, size_t row,
                uint64_t key);
/* The dimension list as a JSON array, for "parameters". */
struct cJSON *group_json(const grouping *g);

#endif /* PARITY_GROUP_H */
