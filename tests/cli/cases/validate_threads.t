# the same answer on one thread as on several (a small file is read on one anyway)
args: validate --combine messy.csv aggregated.csv --threads 3
exit: 0
--- stdout
ok: 2 files, 16 rows, 2 snapshots (2022-12-31 to 2023-12-31)
--- stderr
