# a file that is not there is a runtime failure (1), not bad data.
args: representation --input nosuch.csv
exit: 1
--- stdout
--- stderr
parity: nosuch.csv: cannot open: No such file or directory
