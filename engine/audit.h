/*
** audit.h -- whether withheld counts can be worked out from the counts
** published beside them, across every table of a publication.
**
** Counts are cells with a key: the same key in two tables is the same count
** (a report's total row and its headline). What a reader knows of them is
** a set of linear equations (a row's parts add up to its total; a coarse
** table's cell is the sum of the finer cells inside it; the staff at the
** end of a year are those at its start plus the year's movements). A
** withheld cell is *determined* when the equations and the cells shown fix
** its value. audit_protect() withholds the cells from 1 to min_cell - 1,
** then, while any withheld cell is determined, the smallest positive shown
** cell in an equation with it.
*/
#ifndef PARITY_AUDIT_H
#define PARITY_AUDIT_H

#include "common.h"

typedef struct audit audit;

audit *audit_new(void);
void audit_free(audit *a);

/* The cell of `key` (created with value v the first time), its id; -1 on
** NOMEM. A cell marked `fixed` is never chosen to hide another. */
long audit_cell(audit *a, const char *key, int64_t v);
/* Withholds a cell (before audit_protect: a pattern chosen elsewhere). */
void audit_withhold(audit *a, long id);
/* A cell whose value the reader is taken to know although it is withheld
** (a withheld zero of a tiny group): it stays out of the equations' unknowns. */
void audit_known(audit *a, long id);
/* A cell chosen to hide another only when no other will do (the staff
** counts, when a movement can be hidden instead). */
void audit_keep(audit *a, long id);
/* Adds the equation sum coef[i] * cell[i] = constant. */
int audit_equation(audit *a, const long *cell, const int *coef, size_t n);

/* Primary then secondary suppression; *secondary counts the cells the
** second step withheld. PARITY_NOMEM on failure. */
int audit_protect(audit *a, long min_cell, size_t *primary, size_t *secondary);
/* The withheld cells that the equations determine: none after
** audit_protect(). For tests. */
size_t audit_determined(audit *a);

bool audit_withheld(const audit *a, long id);
int64_t audit_value(const audit *a, long id);
size_t audit_ncells(const audit *a);
size_t audit_nequations(const audit *a);

#endif /* PARITY_AUDIT_H */
