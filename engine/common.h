/*
** common.h -- what every engine module shares: the message buffer of a handle, copies of
** strings, lists of messages. Nothing here is exported from the library (the
** build uses hidden visibility); each module has a header of its own, and
** internal names carry their module's name (dict_, date_, grade_, config_,
** table_, stats_, result_, group_, represent_, projection_, trend_, markov_).
*/
#ifndef PARITY_COMMON_H
#define PARITY_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "parity.h"

struct cJSON;

#define PARITY_ERRMSG_MAX 512

/* Formats a message into buf (PARITY_ERRMSG_MAX bytes) and returns status. */
int errmsg_set(char *buf, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A malloc'ed copy of s (the caller frees it), or NULL when out of memory. */
char *str_dup(const char *s);
/* Appends a formatted, malloc'ed string to the list *list of *n (a table's
** warnings, a result's notes); PARITY_NOMEM leaves the list as it was. */
int strlist_add(char ***list, size_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif /* PARITY_COMMON_H */
