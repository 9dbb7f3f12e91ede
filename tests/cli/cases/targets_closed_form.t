# DESIGN.md's closed form: s = (.5 - .4 x .92^5) / (1 - .92^5) = 69.3%; 8 of 20
# hires were women (40%); two snapshots make no trend, so no status.
args: targets --input closed_form.csv --target grade=P4:0.5:2026
exit: 0
--- stdout
Targets at 2021-01-01

target    measure  share    by    now  status     basis   flow  trend  hires F%  needed
---------------------------------------------------------------------------------------
grade=P4  stock    50.0%  2026  40.0%  off_track  flow   40.0%      -     40.0%   69.3%

now: the share at 2021-01-01 (for hires, promotions and moves: pooled over up to 3 periods). met =
within the band (target +/- 3 points); above_band = above it (a target is two-sided); on_track /
off_track = the projection reaches the band by the target date (01-01 of the year) or not, judged by
the flow model where staff ids follow people, else by the trend line.
flow, trend: the share the flow model and the trend line project for the target date; basis: the one
the status follows. needed: the female share of hires into the scope that brings it to the target
share itself by then, by the flow model (rates of leaving and promotion of women and men as
observed).
--- stderr
