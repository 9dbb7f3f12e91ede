# One export per region, combined on purpose into one snapshot of 6 rows.
args: validate --combine region_north.csv region_south.csv --date 2024-12-31
exit: 0
--- stdout
ok: 2 files, 6 rows, 1 snapshot (2024-12-31 to 2024-12-31)
--- stderr
