# line 3 is one field short, line 4 one too long: validate reports both.
args: validate ragged.csv
exit: 3
--- stdout
--- stderr
parity: ragged.csv:3:3: expected 4 fields, found 3
parity: ragged.csv:4:5: expected 4 fields, found 5
parity: 2 problems found
