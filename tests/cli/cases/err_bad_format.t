# usage error.
args: representation --input messy.csv --format xml
exit: 2
--- stdout
--- stderr
parity: --format must be table, json, csv or md, not "xml"
