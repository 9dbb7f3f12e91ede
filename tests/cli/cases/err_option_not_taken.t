# An option its command does not take is refused, not ignored.
args: representation --input messy.csv --method flow
exit: 2
--- stdout
--- stderr
parity: --method is not an option of representation (see parity representation --help)
