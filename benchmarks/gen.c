/*
** gen.c -- parity-gen: synthetic yearly HR snapshots of an international
** organisation, for the bundled sample and the benchmarks.
**
**   parity-gen [--staff N] [--years Y] [--start YEAR] [--seed S] [-o FILE]
**
** writes a long-format CSV (one row per staff member per 31 December) with
** the canonical columns. Each year people leave (women a little more often
** at the top), are promoted up their grade chain (women a little less often),
** move between duty stations, and every grade is refilled to its planned
** headcount, which grows 1% a year, by recruitment whose female share falls
** with grade -- and creeps up 0.6 points a year, so that parity is a matter of
** time. Same seed, same file: GSL's random number generator is seeded.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

static const char *const grades[] = {"G1",  "G2",  "G3", "G4", "G5", "G6", "G7",
                                     "NOA", "NOB", "NOC", "NOD", "P1", "P2", "P3",
                                     "P4",  "P5",  "D1", "D2", "ASG", "USG"};
enum { NG = sizeof grades / sizeof grades[0] };
/* planned share of headcount per grade (per mille) */
static const double plan[NG] = {10, 30, 70, 100, 100, 80, 50, 20, 30, 20, 10,
                                10, 90, 140, 120, 70, 25, 10, 3, 2};
/* female share of recruitment per grade in the first year */
static const double hire_f[NG] = {0.62, 0.64, 0.66, 0.66, 0.64, 0.62, 0.60, 0.50, 0.48, 0.45,
                                  0.42, 0.58, 0.56, 0.49, 0.43, 0.38, 0.33, 0.30, 0.27, 0.25};
/* next grade up the chain, or -1 at the top of a category */
static const int next_grade[NG] = {1, 2, 3, 4, 5, 6, -1, 8, 9, 10, -1,
                                   12, 13, 14, 15, 16, 17, 18, 19, -1};
static const double promo_m[NG] = {0.10, 0.09, 0.08, 0.07, 0.06, 0.05, 0, 0.07, 0.06, 0.05, 0,
                                   0.20, 0.10, 0.08, 0.06, 0.035, 0.05, 0.04, 0.05, 0};

static const char *const departments[] = {
    "Administration", "Finance",       "Human Resources", "Legal",
    "Policy",         "Programmes",    "Research",        "Statistics",
    "Communications", "Field Support", "Evaluation",      "Information Technology"};
enum { ND = sizeof departments / sizeof departments[0] };
static const char *const stations[] = {
    "Geneva",  "New York", "Nairobi", "Bangkok", "Addis Ababa", "Santiago", "Beirut",
    "Vienna",  "Dakar",    "Amman",   "Lima",    "Manila",      "Abidjan",  "Budapest",
    "Cairo",   "New Delhi", "Jakarta", "Pretoria", "Kinshasa",  "Harare",   "Brasilia",
    "Moscow",  "Beijing",  "Islamabad", "Panama"};
enum { NS = sizeof stations / sizeof stations[0] };
static const char *const contracts[] = {"fixed-term", "continuing", "temporary"};

typedef struct person {
    unsigned id;
    unsigned char sex; /* 0 F, 1 M, 2 X, 3 U */
    unsigned char grade, dept, station, contract;
    int entry_y, entry_d, birth_y, birth_d; /* year and day of year */
} person;

static const char sexc[4] = {'F', 'M', 'X', 'U'};

static void put_date(char **p, int y, int doy) {
    static const int cum[13] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};
    int m = 0;
    while (m < 11 && doy >= cum[m + 1]) m++;
    int d = doy - cum[m] + 1;
    *p += sprintf(*p, "%04d-%02d-%02d", y, m + 1, d);
}

static void new_person(person *p, gsl_rng *r, unsigned id, int grade, int year, double fshare) {
    p->id = id;
    double u = gsl_rng_uniform(r);
    p->sex = u < 0.002 ? 2 : u < 0.007 ? 3 : gsl_rng_uniform(r) < fshare ? 0 : 1;
    p->grade = (unsigned char)grade;
    p->dept = (unsigned char)gsl_rng_uniform_int(r, ND);
    /* a third at headquarters */
    p->station = gsl_rng_uniform(r) < 0.34 ? 0 : (unsigned char)(1 + gsl_rng_uniform_int(r, NS - 1));
    double c = gsl_rng_uniform(r);
    p->contract = c < 0.6 ? 0 : c < 0.9 ? 1 : 2;
    p->entry_y = year;
    p->entry_d = (int)gsl_rng_uniform_int(r, 365);
    p->birth_y = year - 22 - (int)gsl_rng_uniform_int(r, 8 + 2 * (grade > 11 ? grade - 11 : 0));
    p->birth_d = (int)gsl_rng_uniform_int(r, 365);
}

int main(int argc, char **argv) {
    long staff = 2000;
    int years = 10, start = 2015;
    unsigned long seed = 42;
    const char *out = NULL;
    for (int i = 1; i < argc; i += 2) { /* an option and its value */
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            puts("usage: parity-gen [--staff N] [--years Y] [--start YEAR] [--seed S] [-o FILE]\n"
                 "\n"
                 "Writes yearly snapshots (Y + 1 of them, 31 December of START..START+Y) of an\n"
                 "organisation of about N staff as one long CSV. Defaults: 2000 staff,\n"
                 "10 years from 2015, seed 42, standard output.");
            return 0;
        }
        if (!v) {
            fprintf(stderr, "parity-gen: %s needs a value\n", a);
            return 2;
        }
        char *end;
        if (strcmp(a, "--staff") == 0) staff = strtol(v, &end, 10);
        else if (strcmp(a, "--years") == 0) years = (int)strtol(v, &end, 10);
        else if (strcmp(a, "--start") == 0) start = (int)strtol(v, &end, 10);
        else if (strcmp(a, "--seed") == 0) seed = strtoul(v, &end, 10);
        else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) out = end = (char *)"";
        else {
            fprintf(stderr, "parity-gen: unknown option %s\n", a);
            return 2;
        }
        if (*end) {
            fprintf(stderr, "parity-gen: %s: not a number: %s\n", a, v);
            return 2;
        }
        if (out && !*out) out = v;
    }
    if (staff < 10 || years < 0 || years > 200) {
        fprintf(stderr, "parity-gen: need --staff >= 10 and 0 <= --years <= 200\n");
        return 2;
    }
    FILE *f = out ? fopen(out, "wb") : stdout;
    if (!f) {
        perror(out);
        return 1;
    }
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, seed);

    double plan_sum = 0;
    for (int g = 0; g < NG; g++) plan_sum += plan[g];
    size_t cap = (size_t)staff * 2 + 64, n = 0;
    person *pop = malloc(cap * sizeof *pop), *next = malloc(cap * sizeof *next);
    if (!pop || !next) return 1;
    unsigned next_id = 1;
    long target[NG], count[NG];
    /* the founding population, with a longer history than one year */
    for (int g = 0; g < NG; g++) {
        target[g] = (long)(staff * plan[g] / plan_sum + 0.5);
        if (target[g] < 1) target[g] = 1;
        for (long k = 0; k < target[g]; k++) {
            new_person(&pop[n], r, next_id++, g, start - (int)gsl_rng_uniform_int(r, 25),
                       hire_f[g] - 0.05);
            n++;
        }
    }
    char *buf = malloc(1 << 16), *p = buf;
    fputs("snapshot_date,staff_id,sex,grade,department,duty_station,location_type,"
          "contract_type,entry_date,birth_date\n", f);
    for (int y = 0; y <= years; y++) {
        int year = start + y;
        if (y > 0) {
            size_t m = 0;
            for (int g = 0; g < NG; g++) count[g] = 0;
            for (size_t i = 0; i < n; i++) {
                person q = pop[i];
                int top = q.grade >= 15;
                double sep = q.sex == 0 ? (top ? 0.085 : 0.072) : 0.07;
                if (gsl_rng_uniform(r) < sep) continue; /* separation */
                int up = next_grade[q.grade];
                double pr = promo_m[q.grade] * (q.sex == 0 ? 0.85 : 1.0);
                if (up >= 0 && count[up] < target[up] * 1.02 && gsl_rng_uniform(r) < pr)
                    q.grade = (unsigned char)up;
                if (gsl_rng_uniform(r) < 0.08) /* reassignment */
                    q.station = (unsigned char)gsl_rng_uniform_int(r, NS);
                if (gsl_rng_uniform(r) < 0.03) q.dept = (unsigned char)gsl_rng_uniform_int(r, ND);
                count[q.grade]++;
                next[m++] = q;
            }
            for (int g = 0; g < NG; g++) {
                target[g] = (long)(target[g] * 1.01 + 0.5);
                double fs = hire_f[g] + 0.006 * y;
                if (fs > 0.95) fs = 0.95;
                for (; count[g] < target[g]; count[g]++) {
                    if (m == cap) {
                        cap *= 2;
                        next = realloc(next, cap * sizeof *next);
                        pop = realloc(pop, cap * sizeof *pop);
                        if (!next || !pop) return 1;
                    }
                    new_person(&next[m++], r, next_id++, g, year, fs);
                }
            }
            person *tmp = pop;
            pop = next;
            next = tmp;
            n = m;
        }
        for (size_t i = 0; i < n; i++) {
            const person *q = &pop[i];
            p += sprintf(p, "%d-12-31,S%07u,%c,%s,%s,%s,%s,%s,", year, q->id, sexc[q->sex],
                         grades[q->grade], departments[q->dept], stations[q->station],
                         q->station == 0 ? "HQ" : "field", contracts[q->contract]);
            put_date(&p, q->entry_y, q->entry_d);
            *p++ = ',';
            put_date(&p, q->birth_y, q->birth_d);
            *p++ = '\n';
            if (p - buf > (1 << 16) - 512) {
                fwrite(buf, 1, (size_t)(p - buf), f);
                p = buf;
            }
        }
    }
    fwrite(buf, 1, (size_t)(p - buf), f);
    int rc = ferror(f) || (out && fclose(f) != 0);
    if (rc) perror(out ? out : "stdout");
    free(buf);
    free(pop);
    free(next);
    gsl_rng_free(r);
    return rc;
}
