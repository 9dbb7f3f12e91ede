# no staff_id column: flows cannot match people, a clear error
args: flows --input no_staff_id.csv
exit: 3
--- stdout
--- stderr
parity: flows need a staff_id column to match people between snapshots, and at least one input has none
