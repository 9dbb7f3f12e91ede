/*
** report.h -- the annual report's model: named tables, the headline, the
** notes, all protected together (report.c), and its renderings
** (report_write.c).
*/
#ifndef PARITY_REPORT_H
#define PARITY_REPORT_H

#include "result.h"

struct parity_report {
    char at[11];            /* the report date: a snapshot */
    long min_cell;
    bool reproducible;
    parity_result **tab;    /* the tables, in the report's order */
    char **tname;
    size_t ntab;
    struct cJSON *model;    /* everything but the tables: headline, notes, ... */
};

/* The patterns of protection fixed so far (report.c): for each snapshot's
** stocks and each year's movements, as the reports that show them publish
** them. Reports built with one share them (the dashboard's six). */
typedef struct report_fixed report_fixed;
report_fixed *report_fixed_new(void);
void report_fixed_free(report_fixed *fx);
/* parity_report_build() with the patterns fx holds, adding those it makes. */
int report_build_fixed(parity_table *t, const parity_report_options *o, report_fixed *fx,
                       parity_report **out);

/* The table named `name`, or NULL. */
parity_result *report_table(const parity_report *rep, const char *name);
/* Appends a table (rep takes r). */
int report_add_table(parity_report *rep, const char *name, parity_result *r);
/* The whole model as JSON (what parity_report_write() prints). */
struct cJSON *report_model_json(const parity_report *rep);
/* A table as JSON: title, columns (name, label, type), rows, notes. */
struct cJSON *report_table_json(const parity_result *r);

#endif /* PARITY_REPORT_H */
