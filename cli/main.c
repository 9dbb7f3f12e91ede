/*
** main.c -- the `parity` command-line tool.
**
** A thin client of include/parity.h, as lua.c is of lua.h: parse the
** arguments (args.c), build a configuration and a table, run one analysis,
** write the result. Output is rendered into memory first and written only
** when the whole command has succeeded, so a failure never leaves half a
** table on stdout or a half-written -o file.
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "args.h"

static const char *prog = "parity";

/* ---- commands ---------------------------------------------------------- */

/* A progress line on standard error, redrawn in place; only when standard
** error is a terminal (never in a pipe or a log). */
static void progress(void *data, const char *file, uint64_t done, uint64_t total) {
    (void)data;
    fprintf(stderr, "\r%s: reading ", prog);
    put_escaped(stderr, file);
    if (total)
        fprintf(stderr, ": %3.0f%% (%.0f of %.0f MB)", 100.0 * (double)done / (double)total,
                (double)done / 1e6, (double)total / 1e6);
    else
        fprintf(stderr, ": %.0f MB", (double)done / 1e6);
    if (total && done >= total) fputs("\r\033[K", stderr); /* done: clear the line */
}

/* Loads input i into t: a file, or standard input for "-". */
static int load_one(parity_table *t, const options *o, size_t i) {
    const char *name = o->inputs[i];
    if (strcmp(name, "-") == 0) return parity_table_load_csv_stream(t, "<stdin>", stdin, input_date(o, i));
    return parity_table_load_csv(t, name, input_date(o, i));
}

/* Prints the warnings of the last load. */
static void print_warnings(const parity_table *t) {
    for (size_t k = 0; k < parity_table_nwarnings(t); k++) {
        char *w = strdup(parity_table_warning(t, k));
        if (!w) continue;
        to_flags(w, strlen(w));
        fprintf(stderr, "%s: warning: ", prog);
        put_escaped(stderr, w);
        fputc('\n', stderr);
        free(w);
    }
}

/* Loads every input into t; prints the problems (and, when warn, the
** warnings); returns an exit code. With problems set, goes on past a bad
** file to report every file's problems, counting them there. */
static int load_inputs(parity_table *t, const options *o, size_t max_shown, int *problems,
                       bool warn) {
    int code = 0;
    if (isatty(STDERR_FILENO)) parity_table_set_progress(t, progress, NULL);
    parity_table_set_threads(t, o->threads);
    parity_table_set_combine(t, o->combine);
    for (size_t i = 0; i < o->ninputs; i++) {
        int rc = load_one(t, o, i);
        if (rc == PARITY_OK) {
            if (warn) print_warnings(t);
            continue;
        }
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
        if (!problems) break; /* analyses stop at the first bad file */
    }
#ifdef __GLIBC__
    /* a parallel load frees its parts' memory in the threads' own malloc
    ** arenas, which keep it resident unless asked to give it back */
    malloc_trim(0);
#endif
    return code;
}

/* Writes all of text to descriptor fd; false on a write error. */
static bool write_all(int fd, const char *text, size_t len) {
    while (len) {
        ssize_t n = write(fd, text, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        text += n;
        len -= (size_t)n;
    }
    return true;
}

/* Writes the rendered output all at once: to standard output (no -o, or
** -o -); straight into what -o names when it is not a regular file (a
** device, a FIFO: never replaced) or a file with other names (hard links
** stay links); else atomically, through a temporary file beside it renamed
** into place, keeping an existing file's mode (a new one gets 0666 less
** the umask). A symbolic link is written through, to its target. */
static int emit(const options *o, const char *text, size_t len) {
    static const char *const stdout_names[] = {"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"};
    bool to_stdout = !o->output;
    for (size_t i = 0; i < sizeof stdout_names / sizeof stdout_names[0] && !to_stdout; i++)
        to_stdout = strcmp(o->output, stdout_names[i]) == 0;
    if (to_stdout) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
            return fail(1, "writing standard output: %s", strerror(errno));
        return 0;
    }
    struct stat st;
    bool exists = stat(o->output, &st) == 0;
    if (exists && (!S_ISREG(st.st_mode) || st.st_nlink > 1)) {
        int fd = open(o->output, O_WRONLY | (S_ISREG(st.st_mode) ? O_TRUNC : 0));
        bool ok = fd >= 0 && write_all(fd, text, len);
        int e = errno;
        if (fd >= 0 && close(fd) != 0 && ok) ok = false, e = errno;
        return ok ? 0 : fail(1, "%s: cannot write: %s", o->output, strerror(e));
    }
    char *target = exists ? realpath(o->output, NULL) : strdup(o->output);
    if (!target) return fail(1, "%s: cannot write: %s", o->output, strerror(errno));
    size_t n = strlen(target) + 16;
    char *tmp = malloc(n);
    if (!tmp) {
        free(target);
        return fail(1, "out of memory");
    }
    snprintf(tmp, n, "%s.tmpXXXXXX", target);
    int fd = mkstemp(tmp);
    bool ok = fd >= 0;
    int e = errno;
    if (ok) {
        mode_t mode;
        if (exists) {
            mode = st.st_mode & 07777;
        } else {
            mode_t mask = umask(0);
            umask(mask);
            mode = 0666 & ~mask;
        }
        ok = fchmod(fd, mode) == 0 && write_all(fd, text, len);
        e = errno;
        if (close(fd) != 0 && ok) ok = false, e = errno;
        if (ok && rename(tmp, target) != 0) ok = false, e = errno;
        if (!ok) unlink(tmp);
    }
    free(tmp);
    free(target);
    return ok ? 0 : fail(1, "%s: cannot write: %s", o->output, strerror(e));
}

static int write_result(const options *o, const parity_result *r) {
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) return fail(1, "out of memory");
    int rc = parity_result_write(r, mem, o->format);
    fclose(mem);
    if (rc == PARITY_OK) to_flags(text, len); /* notes name settings as flags */
    int code = rc == PARITY_OK ? emit(o, text, len) : fail(1, "%s", parity_status_message(rc));
    free(text);
    return code;
}

static int cmd_validate(const options *o) {
    if (o->ninputs == 0) return fail(2, "validate: no files given (see parity validate --help)");
    parity_table *t = parity_table_new(o->cfg);
    if (!t) return fail(1, "out of memory");
    int problems = 0;
    int code = load_inputs(t, o, (size_t)-1, &problems, true);
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

/* --sql-rows with no files: the store's plain rows, nothing imported. */
static int sql_rows_only(const options *o) {
    parity_store *s = NULL;
    int rc = parity_store_open(db_path(o), PARITY_STORE_WRITE, &s);
    if (rc == PARITY_OK) rc = parity_store_sql_rows(s);
    int code = rc == PARITY_OK ? 0 : fail(exit_code(rc), "%s", parity_store_errmsg(s));
    if (code == 0) printf("%s keeps plain rows for SQL (table staff_row)\n", db_path(o));
    parity_store_close(s);
    return code;
}

static int cmd_import(const options *o) {
    if (o->ninputs == 0 && o->sql_rows) return sql_rows_only(o);
    if (o->ninputs == 0) return fail(2, "import: no files given (see parity import --help)");
    parity_table *t = parity_table_new(o->cfg);
    if (!t) return fail(1, "out of memory");
    int problems = 0;
    /* every file is read and checked before the store is touched */
    int code = load_inputs(t, o, (size_t)-1, &problems, true);
    if (code == 3)
        fail(3, "%d problem%s found; nothing imported", problems, problems == 1 ? "" : "s");
    if (code == 0) {
        parity_store *s = NULL;
        size_t added, unchanged, replaced;
        int rc = parity_store_open(db_path(o), PARITY_STORE_CREATE, &s);
        parity_store_set_replace_settings(s, o->replace_settings);
        if (rc == PARITY_OK && o->sql_rows) rc = parity_store_sql_rows(s);
        if (rc == PARITY_OK) rc = parity_store_import(s, t, o->replace, &added, &unchanged, &replaced);
        if (rc != PARITY_OK) {
            code = fail(exit_code(rc), "%s", parity_store_errmsg(s));
        } else if (added + replaced == 0) {
            printf("nothing changed: %zu snapshot%s already stored with the same content\n",
                   unchanged, unchanged == 1 ? "" : "s");
        } else {
            printf("imported into %s: %zu snapshot%s added, %zu replaced, %zu unchanged\n",
                   db_path(o), added, added == 1 ? "" : "s", replaced, unchanged);
        }
        parity_store_close(s);
    }
    parity_table_free(t);
    return code;
}

static int cmd_snapshots(const options *o) {
    parity_store *s = NULL;
    parity_result *r = NULL;
    int rc = parity_store_open(db_path(o), PARITY_STORE_READ, &s);
    if (rc == PARITY_OK) rc = parity_store_snapshots(s, &r);
    int code = rc == PARITY_OK ? write_result(o, r) : fail(exit_code(rc), "%s", parity_store_errmsg(s));
    parity_result_free(r);
    parity_store_close(s);
    return code;
}

static int cmd_drop(const options *o) {
    if (!o->ndates) return fail(2, "drop: give the snapshot with --date YYYY-MM-DD");
    parity_store *s = NULL;
    int rc = parity_store_open(db_path(o), PARITY_STORE_WRITE, &s);
    if (rc == PARITY_OK) rc = parity_store_drop(s, o->dates[0]);
    int code = rc == PARITY_OK ? 0 : fail(exit_code(rc), "%s", parity_store_errmsg(s));
    if (code == 0) printf("dropped snapshot %s from %s\n", o->dates[0], db_path(o));
    parity_store_close(s);
    return code;
}

/* Reads the store into t: every column, or (when only_by) only those the
** --by dimensions name, which is all a representation reads. */
static int load_from_store(parity_table *t, parity_store *s, const options *o, bool only_by) {
    return only_by ? parity_table_load_store_by(t, s, o->by) : parity_table_load_store(t, s);
}

/* Reads the store into t; an exit code. */
static int load_store(parity_table *t, const options *o, bool only_by) {
    parity_store *s = NULL;
    int rc = parity_store_open(db_path(o), PARITY_STORE_READ, &s);
    if (rc == PARITY_OK) rc = load_from_store(t, s, o, only_by);
    int code = rc == PARITY_OK ? 0
                               : fail(exit_code(rc), "%s",
                                      parity_table_errmsg(t)[0] ? parity_table_errmsg(t)
                                                                : parity_store_errmsg(s));
    parity_store_close(s);
    if (code == 0 && parity_table_nrows(t) == 0)
        code = fail(1, "the store %s holds no snapshot yet (parity import FILE)", db_path(o));
    return code;
}

/* Loads the inputs and runs one analysis; the shape of every command. */
static int run_analysis(const options *o, bool only_by,
                        int (*analyse)(parity_table *, const options *, parity_result **)) {
    parity_table *t = parity_table_new(o->cfg);
    if (!t) return fail(1, "out of memory");
    parity_result *r = NULL;
    int code;
    if (o->ninputs) code = load_inputs(t, o, 20, NULL, false);
    else code = load_store(t, o, only_by);
    if (code == 0) {
        int rc = analyse(t, o, &r);
        code = rc == PARITY_OK ? write_result(o, r) : fail(exit_code(rc), "%s", parity_table_errmsg(t));
    }
    parity_result_free(r);
    parity_table_free(t);
    return code;
}

/* --by defaults to grade; --by '' asks for the whole population. */

static int analyse_representation(parity_table *t, const options *o, parity_result **r) {
    return parity_representation(t, o->by, o->at, r);
}

static int analyse_flows(parity_table *t, const options *o, parity_result **r) {
    return parity_flows(t, o->by, o->from, o->to, o->mobility_by, r);
}

static int analyse_targets(parity_table *t, const options *o, parity_result **r) {
    return parity_targets(t, &o->proj, r);
}

static int analyse_project(parity_table *t, const options *o, parity_result **r) {
    return parity_project(t, &o->proj, r);
}

/* The report: built like any analysis, written in its own formats. */
static int cmd_report(const options *o) {
    const char *fmt = o->report_format ? o->report_format : "json";
    bool file_format = strcmp(fmt, "csv") == 0 || strcmp(fmt, "xlsx") == 0;
    if (file_format && (!o->output || strcmp(o->output, "-") == 0))
        return fail(2, "report: --format %s writes %s: name it with -o PATH", fmt,
                    fmt[0] == 'c' ? "a directory of CSV files" : "a workbook");
    parity_table *t = parity_table_new(o->cfg);
    if (!t) return fail(1, "out of memory");
    int code = o->ninputs ? load_inputs(t, o, 20, NULL, false) : load_store(t, o, false);
    parity_report *rep = NULL;
    if (code == 0) {
        parity_report_options ro = o->report;
        ro.at = o->at;
        int rc = parity_report_build(t, &ro, &rep);
        if (rc != PARITY_OK) code = fail(exit_code(rc), "%s", parity_table_errmsg(t));
    }
    if (code == 0 && file_format) {
        int rc = fmt[0] == 'c' ? parity_report_write_csv(rep, o->output)
                               : parity_report_write_xlsx(rep, o->output);
        if (rc != PARITY_OK) code = fail(1, "%s: cannot write: %s", o->output, parity_status_message(rc));
    } else if (code == 0) {
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        int rc = mem ? parity_report_write(rep, mem, fmt[0] == 'm' ? PARITY_FORMAT_MD : PARITY_FORMAT_JSON)
                     : PARITY_NOMEM;
        if (mem) fclose(mem);
        if (rc == PARITY_OK) to_flags(text, len);
        code = rc == PARITY_OK ? emit(o, text, len) : fail(1, "%s", parity_status_message(rc));
        free(text);
    }
    parity_report_free(rep);
    parity_table_free(t);
    return code;
}

static int cmd_dashboard(const options *o) {
    parity_table *t = parity_table_new(o->cfg);
    if (!t) return fail(1, "out of memory");
    int code = o->ninputs ? load_inputs(t, o, 20, NULL, false) : load_store(t, o, false);
    char *text = NULL;
    size_t len = 0;
    if (code == 0) {
        parity_report_options ro = o->report;
        ro.at = o->at;
        int rc = parity_dashboard_render(t, &ro, &text, &len);
        code = rc == PARITY_OK ? emit(o, text, len) : fail(exit_code(rc), "%s", parity_table_errmsg(t));
        /* a page to email: say when it grows past what a mailbox takes well */
        if (code == 0 && len > 2u << 20)
            fprintf(stderr, "parity: note: the page is %.1f MB (over 2 MB): each breakdown by grade adds its "
                            "units' tables at six snapshots; name fewer in \"report\".\"breakdowns\"\n",
                    (double)len / (1 << 20));
    }
    parity_free(text);
    parity_table_free(t);
    return code;
}

static int cmd_representation(const options *o) {
    return run_analysis(o, true, analyse_representation);
}
static int cmd_targets(const options *o) { return run_analysis(o, false, analyse_targets); }
static int cmd_project(const options *o) { return run_analysis(o, false, analyse_project); }
static int cmd_flows(const options *o) { return run_analysis(o, false, analyse_flows); }

int main(int argc, char **argv) {
    if (argc < 2) {
        help(NULL);
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
        {"report", cmd_report},
        {"dashboard", cmd_dashboard},
    };
    options o;
    memset(&o, 0, sizeof o);
    parity_project_options_init(&o.proj);
    parity_report_options_init(&o.report);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0) continue;
        o.command = commands[i].name;
        o.cmd = command_bit(o.command);
        if (!(o.cfg = parity_config_new())) return fail(1, "out of memory");
        int code = parse_args(argc, argv, &o);
        if (code < 0) code = commands[i].run(&o);
        parity_config_free(o.cfg);
        return code;
    }
    return fail(2, "unknown command \"%s\" (see parity --help)", argv[1]);
}
