# Monte Carlo results are bounded, with the reason: 100,000 runs of the
# sample's 21 groups (20 grades and the total) over 175 years (2026-2200)
# would keep 21 x 175 x 100,000 x 8 bytes = 2.9 GB.
args: project --input ../../data/sample.csv --method flow --simulations 100000 --horizon 2200
exit: 2
--- stdout
--- stderr
parity: 100000 simulations of 21 groups over 175 years would keep 2.9 GB of results (at most 1 GB): fewer simulations or an earlier horizon
