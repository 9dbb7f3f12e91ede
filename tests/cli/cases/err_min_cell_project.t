# a configuration that asks counts to be protected: projections and targets
# cannot yet, so they refuse rather than publish them unprotected
args: project --input markov.csv --config min_cell.json
exit: 2
--- stdout
--- stderr
parity: --min-cell: projections and targets cannot protect their counts yet (representation can)
