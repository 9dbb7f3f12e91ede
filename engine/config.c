/*
** config.c -- how input is read: column names, sex codes, grade scale,
** date formats and the parity band; set by the CLI's flags or read from a
** JSON file with cJSON.
*/
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "config.h"

const char *const config_canon_name[CANON_N] = {
    "staff_id",      "snapshot_date", "sex",        "grade",
    "department",    "duty_station",  "location_type", "contract_type",
    "entry_date",    "birth_date",    "count"};

int config_canon_find(const char *name) {
    for (int i = 0; i < CANON_N; i++)
        if (strcasecmp(name, config_canon_name[i]) == 0) return i;
    return -1;
}

/* Trims spaces and lower-cases s into buf; returns the length. */
static size_t fold(const char *s, size_t len, char *buf, size_t cap) {
    while (len && isspace((unsigned char)*s)) s++, len--;
    while (len && isspace((unsigned char)s[len - 1])) len--;
    size_t n = 0;
    for (; n < len && n + 1 < cap; n++) buf[n] = (char)tolower((unsigned char)s[n]);
    buf[n] = '\0';
    return n;
}

static int add_sex(parity_config *cfg, const char *value, uint8_t code) {
    char buf[128];
    size_t n = fold(value, strlen(value), buf, sizeof buf);
    int64_t c = dict_intern(&cfg->sex_values, buf, n);
    if (c < 0) return PARITY_NOMEM;
    if ((size_t)c >= cfg->sex_cap) {
        size_t cap = cfg->sex_cap ? cfg->sex_cap * 2 : 64;
        while (cap <= (size_t)c) cap *= 2;
        uint8_t *p = realloc(cfg->sex_code, cap);
        if (!p) return PARITY_NOMEM;
        cfg->sex_code = p;
        cfg->sex_cap = cap;
    }
    cfg->sex_code[c] = code;
    return PARITY_OK;
}

int config_sex(const parity_config *cfg, const char *s, size_t len) {
    char buf[128];
    size_t n = fold(s, len, buf, sizeof buf);
    int64_t c = dict_find(&cfg->sex_values, buf, n);
    return c < 0 ? -1 : cfg->sex_code[c];
}

static const struct {
    const char *value;
    uint8_t code;
} default_sex[] = {
    {"f", SEX_F},       {"female", SEX_F},  {"woman", SEX_F},
    {"women", SEX_F},   {"w", SEX_F},       {"m", SEX_M},
    {"male", SEX_M},    {"man", SEX_M},     {"men", SEX_M},
    {"x", SEX_X},       {"other", SEX_X},   {"another", SEX_X},
    {"diverse", SEX_X}, {"non-binary", SEX_X}, {"nonbinary", SEX_X},
    {"u", SEX_U},       {"", SEX_U},        {"unknown", SEX_U},
    {"not recorded", SEX_U}, {"n/a", SEX_U},
};

parity_config *parity_config_new(void) {
    parity_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg) return NULL;
    dict_init(&cfg->sex_values);
    cfg->order = GRADE_ORDER_UN;
    cfg->delimiter = ',';
    cfg->target = 0.5;
    cfg->band = 0.03;
    for (size_t i = 0; i < sizeof default_sex / sizeof default_sex[0]; i++) {
        if (add_sex(cfg, default_sex[i].value, default_sex[i].code) != PARITY_OK) {
            parity_config_free(cfg);
            return NULL;
        }
    }
    return cfg;
}

static void free_list(char **list, size_t n) {
    for (size_t i = 0; i < n; i++) free(list[i]);
    free(list);
}

static void free_maps(parity_config *cfg) {
    for (size_t i = 0; i < cfg->nmaps; i++) {
        free(cfg->maps[i].name);
        free(cfg->maps[i].header);
    }
    free(cfg->maps);
    cfg->maps = NULL;
    cfg->nmaps = 0;
}

void config_clear(parity_config *cfg) {
    for (int i = 0; i < CANON_N; i++) free(cfg->date_format[i]);
    free_maps(cfg);
    free_list(cfg->drop, cfg->ndrop);
    free(cfg->encoding);
    dict_free(&cfg->sex_values);
    free(cfg->sex_code);
    free_list(cfg->grades, cfg->ngrades);
    for (size_t i = 0; i < cfg->ncategories; i++) {
        free(cfg->categories[i].name);
        free_list(cfg->categories[i].grades, cfg->categories[i].ngrades);
    }
    free(cfg->categories);
    free_list(cfg->top_grades, cfg->ntop);
    free_list(cfg->breakdowns, cfg->nbreakdowns);
    free_list(cfg->breakdown_where, cfg->nbreakdown_where);
    parity_config_clear_targets(cfg);
    memset(cfg, 0, sizeof *cfg);
}

void parity_config_free(parity_config *cfg) {
    if (!cfg) return;
    config_clear(cfg);
    free(cfg);
}

const char *parity_config_errmsg(const parity_config *cfg) {
    return cfg ? cfg->errmsg : "no configuration";
}

static char **copy_list(char *const *src, size_t n, bool *fail) {
    if (!n) return NULL;
    char **dst = calloc(n, sizeof *dst);
    if (!dst) {
        *fail = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (!(dst[i] = str_dup(src[i]))) *fail = true;
    return dst;
}

static size_t split_commas(char *buf, char **parts, size_t cap);

/* ---- targets ------------------------------------------------------------ */

const char *const config_measure_name[4] = {"stock", "hires", "promotions", "moves"};

static void free_target(config_target *tg) {
    free(tg->scope);
    free_list(tg->dim, tg->nscope);
    free_list(tg->value, tg->nscope);
}

void parity_config_clear_targets(parity_config *cfg) {
    if (!cfg) return;
    for (size_t i = 0; i < cfg->ntargets; i++) free_target(&cfg->targets[i]);
    free(cfg->targets);
    cfg->targets = NULL;
    cfg->ntargets = 0;
}

/* Appends a deep copy of tg. */
static int add_target(parity_config *cfg, const config_target *tg) {
    config_target *list = realloc(cfg->targets, (cfg->ntargets + 1) * sizeof *list);
    if (!list) return PARITY_NOMEM;
    cfg->targets = list;
    config_target *dst = &list[cfg->ntargets];
    bool fail = false;
    *dst = *tg;
    dst->scope = str_dup(tg->scope);
    dst->dim = copy_list(tg->dim, tg->nscope, &fail);
    dst->value = copy_list(tg->value, tg->nscope, &fail);
    if (fail || !dst->scope) {
        dst->nscope = dst->dim && dst->value ? tg->nscope : 0;
        free_target(dst);
        return PARITY_NOMEM;
    }
    cfg->ntargets++;
    return PARITY_OK;
}

/* Splits a scope, "all" or "DIM=VALUE[,DIM=VALUE...]", into tg (its dim
** and value lists are malloc'ed; the caller frees them). */
static int parse_scope(parity_config *cfg, const char *where, const char *scope, config_target *tg) {
    tg->nscope = 0;
    tg->dim = tg->value = NULL;
    if (strcasecmp(scope, "all") == 0 || !*scope) return PARITY_OK;
    char buf[512];
    if (strlen(scope) >= sizeof buf)
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: the scope is too long", where);
    snprintf(buf, sizeof buf, "%s", scope);
    char *parts[CONFIG_MAX_SCOPE];
    size_t commas = 0;
    for (const char *c = buf; *c; c++) commas += *c == ',';
    if (commas >= CONFIG_MAX_SCOPE)
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: a scope names at most %d dimensions",
                          where, CONFIG_MAX_SCOPE);
    size_t n = split_commas(buf, parts, CONFIG_MAX_SCOPE);
    tg->dim = calloc(n ? n : 1, sizeof *tg->dim);
    tg->value = calloc(n ? n : 1, sizeof *tg->value);
    if (!tg->dim || !tg->value) return errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        char *eq = strchr(parts[i], '=');
        if (!eq || eq == parts[i] || !eq[1])
            return errmsg_set(cfg->errmsg, PARITY_USAGE,
                            "%s: \"%s\" is not DIMENSION=VALUE (e.g. grade=P4)", where, parts[i]);
        *eq = '\0';
        tg->dim[i] = str_dup(parts[i]);
        tg->value[i] = str_dup(eq + 1);
        tg->nscope = i + 1;
        if (!tg->dim[i] || !tg->value[i])
            return errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(tg->dim[j], tg->dim[i]) == 0)
                return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: the scope names \"%s\" twice",
                                where, tg->dim[i]);
    }
    return PARITY_OK;
}

/* A share written as 0.5 or 50%. */
static bool parse_share(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno) return false;
    if (*end == '%') {
        v /= 100;
        end++;
    }
    if (*end || !(v >= 0 && v <= 1)) return false;
    *out = v;
    return true;
}

static bool find_measure(const char *s, target_measure *m) {
    for (int i = 0; i < 4; i++)
        if (strcasecmp(s, config_measure_name[i]) == 0) {
            *m = (target_measure)i;
            return true;
        }
    return false;
}

static int parse_measure(parity_config *cfg, const char *where, const char *s, target_measure *m) {
    if (find_measure(s, m)) return PARITY_OK;
    return errmsg_set(cfg->errmsg, PARITY_USAGE,
                    "%s: unknown measure \"%s\" (stock, hires, promotions or moves)", where, s);
}

static int check_year(parity_config *cfg, const char *where, double y) {
    if (!(y >= 1900 && y <= 2200) || y != (double)(int)y)
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: the year must be a whole year, "
                        "1900 to 2200", where);
    return PARITY_OK;
}

/* Adds tg (whose scope lists it takes over) after the checks every target
** gets, wherever it was written. */
static int finish_target(parity_config *cfg, config_target *tg, const char *scope) {
    int rc = PARITY_OK;
    if (!(tg->scope = str_dup(tg->nscope ? scope : "all"))) rc = PARITY_NOMEM;
    else rc = add_target(cfg, tg);
    free_target(tg);
    if (rc == PARITY_NOMEM) errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
    return rc;
}

int parity_config_add_target(parity_config *cfg, const char *spec) {
    char buf[640], where[700];
    snprintf(where, sizeof where, "target \"%s\"", spec);
    if (strlen(spec) >= sizeof buf)
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: too long", where);
    snprintf(buf, sizeof buf, "%s", spec);
    /* SCOPE:SHARE:YEAR[:MEASURE], read from the right so a value may hold ':' */
    config_target tg = {0};
    tg.band = -1;
    tg.measure = MEASURE_STOCK;
    const char *field[3] = {NULL, NULL, NULL}; /* share, year, measure */
    char *colon = strrchr(buf, ':');
    if (colon && find_measure(colon + 1, &tg.measure)) {
        field[2] = colon + 1;
        *colon = '\0';
    }
    for (int f = 1; f >= 0; f--) {
        if (!(colon = strrchr(buf, ':')))
            return errmsg_set(cfg->errmsg, PARITY_USAGE,
                            "%s: write SCOPE:SHARE:YEAR[:MEASURE], e.g. grade=P4:0.5:2028",
                            where);
        field[f] = colon + 1;
        *colon = '\0';
    }
    const char *share_s = field[0], *year_s = field[1];
    if (!parse_share(share_s, &tg.share))
        return errmsg_set(cfg->errmsg, PARITY_USAGE,
                        "%s: the share \"%s\" must be between 0 and 1 (or 0%% to 100%%)", where,
                        share_s);
    char *yend;
    double year = strtod(year_s, &yend);
    if (*yend || yend == year_s) year = -1;
    int rc = check_year(cfg, where, year);
    if (rc != PARITY_OK) return rc;
    tg.year = (int)year;
    if ((rc = parse_scope(cfg, where, buf, &tg)) != PARITY_OK) {
        free_target(&tg);
        return rc;
    }
    return finish_target(cfg, &tg, buf);
}

/* One entry of the configuration's "targets": a string as on the command
** line, or {"scope": "grade=P4" | {"grade": "P4"}, "share": 0.5,
** "year": 2028, "measure": "stock", "band": 0.03}. */
static int json_target(parity_config *cfg, const char *path, size_t i, const cJSON *item) {
    char where[600];
    snprintf(where, sizeof where, "%s: targets[%zu]", path, i);
    if (cJSON_IsString(item)) {
        int rc = parity_config_add_target(cfg, item->valuestring);
        if (rc != PARITY_OK) {
            char msg[PARITY_ERRMSG_MAX];
            snprintf(msg, sizeof msg, "%s", cfg->errmsg);
            errmsg_set(cfg->errmsg, rc, "%s: %s", where, msg);
        }
        return rc;
    }
    if (!cJSON_IsObject(item))
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s must be a string or an object", where);
    config_target tg = {0};
    tg.band = -1;
    char scope[512] = "all";
    int rc = PARITY_OK;
    const cJSON *kv;
    cJSON_ArrayForEach(kv, item) {
        const char *k = kv->string;
        if (strcmp(k, "scope") == 0) {
            if (cJSON_IsString(kv)) {
                snprintf(scope, sizeof scope, "%s", kv->valuestring);
            } else if (cJSON_IsObject(kv)) {
                size_t used = 0;
                const cJSON *d;
                scope[0] = '\0';
                cJSON_ArrayForEach(d, kv) {
                    if (!cJSON_IsString(d)) {
                        rc = errmsg_set(cfg->errmsg, PARITY_USAGE,
                                      "%s: scope.\"%s\" must be a string", where, d->string);
                        break;
                    }
                    int w = snprintf(scope + used, sizeof scope - used, "%s%s=%s",
                                     used ? "," : "", d->string, d->valuestring);
                    if (w > 0) used += (size_t)w;
                    if (used >= sizeof scope) used = sizeof scope - 1;
                }
            } else {
                rc = errmsg_set(cfg->errmsg, PARITY_USAGE,
                              "%s: \"scope\" must be a string or an object", where);
            }
        } else if (strcmp(k, "share") == 0 || strcmp(k, "band") == 0) {
            double v = kv->valuedouble;
            if (!cJSON_IsNumber(kv) || !(v >= 0 && v <= (k[0] == 's' ? 1 : 0.5)))
                rc = errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: \"%s\" must be a number from 0 "
                              "to %s", where, k, k[0] == 's' ? "1" : "0.5");
            else if (k[0] == 's') tg.share = v;
            else tg.band = v;
        } else if (strcmp(k, "year") == 0) {
            rc = check_year(cfg, where, cJSON_IsNumber(kv) ? kv->valuedouble : -1);
            if (rc == PARITY_OK) tg.year = (int)kv->valuedouble; /* in range: checked */
        } else if (strcmp(k, "measure") == 0) {
            rc = cJSON_IsString(kv) ? parse_measure(cfg, where, kv->valuestring, &tg.measure)
                                    : errmsg_set(cfg->errmsg, PARITY_USAGE,
                                               "%s: \"measure\" must be a string", where);
        } else {
            rc = errmsg_set(cfg->errmsg, PARITY_USAGE,
                          "%s: unknown key \"%s\" (scope, share, year, measure, band)", where, k);
        }
        if (rc != PARITY_OK) return rc;
    }
    if (!cJSON_GetObjectItemCaseSensitive(item, "share") ||
        !cJSON_GetObjectItemCaseSensitive(item, "year"))
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s needs a \"share\" and a \"year\"",
                        where);
    if ((rc = parse_scope(cfg, where, scope, &tg)) != PARITY_OK) {
        free_target(&tg);
        return rc;
    }
    return finish_target(cfg, &tg, scope);
}

int config_copy(parity_config *dst, const parity_config *src) {
    bool fail = false;
    memset(dst, 0, sizeof *dst);
    dict_init(&dst->sex_values);
    dst->order = src->order;
    dst->target = src->target;
    dst->min_cell = src->min_cell;
    dst->min_cell_set = src->min_cell_set;
    dst->scale_set = src->scale_set;
    dst->band_set = src->band_set;
    dst->report_history = src->report_history;
    dst->report_pooled = src->report_pooled;
    dst->breakdowns = copy_list(src->breakdowns, src->nbreakdowns, &fail);
    dst->nbreakdowns = dst->breakdowns ? src->nbreakdowns : 0;
    dst->breakdown_where = copy_list(src->breakdown_where, src->nbreakdown_where, &fail);
    dst->nbreakdown_where = dst->breakdown_where ? src->nbreakdown_where : 0;
    dst->band = src->band;
    dst->delimiter = src->delimiter;
    for (int i = 0; i < CANON_N; i++)
        if (src->date_format[i] && !(dst->date_format[i] = str_dup(src->date_format[i])))
            fail = true;
    for (size_t i = 0; i < src->nmaps && !fail; i++)
        if (parity_config_set_column(dst, src->maps[i].name, src->maps[i].header) != PARITY_OK)
            fail = true;
    dst->drop = copy_list(src->drop, src->ndrop, &fail);
    dst->ndrop = dst->drop ? src->ndrop : 0;
    if (src->encoding && !(dst->encoding = str_dup(src->encoding))) fail = true;
    for (uint32_t c = 0; c < src->sex_values.n && !fail; c++)
        if (add_sex(dst, dict_str(&src->sex_values, c), src->sex_code[c]) != PARITY_OK)
            fail = true;
    dst->grades = copy_list(src->grades, src->ngrades, &fail);
    dst->ngrades = dst->grades ? src->ngrades : 0;
    dst->top_grades = copy_list(src->top_grades, src->ntop, &fail);
    dst->ntop = dst->top_grades ? src->ntop : 0;
    if (src->ncategories) {
        dst->categories = calloc(src->ncategories, sizeof *dst->categories);
        if (!dst->categories) fail = true;
        else {
            dst->ncategories = src->ncategories;
            for (size_t i = 0; i < src->ncategories; i++) {
                dst->categories[i].name = str_dup(src->categories[i].name);
                if (!dst->categories[i].name) fail = true;
                dst->categories[i].grades = copy_list(
                    src->categories[i].grades, src->categories[i].ngrades, &fail);
                dst->categories[i].ngrades =
                    dst->categories[i].grades ? src->categories[i].ngrades : 0;
            }
        }
    }
    for (size_t i = 0; i < src->ntargets && !fail; i++)
        if (add_target(dst, &src->targets[i]) != PARITY_OK) fail = true;
    if (fail) {
        config_clear(dst);
        return PARITY_NOMEM;
    }
    return PARITY_OK;
}

/* Trims spaces into a malloc'ed copy; NULL when out of memory. */
static char *trimmed(const char *s) {
    while (*s == ' ') s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ') n--;
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, s, n);
        out[n] = '\0';
    }
    return out;
}

int parity_config_set_column(parity_config *cfg, const char *name, const char *header) {
    if (!name || !header)
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "a column mapping needs a name and a header");
    char *n = trimmed(name), *h = trimmed(header);
    int rc = PARITY_OK;
    if (!n || !h) {
        rc = errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
    } else if (!*n || !*h) {
        rc = errmsg_set(cfg->errmsg, PARITY_USAGE, "column mapping \"%s=%s\": empty name or header",
                      name, header);
    } else if (strchr(n, ',')) {
        rc = errmsg_set(cfg->errmsg, PARITY_USAGE,
                      "column name \"%s\" has a comma (dimension lists are comma-separated)", n);
    } else if (strcasecmp(n, "category") == 0 || strcasecmp(n, "period") == 0) {
        rc = errmsg_set(cfg->errmsg, PARITY_USAGE,
                      "\"%s\" is derived by parity and cannot be read from a column", n);
    }
    for (size_t i = 0; i < cfg->nmaps && rc == PARITY_OK; i++) {
        if (strcasecmp(cfg->maps[i].header, h) != 0) continue;
        if (strcasecmp(cfg->maps[i].name, n) == 0) goto done; /* said twice */
        rc = errmsg_set(cfg->errmsg, PARITY_USAGE,
                      "column \"%s\" is mapped to both %s and %s", h, cfg->maps[i].name, n);
    }
    if (rc == PARITY_OK) {
        config_map *maps = realloc(cfg->maps, (cfg->nmaps + 1) * sizeof *maps);
        if (!maps) {
            rc = errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
        } else {
            cfg->maps = maps;
            maps[cfg->nmaps++] = (config_map){n, h};
            return PARITY_OK;
        }
    }
done:
    free(n);
    free(h);
    return rc;
}

bool config_mapped(const parity_config *cfg, const char *name) {
    for (size_t i = 0; i < cfg->nmaps; i++)
        if (strcasecmp(cfg->maps[i].name, name) == 0) return true;
    return false;
}

const config_map *config_map_of_header(const parity_config *cfg, const char *header) {
    for (size_t i = 0; i < cfg->nmaps; i++)
        if (strcasecmp(cfg->maps[i].header, header) == 0) return &cfg->maps[i];
    return NULL;
}

int parity_config_drop_column(parity_config *cfg, const char *header) {
    char *h = header ? trimmed(header) : NULL;
    if (!h) return errmsg_set(cfg->errmsg, header ? PARITY_NOMEM : PARITY_USAGE, "no column to drop");
    if (!*h) {
        free(h);
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "empty column name to drop");
    }
    char **list = realloc(cfg->drop, (cfg->ndrop + 1) * sizeof *list);
    if (!list) {
        free(h);
        return errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
    }
    cfg->drop = list;
    list[cfg->ndrop++] = h;
    return PARITY_OK;
}

bool config_dropped(const parity_config *cfg, const char *header) {
    for (size_t i = 0; i < cfg->ndrop; i++)
        if (strcasecmp(cfg->drop[i], header) == 0) return true;
    return false;
}

int parity_config_set_delimiter(parity_config *cfg, const char *delimiter) {
    char d = 0;
    if (!delimiter) d = 0;
    else if (strcmp(delimiter, "tab") == 0 || strcmp(delimiter, "\\t") == 0) d = '\t';
    else if (strcmp(delimiter, "comma") == 0) d = ',';
    else if (strcmp(delimiter, "semicolon") == 0) d = ';';
    else if (strlen(delimiter) == 1) d = delimiter[0];
    if (!d || d == '"' || d == '\r' || d == '\n' || d == ' ' || isalnum((unsigned char)d) ||
        (unsigned char)d >= 0x80)
        return errmsg_set(cfg->errmsg, PARITY_USAGE,
                        "delimiter must be one character such as ',', ';', '|' or tab, not \"%s\"",
                        delimiter ? delimiter : "");
    cfg->delimiter = d;
    return PARITY_OK;
}

int parity_config_set_encoding(parity_config *cfg, const char *encoding) {
    static const struct {
        const char *name, *iconv;
    } known[] = {
        {"utf-8", NULL},           {"utf8", NULL},
        {"latin1", "ISO-8859-1"},  {"latin-1", "ISO-8859-1"},
        {"iso-8859-1", "ISO-8859-1"}, {"cp1252", "WINDOWS-1252"},
        {"windows-1252", "WINDOWS-1252"}, {"utf-16", "UTF-16"},
        {"utf16", "UTF-16"},       {"utf-16le", "UTF-16LE"},
        {"utf-16be", "UTF-16BE"},
    };
    for (size_t i = 0; encoding && i < sizeof known / sizeof known[0]; i++) {
        if (strcasecmp(encoding, known[i].name) != 0) continue;
        char *e = NULL;
        if (known[i].iconv) {
            iconv_t cd = iconv_open("UTF-8", known[i].iconv);
            if (cd == (iconv_t)-1)
                return errmsg_set(cfg->errmsg, PARITY_ERROR,
                                "encoding %s is not available on this system", encoding);
            iconv_close(cd);
            if (!(e = str_dup(known[i].iconv)))
                return errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
        }
        free(cfg->encoding);
        cfg->encoding = e;
        return PARITY_OK;
    }
    return errmsg_set(cfg->errmsg, PARITY_USAGE,
                    "encoding must be utf-8, latin1, cp1252 or utf-16, not \"%s\"",
                    encoding ? encoding : "");
}

int parity_config_set_sex_code(parity_config *cfg, const char *value,
                               const char *code) {
    static const char codes[] = "FMXU";
    if (strlen(code) != 1 || !strchr(codes, toupper((unsigned char)code[0])))
        return errmsg_set(cfg->errmsg, PARITY_USAGE,
                        "sex code for \"%s\" must be F, M, X or U, not \"%s\"", value,
                        code);
    uint8_t c = (uint8_t)(strchr(codes, toupper((unsigned char)code[0])) - codes);
    if (add_sex(cfg, value, c) != PARITY_OK)
        return errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
    return PARITY_OK;
}

static const char *const order_name[] = {"un", "as-listed", "numeric", "none"};

int parity_config_set_grade_order(parity_config *cfg, const char *order) {
    cfg->scale_set = true;
    if (strcmp(order, "un") == 0) cfg->order = GRADE_ORDER_UN;
    else if (strcmp(order, "as-listed") == 0) cfg->order = GRADE_ORDER_AS_LISTED;
    else if (strcmp(order, "numeric") == 0) cfg->order = GRADE_ORDER_NUMERIC;
    else if (strcmp(order, "none") == 0) cfg->order = GRADE_ORDER_NONE;
    else
        return errmsg_set(cfg->errmsg, PARITY_USAGE,
                        "grade order must be un, as-listed, numeric or none, not \"%s\"",
                        order);
    return PARITY_OK;
}

/* Replaces *list with normalised copies of the n names; fails on empties and
** repeats. */
static int set_grade_list(parity_config *cfg, char ***list, size_t *count,
                          const char *const *names, size_t n, const char *what) {
    if (n == 0) return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: empty list", what);
    char **out = calloc(n, sizeof *out);
    if (!out) return errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
    int rc = PARITY_OK;
    for (size_t i = 0; i < n && rc == PARITY_OK; i++) {
        char buf[128];
        size_t len = grade_normalise(names[i], strlen(names[i]), buf, sizeof buf);
        if (len == 0) {
            rc = errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: empty grade at position %zu",
                          what, i + 1);
            break;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(out[j], buf) == 0)
                rc = errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: grade \"%s\" listed twice",
                              what, names[i]);
        if (rc == PARITY_OK && !(out[i] = str_dup(buf)))
            rc = errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
    }
    if (rc != PARITY_OK) {
        free_list(out, n);
        return rc;
    }
    free_list(*list, *count);
    *list = out;
    *count = n;
    return PARITY_OK;
}

/* Splits a comma-separated list into at most cap pointers into buf. */
static size_t split_commas(char *buf, char **parts, size_t cap) {
    size_t n = 0;
    char *p = buf;
    while (n < cap) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        while (*p == ' ') p++;
        size_t len = strlen(p);
        while (len && p[len - 1] == ' ') p[--len] = '\0';
        parts[n++] = p;
        if (!comma) break;
        p = comma + 1;
    }
    return n;
}

int parity_config_set_grades(parity_config *cfg, const char *list) {
    char *buf = str_dup(list);
    char **parts = calloc(strlen(list) + 1, sizeof *parts);
    if (!buf || !parts) {
        free(buf);
        free(parts);
        return errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
    }
    size_t n = split_commas(buf, parts, strlen(list) + 1);
    if (n == 1 && parts[0][0] == '\0') n = 0;
    int rc = set_grade_list(cfg, &cfg->grades, &cfg->ngrades,
                            (const char *const *)parts, n, "'grades'");
    if (rc == PARITY_OK) cfg->order = GRADE_ORDER_AS_LISTED, cfg->scale_set = true;
    free(parts);
    free(buf);
    return rc;
}

int parity_config_set_date_format(parity_config *cfg, const char *column,
                                  const char *format) {
    static const int date_cols[] = {CANON_SNAPSHOT_DATE, CANON_ENTRY_DATE, CANON_BIRTH_DATE};
    if (!format || !*format)
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "empty date format");
    for (size_t i = 0; i < 3; i++) {
        int c = date_cols[i];
        if (column && strcasecmp(column, config_canon_name[c]) != 0) continue;
        char *f = str_dup(format);
        if (!f) return errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
        free(cfg->date_format[c]);
        cfg->date_format[c] = strcmp(format, "%Y-%m-%d") == 0 ? NULL : f;
        if (!cfg->date_format[c]) free(f);
        if (column) return PARITY_OK;
    }
    if (column)
        return errmsg_set(cfg->errmsg, PARITY_USAGE,
                        "\"%s\" is not a date column (snapshot_date, entry_date, "
                        "birth_date)",
                        column);
    return PARITY_OK;
}

int parity_config_add_breakdown(parity_config *cfg, const char *by) {
    if (!cfg || !by || !*by) return PARITY_USAGE;
    if (strlist_add(&cfg->breakdowns, &cfg->nbreakdowns, "%s", by) ||
        strlist_add(&cfg->breakdown_where, &cfg->nbreakdown_where, "%s", ""))
        return PARITY_NOMEM;
    return PARITY_OK;
}

int parity_config_set_min_cell(parity_config *cfg, long n) {
    if (n < 0 || n > 1000000)
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "'min_cell' must be 0 to 1000000, not %ld", n);
    cfg->min_cell = n;
    cfg->min_cell_set = true;
    return PARITY_OK;
}

int parity_config_set_band(parity_config *cfg, double target, double band) {
    if (!(target > 0 && target < 1) || !(band >= 0) || band >= target ||
        band >= 1 - target)
        return errmsg_set(cfg->errmsg, PARITY_USAGE,
                        "invalid parity band: target %g, band %g", target, band);
    cfg->target = target;
    cfg->band = band;
    cfg->band_set = true;
    return PARITY_OK;
}

/* ---- settings a store keeps --------------------------------------------- */

static int json_grade_list(parity_config *cfg, const char *path, const char *key,
                           const cJSON *item, const cJSON *root);
static int json_categories(parity_config *cfg, const char *path, const char *key,
                           const cJSON *item, const cJSON *root);

const char *const config_setting_key[CONFIG_NSETTINGS] = {"grade_order", "grades", "categories",
                                                          "top_grades", "band"};

static char *joined(char *const *list, size_t n) {
    size_t len = 1;
    for (size_t i = 0; i < n; i++) len += strlen(list[i]) + 1;
    char *out = malloc(len), *p = out;
    if (!out) return NULL;
    *p = '\0';
    for (size_t i = 0; i < n; i++) p += sprintf(p, "%s%s", i ? "," : "", list[i]);
    return out;
}

char *config_setting_text(const parity_config *cfg, size_t i) {
    char buf[64];
    switch (i) {
    case 0: return str_dup(order_name[cfg->order]);
    case 1: return joined(cfg->grades, cfg->ngrades);
    case 3: return joined(cfg->top_grades, cfg->ntop);
    case 4:
        snprintf(buf, sizeof buf, "%.10g,%.10g", cfg->target, cfg->band);
        return str_dup(buf);
    default: {
        cJSON *o = cJSON_CreateObject();
        for (size_t c = 0; o && c < cfg->ncategories; c++)
            cJSON_AddItemToObject(o, cfg->categories[c].name,
                                  cJSON_CreateStringArray((const char *const *)cfg->categories[c].grades,
                                                          (int)cfg->categories[c].ngrades));
        char *text = o ? cJSON_PrintUnformatted(o) : NULL;
        cJSON_Delete(o);
        char *out = text ? str_dup(text) : NULL;
        cJSON_free(text);
        return out;
    }
    }
}

int config_setting_apply(parity_config *cfg, size_t i, const char *text) {
    int rc = PARITY_OK;
    switch (i) {
    case 0: rc = parity_config_set_grade_order(cfg, text); break;
    case 1:
        if (*text) rc = parity_config_set_grades(cfg, text);
        break;
    case 3:
        if (*text) {
            cJSON *arr = cJSON_CreateArray();
            char *buf = str_dup(text);
            char *save = NULL;
            for (char *tok = buf ? strtok_r(buf, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save))
                cJSON_AddItemToArray(arr, cJSON_CreateString(tok));
            rc = arr && buf ? json_grade_list(cfg, "store", "top_grades", arr, NULL) : PARITY_NOMEM;
            cJSON_Delete(arr);
            free(buf);
        }
        break;
    case 4: {
        double target, band;
        if (sscanf(text, "%lf,%lf", &target, &band) != 2) return PARITY_USAGE;
        rc = parity_config_set_band(cfg, target, band);
        break;
    }
    default: {
        cJSON *o = cJSON_Parse(text);
        if (!o) return PARITY_USAGE;
        if (cJSON_GetArraySize(o) > 0) rc = json_categories(cfg, "store", "categories", o, NULL);
        cJSON_Delete(o);
    }
    }
    return rc;
}

/* ---- how a file was read ---------------------------------------------- */

static int default_sex_of(const char *folded) {
    for (size_t i = 0; i < sizeof default_sex / sizeof default_sex[0]; i++)
        if (strcmp(default_sex[i].value, folded) == 0) return default_sex[i].code;
    return -1;
}

cJSON *config_sex_codes_json(const parity_config *cfg) {
    cJSON *o = cJSON_CreateObject();
    for (uint32_t c = 0; o && c < cfg->sex_values.n; c++) {
        const char *v = dict_str(&cfg->sex_values, c);
        if (default_sex_of(v) == cfg->sex_code[c]) continue;
        char code[2] = {"FMXU"[cfg->sex_code[c] & 3], '\0'};
        if (!cJSON_AddStringToObject(o, v, code)) {
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

int config_sex_in(const cJSON *codes, const char *value) {
    char buf[128];
    fold(value, strlen(value), buf, sizeof buf);
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(codes, buf);
    if (cJSON_IsString(c) && c->valuestring[0] && strchr("FMXU", c->valuestring[0]))
        return (int)(strchr("FMXU", c->valuestring[0]) - "FMXU");
    return default_sex_of(buf);
}

char *config_reading_text(const parity_config *cfg) {
    cJSON *o = cJSON_CreateObject(), *cols = NULL, *sex = config_sex_codes_json(cfg);
    bool fail = !o || !sex;
    for (size_t i = 0; !fail && i < cfg->nmaps; i++) {
        if (!cols && !(cols = cJSON_AddObjectToObject(o, "columns"))) fail = true;
        cJSON *had = fail ? NULL : cJSON_GetObjectItemCaseSensitive(cols, cfg->maps[i].name);
        cJSON *h = fail ? NULL : cJSON_CreateString(cfg->maps[i].header);
        if (!h) fail = true;
        else if (!had) cJSON_AddItemToObject(cols, cfg->maps[i].name, h);
        else if (cJSON_IsArray(had)) cJSON_AddItemToArray(had, h);
        else { /* a second header for the name: the list of them */
            cJSON *arr = cJSON_CreateArray();
            if (!arr) fail = true, cJSON_Delete(h);
            else {
                cJSON_AddItemToArray(arr, cJSON_Duplicate(had, 1));
                cJSON_AddItemToArray(arr, h);
                cJSON_ReplaceItemInObjectCaseSensitive(cols, cfg->maps[i].name, arr);
            }
        }
    }
    if (!fail && cJSON_GetArraySize(sex) > 0) cJSON_AddItemToObject(o, "sex_codes", sex), sex = NULL;
    if (!fail && cfg->ndrop)
        fail = !cJSON_AddItemToObject(o, "drop", cJSON_CreateStringArray((const char *const *)cfg->drop,
                                                                          (int)cfg->ndrop));
    if (!fail && cfg->delimiter != ',') {
        char d[2] = {cfg->delimiter, '\0'};
        fail = !cJSON_AddStringToObject(o, "delimiter", d);
    }
    if (!fail && cfg->encoding) fail = !cJSON_AddStringToObject(o, "encoding", cfg->encoding);
    cJSON *df = NULL;
    for (int c = 0; !fail && c < CANON_N; c++) {
        if (!cfg->date_format[c]) continue;
        if (!df && !(df = cJSON_AddObjectToObject(o, "date_format"))) fail = true;
        else fail = !cJSON_AddStringToObject(df, config_canon_name[c], cfg->date_format[c]);
    }
    char *text = fail ? NULL : cJSON_PrintUnformatted(o);
    char *out = text ? str_dup(text) : NULL;
    cJSON_free(text);
    cJSON_Delete(o);
    cJSON_Delete(sex);
    return out;
}

/* ---- JSON configuration ------------------------------------------------ */

static int json_strings(parity_config *cfg, const char *path, const cJSON *arr,
                        const char *key, const char ***out, size_t *n) {
    if (!cJSON_IsArray(arr))
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: \"%s\" must be an array of strings",
                        path, key);
    size_t count = (size_t)cJSON_GetArraySize(arr);
    const char **names = calloc(count ? count : 1, sizeof *names);
    if (!names) return errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        if (!cJSON_IsString(it)) {
            free(names);
            return errmsg_set(cfg->errmsg, PARITY_USAGE,
                            "%s: \"%s\" item %zu must be a string", path, key, i + 1);
        }
        names[i++] = it->valuestring;
    }
    *out = names;
    *n = count;
    return PARITY_OK;
}

/* ---- the configuration file's settings, one function per kind ----------
**
** Each takes the setting `key` with value `item` (root: the whole file) and
** says what is wrong with it, naming the file. */

/* "columns": {"name": "header" | ["header", ...]}; "sex_codes": {"code": "F"}. */
static int json_maps(parity_config *cfg, const char *path, const char *key, const cJSON *item,
                     const cJSON *root) {
    (void)root;
    int rc;
    if (!cJSON_IsObject(item))
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: \"%s\" must be an object", path, key);
    const cJSON *kv;
    cJSON_ArrayForEach(kv, item) {
        if (key[0] == 'c' && cJSON_IsArray(kv)) {
            /* several headers for one column: a history's spellings */
            const char **names;
            size_t n;
            if ((rc = json_strings(cfg, path, kv, kv->string, &names, &n)) != PARITY_OK) return rc;
            for (size_t i = 0; i < n && rc == PARITY_OK; i++)
                rc = parity_config_set_column(cfg, kv->string, names[i]);
            free(names);
            if (rc != PARITY_OK) return rc;
            continue;
        }
        if (!cJSON_IsString(kv))
            return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: \"%s\".\"%s\" must be a string",
                              path, key, kv->string);
        rc = key[0] == 'c' ? parity_config_set_column(cfg, kv->string, kv->valuestring)
                           : parity_config_set_sex_code(cfg, kv->string, kv->valuestring);
        if (rc != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

/* "drop": ["header", ...]. */
static int json_drop(parity_config *cfg, const char *path, const char *key, const cJSON *item,
                     const cJSON *root) {
    (void)root;
    const char **names;
    size_t n;
    int rc = json_strings(cfg, path, item, key, &names, &n);
    if (rc != PARITY_OK) return rc;
    for (size_t i = 0; i < n && rc == PARITY_OK; i++) rc = parity_config_drop_column(cfg, names[i]);
    free(names);
    return rc;
}

/* "delimiter", "encoding", "grade_order": a string. */
static int json_text(parity_config *cfg, const char *path, const char *key, const cJSON *item,
                     const cJSON *root) {
    (void)root;
    if (!cJSON_IsString(item))
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: \"%s\" must be a string", path, key);
    const char *v = item->valuestring;
    return key[0] == 'd'   ? parity_config_set_delimiter(cfg, v)
           : key[0] == 'e' ? parity_config_set_encoding(cfg, v)
                           : parity_config_set_grade_order(cfg, v);
}

/* "grades" (the scale, in order) and "top_grades": arrays of grades. */
static int json_grade_list(parity_config *cfg, const char *path, const char *key,
                           const cJSON *item, const cJSON *root) {
    const char **names;
    size_t n;
    int rc = json_strings(cfg, path, item, key, &names, &n);
    if (rc != PARITY_OK) return rc;
    cfg->scale_set = true;
    if (key[0] == 'g') {
        rc = set_grade_list(cfg, &cfg->grades, &cfg->ngrades, names, n, key);
        if (rc == PARITY_OK && (!root || !cJSON_GetObjectItemCaseSensitive(root, "grade_order")))
            cfg->order = GRADE_ORDER_AS_LISTED;
    } else {
        rc = set_grade_list(cfg, &cfg->top_grades, &cfg->ntop, names, n, key);
    }
    free(names);
    return rc;
}

static void free_categories(config_category *cats, size_t n) {
    for (size_t j = 0; j < n; j++) {
        free(cats[j].name);
        free_list(cats[j].grades, cats[j].ngrades);
    }
    free(cats);
}

/* "categories": {"name": ["grade", ...]}, replacing any before. */
static int json_categories(parity_config *cfg, const char *path, const char *key,
                           const cJSON *item, const cJSON *root) {
    (void)key, (void)root;
    if (!cJSON_IsObject(item))
        return errmsg_set(cfg->errmsg, PARITY_USAGE,
                        "%s: \"categories\" must map names to arrays of grades", path);
    size_t n = (size_t)cJSON_GetArraySize(item), i = 0;
    config_category *cats = calloc(n ? n : 1, sizeof *cats);
    if (!cats) return errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
    int rc = PARITY_OK;
    const cJSON *cat;
    cJSON_ArrayForEach(cat, item) {
        const char **names;
        size_t ng;
        rc = json_strings(cfg, path, cat, cat->string, &names, &ng);
        if (rc == PARITY_OK) {
            rc = set_grade_list(cfg, &cats[i].grades, &cats[i].ngrades, names, ng, cat->string);
            free(names);
        }
        if (rc == PARITY_OK && !(cats[i].name = str_dup(cat->string)))
            rc = errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
        i++;
        if (rc != PARITY_OK) {
            free_categories(cats, i);
            return rc;
        }
    }
    free_categories(cfg->categories, cfg->ncategories);
    cfg->categories = cats;
    cfg->ncategories = n;
    cfg->scale_set = true;
    return PARITY_OK;
}

/* "date_format": one format, or {"column": format}. */
static int json_date_format(parity_config *cfg, const char *path, const char *key,
                            const cJSON *item, const cJSON *root) {
    (void)key, (void)root;
    if (cJSON_IsString(item)) return parity_config_set_date_format(cfg, NULL, item->valuestring);
    if (!cJSON_IsObject(item))
        return errmsg_set(cfg->errmsg, PARITY_USAGE,
                        "%s: \"date_format\" must be a string or an object", path);
    const cJSON *kv;
    cJSON_ArrayForEach(kv, item) {
        if (!cJSON_IsString(kv))
            return errmsg_set(cfg->errmsg, PARITY_USAGE,
                            "%s: \"date_format\".\"%s\" must be a string", path, kv->string);
        int rc = parity_config_set_date_format(cfg, kv->string, kv->valuestring);
        if (rc != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

/* "target", "band", "min_cell": numbers. */
static int json_number(parity_config *cfg, const char *path, const char *key, const cJSON *item,
                       const cJSON *root) {
    (void)root;
    if (!cJSON_IsNumber(item))
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: \"%s\" must be a number", path, key);
    if (key[0] == 'm') {
        double v = item->valuedouble;
        if (!(v >= 0 && v <= 1000000) || v != (double)(long)v)
            return errmsg_set(cfg->errmsg, PARITY_USAGE,
                              "%s: \"min_cell\" must be a whole number from 0 to 1000000", path);
        return parity_config_set_min_cell(cfg, (long)item->valuedouble);
    }
    double target = key[0] == 't' ? item->valuedouble : cfg->target;
    double band = key[0] == 'b' ? item->valuedouble : cfg->band;
    return parity_config_set_band(cfg, target, band);
}

/* "targets": [{"scope": ..., "share": ..., "year": ...}, ...]. */
static int json_targets(parity_config *cfg, const char *path, const char *key, const cJSON *item,
                        const cJSON *root) {
    (void)key, (void)root;
    if (!cJSON_IsArray(item))
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: \"targets\" must be an array", path);
    size_t i = 0;
    const cJSON *tg;
    cJSON_ArrayForEach(tg, item) {
        int rc = json_target(cfg, path, i++, tg);
        if (rc != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

/* "report": {"breakdowns": ["department", "department,grade"],
** "history": N, "pooled": N}. */
static int json_report(parity_config *cfg, const char *path, const char *key, const cJSON *item,
                       const cJSON *root) {
    (void)key, (void)root;
    if (!cJSON_IsObject(item))
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: \"report\" must be an object", path);
    const cJSON *kv;
    cJSON_ArrayForEach(kv, item) {
        if (strcmp(kv->string, "breakdowns") == 0 && cJSON_IsArray(kv)) {
            const cJSON *b;
            cJSON_ArrayForEach(b, kv) {
                if (!cJSON_IsString(b) || !*b->valuestring)
                    return errmsg_set(cfg->errmsg, PARITY_USAGE,
                                      "%s: \"report\".\"breakdowns\" must list dimension names",
                                      path);
                int rc = parity_config_add_breakdown(cfg, b->valuestring);
                if (rc != PARITY_OK) return rc;
            }
        } else if ((strcmp(kv->string, "history") == 0 || strcmp(kv->string, "pooled") == 0) &&
                   cJSON_IsNumber(kv) && kv->valuedouble >= 1 && kv->valuedouble <= 16 &&
                   kv->valuedouble == (int)kv->valuedouble) {
            *(kv->string[0] == 'h' ? &cfg->report_history : &cfg->report_pooled) = (int)kv->valuedouble;
        } else {
            return errmsg_set(cfg->errmsg, PARITY_USAGE,
                              "%s: unknown or invalid report setting \"%s\" (breakdowns: a list of "
                              "dimensions; history, pooled: 1 to 16)",
                              path, kv->string);
        }
    }
    return PARITY_OK;
}

static const struct {
    const char *key;
    int (*apply)(parity_config *, const char *, const char *, const cJSON *, const cJSON *);
} settings[] = {
    {"report", json_report},
    {"columns", json_maps},       {"sex_codes", json_maps},          {"drop", json_drop},
    {"delimiter", json_text},     {"encoding", json_text},           {"grade_order", json_text},
    {"grades", json_grade_list},  {"top_grades", json_grade_list},   {"categories", json_categories},
    {"date_format", json_date_format}, {"target", json_number},      {"band", json_number},
    {"min_cell", json_number},
    {"targets", json_targets},
};

static int apply_json(parity_config *cfg, const char *path, const cJSON *root) {
    if (!cJSON_IsObject(root))
        return errmsg_set(cfg->errmsg, PARITY_USAGE, "%s: the configuration must be a JSON object",
                        path);
    const cJSON *item;
    cJSON_ArrayForEach(item, root) {
        const char *key = item->string;
        size_t k = 0, n = sizeof settings / sizeof *settings;
        while (k < n && strcmp(settings[k].key, key) != 0) k++;
        if (k == n)
            return errmsg_set(cfg->errmsg, PARITY_USAGE,
                            "%s: unknown setting \"%s\" (see README.md, Configuration)", path, key);
        int rc = settings[k].apply(cfg, path, key, item, root);
        if (rc != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

/* The 1-based line and column of byte offset off in text. */
static void line_col(const char *text, size_t off, size_t *line, size_t *col) {
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/* Puts the line and column of the first key or value a message quotes
** after "path: " into it ("path:3:5: ..."), found in the file's text. */
static void where_in_text(parity_config *cfg, const char *path, const char *text) {
    size_t n = strlen(path);
    char *m = cfg->errmsg;
    if (strncmp(m, path, n) != 0 || strncmp(m + n, ": ", 2) != 0) return;
    const char *q0 = strchr(m + n + 2, '"'), *q1 = q0 ? strchr(q0 + 1, '"') : NULL;
    if (!q1) return;
    char quoted[256];
    snprintf(quoted, sizeof quoted, "%.*s", (int)(q1 - q0 + 1), q0);
    const char *at = strstr(text, quoted);
    if (!at) return;
    size_t line, col;
    line_col(text, (size_t)(at - text), &line, &col);
    char rest[PARITY_ERRMSG_MAX];
    snprintf(rest, sizeof rest, "%s", m + n + 2);
    int w = snprintf(m, PARITY_ERRMSG_MAX, "%s:%zu:%zu: ", path, line, col);
    size_t room = w > 0 && w < PARITY_ERRMSG_MAX ? (size_t)(PARITY_ERRMSG_MAX - w) : 0, len = strlen(rest);
    if (room) {
        if (len >= room) len = room - 1;
        memcpy(m + w, rest, len);
        m[w + (int)len] = '\0';
    }
}

int parity_config_load(parity_config *cfg, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return errmsg_set(cfg->errmsg, PARITY_IO, "%s: cannot open: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    int rc = PARITY_OK;
    for (;;) {
        if (cap - len < 4096) {
            char *p = realloc(text, cap = cap ? cap * 2 : 8192);
            if (!p) {
                rc = errmsg_set(cfg->errmsg, PARITY_NOMEM, "out of memory");
                goto out;
            }
            text = p;
        }
        size_t got = fread(text + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        rc = errmsg_set(cfg->errmsg, PARITY_IO, "%s: read error", path);
        goto out;
    }
    text[len] = '\0';
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t line, col;
        line_col(text, end ? (size_t)(end - text) : 0, &line, &col);
        rc = errmsg_set(cfg->errmsg, PARITY_USAGE, "%s:%zu:%zu: invalid JSON", path, line, col);
        goto out;
    }
    size_t nb = cfg->nbreakdowns;
    rc = apply_json(cfg, path, root);
    cJSON_Delete(root);
    if (rc != PARITY_OK) where_in_text(cfg, path, text);
    /* where each breakdown is written, for a message once the data says
    ** it names no dimension */
    for (size_t i = nb; rc == PARITY_OK && i < cfg->nbreakdowns && i < cfg->nbreakdown_where; i++) {
        char quoted[256];
        snprintf(quoted, sizeof quoted, "\"%s\"", cfg->breakdowns[i]);
        const char *at = strstr(text, quoted);
        size_t line = 0, col = 0;
        if (at) line_col(text, (size_t)(at - text), &line, &col);
        char where[PARITY_ERRMSG_MAX];
        snprintf(where, sizeof where, "%s:%zu:%zu", path, line, col);
        char *copy = str_dup(where);
        if (!copy) {
            rc = PARITY_NOMEM;
            break;
        }
        free(cfg->breakdown_where[i]);
        cfg->breakdown_where[i] = copy;
    }
out:
    free(text);
    fclose(f);
    return rc;
}
