/*
** disclose.c -- primary and secondary suppression of a result's counts.
** Exports disclose_result() (disclose.h).
**
** A result's counts form a table with margins: along each row the parts
** (F, M, X) add up to the row's sum (total); down each column the group
** rows add up to the total row. Every such sum is a linear equation that a
** reader may use to work a withheld count out. Seen as a graph -- a node
** per equation (one per row, one per column), a withheld count an edge
** between the two equations it is in (a count in no row sum, such as U,
** joins its column to a node with no equation, FREE) -- a withheld count is
** determined by the counts shown exactly when its edge is a bridge: on a
** cycle of withheld counts it can move by one up and the others round the
** cycle down and up, every equation still holding (the classic result for
** two-way tables with margins). Every count withheld is at least 1, so both
** directions stay non-negative: each withheld count has at least two
** possible values.
**
** So: withhold the counts from 1 to min_cell - 1 (primary); then, while a
** withheld count is a bridge, withhold the smallest positive count shown
** that closes a cycle through it (secondary) -- else one that grows its
** component, else the whole table. Shares, intervals, gaps and statuses of
** a row go with the counts they are computed from (F and the total: a share
** of counts shown gives nothing away); a group smaller than min_cell shows
** no count at all, not even its zeros, nor its name, and comes after the
** groups that are named. Withheld zeros are left out of the
** graph: a cycle through a zero could move one way only.
*/
#include <stdlib.h>

#include <cJSON.h>

#include "audit.h"
#include "disclose.h"

typedef struct graph {
    size_t nrow, ncount, nnode, free_node;
    const uint8_t *role;
    bool has_total;
    int64_t *v;    /* nrow x ncount counts (-1: not shown at all) */
    bool *hidden;  /* nrow x ncount */
    /* scratch */
    size_t *adj_start, *adj;  /* hidden edges per node (edge ids) */
    size_t *disc, *low, *stack, *parent_edge, *iter;
    int *side;
} graph;

static size_t end_a(const graph *g, size_t e) {
    size_t row = e / g->ncount, c = e % g->ncount;
    return g->role[c] == RESULT_ALONE ? g->free_node : row;
}

static size_t end_b(const graph *g, size_t e) {
    return g->has_total ? g->nrow + e % g->ncount : g->free_node;
}

static size_t other_end(const graph *g, size_t e, size_t node) {
    size_t a = end_a(g, e);
    return a == node ? end_b(g, e) : a;
}

/* The adjacency of the hidden edges. */
static void build_adjacency(graph *g) {
    size_t ne = g->nrow * g->ncount;
    memset(g->adj_start, 0, (g->nnode + 1) * sizeof *g->adj_start);
    for (size_t e = 0; e < ne; e++)
        if (g->hidden[e]) {
            g->adj_start[end_a(g, e) + 1]++;
            g->adj_start[end_b(g, e) + 1]++;
        }
    for (size_t n = 0; n < g->nnode; n++) g->adj_start[n + 1] += g->adj_start[n];
    memcpy(g->iter, g->adj_start, g->nnode * sizeof *g->iter);
    for (size_t e = 0; e < ne; e++)
        if (g->hidden[e]) {
            g->adj[g->iter[end_a(g, e)]++] = e;
            g->adj[g->iter[end_b(g, e)]++] = e;
        }
}

/* A hidden edge that is a bridge (Tarjan, without recursion), or SIZE_MAX. */
static size_t find_bridge(graph *g) {
    build_adjacency(g);
    const size_t none = SIZE_MAX;
    for (size_t n = 0; n < g->nnode; n++) g->disc[n] = none;
    size_t time = 0;
    for (size_t root = 0; root < g->nnode; root++) {
        if (g->disc[root] != none) continue;
        size_t sp = 0;
        g->stack[sp++] = root;
        g->disc[root] = g->low[root] = time++;
        g->parent_edge[root] = none;
        g->iter[root] = g->adj_start[root];
        while (sp) {
            size_t u = g->stack[sp - 1];
            if (g->iter[u] < g->adj_start[u + 1]) {
                size_t e = g->adj[g->iter[u]++];
                if (e == g->parent_edge[u]) continue;
                size_t w = other_end(g, e, u);
                if (w == u) continue; /* a loop at FREE: never a bridge */
                if (g->disc[w] == none) {
                    g->disc[w] = g->low[w] = time++;
                    g->parent_edge[w] = e;
                    g->iter[w] = g->adj_start[w];
                    g->stack[sp++] = w;
                } else if (g->disc[w] < g->low[u]) {
                    g->low[u] = g->disc[w];
                }
                continue;
            }
            sp--;
            size_t e = g->parent_edge[u];
            if (e == none) continue;
            size_t p = other_end(g, e, u);
            if (g->low[u] < g->low[p]) g->low[p] = g->low[u];
            if (g->low[u] > g->disc[p]) return e;
        }
    }
    return none;
}

/* Marks side[] 1 for the nodes reachable from `from` over hidden edges
** other than `cut`, for every node of from's component before the cut 2
** otherwise (those reached from the cut's other end), 0 elsewhere. */
static void mark_sides(graph *g, size_t cut) {
    for (size_t n = 0; n < g->nnode; n++) g->side[n] = 0;
    size_t ends[2] = {end_a(g, cut), end_b(g, cut)};
    for (int k = 0; k < 2; k++) {
        size_t sp = 0;
        g->stack[sp++] = ends[k];
        g->side[ends[k]] = k + 1;
        while (sp) {
            size_t u = g->stack[--sp];
            for (size_t i = g->adj_start[u]; i < g->adj_start[u + 1]; i++) {
                size_t e = g->adj[i], w = other_end(g, e, u);
                if (e == cut || g->side[w]) continue;
                g->side[w] = k + 1;
                g->stack[sp++] = w;
            }
        }
    }
}

/* The smallest positive count shown whose edge joins the cut's two sides;
** else one with an end on a side and the other in no side; else SIZE_MAX. */
static size_t complement(const graph *g) {
    size_t best = SIZE_MAX, grow = SIZE_MAX, ne = g->nrow * g->ncount;
    for (size_t e = 0; e < ne; e++) {
        if (g->hidden[e] || g->v[e] <= 0) continue;
        int sa = g->side[end_a(g, e)], sb = g->side[end_b(g, e)];
        if (sa && sb && sa != sb) {
            if (best == SIZE_MAX || g->v[e] < g->v[best]) best = e;
        } else if ((sa != 0) != (sb != 0)) {
            if (grow == SIZE_MAX || g->v[e] < g->v[grow]) grow = e;
        }
    }
    return best != SIZE_MAX ? best : grow;
}

static int graph_alloc(graph *g) {
    size_t nn = g->nnode, ne = g->nrow * g->ncount;
    g->v = malloc((ne ? ne : 1) * sizeof *g->v);
    g->hidden = calloc(ne ? ne : 1, sizeof *g->hidden);
    g->adj_start = malloc((nn + 1) * sizeof *g->adj_start);
    g->adj = malloc((2 * ne + 1) * sizeof *g->adj);
    g->disc = malloc(nn * sizeof *g->disc);
    g->low = malloc(nn * sizeof *g->low);
    g->stack = malloc((nn + 1) * sizeof *g->stack);
    g->parent_edge = malloc(nn * sizeof *g->parent_edge);
    g->iter = malloc(nn * sizeof *g->iter);
    g->side = malloc(nn * sizeof *g->side);
    return g->v && g->hidden && g->adj_start && g->adj && g->disc && g->low && g->stack &&
                   g->parent_edge && g->iter && g->side
               ? PARITY_OK
               : PARITY_NOMEM;
}

static void graph_free(graph *g) {
    free(g->v);
    free(g->hidden);
    free(g->adj_start);
    free(g->adj);
    free(g->disc);
    free(g->low);
    free(g->stack);
    free(g->parent_edge);
    free(g->iter);
    free(g->side);
}

/* Primary, then secondary suppression on g; counts in st. */
static void protect(graph *g, long min_cell, disclose_stats *st) {
    size_t ne = g->nrow * g->ncount;
    for (size_t e = 0; e < ne; e++)
        if (disclose_small(g->v[e], min_cell)) {
            g->hidden[e] = true;
            st->primary++;
        }
    for (;;) {
        size_t bridge = find_bridge(g);
        if (bridge == SIZE_MAX) return;
        mark_sides(g, bridge);
        size_t e = complement(g);
        if (e == SIZE_MAX) { /* nothing left to hide it with: the table goes */
            for (size_t k = 0; k < ne; k++)
                if (!g->hidden[k] && g->v[k] > 0) {
                    g->hidden[k] = true;
                    st->secondary++;
                }
            return;
        }
        g->hidden[e] = true;
        st->secondary++;
    }
}

/* Withholds the cells of g that are hidden, every count of a row whose sum
** is small (its zeros too: in a group of two, "no men" says as much as
** "two women"), and each row's derived cells when a count they are computed
** from is hidden or small. */
static int apply(parity_result *r, const graph *g, long min_cell, disclose_stats *st,
                 bool *unnamed) {
    const result_counts *rc = &r->counts;
    for (size_t row = 0; row < g->nrow; row++) {
        bool withhold = false, tiny = false;
        unnamed[row] = false;
        for (size_t c = 0; c < g->ncount; c++)
            if (rc->role[c] == RESULT_SUM && disclose_small(g->v[row * g->ncount + c], min_cell))
                tiny = true;
        /* nor its name: a value that only a few rows have (a person's name,
        ** a one-person unit) is microdata */
        for (size_t c = 0; tiny && c < rc->c0; c++) {
            if (r->col[c].kind != RESULT_DIM) continue;
            if (result_set_text(r, row, c, "(withheld)") != PARITY_OK) return PARITY_NOMEM;
            unnamed[row] = true;
        }
        for (size_t c = 0; c < g->ncount; c++) {
            if (tiny && g->v[row * g->ncount + c] == 0) {
                result_at(r, row, rc->c0 + c)->null = true;
                st->zeros++;
            }
            size_t e = row * g->ncount + c;
            bool feeds = rc->from >> c & 1u;
            if (feeds && (g->hidden[e] || disclose_small(g->v[e], min_cell))) withhold = true;
            if (g->hidden[e]) result_at(r, row, rc->c0 + c)->null = true;
        }
        for (size_t d = 0; withhold && d < rc->nderived; d++) {
            result_cell *cell = result_at(r, row, rc->derived[d]);
            if (!cell->null) st->derived++;
            cell->null = true;
        }
    }
    return PARITY_OK;
}

/* Moves the groups whose names are withheld after the others, in their
** order: where they stood in the alphabet would tell their names' first
** letters. */
/* The group rows unnamed[] marks moved after the others, in their order. */
static int unnamed_last(parity_result *r, const bool *unnamed) {
    size_t ngroups = result_ngroups(r), n = 0, w = r->ncol;
    result_cell *rows = malloc((ngroups ? ngroups : 1) * w * sizeof *rows);
    if (!rows) return PARITY_NOMEM;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < ngroups; i++)
            if (unnamed[i] == (pass == 1)) memcpy(rows + w * n++, r->cell + w * i, w * sizeof *rows);
    memcpy(r->cell, rows, ngroups * w * sizeof *rows);
    free(rows);
    return PARITY_OK;
}

int disclose_unname(parity_result *r, const bool *unnamed) {
    for (size_t row = 0; row < result_ngroups(r); row++)
        for (size_t c = 0; unnamed[row] && c < r->ncol; c++)
            if (r->col[c].kind != RESULT_DIM) result_at(r, row, c)->null = true;
            else if (result_set_text(r, row, c, "(withheld)") != PARITY_OK) return PARITY_NOMEM;
    return unnamed_last(r, unnamed);
}

/* "suppression": {min_cell, primary, secondary} in r's metadata. */
static int suppression_meta(parity_result *r, long min_cell, const disclose_stats *st) {
    cJSON *s = cJSON_CreateObject();
    cJSON_AddNumberToObject(s, "min_cell", (double)min_cell);
    cJSON_AddNumberToObject(s, "primary", (double)st->primary);
    cJSON_AddNumberToObject(s, "secondary", (double)st->secondary);
    return result_meta(r, "suppression", s);
}

/* The counts of r's declared columns, row by row (-1: null). */
static void read_counts(const parity_result *r, int64_t *v) {
    size_t n = r->counts.ncount;
    for (size_t row = 0; row < r->nrow; row++)
        for (size_t c = 0; c < n; c++) {
            const result_cell *cell = &r->cell[row * r->ncol + r->counts.c0 + c];
            v[row * n + c] = cell->null ? -1 : (int64_t)cell->v[0];
        }
}

int disclose_plan(const parity_result *r, long min_cell, bool *hidden, disclose_stats *st) {
    memset(hidden, 0, r->nrow * r->counts.ncount * sizeof *hidden);
    return disclose_plan_given(r, min_cell, hidden, st);
}

int disclose_plan_given(const parity_result *r, long min_cell, bool *hidden, disclose_stats *st) {
    memset(st, 0, sizeof *st);
    size_t ne = r->nrow * r->counts.ncount;
    if (min_cell <= 1 || r->counts.ncount == 0) return PARITY_OK;
    graph g = {.nrow = r->nrow, .ncount = r->counts.ncount, .role = r->counts.role,
               .has_total = r->has_total};
    g.free_node = g.nrow + g.ncount;
    g.nnode = g.free_node + 1;
    int rc = graph_alloc(&g);
    if (rc == PARITY_OK) {
        read_counts(r, g.v);
        for (size_t e = 0; e < ne; e++) g.hidden[e] = hidden[e] && g.v[e] > 0; /* forced */
        protect(&g, min_cell, st);
        memcpy(hidden, g.hidden, ne * sizeof *hidden);
    }
    graph_free(&g);
    return rc;
}

int disclose_apply(parity_result *r, long min_cell, const bool *hidden, disclose_stats *st) {
    if (min_cell <= 1 || r->counts.ncount == 0) return PARITY_OK;
    graph g = {.nrow = r->nrow, .ncount = r->counts.ncount};
    size_t ne = g.nrow * g.ncount;
    g.v = malloc((ne ? ne : 1) * sizeof *g.v);
    g.hidden = (bool *)hidden;
    bool *unnamed = malloc((g.nrow ? g.nrow : 1) * sizeof *unnamed);
    int rc = g.v && unnamed ? PARITY_OK : PARITY_NOMEM;
    if (rc == PARITY_OK) {
        read_counts(r, g.v);
        rc = apply(r, &g, min_cell, st, unnamed);
    }
    if (rc == PARITY_OK) rc = unnamed_last(r, unnamed);
    free(unnamed);
    free(g.v);
    if (rc == PARITY_OK) rc = suppression_meta(r, min_cell, st);
    if (rc == PARITY_OK) {
        char tiny[96] = "";
        if (st->zeros)
            snprintf(tiny, sizeof tiny, "; a group of fewer than %ld shows no count, nor its name",
                     min_cell);
        if (rc == PARITY_OK && st->primary + st->secondary + st->derived + st->zeros)
            rc = result_note(r,
                             "A dash is a number withheld to protect the people counted: %zu "
                             "count%s from 1 to %ld, %zu more that would give %s away by "
                             "subtraction from the totals, and the shares and gaps computed from "
                             "them%s.",
                             st->primary, st->primary == 1 ? "" : "s", min_cell - 1, st->secondary,
                             st->primary == 1 ? "it" : "them", tiny);
    }
    return rc;
}

int disclose_result(parity_result *r, long min_cell, disclose_stats *st) {
    memset(st, 0, sizeof *st);
    if (min_cell <= 1 || r->counts.ncount == 0) return PARITY_OK;
    size_t ne = r->nrow * r->counts.ncount;
    bool *hidden = malloc((ne ? ne : 1) * sizeof *hidden);
    if (!hidden) return PARITY_NOMEM;
    int rc = disclose_plan(r, min_cell, hidden, st);
    if (rc == PARITY_OK) rc = disclose_apply(r, min_cell, hidden, st);
    free(hidden);
    return rc;
}

/* ---- flows ---------------------------------------------------------------- */

/* The counts of a flows result in the order of the identity each row keeps,
** per sex: end = start + hires - separations + promotions in - promotions
** out + demotions in - demotions out + changes of recorded sex. */
static const struct {
    const char *name;
    int sign; /* in the identity; 0: in none */
} flow_counts[] = {
    {"headcount_end", 1}, {"headcount", -1},      {"hires", -1},       {"separations", 1},
    {"promotions", -1},   {"promotions_out", 1},  {"demotions", -1},   {"demotions_out", 1},
    {"sex_change", -1},   {"moves", 0},           {"lateral_moves", 0},
};
enum { NFLOW = sizeof flow_counts / sizeof flow_counts[0] };
static const char *const flow_sex[4] = {"female", "male", "other", "unknown"};

/* The column of count k, sex s of a flows result, or -1. */
static long flow_col(const parity_result *r, size_t k, size_t s) {
    char name[64];
    snprintf(name, sizeof name, "%s.%s", flow_counts[k].name, flow_sex[s]);
    return parity_result_column(r, name);
}

/* Registers the counts and the equations a reader knows of them: the
** identity on the total row, and on every row when rows are closed (people
** leave a group only through the events counted: grouped by grade,
** category or period, not by a department one may move out of). */
static int flows_audit(parity_result *r, audit *a, long *id, bool rows_closed) {
    char key[64];
    size_t ng = result_ngroups(r);
    for (size_t row = 0; row < r->nrow; row++)
        for (size_t k = 0; k < NFLOW; k++)
            for (size_t s = 0; s < 4; s++) {
                long c = flow_col(r, k, s);
                const result_cell *cell = c >= 0 ? result_at(r, row, (size_t)c) : NULL;
                snprintf(key, sizeof key, "%zu|%zu|%zu", row, k, s);
                long i = audit_cell(a, key, cell && !cell->null ? (int64_t)cell->v[0] : 0);
                if (i < 0) return PARITY_NOMEM;
                if (k < 2) audit_cost(a, i, 1); /* staff before movements */
                id[(row * NFLOW + k) * 4 + s] = c >= 0 ? i : -1;
            }
    long cells[NFLOW];
    int coef[NFLOW];
    for (size_t row = rows_closed ? 0 : r->nrow - 1; row < r->nrow; row++)
        for (size_t s = 0; s < 4; s++) {
            size_t n = 0;
            for (size_t k = 0; k < NFLOW; k++)
                if (flow_counts[k].sign && id[(row * NFLOW + k) * 4 + s] >= 0) {
                    cells[n] = id[(row * NFLOW + k) * 4 + s];
                    coef[n++] = flow_counts[k].sign;
                }
            if (audit_equation(a, cells, coef, n) != PARITY_OK) return PARITY_NOMEM;
        }
    if (!r->has_total) return PARITY_OK;
    long *col = malloc((ng + 1) * sizeof *col);
    int *one = malloc((ng + 1) * sizeof *one);
    int rc = col && one ? PARITY_OK : PARITY_NOMEM;
    for (size_t k = 0; rc == PARITY_OK && k < NFLOW; k++)
        for (size_t s = 0; rc == PARITY_OK && s < 4; s++) {
            if (id[(ng * NFLOW + k) * 4 + s] < 0) continue;
            col[0] = id[(ng * NFLOW + k) * 4 + s];
            one[0] = 1;
            for (size_t row = 0; row < ng; row++) {
                col[row + 1] = id[(row * NFLOW + k) * 4 + s];
                one[row + 1] = -1;
            }
            rc = audit_equation(a, col, one, ng + 1);
        }
    free(col);
    free(one);
    return rc;
}

/* Nulls column `name` of row `row` when it exists. */
static void null_named(parity_result *r, size_t row, const char *name) {
    long c = parity_result_column(r, name);
    if (c >= 0) result_at(r, row, (size_t)c)->null = true;
}

/* The rates, intervals, shares and tests of a row computed from withheld
** counts or from fewer than min_cell at risk. */
static void flows_derived(parity_result *r, size_t row, const long *id, const audit *a, long min_cell,
                          disclose_stats *st) {
    static const struct {
        const char *rate, *test;
        size_t event;
    } rates[] = {{"separation_rate", "separation", 3}, {"promotion_rate", "promotion", 5},
                 {"demotion_rate", NULL, 7},           {"move_rate", "move", 9}};
    char name[96];
    for (size_t i = 0; i < sizeof rates / sizeof *rates; i++) {
        bool gone_any = false;
        for (size_t s = 0; s < 2; s++) {
            long e = id[(row * NFLOW + rates[i].event) * 4 + s], h = id[(row * NFLOW + 1) * 4 + s];
            bool gone = (e >= 0 && audit_withheld(a, e)) || (h >= 0 && audit_withheld(a, h)) ||
                        (h >= 0 && disclose_small(audit_value(a, h), min_cell));
            gone_any |= gone;
            if (!gone) continue;
            snprintf(name, sizeof name, "%s.%s", rates[i].rate, flow_sex[s]);
            null_named(r, row, name);
            snprintf(name, sizeof name, "%s_ci95.%s", rates[i].rate, flow_sex[s]);
            null_named(r, row, name);
            st->derived++;
        }
        static const char *const tcols[] = {"impact_ratio", "four_fifths", "z", "p_z", "p_fisher", "p_value", "test"};
        for (size_t j = 0; gone_any && rates[i].test && j < sizeof tcols / sizeof *tcols; j++) {
            snprintf(name, sizeof name, "tests.%s.%s", rates[i].test, tcols[j]);
            null_named(r, row, name);
        }
    }
    for (size_t s = 0; s < 3; s++) {
        long h = id[(row * NFLOW + 2) * 4 + s];
        if (h >= 0 && audit_withheld(a, h)) null_named(r, row, "hires_female_share");
    }
}

int disclose_flows(parity_result *r, long min_cell, bool rows_closed, disclose_stats *st) {
    memset(st, 0, sizeof *st);
    if (min_cell <= 1) return PARITY_OK;
    audit *a = audit_new();
    long *id = malloc((r->nrow ? r->nrow : 1) * NFLOW * 4 * sizeof *id);
    bool *unnamed = calloc(r->nrow ? r->nrow : 1, sizeof *unnamed);
    int rc = a && id && unnamed ? flows_audit(r, a, id, rows_closed || !r->has_total) : PARITY_NOMEM;
    if (rc == PARITY_OK) rc = audit_protect(a, min_cell, &st->primary, &st->secondary);
    for (size_t row = 0; rc == PARITY_OK && row < r->nrow; row++) {
        for (size_t k = 0; k < NFLOW * 4; k++) {
            long i = id[row * NFLOW * 4 + k];
            if (i >= 0 && audit_withheld(a, i)) result_at(r, row, (size_t)flow_col(r, k / 4, k % 4))->null = true;
        }
        flows_derived(r, row, id, a, min_cell, st);
        /* a group that never had min_cell people is not named */
        int64_t h0 = 0, h1 = 0;
        for (size_t s = 0; s < 3; s++) {
            h0 += audit_value(a, id[(row * NFLOW + 1) * 4 + s]);
            h1 += audit_value(a, id[(row * NFLOW + 0) * 4 + s]);
        }
        bool total = r->has_total && row == r->nrow - 1;
        if (!total && (h0 > h1 ? h0 : h1) < min_cell) {
            for (size_t c = 0; c < r->ncol; c++) {
                if (r->col[c].kind != RESULT_DIM) result_at(r, row, c)->null = true;
                else if (result_set_text(r, row, c, "(withheld)") != PARITY_OK) rc = PARITY_NOMEM;
            }
            unnamed[row] = true;
        }
    }
    if (rc == PARITY_OK) rc = unnamed_last(r, unnamed);
    if (rc == PARITY_OK) rc = suppression_meta(r, min_cell, st);
    if (rc == PARITY_OK) {
        if (st->primary + st->secondary)
            rc = result_note(r,
                             "A dash is a number withheld to protect the people counted: %zu count%s "
                             "from 1 to %ld, %zu more that would give them away -- through the totals "
                             "or through the staff at the end being those at the start plus the "
                             "movements -- and the rates and tests computed from them.",
                             st->primary, st->primary == 1 ? "" : "s", min_cell - 1, st->secondary);
    }
    audit_free(a);
    free(id);
    free(unnamed);
    return rc;
}
