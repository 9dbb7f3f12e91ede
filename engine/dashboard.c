/*
** dashboard.c -- `parity dashboard`: one self-contained HTML page drawn from
** the report's model. Exports parity_dashboard_render() (parity.h).
**
** The page is engine/dashboard/page.html with three things put in: the
** vendored chart library (third_party/echarts), the data -- the protected
** report (report.c) at each of the last snapshots up to the report date,
** aggregates only, and the grades' categories -- and the script that draws
** them (engine/dashboard/app.js). All three are compiled into the library
** (cmake/embed.cmake), so the page needs no file and no network.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "date.h"
#include "projection.h"
#include "report.h"
#include "stats.h"
#include "table.h"

extern const unsigned char dashboard_echarts[], dashboard_page[], dashboard_app[];
extern const size_t dashboard_echarts_len, dashboard_page_len, dashboard_app_len;

enum { DASHBOARD_SNAPSHOTS = 6 }; /* the report date's and the five before */

/* JSON for a <script> element: "</" and the line separators escaped. */
static void put_script_json(FILE *f, const char *s) {
    for (; *s; s++) {
        if (s[0] == '<' && s[1] == '/') fputs("<\\/", f), s++;
        else if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
                 ((unsigned char)s[2] == 0xA8 || (unsigned char)s[2] == 0xA9))
            fprintf(f, "\\u%s", (unsigned char)s[2] == 0xA8 ? "2028" : "2029"), s += 2;
        else fputc(*s, f);
    }
}

/* A table's rows as arrays under "cols" (the page makes them objects
** again): the names once instead of once a row, half the page's data. */
static void compact_table(cJSON *t) {
    cJSON *rows = cJSON_GetObjectItemCaseSensitive(t, "rows");
    cJSON *names = cJSON_CreateArray(), *packed = cJSON_CreateArray();
    const cJSON *r0 = rows ? rows->child : NULL, *k;
    for (k = r0 ? r0->child : NULL; k; k = k->next) cJSON_AddItemToArray(names, cJSON_CreateString(k->string));
    const cJSON *r;
    cJSON_ArrayForEach(r, rows) {
        cJSON *a = cJSON_CreateArray();
        cJSON_ArrayForEach(k, r) cJSON_AddItemToArray(a, cJSON_Duplicate(k, 1));
        cJSON_AddItemToArray(packed, a);
    }
    cJSON_DeleteItemFromObjectCaseSensitive(t, "columns");
    cJSON_ReplaceItemInObjectCaseSensitive(t, "rows", packed);
    cJSON_AddItemToObject(t, "cols", names);
}

/* A table as the page reads it: the dimensions and the columns keep[]
** names (NULL-terminated); the rows of units too small to name left out
** (they show nothing). The page stays under 2 MB with the units' tables
** at each of its six dates. */
static void page_trim(cJSON *t, const char *const *keep) {
    cJSON *rows = cJSON_GetObjectItemCaseSensitive(t, "rows");
    for (cJSON *r = rows ? rows->child : NULL, *next; r; r = next) {
        next = r->next;
        bool unnamed = false;
        for (cJSON *k = r->child, *kn; k; k = kn) {
            kn = k->next;
            bool kept = cJSON_IsString(k); /* a dimension */
            if (kept && strcmp(k->valuestring, "(withheld)") == 0) unnamed = true;
            for (size_t i = 0; keep[i] && !kept; i++) kept = strcmp(k->string, keep[i]) == 0;
            if (!kept) cJSON_Delete(cJSON_DetachItemViaPointer(r, k));
        }
        if (unnamed) cJSON_Delete(cJSON_DetachItemViaPointer(rows, r));
    }
}

/* The projections by grade and by category from the report date to the
** latest target's year (or ten years on), by the trend (with its 95% band)
** and by the flow model, protected as the report is; "targets" their stock
** targets. */
/* The year projections run to: the latest target's, or ten years on. */
static int dashboard_horizon(const parity_table *t, const parity_report *rep) {
    int year = 0;
    for (size_t i = 0; i < t->cfg.ntargets; i++)
        if (t->cfg.targets[i].year > year) year = t->cfg.targets[i].year;
    return year ? year : atoi(rep->at) + 10;
}

static int dashboard_projections(parity_table *t, const parity_report *rep, cJSON *data) {
    int year = dashboard_horizon(t, rep);
    cJSON *tg = cJSON_AddArrayToObject(data, "targets");
    for (size_t i = 0; i < t->cfg.ntargets; i++) {
        const config_target *c = &t->cfg.targets[i];
        if (c->measure != MEASURE_STOCK) continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "scope", c->scope);
        cJSON_AddNumberToObject(o, "share", c->share);
        cJSON_AddNumberToObject(o, "year", c->year);
        cJSON_AddItemToArray(tg, o);
    }
    long saved = t->cfg.min_cell;
    t->cfg.min_cell = rep->min_cell; /* protected as the report is */
    /* by grade ("trend", "flow"), and by category ("trend_category", ...) */
    static const char *const method[4] = {"trend", "flow", "trend_category", "flow_category"};
    for (int k = 0; k < 4; k++) {
        int m = k % 2;
        if (k >= 2 && t->categories.n <= 1) break;
        parity_project_options po;
        parity_project_options_init(&po);
        po.method = m ? PARITY_METHOD_FLOW : PARITY_METHOD_TREND;
        po.by = k >= 2 ? "category" : NULL;
        po.at = rep->at;
        po.horizon = year;
        parity_result *r = NULL;
        char *text = NULL;
        size_t len = 0;
        cJSON *doc = NULL;
        if (parity_project(t, &po, &r) == PARITY_OK &&
            parity_result_render(r, PARITY_FORMAT_JSON, &text, &len) == PARITY_OK)
            doc = cJSON_Parse(text);
        cJSON *groups = doc ? cJSON_DetachItemFromObjectCaseSensitive(doc, "groups") : NULL;
        cJSON_AddItemToObject(data, method[k], groups ? groups : cJSON_CreateNull());
        cJSON_Delete(doc);
        parity_free(text);
        parity_result_free(r);
    }
    t->cfg.min_cell = saved;
    table_clear_error(t);
    return PARITY_OK;
}

/* Column `name` of a compacted table's row (an array under "cols"), or NULL. */
static const cJSON *page_cell(const cJSON *tb, const cJSON *row, const char *name) {
    const cJSON *cols = cJSON_GetObjectItemCaseSensitive(tb, "cols"), *c;
    int i = 0;
    cJSON_ArrayForEach(c, cols) {
        if (cJSON_IsString(c) && strcmp(c->valuestring, name) == 0) return cJSON_GetArrayItem(row, i);
        i++;
    }
    return NULL;
}

/* A share clamped to [0, 1], to four decimals. */
static double round4(double v) { return round((v < 0 ? 0 : v > 1 ? 1 : v) * 1e4) / 1e4; }

/* The trend of each unit's grade: a least-squares line (GSL) through the
** women's shares its breakdown table *publishes* at the snapshots shown --
** a function of numbers on the page, so it tells nothing they do not --
** to the horizon, with its 95% band: data.unit_trend["dim\tvalue\tgrade"]
** = {points, fitted_share, first (year), share, lo, hi (a value a year,
** to four decimals: the page shows tenths of a percent)}.
** Three shares shown at least; the residual floored at half a step of the
** group's size, as trend.c does. */
static int unit_trends(cJSON *data, const char *at, int horizon) {
    cJSON *out = cJSON_AddObjectToObject(data, "unit_trend");
    const cJSON *dates = cJSON_GetObjectItemCaseSensitive(data, "dates");
    const cJSON *reports = cJSON_GetObjectItemCaseSensitive(data, "reports");
    int nd = cJSON_GetArraySize(dates);
    if (!out || nd < 3) return out ? PARITY_OK : PARITY_NOMEM;
    double *px = malloc((size_t)nd * sizeof *px), *py = malloc((size_t)nd * sizeof *py);
    if (!px || !py) {
        free(px), free(py);
        return PARITY_NOMEM;
    }
    int32_t day_at = 0;
    date_parse(at, strlen(at), NULL, &day_at);
    int at_year = atoi(at), month = atoi(at + 5), day = atoi(at + 8);
    projection_years y = {.at_year = at_year, .month = month, .day = day, .first = at_year + 1, .last = horizon};
    const cJSON *dim;
    cJSON_ArrayForEach(dim, cJSON_GetObjectItemCaseSensitive(data, "dimensions")) {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(dim, "name"));
        const char *tname = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(dim, "table"));
        const cJSON *last = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(reports, at), "tables"), tname);
        const cJSON *row;
        cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(last, "rows")) {
            const char *unit = cJSON_GetStringValue(page_cell(last, row, name));
            const char *grade = cJSON_GetStringValue(page_cell(last, row, "grade"));
            if (!unit || !grade || strcmp(unit, "(withheld)") == 0) continue;
            size_t n = 0;
            double staff = 0;
            const cJSON *d;
            cJSON_ArrayForEach(d, dates) {
                const cJSON *tb = cJSON_GetObjectItemCaseSensitive(
                    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(reports, d->valuestring),
                                                     "tables"), tname);
                const cJSON *r;
                cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(tb, "rows")) {
                    const char *u2 = cJSON_GetStringValue(page_cell(tb, r, name));
                    const char *g2 = cJSON_GetStringValue(page_cell(tb, r, "grade"));
                    if (!u2 || !g2 || strcmp(u2, unit) != 0 || strcmp(g2, grade) != 0) continue;
                    const cJSON *sh = page_cell(tb, r, "female_share"), *tot = page_cell(tb, r, "total");
                    int32_t when = 0;
                    if (cJSON_IsNumber(sh) && cJSON_IsNumber(tot) &&
                        date_parse(d->valuestring, strlen(d->valuestring), NULL, &when)) {
                        px[n] = date_decimal_year(when);
                        py[n++] = sh->valuedouble;
                        staff += tot->valuedouble;
                    }
                    break;
                }
            }
            stats_line l;
            if (n < 3 || !stats_linfit(px, py, n, &l)) continue;
            double half_step = 0.5 * (double)n / staff;
            if (l.s2 < half_step * half_step) l.s2 = half_step * half_step;
            char key[512];
            snprintf(key, sizeof key, "%s\t%s\t%s", name, unit, grade);
            cJSON *o = cJSON_AddObjectToObject(out, key);
            cJSON *col[3] = {cJSON_CreateArray(), cJSON_CreateArray(), cJSON_CreateArray()};
            static const char *const cname[3] = {"share", "lo", "hi"};
            if (!o || !col[0] || !col[1] || !col[2]) {
                for (int c = 0; c < 3; c++) cJSON_Delete(col[c]);
                free(px), free(py);
                return PARITY_NOMEM;
            }
            double v[3];
            cJSON_AddNumberToObject(o, "points", (double)n);
            cJSON_AddNumberToObject(o, "fitted_share",
                                    round4(stats_linfit_predict(&l, date_decimal_year(day_at), &v[1], &v[2])));
            cJSON_AddNumberToObject(o, "first", y.first);
            for (int year = y.first; year <= y.last; year++) {
                v[0] = stats_linfit_predict(&l, projection_x(&y, year), &v[1], &v[2]);
                for (int c = 0; c < 3; c++) cJSON_AddItemToArray(col[c], cJSON_CreateNumber(round4(v[c])));
            }
            for (int c = 0; c < 3; c++) cJSON_AddItemToObject(o, cname[c], col[c]);
        }
    }
    free(px);
    free(py);
    return PARITY_OK;
}

/* The data: the reports at the snapshots shown, and what the page needs
** beside them. */
static int dashboard_data(parity_table *t, const parity_report_options *o, cJSON **out) {
    parity_report *last = NULL;
    /* one set of patterns for the six reports: a count is shown, or
    ** withheld, alike in every one (report.c) */
    report_fixed *fx = report_fixed_new();
    if (!fx) return PARITY_NOMEM;
    int rc = report_build_fixed(t, o, fx, &last);
    if (rc != PARITY_OK) {
        report_fixed_free(fx);
        return rc;
    }
    cJSON *data = cJSON_CreateObject(), *dates = cJSON_AddArrayToObject(data, "dates"),
          *reports = cJSON_AddObjectToObject(data, "reports");
    cJSON_AddStringToObject(data, "parity_version", PARITY_VERSION);
    cJSON_AddNumberToObject(data, "min_cell", (double)last->min_cell);
    cJSON_AddNumberToObject(data, "band", t->cfg.band);
    size_t s_at = 0;
    while (s_at + 1 < t->nsnap) {
        char d[11];
        date_format(t->snap[s_at + 1].date, d);
        if (strcmp(d, last->at) > 0) break;
        s_at++;
    }
    size_t s0 = s_at + 1 > DASHBOARD_SNAPSHOTS ? s_at + 1 - DASHBOARD_SNAPSHOTS : 0;
    for (size_t s = s0; s <= s_at && rc == PARITY_OK; s++) {
        char d[11];
        date_format(t->snap[s].date, d);
        parity_report_options ro = *o;
        ro.at = d;
        ro.reproducible = 1;
        parity_report *rep = NULL;
        rc = s == s_at ? PARITY_OK : report_build_fixed(t, &ro, fx, &rep);
        if (rc != PARITY_OK) break;
        cJSON *m = report_model_json(s == s_at ? last : rep);
        /* the page reads tables, headline and notes; not the glossary */
        cJSON_DeleteItemFromObjectCaseSensitive(m, "glossary");
        cJSON *tables = cJSON_GetObjectItemCaseSensitive(m, "tables");
        /* what the page draws of the movements and of the units' staff tables */
        static const char *const moves[] = {"is_total", "hires_female", "hires_male_other", "promotions_female",
                                            "promotions_male_other", "separations_female", "separations_male_other",
                                            "promotion_impact_ratio", "promotion_fails_four_fifths",
                                            "separation_impact_ratio", "separation_fails_four_fifths", NULL};
        static const char *const units[] = {"is_total", "female", "male_other", "total", "female_share", "status", NULL};
        for (cJSON *tb = tables ? tables->child : NULL; tb; tb = tb->next) {
            size_t n = strlen(tb->string);
            if (strncmp(tb->string, "movements_", 10) == 0) page_trim(tb, moves);
            else if (strncmp(tb->string, "by_", 3) == 0 && n > 13 && strcmp(tb->string + n - 10, "_and_grade") == 0)
                page_trim(tb, units);
            compact_table(tb);
        }
        cJSON_AddItemToArray(dates, cJSON_CreateString(d));
        cJSON_AddItemToObject(reports, d, m);
        parity_report_free(rep);
    }
    cJSON *cats = cJSON_AddObjectToObject(data, "grade_category");
    for (uint32_t g = 0; t->grade_cat && g < t->grades.n; g++) {
        const char *name = dict_str(&t->grades, g);
        if (*name && !cJSON_GetObjectItemCaseSensitive(cats, name))
            cJSON_AddStringToObject(cats, name, dict_str(&t->categories, t->grade_cat[g]));
    }
    /* the breakdowns by grade, for the page's filters */
    cJSON *dims = cJSON_AddArrayToObject(data, "dimensions");
    for (size_t i = 0; i < last->ntab; i++) {
        size_t n = strlen(last->tname[i]);
        if (strncmp(last->tname[i], "by_", 3) == 0 && n > 13 && strcmp(last->tname[i] + n - 10, "_and_grade") == 0) {
            cJSON *d = cJSON_CreateObject();
            cJSON_AddStringToObject(d, "name", last->tab[i]->col[0].name);
            cJSON_AddStringToObject(d, "table", last->tname[i]);
            /* its units' movements, when the report has them */
            static const char *const mv[2] = {"year", "pooled"};
            for (int k = 0; k < 2; k++) {
                char name[256];
                snprintf(name, sizeof name, "movements_%s_%s", mv[k], last->tname[i]);
                if (report_table(last, name)) cJSON_AddStringToObject(d, mv[k], name);
            }
            cJSON_AddItemToArray(dims, d);
        }
    }
    if (rc == PARITY_OK) rc = dashboard_projections(t, last, data);
    if (rc == PARITY_OK) rc = unit_trends(data, last->at, dashboard_horizon(t, last));
    parity_report_free(last);
    report_fixed_free(fx);
    if (rc != PARITY_OK) {
        cJSON_Delete(data);
        return rc;
    }
    *out = data;
    return PARITY_OK;
}

/* Fractions to six decimals: what the page shows needs no more, and the
** page is a third lighter for it. */
static void round_numbers(cJSON *item) {
    for (cJSON *c = item; c; c = c->next) {
        if (cJSON_IsNumber(c) && c->valuedouble != (double)(long long)c->valuedouble)
            cJSON_SetNumberValue(c, round(c->valuedouble * 1e6) / 1e6);
        if (c->child) round_numbers(c->child);
    }
}

/* Writes the page template with its three marks replaced. */
static void fill(FILE *f, const char *data) {
    static const char *const mark[3] = {"/*ECHARTS*/", "/*DATA*/", "/*APP*/"};
    const char *p = (const char *)dashboard_page;
    for (int k = 0; k < 3; k++) {
        const char *m = strstr(p, mark[k]);
        if (!m) break;
        fwrite(p, 1, (size_t)(m - p), f);
        if (k == 0) fwrite(dashboard_echarts, 1, dashboard_echarts_len, f);
        else if (k == 1) put_script_json(f, data);
        else fwrite(dashboard_app, 1, dashboard_app_len, f);
        p = m + strlen(mark[k]);
    }
    fputs(p, f);
}

int parity_dashboard_render(parity_table *t, const parity_report_options *o, char **out, size_t *len) {
    if (!t || !out || !len) return PARITY_USAGE;
    *out = NULL;
    *len = 0;
    parity_report_options def;
    if (!o) {
        parity_report_options_init(&def);
        o = &def;
    }
    cJSON *data = NULL;
    int rc = dashboard_data(t, o, &data);
    if (rc != PARITY_OK) return rc;
    round_numbers(data);
    char *text = cJSON_PrintUnformatted(data);
    cJSON_Delete(data);
    if (!text) return PARITY_NOMEM;
    FILE *m = open_memstream(out, len);
    if (!m) {
        cJSON_free(text);
        return PARITY_NOMEM;
    }
    fill(m, text);
    cJSON_free(text);
    if (fclose(m) != 0) {
        free(*out);
        *out = NULL;
        return PARITY_NOMEM;
    }
    return PARITY_OK;
}
