# no such snapshot.
args: representation --input messy.csv --at 2020-12-31
exit: 1
--- stdout
--- stderr
parity: --at 2020-12-31: no snapshot of that date (snapshots: 2022-12-31, 2023-12-31)
