# a target needs a year
args: targets --input closed_form.csv --target grade=P4:0.5
exit: 2
--- stdout
--- stderr
parity: target "grade=P4:0.5": write SCOPE:SHARE:YEAR[:MEASURE], e.g. grade=P4:0.5:2028
