# --replace replaces what is stored, never another file of the same command:
# the conflict inside the command is told before any store is opened.
args: import --db no/such/dir/x.db --replace region_north.csv region_south.csv --date 2024-12-31
exit: 3
--- stdout
--- stderr
parity: region_south.csv: snapshot 2024-12-31 is loaded already from region_north.csv; two files for one date are combined into one snapshot only when asked to (--combine), e.g. one export per region
parity: 1 problem found; nothing imported
