/*
** parity.h -- the public API of libparity, a staff gender-balance statistics
** engine.
**
** This header is the reference. Everything a program (the `parity` CLI, the
** Python bindings, your own code) may use is declared here; nothing else in
** the library is exported.
**
** The model, in three handles:
**
**   parity_config  how to read input: column names, sex codes, the grade
**                  scale, date formats, the parity band.
**   parity_table   the columnar in-memory core: staff-snapshot rows loaded
**                  from CSV files, one column per field, categorical columns
**                  dictionary-encoded, staff ids interned to dense integers,
**                  rows grouped by snapshot date.
**   parity_result  the answer to one analysis: a small frame of groups
**                  (dimension values plus measures) with the parameters that
**                  produced it, written as table, JSON, CSV or Markdown.
**
** Conventions (as in SQLite and DuckDB's C API):
**
**   - Functions that act return a status code (PARITY_OK on success). On
**     failure the message is read from the handle with *_errmsg(); it stays
**     valid until the next call on that handle. There is no global error
**     state.
**   - Every function says who owns what it returns. Destructors accept NULL
**     and do nothing.
**   - Handles are not thread-safe: use one handle from one thread at a time.
**     Separate handles may be used from separate threads. One exception: a
**     loaded table answers analyses (parity_representation() to
**     parity_targets()) from several threads at once -- they only read it,
**     and a table's message is kept per thread -- as long as no thread
**     loads into it or changes it meanwhile.
**   - Messages name a setting by its API and configuration key in single
**     quotes ('grade_order', 'by', 'at'); the parity command line shows them
**     as its flags (--grade-order, --by, --at).
**
** A typical session:
**
**     parity_config *cfg = parity_config_new();
**     parity_config_set_column(cfg, "sex", "Gender");
**     parity_table *t = parity_table_new(cfg);
**     if (parity_table_load_csv(t, "hr.csv", NULL) != PARITY_OK) {
**         for (size_t i = 0; i < parity_table_ndiagnostics(t); i++)
**             fprintf(stderr, "%s\n", parity_table_diagnostic(t, i));
**     }
**     parity_result *r = NULL;
**     if (parity_representation(t, "grade", NULL, &r) == PARITY_OK)
**         parity_result_write(r, stdout, PARITY_FORMAT_JSON);
**     parity_result_free(r);
**     parity_table_free(t);
**     parity_config_free(cfg);
*/
#ifndef PARITY_H
#define PARITY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PARITY_BUILDING) && defined(__GNUC__)
#define PARITY_API __attribute__((visibility("default")))
#else
#define PARITY_API
#endif

/* ------------------------------------------------------------------------
** Version
*/
#define PARITY_VERSION_MAJOR 0
#define PARITY_VERSION_MINOR 1
#define PARITY_VERSION_PATCH 0
#define PARITY_VERSION "0.1.0"

/* The library's version string, e.g. "0.1.0". Static storage: do not free.
** Compare with PARITY_VERSION to detect a header/library mismatch. */
PARITY_API const char *parity_version(void);

/* The version of the library loaded, as a number: major * 10000 + minor *
** 100 + patch. A program built against PARITY_VERSION_NUMBER can check at
** run time that the shared library it got is as new (bindings do). */
#define PARITY_VERSION_NUMBER                                                  \
    (PARITY_VERSION_MAJOR * 10000 + PARITY_VERSION_MINOR * 100 + PARITY_VERSION_PATCH)
PARITY_API int parity_version_number(void);

/* Frees memory the library allocated for the caller (the text of
** parity_result_render(), parity_report_render()). NULL is a no-op. */
PARITY_API void parity_free(void *p);

/* ------------------------------------------------------------------------
** Status codes
**
** One table generates the codes, their names and their messages, so the
** three never drift apart (the libuv way). The numeric values of OK, USAGE
** and INVALID are the CLI's exit codes 0, 2 and 3; every other failure
** exits 1.
*/
#define PARITY_STATUS_MAP(X)                                             \
    X(OK, 0, "success")                                                 \
    X(ERROR, 1, "runtime failure")                                      \
    X(USAGE, 2, "invalid argument")                                     \
    X(INVALID, 3, "invalid input data")                                 \
    X(NOMEM, 4, "out of memory")                                        \
    X(IO, 5, "input/output error")                                      \
    X(NOTFOUND, 6, "not found")

typedef enum parity_status {
#define PARITY_STATUS_ENUM_(name, code, msg) PARITY_##name = code,
    PARITY_STATUS_MAP(PARITY_STATUS_ENUM_)
#undef PARITY_STATUS_ENUM_
} parity_status;

/* The name of a status code ("PARITY_INVALID") and its generic message
** ("invalid input data"). Static storage: do not free. Unknown codes give
** "PARITY_UNKNOWN" and "unknown status". */
PARITY_API const char *parity_status_name(int status);
PARITY_API const char *parity_status_message(int status);

/* ------------------------------------------------------------------------
** Configuration: how to read input
**
** A configuration maps a file's own column names and codes onto the
** canonical ones (DESIGN.md, "Input"), and sets the grade scale and the
** parity band. It starts with the defaults: canonical column names, the sex
** codes F/M/X/U with their common English aliases, the UN common-system grade
** scale, ISO dates, a 0.5 target with a band of +/- 0.03.
*/
typedef struct parity_config parity_config;

/* A new configuration with the defaults. Returns NULL when out of memory.
** The caller owns it and frees it with parity_config_free(). */
PARITY_API parity_config *parity_config_new(void);

/* Frees a configuration. NULL is a no-op. Tables created from it keep their
** own copy, so it may be freed while they live. */
PARITY_API void parity_config_free(parity_config *cfg);

/* The message of the last failed call on cfg ("" if none). Owned by cfg;
** valid until the next call on cfg. */
PARITY_API const char *parity_config_errmsg(const parity_config *cfg);

/* Reads a JSON configuration file (format in README.md, "Configuration")
** and applies it on top of the current settings. Returns PARITY_IO when the
** file cannot be read, PARITY_USAGE when it is not valid JSON or names an
** unknown setting or value; the message says where. */
PARITY_API int parity_config_load(parity_config *cfg, const char *path);

/* Reads the input column `header` (matched case-insensitively, spaces
** trimmed) as the dimension `name`: one of the canonical columns
** ("staff_id", "snapshot_date", "sex", "grade", "department",
** "duty_station", "location_type", "contract_type", "entry_date",
** "birth_date", "count") or any other name, which becomes a dimension of
** that name. A mapping the caller made wins over a header that merely
** spells a canonical name: that column is kept as the dimension
** "<header>_column". Calling it again for the same name adds another
** header for it -- the spellings of one column across a history's files
** ("Department Name", "Department_Name"); a file must have exactly one of
** them. Strings are copied. Returns PARITY_USAGE for an empty name or
** header, a name with a comma, a derived name ("category", "period"), or a
** header already mapped to another name. */
PARITY_API int parity_config_set_column(parity_config *cfg, const char *name,
                                        const char *header);

/* Keeps the input column `header` (matched case-insensitively) out of the
** table: it is not read, stored or offered as a dimension -- for columns
** that identify people (names, e-mail addresses). Repeatable. */
PARITY_API int parity_config_drop_column(parity_config *cfg, const char *header);

/* The field separator: ",", ";", "|", "tab" (or "\t"), or another single
** punctuation character. The default is ",". Returns PARITY_USAGE for
** anything else. */
PARITY_API int parity_config_set_delimiter(parity_config *cfg, const char *delimiter);

/* The input's character encoding: "utf-8" (the default), "latin1" (ISO
** 8859-1), "cp1252" (Windows-1252, what Excel saves in Western Europe) or
** "utf-16" (Excel's "Unicode text": a byte-order mark says the byte order;
** "utf-16le" and "utf-16be" say it without one). Input in another encoding
** is converted to UTF-8 (iconv) as it is read; UTF-8 input that is not
** valid UTF-8 is refused with the line and field of the first bad byte.
** Returns PARITY_USAGE for another name. */
PARITY_API int parity_config_set_encoding(parity_config *cfg, const char *encoding);

/* Declares that the sex value `value` (matched case-insensitively, after
** trimming spaces) means `code`, one of "F", "M", "X", "U". Strings are
** copied. Returns PARITY_USAGE for any other code. */
PARITY_API int parity_config_set_sex_code(parity_config *cfg, const char *value,
                                          const char *code);

/* Sets how grades are ordered:
**   "un"        the default UN common-system scale (G1..G7 < NOA..NOE <
**               P1..P5 < D1 < D2 < ASG < USG);
**   "as-listed" the scale given by parity_config_set_grades(), in order;
**   "numeric"   grades are numbers, ordered numerically;
**   "none"      grades are unordered labels kept as written: any value is
**               accepted; representation and trends work, promotions do not.
** Returns PARITY_USAGE for another value. */
PARITY_API int parity_config_set_grade_order(parity_config *cfg,
                                             const char *order);

/* Sets the grade scale from a comma-separated list, lowest first
** ("G1,G2,P1,P2"), and selects "as-listed" order. Returns PARITY_USAGE for
** an empty list or a repeated grade. */
PARITY_API int parity_config_set_grades(parity_config *cfg, const char *list);

/* Sets the date format (strptime style, e.g. "%m/%d/%Y") for one canonical
** date column ("snapshot_date", "entry_date", "birth_date"), or for all of
** them when column is NULL. The default is ISO "%Y-%m-%d". */
PARITY_API int parity_config_set_date_format(parity_config *cfg,
                                             const char *column,
                                             const char *format);

/* Publishing: counts from 1 to n - 1 are withheld (null in JSON, "-"
** elsewhere), with the shares and intervals computed from them, and as many
** other counts as it takes that none of them can be worked out from the
** totals and the counts shown (DESIGN.md, "Privacy"; README, "Personal
** data"). 0, the default, withholds nothing. Analyses that cannot protect
** their counts yet refuse a table configured so (PARITY_USAGE). Returns
** PARITY_USAGE for n outside 0..1000000. */
PARITY_API int parity_config_set_min_cell(parity_config *cfg, long n);

/* Adds a breakdown to the annual report (parity_report()): one dimension
** alone ("department") or by grade ("department,grade"); the
** configuration file's "report": {"breakdowns": [...]}. */
PARITY_API int parity_config_add_breakdown(parity_config *cfg, const char *by);

/* Sets the parity target share (default 0.5) and the half-width of the band
** around it (default 0.03). Returns PARITY_USAGE unless
** 0 < target < 1 and 0 <= band < min(target, 1 - target). */
PARITY_API int parity_config_set_band(parity_config *cfg, double target,
                                      double band);

/* Adds a target (DESIGN.md, "Targets") written SCOPE:SHARE:YEAR[:MEASURE]:
** SCOPE is "all" or DIMENSION=VALUE[,DIMENSION=VALUE...] ("grade=P4",
** "category=Professional", "department=Finance,grade=P3"); SHARE the female
** share, 0.5 or 50%; YEAR the year it is due; MEASURE "stock" (the default:
** the share of staff), "hires", "promotions" or "moves" (the share of
** those events). The band is the configuration's. Targets also come from a
** configuration file's "targets" array. Returns PARITY_USAGE for a
** malformed spec; message on cfg. */
PARITY_API int parity_config_add_target(parity_config *cfg, const char *spec);
/* Forgets every target (so the command line's can replace the file's). */
PARITY_API void parity_config_clear_targets(parity_config *cfg);

/* ------------------------------------------------------------------------
** Tables: the columnar in-memory core
*/
typedef struct parity_table parity_table;

/* A new, empty table that reads input as cfg says (cfg is copied; NULL means
** the defaults). Returns NULL when out of memory. Free with
** parity_table_free(). The first table created turns GSL's error handler
** off, process-wide (gsl_set_error_handler_off()): parity checks what GSL
** returns, so a GSL error (out of memory in a Monte Carlo run, say) comes
** back as a status instead of aborting the program. */
PARITY_API parity_table *parity_table_new(const parity_config *cfg);

/* A progress callback: `done` of `total` bytes of `file` read (total is 0
** when the size is not known). Called at most every 16 MiB of input and once
** at the end of each file. */
typedef void (*parity_progress_fn)(void *data, const char *file, uint64_t done,
                                   uint64_t total);

/* Asks t to report loading progress to fn (NULL: none), e.g. to draw a
** progress bar on a terminal. */
PARITY_API void parity_table_set_progress(parity_table *t, parity_progress_fn fn,
                                          void *data);

/* The threads a CSV load may use (0, the default: one per core). A file is
** shared out only when each thread gets at least 1 MiB of it; the result is
** the same, row for row and code for code, whatever the number. Returns
** PARITY_USAGE for a negative n. */
PARITY_API int parity_table_set_threads(parity_table *t, int n);

/* Frees a table and everything it owns. NULL is a no-op. */
PARITY_API void parity_table_free(parity_table *t);

/* The message of the calling thread's last failed call on t ("" if none):
** each thread has its own, as with errno. Valid until this thread's next
** call on a table. */
PARITY_API const char *parity_table_errmsg(const parity_table *t);

/* Loads one CSV file (RFC 4180; CRLF or LF; UTF-8 with or without BOM) and
** appends its rows. `date` ("YYYY-MM-DD") is the snapshot date of a file
** without a snapshot_date column; NULL when the file has one.
**
** The load is all or nothing: on any problem in the file no row of it is
** kept, every problem found is recorded as a diagnostic
** ("file:line:column: what", the column being the 1-based field number) and
** PARITY_INVALID is returned. PARITY_IO means the file could not be read.
** Rows loaded by earlier calls are kept either way. */
PARITY_API int parity_table_load_csv(parity_table *t, const char *path,
                                     const char *date);

/* As parity_table_load_csv(), reading `len` bytes at `data` instead of a file;
** `name` is used in diagnostics. The bytes are not kept. */
PARITY_API int parity_table_load_csv_buffer(parity_table *t, const char *name,
                                            const char *data, size_t len,
                                            const char *date);

/* As parity_table_load_csv(), reading the open stream f to its end (a pipe,
** standard input); `name` is used in diagnostics and as the snapshots'
** source. f stays open; the caller closes it. */
PARITY_API int parity_table_load_csv_stream(parity_table *t, const char *name, FILE *f,
                                            const char *date);

/* Every load checksums the bytes it reads (XXH3, 64 bits, as `xxhsum -H3`
** prints it, written "xxh3-" and 16 hex digits), in the same read, and:
**
**   - refuses a file whose bytes were loaded into t already (the same file
**     given twice would count everyone twice);
**   - refuses a file with rows for a snapshot date that an earlier file
**     loaded, naming both, unless combining is on: then the rows of both
**     make one snapshot (one export per region, say), whose source is
**     "a.csv + b.csv" and whose checksum is that of the files' checksums.
**
** Off by default. */
PARITY_API void parity_table_set_combine(parity_table *t, int combine);

/* Where snapshot i came from: *source the file (or files, "a.csv + b.csv",
** or the store's record of them) and *checksum its checksum; either is set
** to NULL when not known. Owned by t; valid until its next load. Returns
** PARITY_NOTFOUND when i is out of range. */
PARITY_API int parity_table_snapshot_source(const parity_table *t, size_t i,
                                            const char **source, const char **checksum);

/* Warnings of the last load call that succeeded: things worth telling a
** person that do not stop the load, such as a column that identifies people
** (a value of its own on nearly every row: names, e-mail addresses). Owned
** by t; valid until its next load call. */
PARITY_API size_t parity_table_nwarnings(const parity_table *t);
PARITY_API const char *parity_table_warning(const parity_table *t, size_t i);

/* The problems recorded by the last load call on t: how many are kept (at
** most 1000) and the i-th of them as "file:line:column: what". The strings are
** owned by t and valid until the next load call on t. The total number found,
** which may exceed the number kept, is parity_table_ndiagnostics_total(). */
PARITY_API size_t parity_table_ndiagnostics(const parity_table *t);
PARITY_API size_t parity_table_ndiagnostics_total(const parity_table *t);
PARITY_API const char *parity_table_diagnostic(const parity_table *t, size_t i);

/* Row and snapshot counts. Snapshots are numbered 0..n-1 in date order. */
PARITY_API size_t parity_table_nrows(const parity_table *t);
PARITY_API size_t parity_table_nsnapshots(const parity_table *t);

/* The date of snapshot i as "YYYY-MM-DD" written into out (at least 11
** bytes), and its number of rows in *rows (if rows is not NULL). Returns
** PARITY_NOTFOUND when i is out of range. */
PARITY_API int parity_table_snapshot(const parity_table *t, size_t i,
                                     char out[11], size_t *rows);

/* The dimensions a `by` argument accepts for this table, as names: the canonical
** ones present plus "snapshot_date", "category" and every extra column.
** Returns how many there are; name i via parity_table_dimension(), owned by t
** and valid while t lives and no further file is loaded. */
PARITY_API size_t parity_table_ndimensions(const parity_table *t);
PARITY_API const char *parity_table_dimension(const parity_table *t, size_t i);

/* ------------------------------------------------------------------------
** The embedded store: snapshot history in one SQLite file
**
** Schema (README.md, "The store"): table snapshot (one row per snapshot:
** date, rows, source file, checksum, import time), staff_row (one plain row
** per staff member and snapshot, for SQL), and the engine's columnar copy in
** column_blob, read back by parity_table_load_store().
*/
typedef struct parity_store parity_store;
typedef struct parity_result parity_result;

/* How a store is opened. */
#define PARITY_STORE_READ 0   /* an existing store, read only (on read-only
                              ** media too, or in a directory it cannot write:
                              ** then read as immutable, without locks) */
#define PARITY_STORE_CREATE 1 /* read and write, creating it when missing */
#define PARITY_STORE_WRITE 2  /* an existing store, read and write */

/* Opens the store at path in the given mode. A store is created with mode
** 0600 and its schema, atomically even against another process creating it
** at the same time. An existing empty file is made a store only when it is
** private (no access for group or others) and not reached through a
** symbolic link. *out is set even on failure, so that the message can be
** read with parity_store_errmsg(); close it with parity_store_close() either
** way. Returns PARITY_NOTFOUND when the file does not exist (READ, WRITE),
** PARITY_ERROR for a store written by a newer version or a store busy for
** longer than 10 s, PARITY_IO when the file is not a store or cannot be
** read (the message says which, and why: a full disk, a read-only
** directory, an I/O error). */
PARITY_API int parity_store_open(const char *path, int mode, parity_store **out);
PARITY_API void parity_store_close(parity_store *s);
/* The message of the last failed call on s. Owned by s. */
PARITY_API const char *parity_store_errmsg(const parity_store *s);

/* Imports every snapshot of the loaded table t in one transaction: all of
** them or, on any failure, none. A snapshot is recognised by its checksum
** (parity_table_snapshot_source()): one already stored with the same
** checksum is left as it is (counted in *unchanged); one stored with
** another is refused with PARITY_INVALID, naming both sources, unless
** replace is non-zero (then counted in *replaced). */
PARITY_API int parity_store_import(parity_store *s, parity_table *t, int replace,
                                   size_t *added, size_t *unchanged, size_t *replaced);

/* Removes the snapshot dated `date`; PARITY_NOTFOUND when there is none. */
PARITY_API int parity_store_drop(parity_store *s, const char *date);

/* The store keeps the settings its data was read with -- the grade scale
** (order, grades, categories, top grades) and the parity band -- and a
** table read from it takes them where its configuration does not set them.
** An import whose settings differ from the store's is refused
** (PARITY_USAGE, naming both) unless this is on: then they replace them. */
PARITY_API void parity_store_set_replace_settings(parity_store *s, int on);

/* Plain rows for SQL: a store keeps its data as compact columns, and the
** table staff_row (one text row per staff member and snapshot, for the
** sqlite3 shell and BI tools) only when asked. This asks: the rows of every
** stored snapshot are written now, and every later import writes its own.
** A store opened for writing. Stores of schema versions 1 and 2 had rows
** and keep them. */
PARITY_API int parity_store_sql_rows(parity_store *s);

/* The list of stored snapshots as a result (date, rows, source, checksum,
** import time); the caller frees it with parity_result_free(). */
PARITY_API int parity_store_snapshots(parity_store *s, parity_result **out);

/* Loads every stored snapshot into the empty table t, from the columnar
** copy. Grades are read with t's grade scale: read with the settings the
** snapshots were imported with. Message on t. */
PARITY_API int parity_table_load_store(parity_table *t, parity_store *s);

/* As parity_table_load_store(), reading only what a query needs: sex,
** grade, counts and the snapshot dates always, and the columns named in
** columns[0..n-1] (dimension names as a `by` argument takes them; "staff_id" for the
** staff ids that follow people across snapshots). A column not named is not
** read at all, which is what makes a fresh process's query fast. The table
** answers queries on what it holds; analyses that follow people (flows,
** projections by flows, targets on hires) say they need staff ids when
** "staff_id" was not named. It takes no more rows and cannot be imported.
** columns NULL (or n 0): the always-read columns only. Message on t. */
PARITY_API int parity_table_load_store_columns(parity_table *t, parity_store *s,
                                               const char *const *columns, size_t n);

/* As parity_table_load_store_columns(), with the columns a `by` argument
** names ("department, grade"; NULL is "grade"): all a representation by
** them reads. Message on t. */
PARITY_API int parity_table_load_store_by(parity_table *t, parity_store *s, const char *by);

/* The checksum of a file's bytes as loads compute it: "xxh3-" and 16 hex
** digits, 22 bytes with the NUL (to tell the same file again; not a
** cryptographic hash). PARITY_IO when it cannot be read. */
PARITY_API int parity_file_checksum(const char *path, char out[22]);

/* ------------------------------------------------------------------------
** Results
*/

typedef enum parity_format {
    PARITY_FORMAT_TABLE = 0, /* aligned text for a person */
    PARITY_FORMAT_JSON = 1,  /* the JSON contract of DESIGN.md */
    PARITY_FORMAT_CSV = 2,   /* one header row, one row per group */
    PARITY_FORMAT_MD = 3     /* a Markdown table */
} parity_format;

/* Parses "table", "json", "csv" or "md" into *out. Returns PARITY_USAGE for
** anything else. */
PARITY_API int parity_format_parse(const char *name, parity_format *out);

/* Stock counts and shares (DESIGN.md, "Definitions").
**
** by  comma-separated dimensions to group by ("grade", "category",
**     "department,grade", "snapshot_date", any extra column); NULL is
**     "grade", as for every analysis, and "" the whole population;
** at  the snapshot date "YYYY-MM-DD", or NULL for the latest one -- or for
**     every snapshot when `by` includes snapshot_date.
**
** On success *out is a new result the caller frees with parity_result_free().
** Returns PARITY_USAGE for an unknown dimension, PARITY_NOTFOUND for a date
** with no snapshot, PARITY_INVALID for an empty table; message on t. */
PARITY_API int parity_representation(parity_table *t, const char *by,
                                     const char *at, parity_result **out);

/* Flows between consecutive snapshots, people matched by staff_id
** (DESIGN.md, "Flows"): hires (at the t1 grade), separations (at the t0
** grade), promotions into and out of each grade with the promotion rate,
** demotions, moves (the mobility dimension changed) and lateral moves, per
** sex, with rates on the headcount at t0, the female share of hires, and
** women-versus-men tests of every rate (impact ratio, z-test, Fisher's exact
** test, Wilson intervals).
**
** by           dimensions as for parity_representation(); "period" splits
**              the pairs of snapshots, which are otherwise pooled;
** from, to     the first and last snapshot dates, or NULL: by default the
**              latest pair;
** mobility_by  the column whose change is a move, or NULL for duty_station
**              (moves are not computed when the table has none).
**
** The counts of every period are summed and rates computed from the sums.
** On success *out is a new result the caller frees with parity_result_free().
** Returns PARITY_INVALID when the table has no staff_id column, aggregated
** counts or a single snapshot; PARITY_USAGE or PARITY_NOTFOUND for bad
** arguments; message on t. */
PARITY_API int parity_flows(parity_table *t, const char *by, const char *from,
                            const char *to, const char *mobility_by,
                            parity_result **out);

/* Options of parity_project() and parity_targets(). Initialise with
** parity_project_options_init(), then change what you need; strings are
** borrowed for the duration of the call. */
typedef enum parity_method {
    PARITY_METHOD_TREND = 0, /* least-squares line of the female share */
    PARITY_METHOD_FLOW       /* stock-flow (Markov) model per sex and grade */
} parity_method;

typedef struct parity_project_options {
    parity_method method;
    const char *by;      /* trend: dimensions as for parity_representation()
                            (default "grade"); flow: "grade" or "category" */
    const char *at;      /* the last snapshot used, "YYYY-MM-DD"; NULL: latest */
    int horizon;         /* last year projected; 0: ten years after `at` */
    int snapshots;       /* trend: fit the last N snapshots (>= 3); 0: all */
    int periods;         /* flow: pool rates over the last K periods; 0: 3 */
    double growth;       /* flow: yearly headcount growth (0.02 = 2%) */
    const char *const *set; /* flow: what-if overrides "KEY[:GRADE]=VALUE" */
    size_t nset;
    int simulations;     /* flow: Monte Carlo runs for intervals; 0: none */
    unsigned long seed;  /* flow: seed of GSL's generator (taus2) */
    int fixed_rates;     /* flow: Monte Carlo with the rates as estimated
                            (people's chance only), not drawn afresh from
                            their uncertainty in each run */
    const char *const *targets; /* targets: specs "SCOPE:SHARE:YEAR[:MEASURE]"
                            judged in place of the configuration's */
    size_t ntargets;
} parity_project_options;

PARITY_API void parity_project_options_init(parity_project_options *o);

/* The same options behind a handle, for callers that cannot follow the
** struct's layout from release to release (bindings, other languages):
** set by name, as the configuration's and the command line's words --
** "method" (trend|flow), "by", "at", "horizon", "snapshots", "periods",
** "growth", "set" (repeatable: "hire_share:P4=0.6"), "simulations",
** "seed", "fixed_rates" (0|1), "target" (repeatable: "grade=P4:0.5:2028").
** The handle owns copies of the strings.
** parity_project_options_new() returns NULL when out of memory; _set
** returns PARITY_USAGE for an unknown key or a value that is not one. The
** handle is passed to parity_project() and parity_targets() as it is. */
PARITY_API parity_project_options *parity_project_options_new(void);
PARITY_API int parity_project_options_set(parity_project_options *o, const char *key,
                                          const char *value);
PARITY_API void parity_project_options_free(parity_project_options *o);

/* Projections of the female share (DESIGN.md, "Projections"), one row per
** group with the projected share at each year to the horizon, its 95%
** interval and the parity year ("reached", a year, or null with a reason).
**
** Trend: per group, the least-squares line of the share against time over
** the last N snapshots (at least 3 with staff), its slope in points per
** year and prediction intervals. Works on aggregated input.
**
** Flow: per sex, the observed grade-to-grade transition and separation
** rates and the female share of hires per grade, pooled over the last K
** periods, stepped one period at a time; each grade's headcount is held
** constant (times the growth) by hires. What-if overrides (o->set):
**   hire_share[:GRADE]=P                female share of hires
**   separation_rate[.female|.male][:GRADE]=R
**   promotion_rate[.female|.male][:GRADE]=R   (chance of promotion out)
**   hires=M                             multiplier on the hires that hold
**                                       headcount (0: a recruitment freeze)
**   growth=G                            yearly headcount growth
** With o->simulations > 0 the intervals come from that many Monte Carlo
** runs (binomial draws, GSL's taus2 seeded with o->seed: reproducible);
** each run first draws its rates from their posterior given the observed
** counts (Dirichlet), unless o->fixed_rates or a what-if (o->set) fixed them.
** Needs staff ids and two snapshots (PARITY_INVALID otherwise).
**
** On success *out is a new result the caller frees; message on t. */
PARITY_API int parity_project(parity_table *t, const parity_project_options *o,
                              parity_result **out);

/* The status of every target of the table's configuration (DESIGN.md,
** "Targets"): current value at o->at (default the latest snapshot), band,
** status ("met", "on_track", "off_track"), the trend's projection at the
** target year, and for stock targets the female share of hires that the
** flow model needs to reach the target share by its year ("unreachable"
** when even 100% would not do). o->snapshots and o->periods are used as by
** parity_project(). Returns PARITY_USAGE when there are no targets or one
** names an unknown dimension; message on t. */
PARITY_API int parity_targets(parity_table *t, const parity_project_options *o,
                              parity_result **out);

/* ------------------------------------------------------------------------
** The annual report (DESIGN.md, "report"; README, "The annual report")
**
** The tables an organisation publishes each year on its staff by sex, at a
** report date, protected together for publication: headline,
** representation_by_grade and _by_category (with the last snapshots'
** shares beside), the configuration's breakdowns (by_DIM,
** by_DIM_and_grade), movements_year and movements_pooled, targets,
** projections; and the notes: sources, suppression, sections that could
** not be computed and why, a glossary.
*/
typedef struct parity_report parity_report;

typedef struct parity_report_options {
    const char *at;   /* the report date; NULL: the latest snapshot. A date
                         with no snapshot reports at the latest before it */
    long min_cell;    /* counts from 1 to min_cell - 1 withheld; -1: the
                         configuration's min_cell when set, else 5; 0: none */
    int history;      /* earlier snapshots shown beside; 0: the config's, else 5 */
    int pooled;       /* periods pooled for movements; 0: the config's, else 5 */
    int reproducible; /* leave the time of generation out of the output */
} parity_report_options;

PARITY_API void parity_report_options_init(parity_report_options *o);

/* The same behind a handle, set by name ("at", "min_cell", "history",
** "pooled", "reproducible"), as parity_project_options_new(). */
PARITY_API parity_report_options *parity_report_options_new(void);
PARITY_API int parity_report_options_set(parity_report_options *o, const char *key,
                                         const char *value);
PARITY_API void parity_report_options_free(parity_report_options *o);

/* Builds the report from t (o NULL: the defaults). Returns PARITY_USAGE for
** a bad breakdown or date, PARITY_NOTFOUND when no snapshot is on or before
** o->at; message on t. */
PARITY_API int parity_report_build(parity_table *t, const parity_report_options *o,
                                   parity_report **out);
PARITY_API void parity_report_free(parity_report *rep);
/* The tables, by index: name ("representation_by_grade") and result, read
** with the parity_result_* functions. Owned by the report. */
PARITY_API size_t parity_report_ntables(const parity_report *rep);
PARITY_API const char *parity_report_table_name(const parity_report *rep, size_t i);
PARITY_API const parity_result *parity_report_table(const parity_report *rep, size_t i);
/* Writes the report as JSON (the model: every table as named columns and
** rows) or Markdown (a document); PARITY_USAGE for another format. */
PARITY_API int parity_report_write(const parity_report *rep, FILE *f, parity_format format);
/* As parity_report_write(), into a buffer the library allocates (free it
** with parity_free()). */
PARITY_API int parity_report_render(const parity_report *rep, parity_format format, char **out,
                                    size_t *len);
/* Writes one CSV file per table, NAME.csv, into directory dir (created
** when missing). */
PARITY_API int parity_report_write_csv(const parity_report *rep, const char *dir);
/* Writes an Excel workbook: a sheet per table with a header row, frozen
** panes and number formats, a sheet of notes. */
PARITY_API int parity_report_write_xlsx(const parity_report *rep, const char *path);

/* The dashboard (README, "The dashboard"): one self-contained HTML page,
** needing no network, drawn from the reports (o as for parity_report_build(),
** protected alike: aggregates only) at the report date and the snapshots
** before it, with the chart library inlined. Into a buffer the library
** allocates (free it with parity_free()). */
PARITY_API int parity_dashboard_render(parity_table *t, const parity_report_options *o, char **out,
                                       size_t *len);

/* Frees a result. NULL is a no-op. */
PARITY_API void parity_result_free(parity_result *r);

/* Writes r to f in the given format. Returns PARITY_IO on a write error. */
PARITY_API int parity_result_write(const parity_result *r, FILE *f,
                                   parity_format format);

/* Renders r into a buffer the library allocates: *out (NUL-terminated,
** valid UTF-8) and its length *len; free it with parity_free(). */
PARITY_API int parity_result_render(const parity_result *r, parity_format format, char **out,
                                    size_t *len);

/* Reading a result cell by cell (for tests and bindings).
**
** Groups are the rows, in output order; the total row, when the result has
** one, is not among them and is read with group index
** parity_result_ngroups(r). Columns are numbered 0..ncols-1; their names are
** the JSON names ("grade", "female", "female_share", ...). A cell is null
** when it has no value (a share of an empty group, a suppressed count).
*/
PARITY_API size_t parity_result_ngroups(const parity_result *r);
PARITY_API int parity_result_has_total(const parity_result *r);
PARITY_API size_t parity_result_ncols(const parity_result *r);
PARITY_API const char *parity_result_colname(const parity_result *r, size_t col);
/* The index of the column named `name`, or -1. */
PARITY_API long parity_result_column(const parity_result *r, const char *name);
/* Non-zero when the cell is null (or out of range). */
PARITY_API int parity_result_is_null(const parity_result *r, size_t group,
                                     size_t col);
/* The cell as a number: counts, shares, indices (0 for null or text). For an
** interval cell, the lower bound; its upper bound is parity_result_high(). */
PARITY_API double parity_result_number(const parity_result *r, size_t group,
                                       size_t col);
PARITY_API double parity_result_high(const parity_result *r, size_t group,
                                     size_t col);
/* The cell as text (dimension values, status words), or NULL. Owned by r. */
PARITY_API const char *parity_result_text(const parity_result *r, size_t group,
                                          size_t col);
/* A scalar of the whole result, such as "glass_ceiling_index"; returns
** non-zero and sets *out when it exists and is not null. */
PARITY_API int parity_result_scalar(const parity_result *r, const char *name,
                                    double *out);

#ifdef __cplusplus
}
#endif
#endif /* PARITY_H */
