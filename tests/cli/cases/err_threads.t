# --threads takes a whole number of threads, one at least
args: validate messy.csv --threads 0
exit: 2
--- stdout
--- stderr
parity: --threads must be a whole number from 1 to 1024, not "0"
