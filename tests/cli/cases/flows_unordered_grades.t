# Under unordered grades a grade change is no promotion: in messy.csv, Ann
# goes from P3 to P-4 and Bob from P4 to p4 (grades kept as written, so a
# change) -- 2 in grade_changes_unranked; promotions and their test null.
args: flows --input messy.csv --grade-order none --by '' --format json | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["data_quality"]["grade_changes_unranked"], d["total"]["promotions"]["female"], d["total"]["tests"]["promotion"]["impact_ratio"])'
exit: 0
--- stdout
2 None None
--- stderr
