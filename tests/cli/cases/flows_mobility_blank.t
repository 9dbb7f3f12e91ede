# A blank duty station on either side is not a move (mobility_blank.csv):
# staff 1 moved, Geneva to Nairobi; 2 and 3 had a blank on one side, counted
# as data quality. Printed: mobility_value_missing, moves of women, of men.
args: flows --input mobility_blank.csv --by '' --format json | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["data_quality"]["mobility_value_missing"], d["total"]["moves"]["female"], d["total"]["moves"]["male"])'
exit: 0
--- stdout
2 1 0
--- stderr
