# Standard input can be read once only.
args: validate - - --date 2024-12-31 < region_north.csv
exit: 2
--- stdout
--- stderr
parity: standard input (-) can be read once only
