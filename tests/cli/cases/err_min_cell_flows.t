# a configuration that asks counts to be protected: flows cannot yet, so it
# refuses rather than publish them unprotected
args: flows --input markov.csv --config min_cell.json
exit: 2
--- stdout
--- stderr
parity: --min-cell: flows cannot protect their counts yet (representation can)
