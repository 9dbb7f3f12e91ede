# --by a column of names with --min-cell 5: every group is one person, so
# no row shows a count, a zero or its name; the total row shows its 6 staff
# and 0 X and 0 U, and withholds its 3 women and 3 men (both below 5; the
# withheld people's own cells keep them on a cycle: no further count goes)
args: representation --input names.csv --by "Full Name" --min-cell 5 --format csv
exit: 0
--- stdout
Full Name,female,male,other,unknown,total,female_share,ci95_low,ci95_high,gap_to_parity,gap_to_parity_men,status,is_total
(withheld),,,,,,,,,,,,false
(withheld),,,,,,,,,,,,false
(withheld),,,,,,,,,,,,false
(withheld),,,,,,,,,,,,false
(withheld),,,,,,,,,,,,false
(withheld),,,,,,,,,,,,false
,,,0,0,6,,,,,,,true
--- stderr
