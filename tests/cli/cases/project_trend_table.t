# trend.csv P4: 30 32 35 36 40% on 1 Jan 2016-2020; least squares by hand: slope
# 2.4 points/yr, line .418 in 2021 rising .024 a year (.466 in 2023 short of the
# band's edge .47, .490 in 2024: parity 2024); 95% PI in 2025 = .514 +- t(3)
# sqrt(s2 (1 + 1/5 + 49/10)), s2 = 1.6e-4/3, t(3) = 3.182: 45.7-57.1%. P3 49%
# is within: reached. D1 flat at 20%: never. Flat lines have no residuals; the
# interval uses the floor sd = 1/(2n): D1 (n = 10) .2 +- 3.182 sqrt(.05^2 x 6.1)
# = 0.0-59.3%, P3 (n = 100) .49 +- .0393 = 45.1-52.9%.
args: project --input trend.csv --horizon 2025
exit: 0
--- stdout
Trend projection by grade to 2025: least-squares line over 5 snapshots, 2016-01-01 to 2020-01-01

grade  points  F share  pts/yr   2021   2022   2023   2024   2025    95% 2025   parity
--------------------------------------------------------------------------------------
P3          5    49.0%    0.00  49.0%  49.0%  49.0%  49.0%  49.0%  45.1-52.9%  reached
P4          5    40.0%    2.40  41.8%  44.2%  46.6%  49.0%  51.4%  45.7-57.1%     2024
D1          5    20.0%    0.00  20.0%  20.0%  20.0%  20.0%  20.0%   0.0-59.3%    - [1]

[1] not at current trend
Slope in percentage points per year; 95% = prediction interval for the horizon year; parity = first
year the line reaches 50% +/- 3 points ("reached": already within).
--- stderr
