# A target naming a grade the data does not have is an error, not a blank row.
args: targets --input markov.csv --target grade=P9:0.5:2025
exit: 2
--- stdout
--- stderr
parity: target grade=P9: no grade "P9" in the data
