/* config.c: the JSON configuration file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "markov.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"
#include "trend.h"

static char *write_tmp(const char *text) {
    static char path[64];
    snprintf(path, sizeof path, "/tmp/parity-cfg-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

Test(config, full_file) {
    const char *json = "{\n"
                       "  \"columns\": {\"sex\": \"Gender\", \"grade\": \"Level\"},\n"
                       "  \"sex_codes\": {\"Frau\": \"F\", \"Mann\": \"M\"},\n"
                       "  \"grades\": [\"L1\", \"L2\", \"L3\"],\n"
                       "  \"categories\": {\"Staff\": [\"L1\", \"L2\"], \"Lead\": [\"L3\"]},\n"
                       "  \"top_grades\": [\"L3\"],\n"
                       "  \"date_format\": {\"entry_date\": \"%d.%m.%Y\"},\n"
                       "  \"target\": 0.5, \"band\": 0.05\n"
                       "}\n";
    char *path = write_tmp(json);
    parity_config *c = parity_config_new();
    cr_assert_eq(parity_config_load(c, path), PARITY_OK, "%s", parity_config_errmsg(c));
    parity_table *t = parity_table_new(c);
    const char *csv = "Level,Gender,entry_date\nl-2,Frau,01.02.2010\nL3,Mann,\nL3,Frau,\n";
    cr_assert_eq(parity_table_load_csv_buffer(t, "x.csv", csv, strlen(csv), "2020-12-31"),
                 PARITY_OK);
    cr_assert_eq(table_grade(t, 0), 1);
    cr_assert_str_eq(dict_str(&t->categories, t->grade_cat[2]), "Lead");
    cr_assert_eq(table_date_get(&t->entry_date, 0), date_from_ymd(2010, 2, 1));
    cr_assert_eq(table_date_get(&t->entry_date, 1), DATE_NONE);
    parity_result *r;
    cr_assert_eq(parity_representation(t, "category", NULL, &r), PARITY_OK);
    double gci;
    /* all: 2 women of 3; top (L3): 1 of 2 -> (2/3) / (1/2) = 4/3 */
    cr_assert(parity_result_scalar(r, "glass_ceiling_index", &gci));
    cr_assert_float_eq(gci, 4.0 / 3.0, 1e-12);
    parity_result_free(r);
    parity_table_free(t);
    parity_config_free(c);
    unlink(path);
}

Test(config, errors_say_where) {
    parity_config *c = parity_config_new();
    char *path = write_tmp("{\n  \"columns\": {\"sex\": \"Gender\"},\n  \"grades\": [\"A\",\n}\n");
    cr_assert_eq(parity_config_load(c, path), PARITY_USAGE);
    cr_assert(strstr(parity_config_errmsg(c), ":4:1: invalid JSON"), "%s", parity_config_errmsg(c));
    unlink(path);
    path = write_tmp("{\"colour\": 1}");
    cr_assert_eq(parity_config_load(c, path), PARITY_USAGE);
    cr_assert(strstr(parity_config_errmsg(c), "unknown setting \"colour\""));
    unlink(path);
    path = write_tmp("{\"band\": 0.6}");
    cr_assert_eq(parity_config_load(c, path), PARITY_USAGE);
    unlink(path);
    cr_assert_eq(parity_config_load(c, "/nonexistent.json"), PARITY_IO);
    parity_config_free(c);
}
