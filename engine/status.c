/*
** status.c -- the version, the status-code table and the two helpers every
** engine file uses: error messages on a handle, and string copies.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

const char *parity_version(void) { return PARITY_VERSION; }
int parity_version_number(void) { return PARITY_VERSION_NUMBER; }
void parity_free(void *p) { free(p); }

const char *parity_status_name(int status) {
    switch (status) {
#define NAME_(name, code, msg) \
    case code:                 \
        return "PARITY_" #name;
        PARITY_STATUS_MAP(NAME_)
#undef NAME_
    }
    return "PARITY_UNKNOWN";
}

const char *parity_status_message(int status) {
    switch (status) {
#define MSG_(name, code, msg) \
    case code:                \
        return msg;
        PARITY_STATUS_MAP(MSG_)
#undef MSG_
    }
    return "unknown status";
}

int errmsg_set(char *buf, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, PARITY_ERRMSG_MAX, fmt, ap);
    va_end(ap);
    return status;
}

char *str_dup(const char *s) {
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p) memcpy(p, s, n + 1);
    return p;
}

int strlist_add(char ***list, size_t *n, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *copy = str_dup(buf);
    char **grown = copy ? realloc(*list, (*n + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(copy);
        return PARITY_NOMEM;
    }
    *list = grown;
    grown[(*n)++] = copy;
    return PARITY_OK;
}
