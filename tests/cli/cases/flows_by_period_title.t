# Split by period, the title does not say pooled.
args: flows --input unequal.csv --by period --from 2014-12-31 | head -1
exit: 0
--- stdout
Flows by period, 2014-12-31 to 2017-12-31 (2 periods)
--- stderr
