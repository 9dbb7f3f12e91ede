# P7 and Q9 are not UN grades: lines 3 and 4, field 4 (grade). Nothing on stdout.
args: representation --input bad_grade.csv
exit: 3
--- stdout
--- stderr
parity: bad_grade.csv:3:4: unknown grade "P7" (not in the UN common-system scale; --grade-order none keeps grades as written)
parity: bad_grade.csv:4:4: unknown grade "Q9" (not in the UN common-system scale; --grade-order none keeps grades as written)
