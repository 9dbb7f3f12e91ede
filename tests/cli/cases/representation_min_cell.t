# --min-cell 5, worked by hand. min_cell.csv: P3 has 3 women and 6 men (9),
# P4 6 women and 7 men (13); 9 women and 13 men in all. P3's 3 women are
# withheld (primary). Alone they would be 9 - 6 (P3's total less its men)
# or 9 - 6 (all women less P4's): the smallest counts that put them on a
# cycle of the row and column sums are P3's men, P4's women and P4's men
# (6 + 6 + 7, against 9 + 6 + 13 through the totals) -- secondary. Both
# rows lose their shares, intervals, gaps and statuses (their women are
# withheld); the totals and the total row's share (9/22 = 0.409091, Wilson
# 0.232558-0.612652, 2 women short of 47%) stay.
args: representation --input min_cell.csv --min-cell 5 --format csv
exit: 0
--- stdout
grade,female,male,other,unknown,total,female_share,ci95_low,ci95_high,gap_to_parity,gap_to_parity_men,status,is_total
P3,,,0,0,9,,,,,,,false
P4,,,0,0,13,,,,,,,false
,9,13,0,0,22,0.409091,0.232558,0.612652,2,0,below,true
--- stderr
