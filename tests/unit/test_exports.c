/* Files as HR systems and spreadsheets write them: one date per file, the
** same file twice, several files for one date, encodings, delimiters,
** standard input, mappings across a history, files without grades, and
** columns that identify people. Expected values are counted by hand from
** the inputs written here, or from the Montgomery County slices in
** tests/data (see SOURCE.md). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "markov.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"
#include "trend.h"

static int load(parity_table *t, const char *name, const char *csv, const char *date) {
    return parity_table_load_csv_buffer(t, name, csv, strlen(csv), date);
}

static bool has_diag(const parity_table *t, const char *needle) {
    for (size_t i = 0; i < parity_table_ndiagnostics(t); i++)
        if (strstr(parity_table_diagnostic(t, i), needle)) return true;
    return false;
}

static const char a_csv[] = "sex,grade\nF,P4\nM,P4\nF,P3\n";
static const char b_csv[] = "sex,grade\nM,P4\nM,P3\n";

Test(exports, each_file_its_own_date) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(load(t, "a.csv", a_csv, "2014-12-31"), PARITY_OK);
    cr_assert_eq(load(t, "b.csv", b_csv, "2016-12-31"), PARITY_OK);
    cr_assert_eq(parity_table_nsnapshots(t), 2);
    size_t rows;
    char d[11];
    parity_table_snapshot(t, 0, d, &rows);
    cr_assert_str_eq(d, "2014-12-31");
    cr_assert_eq(rows, 3);
    parity_table_snapshot(t, 1, d, &rows);
    cr_assert_str_eq(d, "2016-12-31");
    cr_assert_eq(rows, 2);
    const char *src, *sum;
    cr_assert_eq(parity_table_snapshot_source(t, 1, &src, &sum), PARITY_OK);
    cr_assert_str_eq(src, "b.csv");
    cr_assert_eq(strncmp(sum, "xxh3-", 5), 0);
    parity_table_free(t);
}

Test(exports, the_same_bytes_twice_are_refused) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(load(t, "a.csv", a_csv, "2014-12-31"), PARITY_OK);
    /* the same bytes under another name and another date: still refused */
    cr_assert_eq(load(t, "copy.csv", a_csv, "2016-12-31"), PARITY_INVALID);
    cr_assert(has_diag(t, "copy.csv: the same bytes as a.csv, loaded already"), "%s",
              parity_table_diagnostic(t, 0));
    cr_assert_eq(parity_table_nrows(t), 3);
    parity_table_set_combine(t, 1);
    cr_assert_eq(load(t, "copy.csv", a_csv, "2014-12-31"), PARITY_INVALID);
    cr_assert_eq(parity_table_nrows(t), 3);
    parity_table_free(t);
}

Test(exports, two_files_for_one_date_only_when_asked) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(load(t, "north.csv", a_csv, "2024-12-31"), PARITY_OK);
    cr_assert_eq(load(t, "south.csv", b_csv, "2024-12-31"), PARITY_INVALID);
    cr_assert(has_diag(t, "south.csv: snapshot 2024-12-31 is loaded already from north.csv"));
    cr_assert_eq(parity_table_nrows(t), 3);
    parity_table_set_combine(t, 1);
    cr_assert_eq(load(t, "south.csv", b_csv, "2024-12-31"), PARITY_OK);
    cr_assert_eq(parity_table_nsnapshots(t), 1);
    cr_assert_eq(parity_table_nrows(t), 5);
    const char *src, *sum;
    parity_table_snapshot_source(t, 0, &src, &sum);
    cr_assert_str_eq(src, "north.csv + south.csv");
    /* representation counts both files: women 2 (F,F), men 3 */
    parity_result *r;
    cr_assert_eq(parity_representation(t, "", NULL, &r), PARITY_OK);
    cr_assert_eq(parity_result_number(r, 0, (size_t)parity_result_column(r, "female")), 2);
    cr_assert_eq(parity_result_number(r, 0, (size_t)parity_result_column(r, "male")), 3);
    parity_result_free(r);
    parity_table_free(t);
}

/* The checksum of a stream is that of the bytes read from it, in the same
** read: a pipe consumed is never checksummed afterwards. */
Test(exports, stream_checksum_is_of_the_bytes_read) {
    char path[] = "/tmp/parity-exportsXXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w+");
    fputs(a_csv, f);
    rewind(f);
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv_stream(t, "<stdin>", f, "2024-12-31"), PARITY_OK);
    fclose(f);
    const char *sum;
    parity_table_snapshot_source(t, 0, NULL, &sum);
    /* a second route: the xxhsum tool's XXH3 of the same file */
    char cmd[128], line[256] = "", want[64];
    snprintf(cmd, sizeof cmd, "xxhsum -H3 %s", path);
    FILE *x = popen(cmd, "r");
    cr_assert(x && fgets(line, sizeof line, x));
    pclose(x);
    const char *eq = strstr(line, "= ");
    cr_assert(eq, "%s", line);
    snprintf(want, sizeof want, "xxh3-%.16s", eq + 2);
    cr_assert_str_eq(sum, want);
    char file_sum[22];
    cr_assert_eq(parity_file_checksum(path, file_sum), PARITY_OK);
    cr_assert_str_eq(sum, file_sum);
    unlink(path);
    parity_table_free(t);
}

Test(exports, latin1_refused_with_where_then_read_when_named) {
    const char csv[] = "snapshot_date,sex,grade,department\n"
                       "2024-12-31,F,P4,Direction g\xe9n\xe9rale\n"
                       "2024-12-31,M,P3,Finance\n";
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(load(t, "fr.csv", csv, NULL), PARITY_INVALID);
    cr_assert_str_eq(parity_table_diagnostic(t, 0),
                     "fr.csv:2:4: not UTF-8 text: byte 0xE9 at position 12 of the field (a file "
                     "saved as Latin-1 or Windows-1252, as Excel does in Western Europe? read it "
                     "with 'encoding' cp1252)");
    parity_table_free(t);
    parity_config *c = parity_config_new();
    cr_assert_eq(parity_config_set_encoding(c, "cp1252"), PARITY_OK);
    t = parity_table_new(c);
    cr_assert_eq(load(t, "fr.csv", csv, NULL), PARITY_OK);
    long col = table_find_col(t, "department");
    /* é is C3 A9 in UTF-8 */
    cr_assert_geq(dict_find(&t->cols[col].dict, "Direction g\xc3\xa9n\xc3\xa9rale", 20), 0);
    parity_table_free(t);
    /* Windows-1252's 0x80 is the euro sign, E2 82 AC; Latin-1 is not cp1252 */
    cr_assert_eq(parity_config_set_encoding(c, "cp1252"), PARITY_OK);
    t = parity_table_new(c);
    cr_assert_eq(load(t, "eur.csv", "snapshot_date,sex,grade,unit\n2024-12-31,F,P4,\x80 desk\n", NULL),
                 PARITY_OK);
    col = table_find_col(t, "unit");
    cr_assert_geq(dict_find(&t->cols[col].dict, "\xe2\x82\xac desk", 8), 0);
    parity_table_free(t);
    cr_assert_eq(parity_config_set_encoding(c, "ebcdic"), PARITY_USAGE);
    parity_config_free(c);
}

Test(exports, utf16_with_tabs_as_excel_saves_unicode_text) {
    /* "sex\tgrade\nF\tP4\n" as UTF-16LE with its byte-order mark */
    const char plain[] = "snapshot_date\tsex\tgrade\n2024-12-31\tF\tP4\n2024-12-31\tM\tP2\n";
    size_t n = strlen(plain);
    char *u16 = malloc(2 + 2 * n);
    u16[0] = (char)0xFF;
    u16[1] = (char)0xFE;
    for (size_t i = 0; i < n; i++) u16[2 + 2 * i] = plain[i], u16[3 + 2 * i] = 0;
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv_buffer(t, "u.txt", u16, 2 + 2 * n, NULL), PARITY_INVALID);
    cr_assert(has_diag(t, "u.txt:1: UTF-16 text"), "%s", parity_table_diagnostic(t, 0));
    parity_table_free(t);
    parity_config *c = parity_config_new();
    cr_assert_eq(parity_config_set_encoding(c, "utf-16"), PARITY_OK);
    cr_assert_eq(parity_config_set_delimiter(c, "tab"), PARITY_OK);
    t = parity_table_new(c);
    cr_assert_eq(parity_table_load_csv_buffer(t, "u.txt", u16, 2 + 2 * n, NULL), PARITY_OK,
                 "%s", parity_table_diagnostic(t, 0));
    cr_assert_eq(parity_table_nrows(t), 2);
    cr_assert_eq(t->sex[0], SEX_F);
    cr_assert_str_eq(dict_str(&t->grades, table_grade(t, 1)), "P2");
    parity_table_free(t);
    parity_config_free(c);
    free(u16);
}

Test(exports, delimiters) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(load(t, "eu.csv", "sex;grade;unit\nF;P4;\"A;B\"\n", "2024-12-31"), PARITY_INVALID);
    cr_assert_str_eq(parity_table_diagnostic(t, 0),
                     "eu.csv:1: the header is a single column holding ';': the file looks "
                     "';'-separated; read it with 'delimiter' ';'");
    parity_table_free(t);
    parity_config *c = parity_config_new();
    cr_assert_eq(parity_config_set_delimiter(c, ";"), PARITY_OK);
    t = parity_table_new(c);
    cr_assert_eq(load(t, "eu.csv", "sex;grade;unit\nF;P4;\"A;B\"\n", "2024-12-31"), PARITY_OK);
    cr_assert_geq(dict_find(&t->cols[table_find_col(t, "unit")].dict, "A;B", 3), 0);
    parity_table_free(t);
    /* a tab separates even where libcsv would trim it as white space */
    cr_assert_eq(parity_config_set_delimiter(c, "tab"), PARITY_OK);
    t = parity_table_new(c);
    cr_assert_eq(load(t, "t.tsv", "sex\tgrade\tunit\nF\t\tX\n", "2024-12-31"), PARITY_INVALID);
    cr_assert(has_diag(t, "t.tsv:2:2: empty grade"), "%s", parity_table_diagnostic(t, 0));
    cr_assert_eq(load(t, "t.tsv", "sex\tgrade\tunit\nF\t P4 \tX Y\n", "2024-12-31"), PARITY_OK);
    cr_assert_geq(dict_find(&t->cols[table_find_col(t, "unit")].dict, "X Y", 3), 0);
    parity_table_free(t);
    cr_assert_eq(parity_config_set_delimiter(c, "ab"), PARITY_USAGE);
    cr_assert_eq(parity_config_set_delimiter(c, "\""), PARITY_USAGE);
    parity_config_free(c);
}

/* Montgomery County 2016 has a department code "Department" beside the
** "Department Name" the user maps onto department. */
Test(exports, an_explicit_mapping_wins_over_a_spelling) {
    parity_config *c = parity_config_new();
    parity_config_set_column(c, "sex", "Gender");
    parity_config_set_column(c, "department", "Department Name");
    parity_config_set_grade_order(c, "none");
    parity_table *t = parity_table_new(c);
    cr_assert_eq(parity_table_load_csv(t, TEST_DATA "/montgomery_2016_slice.csv", "2016-12-31"),
                 PARITY_OK, "%s", parity_table_ndiagnostics(t) ? parity_table_diagnostic(t, 0) : parity_table_errmsg(t));
    long dep = table_find_col(t, "department"), code = table_find_col(t, "Department_column");
    cr_assert_geq(dep, 0);
    cr_assert_geq(code, 0);
    cr_assert_geq(dict_find(&t->cols[dep].dict, "Department of Police", 20), 0);
    cr_assert_geq(dict_find(&t->cols[code].dict, "POL", 3), 0);
    parity_table_free(t);
    parity_config_free(c);
}

/* Two spellings of one column across a history, mapped to a name of the
** user's; the 2014 file has no grade column. */
Test(exports, one_dimension_across_spellings_and_files_without_grades) {
    parity_config *c = parity_config_new();
    parity_config_set_column(c, "sex", "Gender");
    cr_assert_eq(parity_config_set_column(c, "dept", "Department Name"), PARITY_OK);
    cr_assert_eq(parity_config_set_column(c, "dept", "Department_Name"), PARITY_OK);
    parity_config_set_grade_order(c, "none");
    parity_config_drop_column(c, "Base_Salary");
    parity_table *t = parity_table_new(c);
    cr_assert_eq(parity_table_load_csv(t, TEST_DATA "/montgomery_2014_slice.csv", "2014-12-31"),
                 PARITY_OK);
    cr_assert_not(t->has_grade);
    parity_result *r = NULL;
    cr_assert_eq(parity_representation(t, "grade", NULL, &r), PARITY_USAGE);
    cr_assert(strstr(parity_table_errmsg(t), "no grade column"), "%s", parity_table_errmsg(t));
    cr_assert_eq(parity_table_load_csv(t, TEST_DATA "/montgomery_2023_slice.csv", "2023-12-31"),
                 PARITY_OK);
    cr_assert(t->has_grade);
    cr_assert_lt(table_find_col(t, "Base_Salary"), 0); /* dropped: not read */
    /* 2023 slice, Alcohol Beverage Services: grep of the file, 1 F and 18 M
    ** (one of them in a quoted division, "ABS 85 Licensure, Regulation and
    ** Education") */
    cr_assert_eq(parity_representation(t, "dept", "2023-12-31", &r), PARITY_OK);
    bool found = false;
    for (size_t i = 0; i < parity_result_ngroups(r); i++)
        if (strcmp(parity_result_text(r, i, 0), "Alcohol Beverage Services") == 0) {
            found = true;
            cr_assert_eq(parity_result_number(r, i, 1), 1);  /* women */
            cr_assert_eq(parity_result_number(r, i, 2), 18); /* men: 17 lines plus one quoted division */
        }
    cr_assert(found);
    parity_result_free(r);
    /* the 2014 rows have no grade: by grade they are one blank group */
    cr_assert_eq(parity_representation(t, "grade", "2014-12-31", &r), PARITY_OK);
    cr_assert_eq(parity_result_ngroups(r), 1);
    cr_assert(parity_result_is_null(r, 0, 0));
    parity_result_free(r);
    parity_table_free(t);
    parity_config_free(c);
}

Test(exports, a_mapping_that_matches_nothing_is_told) {
    parity_config *c = parity_config_new();
    parity_config_set_column(c, "dept", "Dept Name");
    parity_config_set_column(c, "dept", "Dept_Name");
    parity_table *t = parity_table_new(c);
    cr_assert_eq(load(t, "x.csv", "sex,grade,Department\nF,P4,A\n", "2024-12-31"), PARITY_INVALID);
    cr_assert_str_eq(parity_table_diagnostic(t, 0),
                     "x.csv:1: no column \"Dept Name\", \"Dept_Name\" in the header (mapped to dept)");
    parity_table_free(t);
    parity_config_free(c);
}

Test(exports, identifying_columns_are_warned_of_and_can_be_dropped) {
    /* 60 people with names of their own, 3 units */
    char *csv = malloc(8192), *p = csv;
    p += sprintf(p, "staff_id,sex,grade,Full Name,unit\n");
    for (int i = 0; i < 60; i++)
        p += sprintf(p, "%d,%c,P%d,\"Person %d\",u%d\n", i, "FM"[i % 2], 1 + i % 5, i, i % 3);
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(load(t, "names.csv", csv, "2024-12-31"), PARITY_OK);
    cr_assert_eq(parity_table_nwarnings(t), 1);
    cr_assert_str_eq(parity_table_warning(t, 0),
                     "names.csv: column \"Full Name\" has a value of its own on 60 of 60 rows: it "
                     "identifies people, and it would be kept and shown by 'by'; keep it out "
                     "with 'drop' \"Full Name\"");
    parity_table_free(t);
    parity_config *c = parity_config_new();
    parity_config_drop_column(c, "full name");
    t = parity_table_new(c);
    cr_assert_eq(load(t, "names.csv", csv, "2024-12-31"), PARITY_OK);
    cr_assert_eq(parity_table_nwarnings(t), 0);
    cr_assert_lt(table_find_col(t, "Full Name"), 0);
    for (size_t i = 0; i < parity_table_ndimensions(t); i++)
        cr_assert_str_neq(parity_table_dimension(t, i), "Full Name");
    parity_table_free(t);
    parity_config_free(c);
    free(csv);
}
