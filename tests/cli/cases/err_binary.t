# a NUL byte on line 3.
args: validate binary.csv
exit: 3
--- stdout
--- stderr
parity: binary.csv:3: binary data (a NUL byte): not a CSV text file
parity: 1 problem found
