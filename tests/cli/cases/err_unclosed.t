# the quote opened at line 3 never closes.
args: representation --input unclosed.csv
exit: 3
--- stdout
--- stderr
parity: unclosed.csv:3: unclosed quote: a quoted field starts on this line and never ends
