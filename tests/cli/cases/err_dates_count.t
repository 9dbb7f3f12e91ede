# Three files and two dates: no pairing rule applies.
args: validate region_north.csv region_south.csv messy.csv --date 2024-12-31 --date 2025-12-31
exit: 2
--- stdout
--- stderr
parity: 3 files and 2 --date: give one --date per file, in the files' order, or one --date for all
