# closed_form.csv: p0 40%, 8% of women and men leave each year, headcount held;
# with 60% women among hires the share is .6 - .2 x .92^n: 41.6% 43.1% 44.4%
# 45.7% 46.8% 47.9% for n = 1..6, inside the band (>= 47%) in 2027.
args: project --method flow --input closed_form.csv --set hire_share:P4=0.6 --horizon 2027
exit: 0
--- stdout
Flow projection by grade to 2027: rates pooled over 1 period to 2021-01-01

grade  staff  F share  hires F%   2022   2024   2026   2027  long run  parity
-----------------------------------------------------------------------------
P4       250    40.0%     60.0%  41.6%  44.4%  46.8%  47.9%     60.0%   2027*
-----------------------------------------------------------------------------
Total    250    40.0%     60.0%  41.6%  44.4%  46.8%  47.9%     60.0%   2027*

Each grade's headcount is held constant by hires; rates of leaving and of moving between grades, per
sex, and the female share of hires are pooled over the last period, then changed by --set.
*: a parity year further ahead than the period the rates were pooled over -- what these rates lead
to if nothing changes, not a forecast.
--- stderr
