# a breakdown that names no column of the data: only the data can say so,
# and the message still points at the configuration's line
args: report --input messy.csv --config report_bad_dim.json
exit: 2
--- stdout
--- stderr
parity: report_bad_dim.json:1:28: "report"."breakdowns": unknown dimension "duty station" (available: grade, category, snapshot_date, Name, duty_station)
