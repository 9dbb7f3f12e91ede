/*
** grade.h -- grade scales, spelling normalisation and categories.
*/
#ifndef PARITY_GRADE_H
#define PARITY_GRADE_H

#include "common.h"

typedef enum grade_order {
    GRADE_ORDER_UN = 0,
    GRADE_ORDER_AS_LISTED,
    GRADE_ORDER_NUMERIC,
    GRADE_ORDER_NONE
} grade_order;

/* Normalises a grade spelling for lookup in an ordered scale: trims, upper-
** cases, drops spaces, '-', '_' and '.', so "p-4", "P 4" and "P4" agree.
** Writes at most cap-1 bytes and a NUL into out; returns the length. */
size_t grade_normalise(const char *s, size_t len, char *out, size_t cap);

/* The default UN common-system scale: names in order, lowest first, and the
** category of each. */
extern const char *const grade_un_names[];
extern const char *const grade_un_categories[];
extern const size_t grade_un_count;

#endif /* PARITY_GRADE_H */
