# A terminal escape sequence in a value reaches standard error escaped,
# never raw (it would clear the screen).
args: validate esc_sex.csv
exit: 3
--- stdout
--- stderr
parity: esc_sex.csv:2:2: unknown sex code "\x1B[2J" (expected F, M, X or U or an alias; map it with --sex-code '\x1B[2J=F|M|X|U')
parity: 1 problem found
