# Periods of 2 and 1 years (2014-12-31, 2016-12-31, 2017-12-31; unequal.csv,
# hand-written) pooled: the note says so, and the JSON gives each period's
# length.
args: flows --input unequal.csv --by '' --from 2014-12-31 --format md | grep -E '^(\*\*Flows|- The periods)'; parity_json=$("$bin" flows --input unequal.csv --by '' --from 2014-12-31 --format json); echo "$parity_json" | grep -A3 '"period_years"' | tr -d ' \t\n'; echo
exit: 0
--- stdout
**Flows, 2014-12-31 to 2017-12-31 (2 periods, pooled)**
- The periods are of unequal length (1.0 to 2.0 years), and are pooled as they are: an event rate is per period, so a longer period counts more of them; split them with --by period, or choose --from and --to.
"period_years":[2,1],"unequal_periods":true,"mobility_by":null,"min_cell":0
--- stderr
