# no such snapshot.
args: representation --input messy.csv --at 2020-12-31
exit: 1
--- stdout
--- stderr
parity: no snapshot dated 2020-12-31
