# a report setting the configuration misspells: exit 2, the file, the line
# and column of the key, and what the settings are
args: report --input messy.csv --config report_bad_key.json
exit: 2
--- stdout
--- stderr
parity: report_bad_key.json:3:5: unknown or invalid report setting "breakdown" (breakdowns: a list of dimensions; history, pooled: 1 to 16)
