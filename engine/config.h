/*
** config.h -- the private body of parity_config.
*/
#ifndef PARITY_CONFIG_H
#define PARITY_CONFIG_H

#include "dict.h"
#include "grade.h"

enum canon {
    CANON_STAFF_ID = 0,
    CANON_SNAPSHOT_DATE,
    CANON_SEX,
    CANON_GRADE,
    CANON_DEPARTMENT,
    CANON_DUTY_STATION,
    CANON_LOCATION_TYPE,
    CANON_CONTRACT_TYPE,
    CANON_ENTRY_DATE,
    CANON_BIRTH_DATE,
    CANON_COUNT,
    CANON_N
};
extern const char *const config_canon_name[CANON_N];
int config_canon_find(const char *name); /* -1 when unknown */

typedef enum sexcode { SEX_F = 0, SEX_M = 1, SEX_X = 2, SEX_U = 3 } sexcode;

typedef struct config_category {
    char *name;
    char **grades; /* normalised grade names */
    size_t ngrades;
} config_category;

/* A target (DESIGN.md, "Targets"): a scope, a measure, a share, a year. */
typedef enum target_measure { MEASURE_STOCK = 0, MEASURE_HIRES, MEASURE_PROMOTIONS, MEASURE_MOVES } target_measure;
extern const char *const config_measure_name[4];

#define CONFIG_MAX_SCOPE 16 /* dimensions a target's scope names */
typedef struct config_target {
    char *scope;         /* "grade=P4", "category=Professional,department=HQ", "all" */
    char **dim, **value; /* the scope split into dimension = value pairs */
    size_t nscope;       /* 0: everyone */
    target_measure measure;
    double share;
    double band;         /* < 0: the configuration's band */
    int year;
} config_target;

/* A column mapping: the input column `header` is read as the dimension
** `name` (a canonical column or any other name). A name may have several
** headers, alternatives for files that spell it differently. */
typedef struct config_map {
    char *name;
    char *header;
} config_map;

struct parity_config {
    config_map *maps;              /* column mappings, in the order given */
    size_t nmaps;
    char **drop;                 /* input columns kept out of the table */
    size_t ndrop;
    char delimiter;              /* field separator, ',' by default */
    char *encoding;              /* iconv name of the input's encoding; NULL: UTF-8 */
    dictionary sex_values;            /* lower-cased value -> index into sex_code */
    uint8_t *sex_code;           /* parallel to sex_values codes */
    size_t sex_cap;
    grade_order order;
    char **grades;               /* as-listed scale (normalised), lowest first */
    size_t ngrades;
    config_category *categories;   /* optional grade -> category mapping */
    size_t ncategories;
    char **top_grades;           /* glass-ceiling top grades, or NULL: default */
    size_t ntop;
    char *date_format[CANON_N]; /* per date column, NULL = ISO */
    double target, band;
    long min_cell;               /* counts below it are withheld; 0: none */
    bool min_cell_set;           /* set by the user (the report's default is 5) */
    bool scale_set, band_set;    /* the grade scale, the band: set by the user
                                 ** (else a store's own are used to read it) */
    char **breakdowns;           /* the report's breakdowns, "department[,grade]" */
    size_t nbreakdowns;
    char **breakdown_where;      /* per breakdown, "file:line:column" or "" */
    size_t nbreakdown_where;
    int report_history, report_pooled; /* 0: the report's defaults */
    config_target *targets;
    size_t ntargets;
    char errmsg[PARITY_ERRMSG_MAX];
};

/* The settings a store keeps with its data (store.c): the grade scale
** (grade_order, grades, categories, top_grades) and the band, each as
** canonical text; CONFIG_NSETTINGS of them, named by config_setting_key. */
#define CONFIG_NSETTINGS 5
extern const char *const config_setting_key[CONFIG_NSETTINGS];
/* Setting i of cfg as text into a new string (NULL: out of memory). */
char *config_setting_text(const parity_config *cfg, size_t i);
/* Sets setting i from its text; PARITY_USAGE when it does not parse. */
int config_setting_apply(parity_config *cfg, size_t i, const char *text);

/* How cfg reads a file, as a configuration object (JSON text, new string;
** NULL: out of memory): "columns", "sex_codes" (those not built in),
** "drop", "delimiter", "encoding", "date_format" -- only what is set; "{}"
** for a file read with the defaults. A store keeps it with each snapshot. */
char *config_reading_text(const parity_config *cfg);
/* The sex codes of cfg that are not built in, as {"value": "F", ...}. */
struct cJSON *config_sex_codes_json(const parity_config *cfg);
/* The code a reader with the sex codes `codes` ({"value": "F"}, the built-in
** ones beside) gives value: 0..3, or -1 for a value it does not know. */
int config_sex_in(const struct cJSON *codes, const char *value);

/* A deep copy of src into dst (dst uninitialised). */
int config_copy(parity_config *dst, const parity_config *src);
void config_clear(parity_config *cfg);
/* Looks up a sex value (trimmed, case-insensitive): 0..3 or -1. */
int config_sex(const parity_config *cfg, const char *s, size_t len);
/* Whether `name` has a mapping (any header mapped onto it). */
bool config_mapped(const parity_config *cfg, const char *name);
/* The mapping whose header is `header` (case-insensitive), or NULL. */
const config_map *config_map_of_header(const parity_config *cfg, const char *header);
/* Whether the input column `header` is to be kept out of the table. */
bool config_dropped(const parity_config *cfg, const char *header);

#endif /* PARITY_CONFIG_H */
