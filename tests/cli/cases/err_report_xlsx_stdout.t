# a workbook is a file: it needs -o
args: report --input messy.csv --format xlsx
exit: 2
--- stdout
--- stderr
parity: report: --format xlsx writes a workbook: name it with -o PATH
