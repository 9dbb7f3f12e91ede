# no sex column.
args: representation --input missing_col.csv
exit: 3
--- stdout
--- stderr
parity: missing_col.csv:1: missing required column "sex" (header: staff_id, snapshot_date, grade); map one with --column sex=HEADER
