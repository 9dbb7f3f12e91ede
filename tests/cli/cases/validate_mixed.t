# aggregated.csv has no staff ids; dup_id.csv repeats staff 1 on 2023-12-31.
args: validate --combine aggregated.csv dup_id.csv
exit: 3
--- stdout
--- stderr
parity: dup_id.csv:4: duplicate staff_id "1" in snapshot 2023-12-31 (first at line 2)
parity: 1 problem found
