# staff 1 twice on 2023-12-31 (lines 2 and 4); once on 2022-12-31 is fine.
args: representation --input dup_id.csv
exit: 3
--- stdout
--- stderr
parity: dup_id.csv:4: duplicate staff_id "1" in snapshot 2023-12-31 (first at line 2)
