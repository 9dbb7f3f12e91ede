/*
** args.c -- the options of `parity`, one table: each option's name, whether
** it takes a value, the commands that take it, and what it sets. An option
** given to a command that does not take it is a usage error, so a flag that
** would do nothing never passes silently.
**
** Exports fail(), exit_code(), help(), command_bit(), parse_args() and
** input_date() (args.h).
*/
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

/* The library names a setting by its API and configuration key in single
** quotes ('grade_order'); the command line's word for it is the flag,
** --grade-order -- the same length, so a table laid out around it keeps
** its layout. Keys parity's settings have; nothing else is touched. */
static const char *const setting_keys[] = {
    "at", "by", "from", "to", "mobility_by", "set", "method", "horizon", "snapshots",
    "simulations", "growth", "date", "encoding", "delimiter", "column", "sex_code",
    "grade_order", "grades", "combine", "drop", "target", "config", "replace", "input",
    "periods", "seed", "fixed_rates", "date_format", "threads", "format", "output", "db",
    "min_cell", "reproducible", "breakdowns", "replace_settings", "sql_rows"};

void to_flags(char *text, size_t len) {
    for (char *q = memchr(text, '\'', len); q; q = memchr(q + 1, '\'', len - (size_t)(q + 1 - text))) {
        size_t left = len - (size_t)(q - text);
        for (size_t k = 0; k < sizeof setting_keys / sizeof setting_keys[0]; k++) {
            size_t n = strlen(setting_keys[k]);
            if (n + 2 > left || q[n + 1] != '\'' || memcmp(q + 1, setting_keys[k], n) != 0) continue;
            q[0] = '-';
            memmove(q + 2, setting_keys[k], n);
            q[1] = '-';
            for (size_t i = 2; i < n + 2; i++)
                if (q[i] == '_') q[i] = '-';
            q += n + 1;
            break;
        }
        if ((size_t)(q + 1 - text) >= len) break;
    }
}

void put_escaped(FILE *f, const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7F) fprintf(f, "\\x%02X", *p);
        else fputc(*p, f);
    }
}

int fail(int code, const char *fmt, ...) {
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* a file name or a value in a message may hold a terminal's escape
    ** sequence: shown, never obeyed; settings named as the command line
    ** spells them */
    to_flags(msg, strlen(msg));
    fputs("parity: ", stderr);
    put_escaped(stderr, msg);
    fputc('\n', stderr);
    return code;
}

int exit_code(int status) {
    return status == PARITY_OK ? 0 : status == PARITY_USAGE ? 2 : status == PARITY_INVALID ? 3 : 1;
}

/* ---- commands ---------------------------------------------------------- */

#define ANALYSES (CMD_REPRESENTATION | CMD_FLOWS | CMD_TARGETS | CMD_PROJECT | CMD_REPORT | CMD_DASHBOARD)
#define READS (ANALYSES | CMD_VALIDATE | CMD_IMPORT) /* read CSV, or a store with settings */
#define STORE (ANALYSES | CMD_IMPORT | CMD_SNAPSHOTS | CMD_DROP)
#define OUTPUT ((ANALYSES & ~(CMD_REPORT | CMD_DASHBOARD)) | CMD_SNAPSHOTS)

static const struct {
    const char *name;
    unsigned bit;
} command_names[] = {
    {"representation", CMD_REPRESENTATION}, {"flows", CMD_FLOWS},
    {"targets", CMD_TARGETS},               {"project", CMD_PROJECT},
    {"validate", CMD_VALIDATE},             {"import", CMD_IMPORT},
    {"snapshots", CMD_SNAPSHOTS},           {"drop", CMD_DROP},
    {"report", CMD_REPORT},                 {"dashboard", CMD_DASHBOARD},
};

unsigned command_bit(const char *name) {
    for (size_t i = 0; i < sizeof command_names / sizeof command_names[0]; i++)
        if (strcmp(name, command_names[i].name) == 0) return command_names[i].bit;
    return 0;
}

/* ---- help -------------------------------------------------------------- */

static const char usage_main[] =
    "usage: parity <command> [options]\n"
    "\n"
    "Staff gender-balance statistics from HR snapshots.\n"
    "\n"
    "commands:\n"
    "  representation   women and men by grade (or any dimension): counts, shares,\n"
    "                   95% intervals, parity band, gap to parity, glass ceiling\n"
    "  flows            hires, separations, promotions, moves between snapshots:\n"
    "                   counts and rates by sex, fair-treatment tests\n"
    "  targets          status of targets by grade (met, on track, off track) and\n"
    "                   the female share of hires needed to reach them\n"
    "  project          projections of the female share and parity years: trend\n"
    "                   lines, or the stock-flow model with what-if changes\n"
    "  report           the annual report, every table protected for publishing:\n"
    "                   JSON, Markdown, CSV files or an Excel workbook\n"
    "  dashboard        the report's numbers as one self-contained HTML page\n"
    "  validate FILE... check input files; every problem as file:line:column\n"
    "  import FILE...   validate and add snapshots to the store, atomically\n"
    "  snapshots        list the snapshots in the store\n"
    "  drop --date D    remove a snapshot from the store\n"
    "\n"
    "Analyses read the store (--db FILE, default $PARITY_DB or parity.db) unless\n"
    "CSV files are given with --input.\n"
    "\n"
    "  parity <command> --help   options of one command\n"
    "  parity --version          the version\n"
    "\n"
    "exit codes: 0 success, 1 runtime failure, 2 usage error, 3 invalid input data\n"
    "\n"
    "Every number is defined, with its edge rules, in docs/METHODS.md.\n";

static const char usage_files[] =
    "files:\n"
    "  FILE                  a CSV snapshot file; - reads standard input (once)\n"
    "  --date YYYY-MM-DD     the snapshot date of a file without a snapshot_date\n"
    "                        column. Dates pair with files in order: give one\n"
    "                        --date per file (the first --date goes with the first\n"
    "                        file, and so on), or one --date for them all\n"
    "  --combine             let several files make one snapshot (one export per\n"
    "                        region, say); without it two files for one date are\n"
    "                        refused, naming both. The same bytes twice are always\n"
    "                        refused\n";

static const char usage_input[] =
    "input:\n"
    "  --db FILE             the store (default $PARITY_DB, else parity.db)\n"
    "  --input FILE          read a CSV snapshot file instead (repeatable; - is\n"
    "                        standard input); --date and --combine as for import\n";

static const char usage_mapping[] =
    "reading the files:\n"
    "  --config FILE         JSON configuration (column names, codes, grade scale)\n"
    "  --column NAME=HEADER  read column HEADER as NAME (repeatable): a canonical\n"
    "                        column (sex, grade, department, ...) or any name, e.g.\n"
    "                        --column sex=Gender --column \"department=Department Name\";\n"
    "                        give several headers for one NAME when a history's\n"
    "                        files spell it differently\n"
    "  --sex-code VALUE=CODE read VALUE as F, M, X or U (repeatable), e.g.\n"
    "                        --sex-code Woman=F\n"
    "  --grade-order ORDER   un (default UN scale) | as-listed | numeric | none\n"
    "  --grades G1,G2,...    the grade scale, lowest first (implies as-listed)\n"
    "  --date-format FMT     strptime format of the date columns, e.g. %m/%d/%Y\n"
    "  --delimiter D         field separator: , (default) ; | or tab\n"
    "  --encoding E          utf-8 (default) | latin1 | cp1252 | utf-16\n"
    "  --drop HEADER         keep a column out (repeatable), e.g. names\n"
    "  --threads N           threads for reading CSV files (default: one per core)\n";

static const char usage_output[] =
    "output:\n"
    "  --format FMT          table (default) | json | csv | md\n"
    "  -o, --output FILE     write to FILE instead of standard output (- for it)\n";

static const char usage_representation[] =
    "usage: parity representation [--input FILE...] [--by DIMS] [--at DATE] [options]\n"
    "\n"
    "Stock counts by sex -- women (F), men (M), another sex (X), not recorded (U) --\n"
    "with the female share of F+M+X, its Wilson 95% interval, the parity band\n"
    "status (below/within/above 50% +/- 3 points), the gap to parity (women or men\n"
    "who would have to replace the other to reach 50%) and the glass ceiling index.\n"
    "\n"
    "  --by DIMS             comma-separated dimensions (default grade): grade,\n"
    "                        category, snapshot_date, department, duty_station,\n"
    "                        any column; --by '' for the whole population only\n"
    "  --at YYYY-MM-DD       the snapshot (default: the latest; with --by\n"
    "                        snapshot_date, every snapshot)\n"
    "  --min-cell N          for publishing: withhold counts from 1 to N-1, and as\n"
    "                        many others as it takes that none can be worked out\n"
    "                        from the totals (README, Personal data)\n"
    "\n";

static const char usage_flows[] =
    "usage: parity flows [--input FILE...] [--from DATE] [--to DATE] [--by DIMS] [options]\n"
    "\n"
    "People are matched by staff_id between consecutive snapshots: hires (counted\n"
    "at the grade held at the later snapshot), separations, promotions into and\n"
    "out of each grade, demotions, moves (duty station changed) and lateral\n"
    "moves, per sex, with rates on the staff at the start of each period and\n"
    "women-vs-men tests: impact ratio (four-fifths rule), two-proportion z-test,\n"
    "Fisher's exact test. Counts are pooled over every period from --from to --to;\n"
    "periods of unequal length are said so in a note. Definitions: docs/METHODS.md.\n"
    "\n"
    "  --by DIMS             dimensions (default grade); add period to split\n"
    "                        the periods instead of pooling them\n"
    "  --from YYYY-MM-DD     the first snapshot (default: the one before --to)\n"
    "  --to YYYY-MM-DD       the last snapshot (default: the latest)\n"
    "  --mobility-by DIM     the column whose change is a move (default\n"
    "                        duty_station)\n"
    "  --min-cell N          for publishing: withhold counts from 1 to N-1 and what\n"
    "                        would give them away (README, Personal data)\n"
    "\n";

static const char usage_targets[] =
    "usage: parity targets [--target SCOPE:SHARE:YEAR[:MEASURE]]... [--at DATE] [options]\n"
    "\n"
    "For each target: the share now; its status -- met (within the band), above_band,\n"
    "on_track or off_track, judged by the flow model where the data follows people\n"
    "(staff ids), by the trend line otherwise, the other shown beside it; and for\n"
    "staff-share targets the female share of hires into the scope that the flow model\n"
    "needs to get there in time (\"unreachable\" when even 100% would not). Targets\n"
    "come from --target or the --config file's \"targets\"; --target replaces the\n"
    "file's. Methods: docs/METHODS.md.\n"
    "\n"
    "  --target SPEC         SCOPE:SHARE:YEAR[:MEASURE], repeatable, e.g.\n"
    "                        grade=P4:0.5:2028, category=Professional:50%:2030,\n"
    "                        all:0.5:2028, grade=P4:0.5:2028:hires; MEASURE is\n"
    "                        stock (default), hires, promotions or moves\n"
    "  --at YYYY-MM-DD       judge at this snapshot (default: the latest)\n"
    "  --snapshots N         trend over the last N snapshots (default: all)\n"
    "  --periods K           pool rates and events over the last K periods\n"
    "                        (default 3)\n"
    "  --min-cell N          for publishing: withhold counts from 1 to N-1 and what\n"
    "                        would give them away (README, Personal data)\n"
    "\n";

static const char usage_project[] =
    "usage: parity project [--method trend|flow] [--by DIMS] [--horizon YEAR] [options]\n"
    "\n"
    "Projects the female share year by year to the horizon, with 95% intervals and\n"
    "the parity year: the first year within the band (50% +/- 3 points), \"reached\"\n"
    "when already there. A parity year further ahead than the span of the data\n"
    "behind it is an extrapolation, and marked so. Methods: docs/METHODS.md.\n"
    "\n"
    "  --method trend        (default) least-squares line per group; slope in\n"
    "                        points per year, prediction intervals\n"
    "  --method flow         stock-flow model per sex and grade: observed rates of\n"
    "                        leaving and promotion, female share of hires; each\n"
    "                        grade's headcount held constant by hiring\n"
    "  --by DIMS             trend: any dimensions (default grade); flow: grade\n"
    "                        or category\n"
    "  --at YYYY-MM-DD       project from this snapshot (default: the latest)\n"
    "  --horizon YEAR        the last year projected (default: 10 years on;\n"
    "                        at most 2200)\n"
    "  --snapshots N         trend: fit the last N snapshots (default: all)\n"
    "  --periods K           flow: pool rates over the last K periods (default 3)\n"
    "  --growth RATE         flow: yearly headcount growth, e.g. 0.02\n"
    "  --set KEY[:GRADE]=V   flow, what-if (repeatable): hire_share:P4=0.6,\n"
    "                        separation_rate.female:P4=0.05, promotion_rate:P3=0.1,\n"
    "                        hires=0 (recruitment freeze), growth=0.02\n"
    "  --simulations N       flow: Monte Carlo runs for the 95% intervals (at most\n"
    "                        100000; time grows with N x years x grades, and the\n"
    "                        results kept, N x years x grades x 8 bytes, may be at\n"
    "                        most 1 GB)\n"
    "  --seed S              flow: random seed (default 1); same seed, same output\n"
    "  --fixed-rates         flow: simulate with the rates as estimated; by default\n"
    "                        each run draws its rates from their uncertainty too\n"
    "  --min-cell N          for publishing: withhold counts from 1 to N-1 and what\n"
    "                        would give them away (README, Personal data)\n"
    "\n";

static const char usage_report[] =
    "usage: parity report [--at DATE] [--config FILE] [--format FMT] [-o PATH] [options]\n"
    "\n"
    "The annual report on staff by sex at a snapshot (default: the latest): the\n"
    "headline (women's share of all staff, of Professional and higher, of the top\n"
    "grades; change; glass ceiling index; parity year), representation by grade and\n"
    "by category with the last snapshots beside, the breakdowns the configuration\n"
    "names (\"report\": {\"breakdowns\": [\"department\", \"department,grade\"]}),\n"
    "movements in the reporting year and pooled over the last 5, targets,\n"
    "projections, and notes: sources, definitions, what was withheld and why.\n"
    "Counts from 1 to 4 are withheld (--min-cell), with every count that would give\n"
    "them away by subtraction across all the report's tables.\n"
    "\n"
    "  --at YYYY-MM-DD       the report date; only snapshots up to it are used\n"
    "  --format FMT          json (default: the model, every table as named\n"
    "                        columns and rows) | md (a document) | csv (a file per\n"
    "                        table into the directory -o names) | xlsx (a workbook)\n"
    "  -o, --output PATH     the file (json, md: - or none for standard output;\n"
    "                        xlsx: required) or directory (csv: required)\n"
    "  --min-cell N          withhold counts from 1 to N-1 (default 5; 0 publishes\n"
    "                        everything, and the notes say so)\n"
    "  --reproducible        leave the time of generation out: the same store and\n"
    "                        configuration give byte-identical output\n"
    "\n";

static const char usage_dashboard[] =
    "usage: parity dashboard [--at DATE] [--config FILE] [--min-cell N] -o FILE.html\n"
    "\n"
    "One self-contained HTML page -- it opens from disk or a share, makes no\n"
    "network request and prints to PDF -- with the report's numbers at the last six\n"
    "snapshots up to the date: an overview, representation by grade (counts or\n"
    "shares), the pipeline over time, trends and projections, movements, targets;\n"
    "filters by snapshot, category, and unit (the breakdowns by grade the\n"
    "configuration names). Aggregates only, protected as the report's (counts\n"
    "from 1 to 4 withheld, default --min-cell 5).\n"
    "\n"
    "  --at YYYY-MM-DD       the latest snapshot shown (default: the latest)\n"
    "  -o, --output FILE     the page (default: standard output)\n"
    "  --min-cell N          withhold counts from 1 to N-1 (default 5)\n"
    "\n";

static const char usage_import[] =
    "usage: parity import FILE... [--date DATE]... [--replace] [--db FILE] [options]\n"
    "\n"
    "Validates the files and adds their snapshots to the store in one transaction:\n"
    "all of them or, if any file has a problem, none (every problem is listed, exit\n"
    "3). A snapshot is known by the checksum of its file's bytes: importing the\n"
    "same file again changes nothing; a different file for a date already stored\n"
    "is refused unless --replace. The store is created, readable by its owner only,\n"
    "if it does not exist. Columns that identify people (a value of their own on\n"
    "nearly every row) are warned of: keep them out with --drop.\n"
    "\n"
    "  --replace             replace stored snapshots of the same dates (never\n"
    "                        another file of the same command)\n"
    "  --sql-rows            keep plain rows for SQL too (table staff_row: one text\n"
    "                        row per person and snapshot), from now on and for\n"
    "                        what is stored; with no files, only that\n"
    "  --replace-settings    the store keeps the grade scale, band and sex codes\n"
    "                        its data was read with, and reads itself so; files\n"
    "                        read with other settings, or whose grades are none\n"
    "                        of those stored, are refused, unless this replaces\n"
    "                        them\n"
    "\n";

static const char usage_snapshots[] =
    "usage: parity snapshots [--db FILE] [--format FMT]\n"
    "\n"
    "Lists the stored snapshots: date, rows, source file, its checksum, import time.\n"
    "\n";

static const char usage_drop[] =
    "usage: parity drop --date YYYY-MM-DD [--db FILE]\n"
    "\n"
    "Removes one snapshot from the store.\n"
    "\n";

static const char usage_validate[] =
    "usage: parity validate FILE... [--date DATE]... [options]\n"
    "\n"
    "Reads the files as an import would, stores nothing, and reports every\n"
    "problem found as file:line:column: what (column = field number). Exits 3\n"
    "when there is any problem, 0 when the files are clean. Columns that identify\n"
    "people are warned of.\n"
    "\n";

int help(const char *command) {
    if (!command) {
        fputs(usage_main, stdout);
        return 0;
    }
    static const char *const text[] = {usage_representation, usage_flows, usage_targets,
                                       usage_project,        usage_validate, usage_import,
                                       usage_snapshots,      usage_drop, usage_report,
                                       usage_dashboard};
    unsigned bit = command_bit(command);
    if (!bit) return fail(2, "unknown command \"%s\" (see parity --help)", command);
    size_t k = 0;
    while (!(bit & (1u << k))) k++;
    fputs(text[k], stdout);
    if (bit & (CMD_VALIDATE | CMD_IMPORT)) fputs(usage_files, stdout);
    if (bit & ANALYSES) fputs(usage_input, stdout);
    if (bit & READS) fputs(usage_mapping, stdout);
    if (bit & OUTPUT) fputs(usage_output, stdout);
    return 0;
}

/* ---- the option table -------------------------------------------------- */

/* Splits "A=B" at the first '=' into a malloc'ed left and a pointer into
** arg; NULL when there is no '=' (or nothing before it). */
static char *split_pair(const char *arg, const char **right) {
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) return NULL;
    char *left = strndup(arg, (size_t)(eq - arg));
    *right = eq + 1;
    return left;
}

/* A whole number in [lo, hi] for option `a`; -1 (after saying so) when not. */
static int whole(const char *a, const char *v, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (end == v || *end || errno || n < lo || n > hi) {
        fail(2, "%s must be a whole number from %ld to %ld, not \"%s\"", a, lo, hi, v);
        return -1;
    }
    *out = n;
    return 0;
}

/* Appends v to a list of at most MAX_INPUTS; an exit code, 0 when kept. */
static int push(const char **list, size_t *n, const char *v, const char *what) {
    if (*n == MAX_INPUTS) return fail(2, "too many %s (at most %d)", what, MAX_INPUTS);
    list[(*n)++] = v;
    return 0;
}

/* What each option sets: returns 0, or an exit code having said why. */
typedef int (*setter)(options *o, const char *flag, const char *v);

static int config_rc(options *o, int rc) {
    return rc == PARITY_OK ? 0 : fail(exit_code(rc), "%s", parity_config_errmsg(o->cfg));
}

static int set_input(options *o, const char *f, const char *v) {
    (void)f;
    return push(o->inputs, &o->ninputs, v, "input files");
}
static int set_date(options *o, const char *f, const char *v) {
    (void)f;
    return push(o->dates, &o->ndates, v, "--date");
}
static int set_combine(options *o, const char *f, const char *v) {
    (void)f, (void)v;
    o->combine = 1;
    return 0;
}
static int set_threads(options *o, const char *f, const char *v) {
    long n;
    if (whole(f, v, 1, 1024, &n)) return 2;
    o->threads = (int)n;
    return 0;
}
static int set_by(options *o, const char *f, const char *v) {
    (void)f;
    o->by = v;
    return 0;
}
static int set_at(options *o, const char *f, const char *v) {
    (void)f;
    o->at = v;
    return 0;
}
static int set_from(options *o, const char *f, const char *v) {
    (void)f;
    o->from = v;
    return 0;
}
static int set_to(options *o, const char *f, const char *v) {
    (void)f;
    o->to = v;
    return 0;
}
static int set_mobility(options *o, const char *f, const char *v) {
    (void)f;
    o->mobility_by = v;
    return 0;
}
static int set_db(options *o, const char *f, const char *v) {
    (void)f;
    o->db = v;
    return 0;
}
static int set_replace(options *o, const char *f, const char *v) {
    (void)f, (void)v;
    o->replace = 1;
    return 0;
}
static int set_output(options *o, const char *f, const char *v) {
    (void)f;
    o->output = v;
    return 0;
}
static int set_format(options *o, const char *f, const char *v) {
    (void)f;
    if (o->cmd == CMD_REPORT) {
        if (strcmp(v, "json") && strcmp(v, "md") && strcmp(v, "csv") && strcmp(v, "xlsx"))
            return fail(2, "report: --format must be json, md, csv or xlsx, not \"%s\"", v);
        o->report_format = v;
        return 0;
    }
    if (parity_format_parse(v, &o->format) != PARITY_OK)
        return fail(2, "--format must be table, json, csv or md, not \"%s\"", v);
    return 0;
}
static int set_config(options *o, const char *f, const char *v) {
    (void)f;
    return config_rc(o, parity_config_load(o->cfg, v));
}
static int set_pair(options *o, const char *f, const char *v) {
    const char *right;
    char *left = split_pair(v, &right);
    if (!left)
        return fail(2, "%s takes %s, e.g. %s", f, f[2] == 'c' ? "NAME=HEADER" : "VALUE=F|M|X|U",
                    f[2] == 'c' ? "--column sex=Gender" : "--sex-code Woman=F");
    int rc = f[2] == 'c' ? parity_config_set_column(o->cfg, left, right)
                         : parity_config_set_sex_code(o->cfg, left, right);
    free(left);
    return config_rc(o, rc);
}
static int set_grade_order(options *o, const char *f, const char *v) {
    (void)f;
    return config_rc(o, parity_config_set_grade_order(o->cfg, v));
}
static int set_min_cell(options *o, const char *f, const char *v) {
    long n;
    if (whole(f, v, 0, 1000000, &n)) return 2;
    o->report.min_cell = n;
    return config_rc(o, parity_config_set_min_cell(o->cfg, n));
}
static int set_sql_rows(options *o, const char *f, const char *v) {
    (void)f, (void)v;
    o->sql_rows = 1;
    return 0;
}
static int set_replace_settings(options *o, const char *f, const char *v) {
    (void)f, (void)v;
    o->replace_settings = 1;
    return 0;
}
static int set_reproducible(options *o, const char *f, const char *v) {
    (void)f, (void)v;
    o->report.reproducible = 1;
    return 0;
}
static int set_grades(options *o, const char *f, const char *v) {
    (void)f;
    return config_rc(o, parity_config_set_grades(o->cfg, v));
}
static int set_date_format(options *o, const char *f, const char *v) {
    (void)f;
    return config_rc(o, parity_config_set_date_format(o->cfg, NULL, v));
}
static int set_delimiter(options *o, const char *f, const char *v) {
    (void)f;
    return config_rc(o, parity_config_set_delimiter(o->cfg, v));
}
static int set_encoding(options *o, const char *f, const char *v) {
    (void)f;
    return config_rc(o, parity_config_set_encoding(o->cfg, v));
}
static int set_drop(options *o, const char *f, const char *v) {
    (void)f;
    return config_rc(o, parity_config_drop_column(o->cfg, v));
}
static int set_target(options *o, const char *f, const char *v) {
    (void)f;
    return push(o->targets, &o->ntargets, v, "targets");
}
static int set_method(options *o, const char *f, const char *v) {
    (void)f;
    if (strcmp(v, "trend") == 0) o->proj.method = PARITY_METHOD_TREND;
    else if (strcmp(v, "flow") == 0) o->proj.method = PARITY_METHOD_FLOW;
    else return fail(2, "--method must be trend or flow, not \"%s\"", v);
    return 0;
}
static int set_horizon(options *o, const char *f, const char *v) {
    long n;
    if (whole(f, v, 1900, 2200, &n)) return 2;
    o->proj.horizon = (int)n;
    return 0;
}
static int set_snapshots(options *o, const char *f, const char *v) {
    long n;
    if (whole(f, v, 3, 100000, &n)) return 2;
    o->proj.snapshots = (int)n;
    return 0;
}
static int set_periods(options *o, const char *f, const char *v) {
    long n;
    if (whole(f, v, 1, 100000, &n)) return 2;
    o->proj.periods = (int)n;
    return 0;
}
static int set_simulations(options *o, const char *f, const char *v) {
    long n;
    if (whole(f, v, 0, 100000, &n)) return 2;
    o->proj.simulations = (int)n;
    return 0;
}
static int set_seed(options *o, const char *f, const char *v) {
    long n;
    if (whole(f, v, 0, 2147483647L, &n)) return 2;
    o->proj.seed = (unsigned long)n;
    return 0;
}
static int set_growth(options *o, const char *f, const char *v) {
    (void)f;
    char *end;
    double g = strtod(v, &end);
    if (end == v || *end || !(g > -1 && g < 10))
        return fail(2, "--growth must be a yearly rate above -1 (0.02 = 2%%), not \"%s\"", v);
    o->proj.growth = g;
    return 0;
}
static int set_fixed(options *o, const char *f, const char *v) {
    (void)f, (void)v;
    o->proj.fixed_rates = 1;
    return 0;
}
static int set_set(options *o, const char *f, const char *v) {
    (void)f;
    return push(o->sets, &o->proj.nset, v, "--set");
}

static const struct option_def {
    const char *name, *alias;
    bool value;        /* takes a value */
    unsigned commands; /* the CMD_ bits of the commands that take it */
    setter set;
} option_table[] = {
    {"--input", "-i", true, ANALYSES, set_input},
    {"--date", NULL, true, READS | CMD_DROP, set_date},
    {"--combine", NULL, false, READS, set_combine},
    {"--db", NULL, true, STORE, set_db},
    {"--replace", NULL, false, CMD_IMPORT, set_replace},
    {"--replace-settings", NULL, false, CMD_IMPORT, set_replace_settings},
    {"--sql-rows", NULL, false, CMD_IMPORT, set_sql_rows},
    {"--config", NULL, true, READS, set_config},
    {"--column", NULL, true, READS, set_pair},
    {"--sex-code", NULL, true, READS, set_pair},
    {"--grade-order", NULL, true, READS, set_grade_order},
    {"--grades", NULL, true, READS, set_grades},
    {"--date-format", NULL, true, READS, set_date_format},
    {"--delimiter", NULL, true, READS, set_delimiter},
    {"--encoding", NULL, true, READS, set_encoding},
    {"--drop", NULL, true, READS, set_drop},
    {"--threads", NULL, true, READS, set_threads},
    {"--by", NULL, true, CMD_REPRESENTATION | CMD_FLOWS | CMD_PROJECT, set_by},
    {"--min-cell", NULL, true, ANALYSES, set_min_cell},
    {"--at", NULL, true, CMD_REPRESENTATION | CMD_TARGETS | CMD_PROJECT | CMD_REPORT | CMD_DASHBOARD, set_at},
    {"--reproducible", NULL, false, CMD_REPORT, set_reproducible},
    {"--from", NULL, true, CMD_FLOWS, set_from},
    {"--to", NULL, true, CMD_FLOWS, set_to},
    {"--mobility-by", NULL, true, CMD_FLOWS, set_mobility},
    {"--format", NULL, true, OUTPUT | CMD_REPORT, set_format},
    {"--output", "-o", true, OUTPUT | CMD_REPORT | CMD_DASHBOARD, set_output},
    {"--target", NULL, true, CMD_TARGETS, set_target},
    {"--snapshots", NULL, true, CMD_TARGETS | CMD_PROJECT, set_snapshots},
    {"--periods", NULL, true, CMD_TARGETS | CMD_PROJECT, set_periods},
    {"--method", NULL, true, CMD_PROJECT, set_method},
    {"--horizon", NULL, true, CMD_PROJECT, set_horizon},
    {"--growth", NULL, true, CMD_PROJECT, set_growth},
    {"--set", NULL, true, CMD_PROJECT, set_set},
    {"--simulations", NULL, true, CMD_PROJECT, set_simulations},
    {"--seed", NULL, true, CMD_PROJECT, set_seed},
    {"--fixed-rates", NULL, false, CMD_PROJECT, set_fixed},
};

static const struct option_def *find_option(const char *a) {
    for (size_t i = 0; i < sizeof option_table / sizeof option_table[0]; i++)
        if (strcmp(a, option_table[i].name) == 0 ||
            (option_table[i].alias && strcmp(a, option_table[i].alias) == 0))
            return &option_table[i];
    return NULL;
}

int parse_args(int argc, char **argv, options *o) {
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) return help(o->command);
        const struct option_def *def = find_option(a);
        if (!def && a[0] == '-' && a[1] != '\0')
            return fail(2, "unknown option %s (see parity %s --help)", a, o->command);
        if (!def) {
            if (!(o->cmd & (CMD_VALIDATE | CMD_IMPORT)))
                return fail(2, "unexpected argument \"%s\" (input files go after --input)", a);
            int code = push(o->inputs, &o->ninputs, a, "input files");
            if (code) return code;
            continue;
        }
        if (!(def->commands & o->cmd))
            return fail(2, "%s is not an option of %s (see parity %s --help)", def->name,
                        o->command, o->command);
        const char *v = NULL;
        if (def->value) {
            if (i + 1 >= argc)
                return fail(2, "%s needs a value (see parity %s --help)", a, o->command);
            v = argv[++i];
        }
        int code = def->set(o, def->name, v);
        if (code) return code;
    }
    /* dates pair with files: one for all, or one each, in order */
    if (o->cmd != CMD_DROP && o->ndates > 1 && o->ndates != o->ninputs)
        return fail(2,
                    "%zu files and %zu --date: give one --date per file, in the files' order, "
                    "or one --date for all",
                    o->ninputs, o->ndates);
    if (o->cmd == CMD_DROP && o->ndates > 1) return fail(2, "drop takes one --date");
    size_t stdin_uses = 0;
    for (size_t i = 0; i < o->ninputs; i++) stdin_uses += strcmp(o->inputs[i], "-") == 0;
    if (stdin_uses > 1) return fail(2, "standard input (-) can be read once only");
    o->proj.set = o->sets;
    o->proj.at = o->at;
    o->proj.by = o->by;
    /* the command line's targets replace the configuration file's */
    if (o->ntargets) parity_config_clear_targets(o->cfg);
    for (size_t i = 0; i < o->ntargets; i++) {
        int rc = parity_config_add_target(o->cfg, o->targets[i]);
        if (rc != PARITY_OK) return fail(exit_code(rc), "%s", parity_config_errmsg(o->cfg));
    }
    return -1;
}

const char *input_date(const options *o, size_t i) {
    if (o->ndates == 0) return NULL;
    return o->ndates == 1 ? o->dates[0] : o->dates[i];
}
