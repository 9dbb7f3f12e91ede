# the flow model follows people; counts cannot do
args: project --method flow --input trend.csv
exit: 3
--- stdout
--- stderr
parity: the flow model needs person-level snapshots, not aggregated counts (use --method trend)
