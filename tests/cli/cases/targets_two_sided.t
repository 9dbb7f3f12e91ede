# markov.csv at 2021-01-01: P4 has 65 women of 210 (31.0%), above a 20%
# target's band (17-23%): above_band, not met; P3 has 70 of 140 (50%): met;
# a target due in 2020 and not met: off_track. (Columns: target, current,
# status.)
args: targets --input markov.csv --target grade=P4:0.2:2025 --target grade=P3:0.5:2025 --target grade=P4:0.5:2020 --format csv | cut -d, -f1,6,9
exit: 0
--- stdout
target,current,status
grade=P4,0.309524,above_band
grade=P3,0.500000,met
grade=P4,0.309524,off_track
--- stderr
