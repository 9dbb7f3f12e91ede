# import validates every file first: bad rows mean nothing is imported and the
# store is not even created (the --db directory does not exist).
args: import bad_grade.csv --db /nonexistent/x.db
exit: 3
--- stdout
--- stderr
parity: bad_grade.csv:3:4: unknown grade "P7" (not in the UN common-system scale; --grade-order none keeps grades as written)
parity: bad_grade.csv:4:4: unknown grade "Q9" (not in the UN common-system scale; --grade-order none keeps grades as written)
parity: 2 problems found; nothing imported
