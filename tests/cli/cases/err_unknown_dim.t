# --by names a dimension the data does not have: a usage error.
args: representation --input messy.csv --by nosuch
exit: 2
--- stdout
--- stderr
parity: unknown dimension "nosuch" (available: grade, category, snapshot_date, Name, duty_station)
