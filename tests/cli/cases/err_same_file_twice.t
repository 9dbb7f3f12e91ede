# The same file twice, even under two dates, would count everyone twice.
args: validate region_north.csv region_north.csv --date 2024-12-31 --date 2025-12-31
exit: 3
--- stdout
--- stderr
parity: region_north.csv: the same bytes as region_north.csv, loaded already: the same file given twice would count everyone twice
parity: 1 problem found
