/*
** grade.c -- grade scales.
**
** The default scale is the UN common system's: General Service G1..G7,
** National Officer NOA..NOE, Professional P1..P5, Director D1, D2, and the
** senior levels ASG and USG, in that order. Spellings are normalised before
** lookup so that "P-4", "p4" and "P 4" all mean P4; "GS-5" also means G5, as
** some entities write it.
*/
#include <ctype.h>
#include <string.h>

#include "grade.h"

const char *const grade_un_names[] = {
    "G1",  "G2",  "G3",  "G4",  "G5",  "G6", "G7", "NOA", "NOB", "NOC",
    "NOD", "NOE", "P1",  "P2",  "P3",  "P4", "P5", "D1",  "D2",  "ASG",
    "USG"};
const char *const grade_un_categories[] = {
    "GS", "GS", "GS", "GS", "GS", "GS", "GS", "NO", "NO",     "NO",    "NO",
    "NO", "P",  "P",  "P",  "P",  "P",  "D",  "D",  "Senior", "Senior"};
const size_t grade_un_count = sizeof grade_un_names / sizeof grade_un_names[0];

size_t grade_normalise(const char *s, size_t len, char *out, size_t cap) {
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '-' || c == '_' || c == '.' || c == '\t') continue;
        out[n++] = (char)toupper(c);
    }
    out[n] = '\0';
    /* GS5 -> G5: "GS" followed by a digit is the G scale. */
    if (n >= 3 && out[0] == 'G' && out[1] == 'S' && isdigit((unsigned char)out[2])) {
        memmove(out + 1, out + 2, n - 1);
        n--;
    }
    return n;
}
