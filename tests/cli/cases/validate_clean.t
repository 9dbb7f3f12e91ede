# 10 rows in messy.csv, 6 in aggregated.csv; dates 2022-12-31 and 2023-12-31.
args: validate --combine messy.csv aggregated.csv
exit: 0
--- stdout
ok: 2 files, 16 rows, 2 snapshots (2022-12-31 to 2023-12-31)
--- stderr
