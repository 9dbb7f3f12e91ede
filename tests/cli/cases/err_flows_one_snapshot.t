# one snapshot only
args: flows --input bad_sex.csv --grade-order none --sex-code Q=X
exit: 3
--- stdout
--- stderr
parity: flows need at least two snapshots; the input has 1
