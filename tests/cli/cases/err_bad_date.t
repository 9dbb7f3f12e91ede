# 30 February does not exist; 31/12/2023 is not ISO.
args: representation --input bad_date.csv
exit: 3
--- stdout
--- stderr
parity: bad_date.csv:3:2: malformed snapshot_date "2023-02-30" (expected YYYY-MM-DD)
parity: bad_date.csv:4:2: malformed snapshot_date "31/12/2023" (expected YYYY-MM-DD)
