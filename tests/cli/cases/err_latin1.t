# Latin-1 bytes (é is 0xE9) are refused where they are, with the way to read them.
args: validate latin1.csv
exit: 3
--- stdout
--- stderr
parity: latin1.csv:3:4: not UTF-8 text: byte 0xE9 at position 12 of the field (a file saved as Latin-1 or Windows-1252, as Excel does in Western Europe? read it with --encoding cp1252)
parity: 1 problem found
