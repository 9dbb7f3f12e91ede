/*
** project.c -- parity_project() and its options: the projection method's
** dispatch to trend.c and project_flow.c (include/parity.h).
*/
#include <string.h>

#include "project_flow.h"
#include "trend.h"

void parity_project_options_init(parity_project_options *o) {
    memset(o, 0, sizeof *o);
    o->method = PARITY_METHOD_TREND;
    o->seed = 1;
}

int parity_project(parity_table *t, const parity_project_options *o, parity_result **out) {
    *out = NULL;
    parity_project_options def;
    if (!o) {
        parity_project_options_init(&def);
        o = &def;
    }
    switch (o->method) {
    case PARITY_METHOD_TREND: return trend_project(t, o, out);
    case PARITY_METHOD_FLOW: return flow_project(t, o, out);
    }
    return errmsg_set(table_errbuf(t), PARITY_USAGE, "unknown projection method %d", (int)o->method);
}
