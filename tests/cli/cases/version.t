# the version.
args: --version
exit: 0
--- stdout
parity 0.1.0
--- stderr
