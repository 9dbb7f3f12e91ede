# a zero-byte file.
args: representation --input empty.csv
exit: 3
--- stdout
--- stderr
parity: empty.csv:1: empty file: no header row
