# messy.csv already holds staff 1 and 2 on both dates, so every row of
# dup_id.csv clashes with it (lines 2-5); reported in line order.
args: validate --combine messy.csv dup_id.csv
exit: 3
--- stdout
--- stderr
parity: dup_id.csv:2: duplicate staff_id "1" in snapshot 2023-12-31 (already loaded from an earlier file)
parity: dup_id.csv:3: duplicate staff_id "2" in snapshot 2023-12-31 (already loaded from an earlier file)
parity: dup_id.csv:4: duplicate staff_id "1" in snapshot 2023-12-31 (already loaded from an earlier file)
parity: dup_id.csv:5: duplicate staff_id "1" in snapshot 2022-12-31 (already loaded from an earlier file)
parity: 4 problems found
