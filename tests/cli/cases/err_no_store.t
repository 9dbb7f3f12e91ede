# analyses read the store when no --input is given; a missing store says how to make one
args: representation --db /nonexistent/x.db
exit: 1
--- stdout
--- stderr
parity: no store at /nonexistent/x.db (import snapshots with: parity import FILE, or read CSV with --input FILE)
