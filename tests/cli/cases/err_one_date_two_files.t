# One date for two different files: refused, naming both, unless --combine.
args: validate region_north.csv region_south.csv --date 2024-12-31
exit: 3
--- stdout
--- stderr
parity: region_south.csv: snapshot 2024-12-31 is loaded already from region_north.csv; two files for one date are combined into one snapshot only when asked to (--combine), e.g. one export per region
parity: 1 problem found
