/*
** main.c -- the `parity` command-line tool.
**
** A thin client of include/parity.h, as lua.c is of lua.h: parse the
** arguments, build a configuration and a table, run one analysis, write the
** result. Output is rendered into memory first and written only when the
** whole command has succeeded, so a failure never leaves half a table on
** stdout or a half-written -o file.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parity.h"

#define MAX_INPUTS 256

typedef struct options {
    const char *command;
    const char *inputs[MAX_INPUTS];
    size_t ninputs;
    const char *date;
    const char *by;
    const char *at;
    const char *from;
    const char *to;
    const char *mobility_by;
    const char *output;
    const char *db;
    int replace;
    parity_format format;
    parity_config *cfg;
    /* targets and project */
    const char *targets[MAX_INPUTS];
    size_t ntargets;
    parity_project_options proj;
    const char *sets[MAX_INPUTS];
    int threads; /* CSV loads; 0: one per core */
} options;

static const char *prog = "parity";

static int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

/* Exit code of a library status: 0, 2 (usage), 3 (invalid data) or 1. */
static int exit_code(int status) {
    return status == PARITY_OK ? 0 : status == PARITY_USAGE ? 2 : status == PARITY_INVALID ? 3 : 1;
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
    "exit codes: 0 success, 1 runtime failure, 2 usage error, 3 invalid input data\n";

static const char usage_input[] =
    "input:\n"
    "  --db FILE             the store (default $PARITY_DB, else parity.db)\n"
    "  --input FILE          read a CSV snapshot file instead (repeatable)\n"
    "  --date YYYY-MM-DD     snapshot date of files without a snapshot_date column\n"
    "  --config FILE         JSON configuration (column names, codes, grade scale)\n"
    "  --column CANON=HEADER read column HEADER as CANON (repeatable), e.g.\n"
    "                        --column sex=Gender\n"
    "  --sex-code VALUE=CODE read VALUE as F, M, X or U (repeatable), e.g.\n"
    "                        --sex-code Woman=F\n"
    "  --grade-order ORDER   un (default UN scale) | as-listed | numeric | none\n"
    "  --grades G1,G2,...    the grade scale, lowest first (implies as-listed)\n"
    "  --date-format FMT     strptime format of the date columns, e.g. %m/%d/%Y\n"
    "  --threads N           threads for reading CSV files (default: one per core)\n";

static const char usage_output[] =
    "output:\n"
    "  --format FMT          table (default) | json | csv | md\n"
    "  -o, --output FILE     write to FILE instead of standard output\n";

static const char usage_representation[] =
    "usage: parity representation --input FILE... [--by DIMS] [--at DATE] [options]\n"
    "\n"
    "Stock counts by sex -- women (F), men (M), another sex (X), not recorded (U) --\n"
    "with the female share of F+M+X, its Wilson 95% interval, the parity band\n"
    "status (below/within/above 50% +/- 3 points), the gap to parity (women who\n"
    "would have to replace men to reach 50%) and the glass ceiling index.\n"
    "\n"
    "  --by DIMS             comma-separated dimensions (default grade): grade,\n"
    "                        category, snapshot_date, department, duty_station,\n"
    "                        any column; --by '' for the whole population only\n"
    "  --at YYYY-MM-DD       the snapshot (default: the latest; with --by\n"
    "                        snapshot_date, every snapshot)\n"
    "\n";

static const char usage_flows[] =
    "usage: parity flows --input FILE... [--from DATE] [--to DATE] [--by DIMS] [options]\n"
    "\n"
    "People are matched by staff_id between consecutive snapshots: hires (counted\n"
    "at the grade held at the later snapshot), separations, promotions into and\n"
    "out of each grade, demotions, moves (duty station changed) and lateral\n"
    "moves, per sex, with rates on the staff at the start of each period and\n"
    "women-vs-men tests: impact ratio (four-fifths rule), two-proportion z-test,\n"
    "Fisher's exact test. Counts are pooled over every period from --from to --to.\n"
    "\n"
    "  --by DIMS             dimensions (default grade); add period to split\n"
    "                        the periods instead of pooling them\n"
    "  --from YYYY-MM-DD     the first snapshot (default: the one before --to)\n"
    "  --to YYYY-MM-DD       the last snapshot (default: the latest)\n"
    "  --mobility-by DIM     the column whose change is a move (default\n"
    "                        duty_station)\n"
    "\n";

static const char usage_targets[] =
    "usage: parity targets [--target SCOPE:SHARE:YEAR[:MEASURE]]... [--at DATE] [options]\n"
    "\n"
    "For each target: the share now, met / on_track / off_track, where the trend\n"
    "line puts it in the target year, and for staff-share targets the female share\n"
    "of hires into the scope that the flow model needs to get there in time\n"
    "(\"unreachable\" when even 100% would not). Targets come from --target or the\n"
    "--config file's \"targets\"; --target replaces the file's.\n"
    "\n"
    "  --target SPEC         SCOPE:SHARE:YEAR[:MEASURE], repeatable, e.g.\n"
    "                        grade=P4:0.5:2028, category=Professional:50%:2030,\n"
    "                        all:0.5:2028, grade=P4:0.5:2028:hires; MEASURE is\n"
    "                        stock (default), hires, promotions or moves\n"
    "  --at YYYY-MM-DD       judge at this snapshot (default: the latest)\n"
    "  --snapshots N         trend over the last N snapshots (default: all)\n"
    "  --periods K           pool rates and events over the last K periods\n"
    "                        (default 3)\n"
    "\n";

static const char usage_project[] =
    "usage: parity project [--method trend|flow] [--by DIMS] [--horizon YEAR] [options]\n"
    "\n"
    "Projects the female share year by year to the horizon, with 95% intervals and\n"
    "the parity year: the first year within the band (50% +/- 3 points), \"reached\"\n"
    "when already there.\n"
    "\n"
    "  --method trend        (default) least-squares line per group; slope in\n"
    "                        points per year, prediction intervals\n"
    "  --method flow         stock-flow model per sex and grade: observed rates of\n"
    "                        leaving and promotion, female share of hires; each\n"
    "                        grade's headcount held constant by hiring\n"
    "  --by DIMS             trend: any dimensions (default grade); flow: grade\n"
    "                        or category\n"
    "  --at YYYY-MM-DD       project from this snapshot (default: the latest)\n"
    "  --horizon YEAR        the last year projected (default: 10 years on)\n"
    "  --snapshots N         trend: fit the last N snapshots (default: all)\n"
    "  --periods K           flow: pool rates over the last K periods (default 3)\n"
    "  --growth RATE         flow: yearly headcount growth, e.g. 0.02\n"
    "  --set KEY[:GRADE]=V   flow, what-if (repeatable): hire_share:P4=0.6,\n"
    "                        separation_rate.female:P4=0.05, promotion_rate:P3=0.1,\n"
    "                        hires=0 (recruitment freeze), growth=0.02\n"
    "  --simulations N       flow: Monte Carlo runs for the 95% intervals\n"
    "  --seed S              flow: random seed (default 1); same seed, same output\n"
    "  --fixed-rates         flow: simulate with the rates as estimated; by default\n"
    "                        each run draws its rates from their uncertainty too\n"
    "\n";

static const char usage_import[] =
    "usage: parity import FILE... [--date DATE] [--replace] [--db FILE] [input options]\n"
    "\n"
    "Validates the files and adds their snapshots to the store in one transaction:\n"
    "all of them or, if any file has a problem, none (every problem is listed, exit\n"
    "3). Importing the same file again changes nothing; a different file for a\n"
    "date already stored is refused unless --replace. The store is created, readable\n"
    "by its owner only, if it does not exist.\n"
    "\n"
    "  --replace             replace stored snapshots of the same dates\n"
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
    "usage: parity validate FILE... [--date DATE] [input options]\n"
    "\n"
    "Reads the files as an import would, stores nothing, and reports every\n"
    "problem found as file:line:column: what (column = field number). Exits 3\n"
    "when there is any problem, 0 when the files are clean.\n"
    "\n";

static int help(const char *command) {
    if (!command) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (strcmp(command, "representation") == 0) fputs(usage_representation, stdout);
    else if (strcmp(command, "validate") == 0) fputs(usage_validate, stdout);
    else if (strcmp(command, "flows") == 0) fputs(usage_flows, stdout);
    else if (strcmp(command, "targets") == 0) fputs(usage_targets, stdout);
    else if (strcmp(command, "project") == 0) fputs(usage_project, stdout);
    else if (strcmp(command, "import") == 0) fputs(usage_import, stdout);
    else if (strcmp(command, "snapshots") == 0) fputs(usage_snapshots, stdout);
    else if (strcmp(command, "drop") == 0) fputs(usage_drop, stdout);
    else return fail(2, "unknown command \"%s\" (see parity --help)", command);
    fputs(usage_input, stdout);
    if (strcmp(command, "validate") != 0) fputs(usage_output, stdout);
    return 0;
}

/* ---- arguments --------------------------------------------------------- */

/* Splits "A=B" at the first '='; returns 0 when there is none. */
static int split_pair(const char *arg, char *left, size_t cap, const char **right) {
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || (size_t)(eq - arg) >= cap) return 0;
    memcpy(left, arg, (size_t)(eq - arg));
    left[eq - arg] = '\0';
    *right = eq + 1;
    return 1;
}

/* A whole number in [lo, hi] for option `a`; returns 0 when it is not. */
static int parse_long(const char *a, const char *v, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (end == v || *end || errno || n < lo || n > hi) {
        fail(2, "%s must be a whole number from %ld to %ld, not \"%s\"", a, lo, hi, v);
        return 0;
    }
    *out = n;
    return 1;
}

/* Parses argv[2..]; returns an exit code, or -1 to go on. */
static int parse_args(int argc, char **argv, options *o) {
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char left[256];
        const char *right;
        int rc = PARITY_OK;
#define NEED_VALUE()                                                  \
    do {                                                              \
        if (!v) return fail(2, "%s needs a value (see parity %s --help)", a, o->command); \
        i++;                                                          \
    } while (0)
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            return help(o->command);
        } else if (strcmp(a, "--input") == 0 || strcmp(a, "-i") == 0) {
            NEED_VALUE();
            if (o->ninputs == MAX_INPUTS) return fail(2, "too many input files");
            o->inputs[o->ninputs++] = v;
        } else if (strcmp(a, "--date") == 0) {
            NEED_VALUE();
            o->date = v;
        } else if (strcmp(a, "--threads") == 0) {
            NEED_VALUE();
            long n;
            if (!parse_long(a, v, 1, 1024, &n)) return 2;
            o->threads = (int)n;
        } else if (strcmp(a, "--by") == 0) {
            NEED_VALUE();
            o->by = v;
        } else if (strcmp(a, "--at") == 0) {
            NEED_VALUE();
            o->at = v;
        } else if (strcmp(a, "--db") == 0) {
            NEED_VALUE();
            o->db = v;
        } else if (strcmp(a, "--replace") == 0) {
            o->replace = 1;
        } else if (strcmp(a, "--from") == 0) {
            NEED_VALUE();
            o->from = v;
        } else if (strcmp(a, "--to") == 0) {
            NEED_VALUE();
            o->to = v;
        } else if (strcmp(a, "--mobility-by") == 0) {
            NEED_VALUE();
            o->mobility_by = v;
        } else if (strcmp(a, "--output") == 0 || strcmp(a, "-o") == 0) {
            NEED_VALUE();
            o->output = v;
        } else if (strcmp(a, "--format") == 0) {
            NEED_VALUE();
            if (parity_format_parse(v, &o->format) != PARITY_OK)
                return fail(2, "--format must be table, json, csv or md, not \"%s\"", v);
        } else if (strcmp(a, "--config") == 0) {
            NEED_VALUE();
            rc = parity_config_load(o->cfg, v);
        } else if (strcmp(a, "--column") == 0) {
            NEED_VALUE();
            if (!split_pair(v, left, sizeof left, &right))
                return fail(2, "--column takes CANON=HEADER, e.g. --column sex=Gender");
            rc = parity_config_set_column(o->cfg, left, right);
        } else if (strcmp(a, "--sex-code") == 0) {
            NEED_VALUE();
            if (!split_pair(v, left, sizeof left, &right))
                return fail(2, "--sex-code takes VALUE=F|M|X|U, e.g. --sex-code Woman=F");
            rc = parity_config_set_sex_code(o->cfg, left, right);
        } else if (strcmp(a, "--grade-order") == 0) {
            NEED_VALUE();
            rc = parity_config_set_grade_order(o->cfg, v);
        } else if (strcmp(a, "--grades") == 0) {
            NEED_VALUE();
            rc = parity_config_set_grades(o->cfg, v);
        } else if (strcmp(a, "--date-format") == 0) {
            NEED_VALUE();
            rc = parity_config_set_date_format(o->cfg, NULL, v);
        } else if (strcmp(a, "--target") == 0) {
            NEED_VALUE();
            if (o->ntargets == MAX_INPUTS) return fail(2, "too many targets");
            o->targets[o->ntargets++] = v;
        } else if (strcmp(a, "--method") == 0) {
            NEED_VALUE();
            if (strcmp(v, "trend") == 0) o->proj.method = PARITY_METHOD_TREND;
            else if (strcmp(v, "flow") == 0) o->proj.method = PARITY_METHOD_FLOW;
            else return fail(2, "--method must be trend or flow, not \"%s\"", v);
        } else if (strcmp(a, "--horizon") == 0 || strcmp(a, "--snapshots") == 0 ||
                   strcmp(a, "--periods") == 0 || strcmp(a, "--simulations") == 0 ||
                   strcmp(a, "--seed") == 0) {
            NEED_VALUE();
            long n;
            if (a[2] == 'h') {
                if (!parse_long(a, v, 1900, 2200, &n)) return 2;
                o->proj.horizon = (int)n;
            } else if (a[2] == 's' && a[3] == 'n') {
                if (!parse_long(a, v, 3, 100000, &n)) return 2;
                o->proj.snapshots = (int)n;
            } else if (a[2] == 'p') {
                if (!parse_long(a, v, 1, 100000, &n)) return 2;
                o->proj.periods = (int)n;
            } else if (a[3] == 'i') {
                if (!parse_long(a, v, 0, 100000, &n)) return 2;
                o->proj.simulations = (int)n;
            } else {
                if (!parse_long(a, v, 0, 2147483647L, &n)) return 2;
                o->proj.seed = (unsigned long)n;
            }
        } else if (strcmp(a, "--growth") == 0) {
            NEED_VALUE();
            char *end;
            double g = strtod(v, &end);
            if (end == v || *end || !(g > -1 && g < 10))
                return fail(2, "--growth must be a yearly rate above -1 (0.02 = 2%%), not \"%s\"",
                            v);
            o->proj.growth = g;
        } else if (strcmp(a, "--fixed-rates") == 0) {
            o->proj.fixed_rates = 1;
        } else if (strcmp(a, "--set") == 0) {
            NEED_VALUE();
            if (o->proj.nset == MAX_INPUTS) return fail(2, "too many --set");
            o->sets[o->proj.nset++] = v;
        } else if (a[0] == '-' && a[1] != '\0') {
            return fail(2, "unknown option %s (see parity %s --help)", a, o->command);
        } else if (strcmp(o->command, "validate") == 0 || strcmp(o->command, "import") == 0) {
            if (o->ninputs == MAX_INPUTS) return fail(2, "too many input files");
            o->inputs[o->ninputs++] = a;
        } else {
            return fail(2, "unexpected argument \"%s\" (input files go after --input)", a);
        }
#undef NEED_VALUE
        if (rc != PARITY_OK) return fail(exit_code(rc), "%s", parity_config_errmsg(o->cfg));
    }
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

/* ---- commands ---------------------------------------------------------- */

/* A progress line on standard error, redrawn in place; only when standard
** error is a terminal (never in a pipe or a log). */
static void progress(void *data, const char *file, uint64_t done, uint64_t total) {
    (void)data;
    if (total)
        fprintf(stderr, "\r%s: reading %s: %3.0f%% (%.0f of %.0f MB)", prog, file,
                100.0 * (double)done / (double)total, (double)done / 1e6, (double)total / 1e6);
    else
        fprintf(stderr, "\r%s: reading %s: %.0f MB", prog, file, (double)done / 1e6);
    if (total && done >= total) fputs("\r\033[K", stderr); /* done: clear the line */
}

/* Loads every input into t; prints the problems; returns an exit code. */
static int load_inputs(parity_table *t, const options *o, size_t max_shown, int *problems) {
    int code = 0;
    if (isatty(STDERR_FILENO)) parity_table_set_progress(t, progress, NULL);
    parity_table_set_threads(t, o->threads);
    for (size_t i = 0; i < o->ninputs; i++) {
        int rc = parity_table_load_csv(t, o->inputs[i], o->date);
        if (rc == PARITY_OK) continue;
        size_t n = parity_table_ndiagnostics(t);
        if (n == 0) {
            fail(exit_code(rc), "%s", parity_table_errmsg(t));
        } else {
            for (size_t k = 0; k < n && k < max_shown; k++)
                fail(3, "%s", parity_table_diagnostic(t, k));
            size_t total = parity_table_ndiagnostics_total(t);
            if (total > max_shown)
                fail(3, "%s: ... and %zu more problem%s (parity validate lists them all)",
                     o->inputs[i], total - max_shown, total - max_shown == 1 ? "" : "s");
        }
        if (problems) *problems += (int)parity_table_ndiagnostics_total(t);
        if (!code || code == 3) code = exit_code(rc);
        if (!problems) return code; /* analyses stop at the first bad file */
    }
    return code;
}

/* Writes the rendered output all at once, to stdout or atomically to a file
** (a temporary file beside it, renamed into place). */
static int emit(const options *o, const char *text, size_t len) {
    if (!o->output || strcmp(o->output, "-") == 0) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
            return fail(1, "writing standard output: %s", strerror(errno));
        return 0;
    }
    size_t n = strlen(o->output) + 16;
    char *tmp = malloc(n);
    if (!tmp) return fail(1, "out of memory");
    snprintf(tmp, n, "%s.tmpXXXXXX", o->output);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        int e = errno;
        if (fd >= 0) close(fd);
        free(tmp);
        return fail(1, "%s: cannot write: %s", o->output, strerror(e));
    }
    int ok = fwrite(text, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, o->output) != 0) {
        int e = errno;
        unlink(tmp);
        free(tmp);
        return fail(1, "%s: cannot write: %s", o->output, strerror(e));
    }
    free(tmp);
    return 0;
}

static int write_result(const options *o, const parity_result *r) {
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) return fail(1, "out of memory");
    int rc = parity_result_write(r, mem, o->format);
    fclose(mem);
    int code = rc == PARITY_OK ? emit(o, text, len) : fail(1, "%s", parity_status_message(rc));
    free(text);
    return code;
}

static int cmd_validate(const options *o) {
    if (o->ninputs == 0) return fail(2, "validate: no files given (see parity validate --help)");
    parity_table *t = parity_table_new(o->cfg);
    if (!t) return fail(1, "out of memory");
    int problems = 0;
    int code = load_inputs(t, o, (size_t)-1, &problems);
    if (code == 0) {
        char d0[11], d1[11];
        size_t ns = parity_table_nsnapshots(t);
        parity_table_snapshot(t, 0, d0, NULL);
        parity_table_snapshot(t, ns - 1, d1, NULL);
        printf("ok: %zu file%s, %zu rows, %zu snapshot%s (%s to %s)\n", o->ninputs,
               o->ninputs == 1 ? "" : "s", parity_table_nrows(t), ns, ns == 1 ? "" : "s", d0,
               d1);
    } else if (problems) {
        fprintf(stderr, "%s: %d problem%s found\n", prog, problems, problems == 1 ? "" : "s");
    }
    parity_table_free(t);
    return code;
}

/* The store's path: --db, else $PARITY_DB, else parity.db. */
static const char *db_path(const options *o) {
    const char *env = getenv("PARITY_DB");
    return o->db ? o->db : env && *env ? env : "parity.db";
}

static int cmd_import(const options *o) {
    if (o->ninputs == 0) return fail(2, "import: no files given (see parity import --help)");
    parity_table *tables[MAX_INPUTS] = {NULL};
    int code = 0, problems = 0;
    /* every file is read and checked before the store is touched */
    for (size_t i = 0; i < o->ninputs && code != 1; i++) {
        if (!(tables[i] = parity_table_new(o->cfg))) {
            code = fail(1, "out of memory");
            break;
        }
        options one = *o;
        one.inputs[0] = o->inputs[i];
        one.ninputs = 1;
        int c = load_inputs(tables[i], &one, (size_t)-1, &problems);
        if (c && (!code || c == 1)) code = c;
    }
    if (code == 3)
        fail(3, "%d problem%s found; nothing imported", problems, problems == 1 ? "" : "s");
    if (code == 0) {
        parity_store *s = NULL;
        size_t added, unchanged, replaced;
        int rc = parity_store_open(db_path(o), 1, &s);
        if (rc == PARITY_OK)
            rc = parity_store_import(s, tables, o->inputs, o->ninputs, o->replace, &added,
                                     &unchanged, &replaced);
        if (rc != PARITY_OK) {
            code = fail(exit_code(rc), "%s", parity_store_errmsg(s));
        } else if (added + replaced == 0) {
            printf("nothing changed: %zu snapshot%s already stored from the same file%s\n",
                   unchanged, unchanged == 1 ? "" : "s", o->ninputs == 1 ? "" : "s");
        } else {
            printf("imported into %s: %zu snapshot%s added, %zu replaced, %zu unchanged\n",
                   db_path(o), added, added == 1 ? "" : "s", replaced, unchanged);
        }
        parity_store_close(s);
    }
    for (size_t i = 0; i < o->ninputs; i++) parity_table_free(tables[i]);
    return code;
}

static int cmd_snapshots(const options *o) {
    parity_store *s = NULL;
    parity_result *r = NULL;
    int rc = parity_store_open(db_path(o), 0, &s);
    if (rc == PARITY_OK) rc = parity_store_snapshots(s, &r);
    int code = rc == PARITY_OK ? write_result(o, r) : fail(exit_code(rc), "%s", parity_store_errmsg(s));
    parity_result_free(r);
    parity_store_close(s);
    return code;
}

static int cmd_drop(const options *o) {
    if (!o->date) return fail(2, "drop: give the snapshot with --date YYYY-MM-DD");
    parity_store *s = NULL;
    int rc = parity_store_open(db_path(o), 0, &s);
    if (rc == PARITY_OK) rc = parity_store_drop(s, o->date);
    int code = rc == PARITY_OK ? 0 : fail(exit_code(rc), "%s", parity_store_errmsg(s));
    if (code == 0) printf("dropped snapshot %s from %s\n", o->date, db_path(o));
    parity_store_close(s);
    return code;
}

/* Reads the store into t: every column, or (when only_by) only those the
** --by dimensions name, which is all a representation reads. */
static int load_from_store(parity_table *t, parity_store *s, const options *o, bool only_by) {
    if (!only_by) return parity_table_load_store(t, s);
    char *by = strdup(o->by ? o->by : "grade");
    if (!by) return PARITY_NOMEM;
    const char *cols[64];
    size_t n = 0;
    for (char *save = NULL, *d = strtok_r(by, ",", &save); d && n < 64;
         d = strtok_r(NULL, ",", &save)) {
        while (*d == ' ') d++;
        char *e = d + strlen(d);
        while (e > d && e[-1] == ' ') *--e = '\0';
        cols[n++] = d;
    }
    int rc = parity_table_load_store_columns(t, s, cols, n);
    free(by);
    return rc;
}

/* Loads the inputs and runs one analysis; the shape of every command. */
static int run_analysis(const options *o, bool only_by,
                        int (*analyse)(parity_table *, const options *, parity_result **)) {
    parity_table *t = parity_table_new(o->cfg);
    if (!t) return fail(1, "out of memory");
    parity_result *r = NULL;
    int code;
    if (o->ninputs) {
        code = load_inputs(t, o, 20, NULL);
    } else {
        parity_store *s = NULL;
        int rc = parity_store_open(db_path(o), 0, &s);
        if (rc == PARITY_OK) rc = load_from_store(t, s, o, only_by);
        code = rc == PARITY_OK ? 0
                               : fail(exit_code(rc), "%s",
                                      parity_table_errmsg(t)[0] ? parity_table_errmsg(t)
                                                                : parity_store_errmsg(s));
        parity_store_close(s);
        if (code == 0 && parity_table_nrows(t) == 0)
            code = fail(1, "the store %s holds no snapshot yet (parity import FILE)", db_path(o));
    }
    if (code == 0) {
        int rc = analyse(t, o, &r);
        code = rc == PARITY_OK ? write_result(o, r) : fail(exit_code(rc), "%s", parity_table_errmsg(t));
    }
    parity_result_free(r);
    parity_table_free(t);
    return code;
}

/* --by defaults to grade; --by '' asks for the whole population. */
static const char *by_or_grade(const options *o) { return o->by ? o->by : "grade"; }

static int analyse_representation(parity_table *t, const options *o, parity_result **r) {
    return parity_representation(t, by_or_grade(o), o->at, r);
}

static int analyse_flows(parity_table *t, const options *o, parity_result **r) {
    return parity_flows(t, by_or_grade(o), o->from, o->to, o->mobility_by, r);
}

static int analyse_targets(parity_table *t, const options *o, parity_result **r) {
    return parity_targets(t, &o->proj, r);
}

static int analyse_project(parity_table *t, const options *o, parity_result **r) {
    return parity_project(t, &o->proj, r);
}

static int cmd_representation(const options *o) {
    return run_analysis(o, true, analyse_representation);
}
static int cmd_targets(const options *o) { return run_analysis(o, false, analyse_targets); }
static int cmd_project(const options *o) { return run_analysis(o, false, analyse_project); }
static int cmd_flows(const options *o) { return run_analysis(o, false, analyse_flows); }

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0)
        return help(argc > 2 ? argv[2] : NULL);
    if (strcmp(argv[1], "--version") == 0) {
        printf("parity %s\n", parity_version());
        return 0;
    }
    static const struct {
        const char *name;
        int (*run)(const options *);
    } commands[] = {
        {"representation", cmd_representation},
        {"flows", cmd_flows},
        {"targets", cmd_targets},
        {"project", cmd_project},
        {"validate", cmd_validate},
        {"import", cmd_import},
        {"snapshots", cmd_snapshots},
        {"drop", cmd_drop},
    };
    options o;
    memset(&o, 0, sizeof o);
    parity_project_options_init(&o.proj);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0) continue;
        o.command = commands[i].name;
        if (!(o.cfg = parity_config_new())) return fail(1, "out of memory");
        int code = parse_args(argc, argv, &o);
        if (code < 0) code = commands[i].run(&o);
        parity_config_free(o.cfg);
        return code;
    }
    return fail(2, "unknown command \"%s\" (see parity --help)", argv[1]);
}
