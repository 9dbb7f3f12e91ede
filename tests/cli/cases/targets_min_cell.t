# --min-cell 5 on targets, worked by hand (min_cell.csv: P3 has 3 women and
# 6 men, P4 6 women and 7 men, one snapshot, no staff ids). P3's 3 women
# are too few: its row shows the target's definition only. P4's share,
# 6/13 = 0.461538, is shown (6 women, 7 others: neither small), its
# headcount (current_n) is not: representation publishes headcounts,
# protected. One snapshot and no staff ids: no trend, no flow model, so no
# status -- the reason says why.
args: targets --input min_cell.csv --target grade=P3:0.5:2030 --target grade=P4:0.5:2030 --min-cell 5 --format csv
exit: 0
--- stdout
target,measure,share,year,band,current,current_n,band_status,status,status_basis,flow_at_year,trend_at_year,slope,trend_points,hires_female_share,required_hire_share,reason
grade=P3,stock,0.500000,2030,0.03,,,,,,,,,,,,
grade=P4,stock,0.500000,2030,0.03,0.461538,,below,,,,,,1,,,no flow model: it needs person-level snapshots with staff_id and grades; not met; a trend needs 3 snapshots with staff in scope
--- stderr
