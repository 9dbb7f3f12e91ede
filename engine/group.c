/*
** group.c -- dimensions, group keys and output order (see internal.h).
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "group.h"

/* Natural order: digit runs compare as numbers, so "P2" < "P10" and
** "9" < "10"; otherwise byte order, case-insensitively first. */
static int natcmp(const char *a, const char *b) {
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            while (*a == '0') a++;
            while (*b == '0') b++;
            size_t la = 0, lb = 0;
            while (isdigit((unsigned char)a[la])) la++;
            while (isdigit((unsigned char)b[lb])) lb++;
            if (la != lb) return la < lb ? -1 : 1;
            int c = memcmp(a, b, la);
            if (c) return c;
            a += la;
            b += lb;
            continue;
        }
        int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
        if (ca != cb) return ca < cb ? -1 : 1;
        a++;
        b++;
    }
    return *a ? 1 : *b ? -1 : 0;
}

typedef struct code_sort {
    const char *name;
    int64_t primary; /* scale rank or -1 */
    uint32_t code;
} code_sort;

static int cmp_code(const void *pa, const void *pb) {
    const code_sort *a = pa, *b = pb;
    bool ea = a->name[0] == '\0', eb = b->name[0] == '\0';
    if (ea != eb) return ea ? 1 : -1; /* blanks last */
    if (a->primary != b->primary) {
        if (a->primary < 0) return 1;
        if (b->primary < 0) return -1;
        return a->primary < b->primary ? -1 : 1;
    }
    int c = natcmp(a->name, b->name);
    if (c) return c;
    c = strcmp(a->name, b->name);
    return c ? c : (a->code > b->code) - (a->code < b->code);
}

static int rank_codes(group_dim *dm, const parity_table *t) {
    uint32_t n = dm->card;
    dm->rank = malloc((n ? n : 1) * sizeof *dm->rank);
    code_sort *s = malloc((n ? n : 1) * sizeof *s);
    if (!dm->rank || !s) {
        free(s);
        return PARITY_NOMEM;
    }
    for (uint32_t c = 0; c < n; c++) {
        s[c].code = c;
        s[c].primary = -1;
        switch (dm->kind) {
        case GROUP_GRADE:
            s[c].name = dict_str(&t->grades, c);
            s[c].primary = t->grade_rank[c];
            break;
        case GROUP_CATEGORY:
            s[c].name = dict_str(&t->categories, c);
            /* a category sorts at its lowest grade */
            for (uint32_t gr = 0; gr < t->grades.n; gr++)
                if (t->grade_cat[gr] == c && t->grade_rank[gr] >= 0 &&
                    (s[c].primary < 0 || t->grade_rank[gr] < s[c].primary))
                    s[c].primary = t->grade_rank[gr];
            break;
        case GROUP_SNAPSHOT:
            s[c].name = "x";
            s[c].primary = c;
            break;
        case GROUP_COL:
            s[c].name = dict_str(&t->cols[dm->col].dict, c);
            break;
        }
    }
    qsort(s, n, sizeof *s, cmp_code);
    for (uint32_t i = 0; i < n; i++) dm->rank[s[i].code] = i;
    free(s);
    return PARITY_OK;
}

void group_free(grouping *g) {
    for (size_t d = 0; d < g->ndim; d++) free(g->dim[d].rank);
    free(g->dim);
    memset(g, 0, sizeof *g);
}

/* The table's dimensions as a list for a message, into buf. */
static const char *dimension_list(const parity_table *t, char *buf, size_t cap) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < t->ndims && used + 2 < cap; i++) {
        int w = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", t->dims[i]);
        if (w > 0) used += (size_t)w;
    }
    return buf;
}

int group_split(const char *by, char **buf, const char ***names, size_t *n) {
    *n = 0;
    *names = NULL;
    if (!(*buf = str_dup(by ? by : ""))) return PARITY_NOMEM; /* the whole list, however long */
    size_t cap = 1;
    for (const char *c = *buf; *c; c++) cap += *c == ',';
    if (!(*names = malloc(cap * sizeof **names))) {
        free(*buf);
        *buf = NULL;
        return PARITY_NOMEM;
    }
    for (char *p = *buf, *next; p; p = next) {
        next = strchr(p, ',');
        if (next) *next++ = '\0';
        while (*p == ' ') p++;
        size_t len = strlen(p);
        while (len && p[len - 1] == ' ') p[--len] = '\0';
        if (len) (*names)[(*n)++] = p;
    }
    return PARITY_OK;
}

/* Adds the dimension `name` to g; `by` is the whole list, for messages. */
static int add_dimension(grouping *g, const parity_table *t, const char *name, const char *by,
                         char *errmsg) {
    group_dim dm = {0};
    char avail[512];
    if (!t->has_grade && (strcasecmp(name, "grade") == 0 || strcasecmp(name, "category") == 0))
        return errmsg_set(errmsg, PARITY_USAGE, "%s: the data has no grade column (dimensions: %s)",
                          name, dimension_list(t, avail, sizeof avail));
    if (strcasecmp(name, "grade") == 0) {
        dm.kind = GROUP_GRADE;
        dm.card = t->grades.n;
        dm.name = "grade";
    } else if (strcasecmp(name, "category") == 0) {
        dm.kind = GROUP_CATEGORY;
        dm.card = t->categories.n;
        dm.name = "category";
    } else if (strcasecmp(name, "snapshot_date") == 0 || strcasecmp(name, "period") == 0 ||
               strcasecmp(name, "date") == 0) {
        dm.kind = GROUP_SNAPSHOT;
        dm.card = (uint32_t)t->nsnap;
        dm.name = "snapshot_date";
        g->by_snapshot = true;
    } else if (strcasecmp(name, "sex") == 0) {
        return errmsg_set(errmsg, PARITY_USAGE, "'by' sex: every group is already broken down by sex");
    } else {
        long c = table_find_col(t, name);
        if (c == TABLE_NOMEM) return errmsg_set(errmsg, PARITY_NOMEM, "out of memory");
        if (c < 0)
            return errmsg_set(errmsg, PARITY_USAGE, "unknown dimension \"%s\" (available: %s)", name,
                              dimension_list(t, avail, sizeof avail));
        dm.kind = GROUP_COL;
        dm.col = (size_t)c;
        dm.card = t->cols[c].dict.n;
        dm.name = t->cols[c].name;
    }
    for (size_t d = 0; d < g->ndim; d++)
        if (g->dim[d].kind == dm.kind && g->dim[d].col == dm.col)
            return errmsg_set(errmsg, PARITY_USAGE, "'by' names \"%s\" twice", dm.name);
    if (dm.card == 0) dm.card = 1;
    if (g->nkeys * dm.card > GROUP_MAX_KEYS)
        return errmsg_set(errmsg, PARITY_USAGE,
                          "'by' %s: too many groups (more than %u); group by fewer or coarser "
                          "dimensions",
                          by, GROUP_MAX_KEYS);
    dm.stride = g->nkeys;
    g->nkeys *= dm.card;
    group_dim *dims = realloc(g->dim, (g->ndim + 1) * sizeof *dims);
    if (!dims) return errmsg_set(errmsg, PARITY_NOMEM, "out of memory");
    g->dim = dims;
    g->dim[g->ndim] = dm;
    if (rank_codes(&g->dim[g->ndim], t) != PARITY_OK)
        return errmsg_set(errmsg, PARITY_NOMEM, "out of memory");
    g->ndim++;
    return PARITY_OK;
}

/* group_init_names() with the list as it was written, for messages. */
static int init_names(grouping *g, const parity_table *t, const char *const *names, size_t n,
                      const char *by, char *errmsg) {
    memset(g, 0, sizeof *g);
    g->nkeys = 1;
    int rc = PARITY_OK;
    for (size_t i = 0; i < n && rc == PARITY_OK; i++) rc = add_dimension(g, t, names[i], by, errmsg);
    if (rc != PARITY_OK) group_free(g);
    return rc;
}

int group_init_names(grouping *g, const parity_table *t, const char *const *names, size_t n,
                     char *errmsg) {
    char by[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(by + used, sizeof by - used, "%s%s", i ? "," : "", names[i]);
        if (w > 0 && (size_t)w < sizeof by - used) used += (size_t)w;
    }
    return init_names(g, t, names, n, by, errmsg);
}

int group_init(grouping *g, const parity_table *t, const char *by, char *errmsg) {
    if (!by) by = GROUP_DEFAULT;
    char *buf;
    const char **names;
    size_t n;
    if (group_split(by, &buf, &names, &n) != PARITY_OK) {
        memset(g, 0, sizeof *g);
        return errmsg_set(errmsg, PARITY_NOMEM, "out of memory");
    }
    int rc = init_names(g, t, names, n, by, errmsg);
    free(names);
    free(buf);
    return rc;
}

typedef struct keypair {
    uint64_t order, key;
} keypair;

static int cmp_pair(const void *pa, const void *pb) {
    const keypair *a = pa, *b = pb;
    return (a->order > b->order) - (a->order < b->order);
}

int group_sort(const grouping *g, uint64_t *keys, size_t n) {
    keypair *p = malloc((n ? n : 1) * sizeof *p);
    if (!p) return PARITY_NOMEM;
    /* most significant dimension first: the first --by dimension */
    for (size_t i = 0; i < n; i++) {
        uint64_t order = 0;
        for (size_t d = 0; d < g->ndim; d++) {
            const group_dim *dm = &g->dim[d];
            uint32_t code = (uint32_t)(keys[i] / dm->stride % dm->card);
            order = order * dm->card + dm->rank[code];
        }
        p[i].order = order;
        p[i].key = keys[i];
    }
    qsort(p, n, sizeof *p, cmp_pair);
    for (size_t i = 0; i < n; i++) keys[i] = p[i].key;
    free(p);
    return PARITY_OK;
}

int group_add_columns(const grouping *g, parity_result *r) {
    for (size_t d = 0; d < g->ndim; d++) {
        int rc = result_add_col(r, g->dim[d].name, g->dim[d].name, RESULT_DIM);
        if (rc != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

int group_set_row(const grouping *g, const parity_table *t, parity_result *r, size_t row,
                uint64_t key) {
    for (size_t d = 0; d < g->ndim; d++) {
        const group_dim *dm = &g->dim[d];
        uint32_t code = (uint32_t)(key / dm->stride % dm->card);
        const char *s = NULL;
        char date[11];
        switch (dm->kind) {
        case GROUP_GRADE: s = dict_str(&t->grades, code); break;
        case GROUP_CATEGORY: s = dict_str(&t->categories, code); break;
        case GROUP_SNAPSHOT:
            if (g->periods && code > 0) {
                char period[32], d0[11];
                date_format(t->snap[code - 1].date, d0);
                date_format(t->snap[code].date, date);
                snprintf(period, sizeof period, "%s/%s", d0, date);
                int rc = result_set_text(r, row, d, period);
                if (rc != PARITY_OK) return rc;
                continue;
            }
            date_format(t->snap[code].date, date);
            s = date;
            break;
        case GROUP_COL: s = dict_str(&t->cols[dm->col].dict, code); break;
        }
        if (s && !*s) s = NULL; /* blank: null in JSON, "(blank)" in tables */
        int rc = result_set_text(r, row, d, s);
        if (rc != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

cJSON *group_json(const grouping *g) {
    cJSON *a = cJSON_CreateArray();
    for (size_t d = 0; a && d < g->ndim; d++)
        cJSON_AddItemToArray(a, cJSON_CreateString(g->dim[d].name));
    return a;
}


/* The code of value in dimension d: exact first, then (for grades) the
** normalised spelling, then case-insensitively; -1 when absent. */
int64_t group_find(const grouping *g, const parity_table *t, size_t d, const char *value) {
    const group_dim *dm = &g->dim[d];
    const dictionary *dict = dm->kind == GROUP_GRADE      ? &t->grades
                        : dm->kind == GROUP_CATEGORY ? &t->categories
                        : dm->kind == GROUP_COL      ? &t->cols[dm->col].dict
                                                   : NULL;
    if (!dict) return -1;
    int64_t c = dict_find(dict, value, strlen(value));
    if (c >= 0) return c;
    char want[128], have[128];
    grade_normalise(value, strlen(value), want, sizeof want);
    for (uint32_t i = 0; i < dict->n; i++) {
        const char *s = dict_str(dict, i);
        if (dm->kind == GROUP_GRADE) {
            grade_normalise(s, strlen(s), have, sizeof have);
            if (strcmp(want, have) == 0) return i;
        } else if (strcasecmp(s, value) == 0) {
            return i;
        }
    }
    return -1;
}
