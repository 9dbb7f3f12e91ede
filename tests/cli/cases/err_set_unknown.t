# an unknown what-if key
args: project --method flow --input closed_form.csv --set speed=1
exit: 2
--- stdout
--- stderr
parity: --set "speed=1": unknown key "speed" (hire_share, separation_rate, promotion_rate, hires, growth)
