# A terminal escape sequence in a value is shown escaped, never sent raw;
# Markdown escapes '|'.
args: representation --input hostile_names.csv --by department --format md | grep -E 'Esc|A.\|B'
exit: 0
--- stdout
| A\|B                     | 0 | 1 | 0 | 0 |     1 |    0.0% |   0.0-79.3% |     1 |     0 | below  |
| Esc\x1B]0;pwned\x07 unit | 1 | 0 | 0 | 0 |     1 |  100.0% | 20.7-100.0% |     0 |     1 | above  |
--- stderr
