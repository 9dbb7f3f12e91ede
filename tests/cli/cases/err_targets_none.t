# no --target and no configuration
args: targets --input closed_form.csv
exit: 2
--- stdout
--- stderr
parity: no targets: give --target SCOPE:SHARE:YEAR (e.g. grade=P4:0.5:2028) or a "targets" list in the --config file
