# - reads standard input.
args: validate - --date 2024-12-31 < region_north.csv
exit: 0
--- stdout
ok: 1 file, 3 rows, 1 snapshot (2024-12-31 to 2024-12-31)
--- stderr
