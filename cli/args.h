/*
** args.h -- the command line of `parity`: the options a command takes,
** parsed from one table (args.c) into struct options.
**
** Only the CLI knows its flags; the library speaks its API's words.
*/
#ifndef PARITY_CLI_ARGS_H
#define PARITY_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "parity.h"

#define MAX_INPUTS 256

/* The commands, as bits: an option names the commands that take it. */
enum {
    CMD_REPRESENTATION = 1 << 0,
    CMD_FLOWS = 1 << 1,
    CMD_TARGETS = 1 << 2,
    CMD_PROJECT = 1 << 3,
    CMD_VALIDATE = 1 << 4,
    CMD_IMPORT = 1 << 5,
    CMD_SNAPSHOTS = 1 << 6,
    CMD_DROP = 1 << 7,
    CMD_REPORT = 1 << 8,
    CMD_DASHBOARD = 1 << 9
};

typedef struct options {
    const char *command;
    unsigned cmd;                    /* its CMD_ bit */
    const char *inputs[MAX_INPUTS];  /* files; "-" is standard input */
    size_t ninputs;
    const char *dates[MAX_INPUTS];   /* --date, in the order given */
    size_t ndates;
    int combine;                     /* --combine */
    const char *by;
    const char *at;
    const char *from;
    const char *to;
    const char *mobility_by;
    const char *output;
    const char *db;
    int replace;
    int replace_settings;
    int sql_rows;
    parity_format format;
    parity_config *cfg;
    const char *targets[MAX_INPUTS];
    size_t ntargets;
    parity_project_options proj;
    const char *sets[MAX_INPUTS];
    int threads;                     /* CSV loads; 0: one per core */
    const char *report_format;       /* report: json, md, csv or xlsx */
    parity_report_options report;
} options;

/* Rewrites the library's names of settings in text ('grade_order') as the
** command line's flags (--grade-order), in place: the same length. */
void to_flags(char *text, size_t len);

/* Writes s to f with control characters shown as \xHH, so that text from a
** file (a name, a value) never drives the terminal. */
void put_escaped(FILE *f, const char *s);

/* Prints `parity: ` and the message to standard error, control characters
** escaped; returns code. */
int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The exit code of a library status: 0, 2 (usage), 3 (invalid data) or 1. */
int exit_code(int status);

/* Prints the help of a command (NULL: the overview) to standard output;
** returns the exit code (2 for an unknown command). */
int help(const char *command);

/* The CMD_ bit of a command's name, or 0. */
unsigned command_bit(const char *name);

/* Parses argv[2..] into o (o->command, o->cmd and o->cfg set, the rest
** zeroed); returns an exit code, or -1 to go on and run the command. */
int parse_args(int argc, char **argv, options *o);

/* The date of input i: its own --date, the one --date given for all, or
** NULL. */
const char *input_date(const options *o, size_t i);

#endif /* PARITY_CLI_ARGS_H */
