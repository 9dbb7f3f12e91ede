# Q is no sex code or alias.
args: representation --input bad_sex.csv
exit: 3
--- stdout
--- stderr
parity: bad_sex.csv:3:3: unknown sex code "Q" (expected F, M, X or U or an alias; map it with --sex-code 'Q=F|M|X|U')
