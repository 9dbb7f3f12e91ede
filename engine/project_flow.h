/*
** project_flow.h -- the flow projection of parity_project(): the Markov model (markov.h)
** stepped year by year per group, with Monte Carlo intervals and what-ifs.
*/
#ifndef PARITY_PROJECT_FLOW_H
#define PARITY_PROJECT_FLOW_H

#include "projection.h"

int flow_project(parity_table *t, const parity_project_options *o, parity_result **out);

#endif /* PARITY_PROJECT_FLOW_H */
