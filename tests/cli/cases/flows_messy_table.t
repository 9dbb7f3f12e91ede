# messy.csv, 2022-12-31 -> 2023-12-31, derived by hand: Ann (1) P3 F -> P4:
# a promotion out of P3 (rate 1/1 = 100%) into P4; Bob (2) P4 M stays, in
# Nairobi both times (no move); ids 3-8 are hires at their 2023 grades:
# P4 U and X (female share of hires 0 of 1 counted = 0%), D1 F+M and G5 F+M
# (50%). Total: hires F2 M2 X1 U1 -> 2/5 = 40%; promotion F 1/1 vs M 0/1:
# IR 0/1 = 0.00, expected counts under 5 -> Fisher, p = 1.
args: flows --input messy.csv
exit: 0
--- stdout
Flows by grade, 2022-12-31 to 2023-12-31 (1 period)

grade  headcount F  headcount M  hires F  hires M  hires F%  sep% F  sep% M  prom% F  prom% M
---------------------------------------------------------------------------------------------
G5               0            0        1        1     50.0%       -       -        -        -
P3               1            0        0        0         -    0.0%       -   100.0%        -
P4               0            1        0        0      0.0%       -    0.0%        -     0.0%
D1               0            0        1        1     50.0%       -       -        -        -
---------------------------------------------------------------------------------------------
Total            1            1        2        2     40.0%    0.0%    0.0%   100.0%     0.0%

grade  prom IR  prom p  move% F  move% M
----------------------------------------
G5           -       -        -        -
P3           -       -     0.0%        -
P4           -       -        -     0.0%
D1           -       -        -        -
----------------------------------------
Total     0.00    1.00     0.0%     0.0%

Rates are events / staff at the start of the period (pooled over 1 period); IR = impact ratio, lower
rate / higher rate (below 0.80 fails the four-fifths rule); p: Fisher's exact test when an expected
count is under 5, else the two-proportion z-test.
--- stderr
