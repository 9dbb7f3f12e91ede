# Each file its own --date, paired in order: two snapshots of 3 rows each.
args: validate region_north.csv --date 2024-12-31 region_south.csv --date 2025-12-31
exit: 0
--- stdout
ok: 2 files, 6 rows, 2 snapshots (2024-12-31 to 2025-12-31)
--- stderr
