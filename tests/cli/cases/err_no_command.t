# unknown command.
args: frobnicate
exit: 2
--- stdout
--- stderr
parity: unknown command "frobnicate" (see parity --help)
