/* result.c: the result frame and its four writers, on a frame built by
** hand (no analysis behind it), so that what each writer owes is checked
** apart from what computes the numbers:
**
** - JSON: parameters and scalars where DESIGN.md puts them, groups and the
**   total apart, nulls as null, an interval as [low, high];
** - CSV: RFC 4180 quoting, an interval as two columns, is_total, blanks for
**   nulls -- the exact bytes, written out by hand below;
** - table and Markdown: every row as wide as the header, counts and shares
**   right-aligned, prose as footnote marks with the text under the table;
** - reading cells back through the public API. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"

static parity_result *frame(void) {
    parity_result *r = result_new("representation", "Staff by grade");
    cr_assert_not_null(r);
    cr_assert_eq(result_add_col(r, "grade", "Grade", RESULT_DIM), PARITY_OK);
    cr_assert_eq(result_add_col(r, "female", "Women", RESULT_COUNT), PARITY_OK);
    cr_assert_eq(result_add_col(r, "female_share", "Women %", RESULT_SHARE), PARITY_OK);
    cr_assert_eq(result_add_col(r, "ci", "95% CI", RESULT_CI), PARITY_OK);
    cr_assert_eq(result_add_col(r, "status", "Status", RESULT_TEXT), PARITY_OK);
    cr_assert_eq(result_add_machine_col(r, "why", RESULT_NOTE), PARITY_OK);
    long a = result_add_row(r), b = result_add_row(r), c = result_add_row(r);
    cr_assert(a == 0 && b == 1 && c == 2);
    result_set_text(r, 0, 0, "P3");
    result_set_num(r, 0, 1, 1);
    result_set_num(r, 0, 2, 0.25);
    result_set_ci(r, 0, 3, 0.1, 0.7);
    result_set_text(r, 0, 4, "below");
    result_set_text(r, 1, 0, "P4, \"senior\"");
    result_set_num(r, 1, 1, 12);
    result_set_text(r, 1, 5, "small group");
    result_set_text(r, 2, 0, "Total");
    result_set_num(r, 2, 1, 13);
    result_set_num(r, 2, 2, 0.5);
    result_set_has_total(r, true);
    cr_assert_eq(result_param_str(r, "by", "grade"), PARITY_OK);
    cr_assert_eq(result_param_num(r, "band", 0.05), PARITY_OK);
    cr_assert_eq(result_param_bool(r, "exact", true), PARITY_OK);
    cr_assert_eq(result_param_str(r, "at", NULL), PARITY_OK);
    cr_assert_eq(result_meta(r, "glass_ceiling_index", cJSON_CreateNumber(1.25)), PARITY_OK);
    cr_assert_eq(result_note(r, "Shares of %d groups.", 2), PARITY_OK);
    return r;
}

static char *written(const parity_result *r, parity_format f) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    cr_assert_not_null(m);
    cr_assert_eq(parity_result_write(r, m, f), PARITY_OK);
    fclose(m);
    return buf;
}

Test(result, cells_read_back) {
    parity_result *r = frame();
    cr_assert_eq(parity_result_ngroups(r), 2);
    cr_assert(parity_result_has_total(r));
    cr_assert_eq(parity_result_ncols(r), 6);
    cr_assert_eq(parity_result_column(r, "status"), 4);
    cr_assert_eq(parity_result_column(r, "salary"), -1);
    cr_assert_float_eq(parity_result_number(r, 0, 3), 0.1, 1e-15);
    cr_assert_float_eq(parity_result_high(r, 0, 3), 0.7, 1e-15);
    cr_assert(parity_result_is_null(r, 1, 2));
    cr_assert(parity_result_is_null(r, 0, 99)); /* out of range */
    cr_assert_eq(parity_result_number(r, 2, 1), 13); /* the total row */
    double gci;
    cr_assert(parity_result_scalar(r, "glass_ceiling_index", &gci));
    cr_assert_eq(gci, 1.25);
    cr_assert_not(parity_result_scalar(r, "nothing", &gci));
    parity_result_free(r);
}

Test(result, json_follows_the_contract) {
    parity_result *r = frame();
    char *out = written(r, PARITY_FORMAT_JSON);
    cJSON *j = cJSON_Parse(out);
    cr_assert_not_null(j, "not JSON: %s", out);
    cr_assert_str_eq(cJSON_GetObjectItem(j, "command")->valuestring, "representation");
    cJSON *p = cJSON_GetObjectItem(j, "parameters");
    cr_assert_str_eq(cJSON_GetObjectItem(p, "by")->valuestring, "grade");
    cr_assert_eq(cJSON_GetObjectItem(p, "band")->valuedouble, 0.05);
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(p, "exact")));
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(p, "at")));
    cr_assert_eq(cJSON_GetObjectItem(j, "glass_ceiling_index")->valuedouble, 1.25);
    cJSON *g = cJSON_GetObjectItem(j, "groups");
    cr_assert_eq(cJSON_GetArraySize(g), 2);
    cJSON *g0 = cJSON_GetArrayItem(g, 0), *g1 = cJSON_GetArrayItem(g, 1);
    cr_assert_str_eq(cJSON_GetObjectItem(g0, "grade")->valuestring, "P3");
    cr_assert_eq(cJSON_GetObjectItem(g0, "female_share")->valuedouble, 0.25);
    cJSON *ci = cJSON_GetObjectItem(g0, "ci");
    cr_assert_eq(cJSON_GetArraySize(ci), 2);
    cr_assert_eq(cJSON_GetArrayItem(ci, 1)->valuedouble, 0.7);
    cr_assert_str_eq(cJSON_GetObjectItem(g1, "grade")->valuestring, "P4, \"senior\"");
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(g1, "female_share")));
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(g1, "ci")));
    cr_assert_str_eq(cJSON_GetObjectItem(g1, "why")->valuestring, "small group");
    /* the total apart, without a dimension value */
    cJSON *tot = cJSON_GetObjectItem(j, "total");
    cr_assert_eq(cJSON_GetObjectItem(tot, "female")->valuedouble, 13);
    cr_assert_null(cJSON_GetObjectItem(tot, "grade"));
    cJSON *notes = cJSON_GetObjectItem(j, "notes");
    cr_assert_str_eq(cJSON_GetArrayItem(notes, 0)->valuestring, "Shares of 2 groups.");
    cJSON_Delete(j);
    free(out);
    parity_result_free(r);
}

Test(result, csv_bytes) {
    parity_result *r = frame();
    char *out = written(r, PARITY_FORMAT_CSV);
    cr_assert_str_eq(out, "grade,female,female_share,ci_low,ci_high,status,why,is_total\n"
                          "P3,1,0.250000,0.100000,0.700000,below,,false\n"
                          "\"P4, \"\"senior\"\"\",12,,,,,small group,false\n"
                          ",13,0.500000,,,,,true\n");
    free(out);
    parity_result_free(r);
}

/* The display width of a line of UTF-8 text (one column per code point). */
static size_t width(const char *s, size_t len) {
    size_t w = 0;
    for (size_t i = 0; i < len; i++) w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

Test(result, table_rows_align) {
    parity_result *r = frame();
    char *out = written(r, PARITY_FORMAT_TABLE);
    /* the rules are as wide as the header; no row is wider (trailing
    ** blanks are trimmed) */
    const char *head = strstr(out, "Grade");
    cr_assert_not_null(head, "%s", out);
    const char *total = strstr(head, "\nTotal");
    cr_assert_not_null(total, "%s", out);
    size_t w0 = 0;
    int lines = 0;
    for (const char *l = head; l <= total + 1;) {
        const char *e = strchr(l, '\n');
        size_t w = width(l, (size_t)(e - l));
        if (!w0) w0 = w;
        if (*l == '-') cr_assert_eq(w, w0, "rule %d is %zu wide, not %zu:\n%s", lines, w, w0, out);
        cr_assert_leq(w, w0, "line %d is %zu wide, more than %zu:\n%s", lines, w, w0, out);
        lines++;
        l = e + 1;
    }
    cr_assert_eq(lines, 6); /* header, rule, two groups, rule, total */
    /* counts right-aligned: "1" and "12" end where "Women" ends */
    const char *women = strstr(head, "Women");
    size_t end = (size_t)(women - head) + 5;
    const char *row1 = strchr(head, '\n') + 1;
    row1 = strchr(row1, '\n') + 1; /* past the rule */
    cr_assert_eq(row1[end - 1], '1', "%s", out);
    cr_assert_eq(row1[end], ' ');
    /* the share as a percentage, the interval as a range */
    cr_assert(strstr(row1, "25.0%"), "%s", out);
    cr_assert(strstr(row1, "10.0-70.0%"), "%s", out);
    /* a text column starts at the same place on every row */
    size_t status = (size_t)(strstr(head, "Status") - head);
    const char *row2 = strchr(row1, '\n') + 1;
    cr_assert_eq(strstr(row1, "below") - row1, (long)status, "%s", out);
    cr_assert_eq(strstr(row2, "- [1]") - row2, (long)status, "%s", out);
    /* prose as a footnote mark, its text and the notes under the table */
    cr_assert(strstr(out, "[1]"), "%s", out);
    cr_assert(strstr(total, "[1] small group"), "%s", out);
    cr_assert(strstr(total, "Shares of 2 groups."), "%s", out);
    /* a machine-only column is not shown */
    cr_assert_null(strstr(out, "why"));
    free(out);
    parity_result_free(r);
}

Test(result, markdown_marks_alignment) {
    parity_result *r = frame();
    char *out = written(r, PARITY_FORMAT_MD);
    /* text left, numbers right; the total in bold */
    cr_assert(strstr(out, "|:--"), "%s", out);
    const char *rule = strstr(out, "|:");
    const char *eol = strchr(rule, '\n');
    int right = 0, left = 0;
    for (const char *c = rule; c < eol; c++) {
        right += c[0] == ':' && c[1] == '|';
        left += c[0] == '|' && c[1] == ':';
    }
    cr_assert_eq(left, 2);  /* grade, status */
    cr_assert_eq(right, 3); /* women, share, interval */
    cr_assert(strstr(out, "| **Total** "), "%s", out);
    free(out);
    parity_result_free(r);
}
