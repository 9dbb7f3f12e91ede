/*
** report_write.c -- the report's renderings: JSON (its model, from which
** the others are read), Markdown, a CSV file per table, an Excel workbook
** (libxlsxwriter). Exports parity_report_write(), parity_report_write_csv(),
** parity_report_write_xlsx() (parity.h) and report_table_json() (report.h).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>
#include <xlsxwriter.h>

#include "report.h"

static const char *const kind_name[] = {"dimension", "count", "share", "real", "interval",
                                        "text",      "year",  "bool",  "note"};

cJSON *report_table_json(const parity_result *r) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "title", r->title);
    cJSON *cols = cJSON_AddArrayToObject(o, "columns");
    for (size_t c = 0; cols && c < r->ncol; c++) {
        cJSON *col = cJSON_CreateObject();
        cJSON_AddStringToObject(col, "name", r->col[c].name);
        cJSON_AddStringToObject(col, "label", r->col[c].label);
        cJSON_AddStringToObject(col, "type", kind_name[r->col[c].kind]);
        cJSON_AddItemToArray(cols, col);
    }
    cJSON *rows = cJSON_AddArrayToObject(o, "rows");
    for (size_t i = 0; rows && i < r->nrow; i++) {
        cJSON *row = cJSON_CreateObject();
        bool total = r->has_total && i == r->nrow - 1;
        for (size_t c = 0; row && c < r->ncol; c++) {
            const result_cell *cell = &r->cell[i * r->ncol + c];
            cJSON *v = total && r->col[c].kind == RESULT_DIM ? cJSON_CreateString("Total")
                                                             : result_cell_json(&r->col[c], cell);
            cJSON_AddItemToObject(row, r->col[c].name, v);
        }
        if (r->has_total) cJSON_AddBoolToObject(row, "is_total", total);
        cJSON_AddItemToArray(rows, row);
    }
    cJSON_AddItemToObject(o, "notes", r->nnotes ? cJSON_CreateStringArray((const char *const *)r->notes,
                                                                          (int)r->nnotes)
                                                : cJSON_CreateArray());
    return o;
}

cJSON *report_model_json(const parity_report *rep) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "parity_version", PARITY_VERSION);
    cJSON_AddStringToObject(root, "command", "report");
    cJSON_AddStringToObject(root, "report_date", rep->at);
    if (!rep->reproducible) {
        char now[32];
        time_t t = time(NULL);
        struct tm tm;
        strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
        cJSON_AddStringToObject(root, "generated_at", now);
    }
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(rep->model, "headline");
    if (h) cJSON_AddItemToObject(root, "headline", cJSON_Duplicate(h, 1));
    cJSON *tables = cJSON_AddObjectToObject(root, "tables");
    for (size_t i = 0; tables && i < rep->ntab; i++)
        cJSON_AddItemToObject(tables, rep->tname[i], report_table_json(rep->tab[i]));
    const cJSON *m;
    cJSON_ArrayForEach(m, rep->model) {
        if (strcmp(m->string, "headline") == 0) continue;
        cJSON_AddItemToObject(root, m->string, cJSON_Duplicate(m, 1));
    }
    return root;
}

/* A headline figure in words: "55.0%" or "–". */
static void share_words(const parity_result *h, size_t row, const char *col, char *out, size_t cap) {
    long c = parity_result_column(h, col);
    if (c < 0 || row >= h->nrow || h->cell[row * h->ncol + (size_t)c].null) snprintf(out, cap, "–");
    else snprintf(out, cap, "%.1f%%", 100 * h->cell[row * h->ncol + (size_t)c].v[0]);
}

static int write_md(const parity_report *rep, FILE *f) {
    fprintf(f, "# Staff composition by sex at %s\n\n", rep->at);
    const parity_result *h = report_table(rep, "headline");
    const cJSON *hl = cJSON_GetObjectItemCaseSensitive(rep->model, "headline");
    for (size_t k = 0; h && k < h->nrow; k++) {
        char now[16];
        share_words(h, k, "female_share", now, sizeof now);
        long chg = parity_result_column(h, "change_points");
        const result_cell *c = chg >= 0 ? &h->cell[k * h->ncol + (size_t)chg] : NULL;
        fprintf(f, "- Women: **%s** of %s", now, h->cell[k * h->ncol].s);
        if (c && !c->null) fprintf(f, " (%+.1f points since %s)", c->v[0], h->col[chg - 1].label + 8);
        fputs("\n", f);
    }
    const cJSON *g = hl ? cJSON_GetObjectItemCaseSensitive(hl, "glass_ceiling_index") : NULL;
    if (cJSON_IsNumber(g)) fprintf(f, "- Glass ceiling index: **%.2f** (1 = no ceiling)\n", g->valuedouble);
    const cJSON *py = hl ? cJSON_GetObjectItemCaseSensitive(hl, "parity_year") : NULL;
    const cJSON *ps = hl ? cJSON_GetObjectItemCaseSensitive(hl, "parity_status") : NULL;
    const cJSON *pr = hl ? cJSON_GetObjectItemCaseSensitive(hl, "parity_reason") : NULL;
    if (cJSON_IsNumber(py)) fprintf(f, "- Parity (all staff) projected at the current pace: **%d**\n", py->valueint);
    else if (cJSON_IsString(ps) && strcmp(ps->valuestring, "reached") == 0)
        fputs("- All staff are within the parity band\n", f);
    else if (cJSON_IsString(ps))
        fprintf(f, "- Parity (all staff) at the current pace: none (%s)\n",
                cJSON_IsString(pr) ? pr->valuestring : ps->valuestring);
    fputc('\n', f);
    for (size_t i = 0; i < rep->ntab; i++) {
        fprintf(f, "## %s\n\n", rep->tab[i]->title);
        parity_result untitled = *rep->tab[i]; /* the heading says it */
        untitled.title = (char *)"";
        parity_result_write(&untitled, f, PARITY_FORMAT_MD);
        fputc('\n', f);
    }
    fputs("## Notes on the data\n\n", f);
    const cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(rep->model, "notes"))
        fprintf(f, "- %s\n", x->valuestring);
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(rep->model, "sections_missing"))
        fprintf(f, "- Not in this report: %s: %s.\n",
                cJSON_GetObjectItemCaseSensitive(x, "section")->valuestring,
                cJSON_GetObjectItemCaseSensitive(x, "reason")->valuestring);
    fputs("\nSnapshots:\n\n| date | rows | source | checksum |\n|---|---:|---|---|\n", f);
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(rep->model, "snapshots")) {
        const cJSON *src = cJSON_GetObjectItemCaseSensitive(x, "source"),
                    *sum = cJSON_GetObjectItemCaseSensitive(x, "checksum");
        fprintf(f, "| %s | %.0f | %s | %s |\n", cJSON_GetObjectItemCaseSensitive(x, "date")->valuestring,
                cJSON_GetObjectItemCaseSensitive(x, "rows")->valuedouble,
                cJSON_IsString(src) ? src->valuestring : "", cJSON_IsString(sum) ? sum->valuestring : "");
    }
    fputs("\n## Definitions\n\n", f);
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(rep->model, "glossary"))
        fprintf(f, "- **%s**: %s.\n", cJSON_GetObjectItemCaseSensitive(x, "term")->valuestring,
                cJSON_GetObjectItemCaseSensitive(x, "definition")->valuestring);
    return PARITY_OK;
}

int parity_report_write(const parity_report *rep, FILE *f, parity_format format) {
    if (!rep || !f) return PARITY_USAGE;
    if (format == PARITY_FORMAT_MD) return write_md(rep, f) == PARITY_OK && !ferror(f) ? PARITY_OK : PARITY_IO;
    if (format != PARITY_FORMAT_JSON) return PARITY_USAGE;
    cJSON *root = report_model_json(rep);
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text) return PARITY_NOMEM;
    fputs(text, f);
    fputc('\n', f);
    cJSON_free(text);
    return ferror(f) ? PARITY_IO : PARITY_OK;
}

/* dir/NAME.csv into out; false when it does not fit. */
static bool csv_path(char *out, size_t cap, const char *dir, const char *name) {
    int n = snprintf(out, cap, "%s/%s", dir, name);
    if (n < 0 || (size_t)n + 5 > cap) return false;
    memcpy(out + n, ".csv", 5);
    return true;
}

/* Writes every table into directory d; false on a write error. */
static bool write_tables(const parity_report *rep, const char *d) {
    for (size_t i = 0; i < rep->ntab; i++) {
        char path[4096];
        if (!csv_path(path, sizeof path, d, rep->tname[i])) return false;
        FILE *f = fopen(path, "wb");
        if (!f) return false;
        int rc = parity_result_write(rep->tab[i], f, PARITY_FORMAT_CSV);
        if (fclose(f) != 0 || rc != PARITY_OK) return false;
    }
    return true;
}

/* The files go into a new directory beside dir first, then into place, so
** that a failure leaves dir as it was: renamed whole when dir is new, file
** by file (each rename atomic) when it exists. */
int parity_report_write_csv(const parity_report *rep, const char *dir) {
    if (!rep || !dir) return PARITY_USAGE;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", dir);
    if (!mkdtemp(tmp)) return PARITY_IO;
    bool ok = write_tables(rep, tmp);
    struct stat st;
    if (ok && stat(dir, &st) != 0) {
        ok = rename(tmp, dir) == 0;
        if (ok) return PARITY_OK;
    } else if (ok) {
        ok = S_ISDIR(st.st_mode);
        for (size_t i = 0; ok && i < rep->ntab; i++) {
            char from[4096], to[4096];
            ok = csv_path(from, sizeof from, tmp, rep->tname[i]) && csv_path(to, sizeof to, dir, rep->tname[i]) &&
                 rename(from, to) == 0;
        }
    }
    for (size_t i = 0; i < rep->ntab; i++) { /* what is left of the new directory */
        char path[4096];
        if (csv_path(path, sizeof path, tmp, rep->tname[i])) unlink(path);
    }
    rmdir(tmp);
    return ok ? PARITY_OK : PARITY_IO;
}

/* ---- the workbook --------------------------------------------------------- */

typedef struct formats {
    lxw_format *head, *count, *share, *real, *year, *dash, *bold;
} formats;

static void xlsx_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t *col, const result_col *c,
                      const result_cell *cell, bool total, const formats *fm) {
    if (total && c->kind == RESULT_DIM) {
        worksheet_write_string(ws, row, (*col)++, "Total", fm->bold);
        return;
    }
    if (cell->null) {
        bool dash = c->kind != RESULT_DIM && c->kind != RESULT_TEXT && c->kind != RESULT_NOTE;
        worksheet_write_string(ws, row, (*col)++, dash ? "–" : "", fm->dash);
        if (c->kind == RESULT_CI) worksheet_write_string(ws, row, (*col)++, "–", fm->dash);
        return;
    }
    switch (c->kind) {
    case RESULT_DIM:
    case RESULT_TEXT:
    case RESULT_NOTE: worksheet_write_string(ws, row, (*col)++, cell->s ? cell->s : "", NULL); break;
    case RESULT_COUNT: worksheet_write_number(ws, row, (*col)++, cell->v[0], fm->count); break;
    case RESULT_SHARE: worksheet_write_number(ws, row, (*col)++, cell->v[0], fm->share); break;
    case RESULT_CI:
        worksheet_write_number(ws, row, (*col)++, cell->v[0], fm->share);
        worksheet_write_number(ws, row, (*col)++, cell->v[1], fm->share);
        break;
    case RESULT_YEAR:
        if (cell->v[0] != 0) worksheet_write_number(ws, row, (*col)++, cell->v[0], fm->year);
        else worksheet_write_string(ws, row, (*col)++, cell->s ? cell->s : "", NULL);
        break;
    case RESULT_BOOL: worksheet_write_boolean(ws, row, (*col)++, cell->v[0] != 0, NULL); break;
    default: worksheet_write_number(ws, row, (*col)++, cell->v[0], fm->real); break;
    }
}

static void xlsx_table(lxw_workbook *wb, const char *name, const parity_result *r, const formats *fm) {
    /* a sheet's name has at most 31 characters: two long table names
    ** alike in their first 31 are told apart by a number */
    char sheet[32];
    snprintf(sheet, sizeof sheet, "%.31s", name);
    for (int n = 2; workbook_get_worksheet_by_name(wb, sheet) && n < 100; n++)
        snprintf(sheet, sizeof sheet, "%.28s~%d", name, n);
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    if (!ws) return;
    worksheet_write_string(ws, 0, 0, r->title, fm->bold);
    lxw_col_t col = 0, ndim = 0;
    for (size_t c = 0; c < r->ncol; c++) {
        if (r->col[c].kind == RESULT_DIM) ndim++;
        if (r->col[c].kind == RESULT_CI) {
            char lab[160];
            snprintf(lab, sizeof lab, "%s low", r->col[c].label);
            worksheet_write_string(ws, 1, col++, lab, fm->head);
            snprintf(lab, sizeof lab, "%s high", r->col[c].label);
            worksheet_write_string(ws, 1, col++, lab, fm->head);
        } else {
            worksheet_write_string(ws, 1, col++, r->col[c].label, fm->head);
        }
    }
    worksheet_set_column(ws, 0, ndim ? ndim - 1 : 0, 28, NULL);
    worksheet_set_column(ws, ndim, col, 12, NULL);
    worksheet_freeze_panes(ws, 2, ndim);
    for (size_t i = 0; i < r->nrow; i++) {
        lxw_col_t cc = 0;
        bool total = r->has_total && i == r->nrow - 1;
        for (size_t c = 0; c < r->ncol; c++)
            xlsx_cell(ws, (lxw_row_t)(i + 2), &cc, &r->col[c], &r->cell[i * r->ncol + c], total, fm);
    }
    for (size_t k = 0; k < r->nnotes; k++)
        worksheet_write_string(ws, (lxw_row_t)(r->nrow + 3 + k), 0, r->notes[k], NULL);
}

int parity_report_write_xlsx(const parity_report *rep, const char *path) {
    if (!rep || !path) return PARITY_USAGE;
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) return PARITY_IO;
    lxw_doc_properties props = {.title = "Staff composition by sex", .author = "parity"};
    if (rep->reproducible) props.created = 946684800; /* 2000-01-01: no time of generation */
    workbook_set_properties(wb, &props);
    formats fm;
    fm.head = workbook_add_format(wb);
    format_set_bold(fm.head);
    format_set_bottom(fm.head, LXW_BORDER_THIN);
    format_set_text_wrap(fm.head);
    fm.bold = workbook_add_format(wb);
    format_set_bold(fm.bold);
    fm.count = workbook_add_format(wb);
    format_set_num_format(fm.count, "#,##0");
    fm.share = workbook_add_format(wb);
    format_set_num_format(fm.share, "0.0%");
    fm.real = workbook_add_format(wb);
    format_set_num_format(fm.real, "0.00");
    fm.year = workbook_add_format(wb);
    format_set_num_format(fm.year, "0");
    fm.dash = workbook_add_format(wb);
    format_set_align(fm.dash, LXW_ALIGN_RIGHT);
    for (size_t i = 0; i < rep->ntab; i++) xlsx_table(wb, rep->tname[i], rep->tab[i], &fm);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "notes");
    lxw_row_t row = 0;
    worksheet_set_column(ws, 0, 0, 30, NULL);
    worksheet_set_column(ws, 1, 1, 100, NULL);
    worksheet_write_string(ws, row++, 0, "Notes on the data", fm.bold);
    const cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(rep->model, "notes"))
        worksheet_write_string(ws, row++, 0, x->valuestring, NULL);
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(rep->model, "sections_missing")) {
        worksheet_write_string(ws, row, 0, cJSON_GetObjectItemCaseSensitive(x, "section")->valuestring, NULL);
        worksheet_write_string(ws, row++, 1, cJSON_GetObjectItemCaseSensitive(x, "reason")->valuestring, NULL);
    }
    row++;
    worksheet_write_string(ws, row++, 0, "Definitions", fm.bold);
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(rep->model, "glossary")) {
        worksheet_write_string(ws, row, 0, cJSON_GetObjectItemCaseSensitive(x, "term")->valuestring, NULL);
        worksheet_write_string(ws, row++, 1, cJSON_GetObjectItemCaseSensitive(x, "definition")->valuestring, NULL);
    }
    return workbook_close(wb) == LXW_NO_ERROR ? PARITY_OK : PARITY_IO;
}

int parity_report_render(const parity_report *rep, parity_format format, char **out, size_t *len) {
    if (!rep || !out || !len) return PARITY_USAGE;
    *out = NULL;
    *len = 0;
    FILE *m = open_memstream(out, len);
    if (!m) return PARITY_NOMEM;
    int rc = parity_report_write(rep, m, format);
    if (fclose(m) != 0 && rc == PARITY_OK) rc = PARITY_NOMEM;
    if (rc != PARITY_OK) {
        free(*out);
        *out = NULL;
        *len = 0;
    }
    return rc;
}
