# The flow model steps one observed period; a period of two years (2014-12-31
# to 2016-12-31 in unequal.csv) is refused.
args: project --input unequal.csv --method flow --at 2016-12-31 --periods 1
exit: 3
--- stdout
--- stderr
parity: the flow model steps one period at a time and needs periods of at most 18 months; these average 2.0 years
