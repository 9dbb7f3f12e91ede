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
** its value. audit_protect() withholds the cells from 1 to min_cell - 1
** (primary), then, while any of them is determined, the smallest positive
** shown cell near it that makes it undetermined; then shows again the
** withheld cells that are determined anyway.
*/
#ifndef PARITY_AUDIT_H
#define PARITY_AUDIT_H

#include "common.h"

typedef struct audit audit;

audit *audit_new(void);
void audit_free(audit *a);

/* The cell of `key` (created with value v the first time), its id; -1 on
** NOMEM. */
long audit_cell(audit *a, const char *key, int64_t v);
/* Withholds a cell (before audit_protect: a pattern chosen elsewhere). */
void audit_withhold(audit *a, long id);
/* What hiding a cell costs the reader, 0 (the default) and up: complements
** are chosen by cost, then value (a movement before a stock; a stock's men
** before its women and total, from which the share is computed). */
void audit_cost(audit *a, long id, int cost);
/* Fixes a cell's pattern as it is now (a count another publication has
** shown or withheld already): never chosen as a complement, never shown
** again. Its equations still count. */
void audit_lock(audit *a, long id);
/* Undoes audit_lock(). */
void audit_unlock(audit *a, long id);
/* Withholds a cell and protects it as a primary one: no more may give it
** away (a count withheld by another publication, whatever its size). */
void audit_guard(audit *a, long id);
/* Adds the equation sum coef[i] * cell[i] = constant. */
int audit_equation(audit *a, const long *cell, const int *coef, size_t n);

/* Primary then secondary suppression; *secondary counts the cells the
** second step withheld. PARITY_NOMEM on failure. */
int audit_protect(audit *a, long min_cell, size_t *primary, size_t *secondary);
/* Shows again every withheld cell that the equations determine (it
** protects nothing: a reader works it out); audit_protect() ends with it. */
int audit_settle(audit *a);

/* Shows withheld cell id again when that determines no withheld cell and
** it is not below min_cell; whether it did. */
bool audit_release(audit *a, long id, long min_cell);

/* How many primary cells the equations determine (0 after a protection
** that found complements for all), marked in det[] (ncell cells) when det
** is not NULL; -1 when out of memory. */
long audit_leaks(audit *a, bool *det);

/* Withholds and locks every positive cell marked in among[] (ncell cells)
** that shares an equation with cell id, unless locked already (a withheld
** zero could be pinned by the counts being at least 0): their ids into out
** (room for ncell), their number. */
size_t audit_withhold_near(audit *a, long id, const bool *among, long *out);
bool audit_withheld(const audit *a, long id);
int64_t audit_value(const audit *a, long id);
size_t audit_ncells(const audit *a);
size_t audit_nequations(const audit *a);

#endif /* PARITY_AUDIT_H */
