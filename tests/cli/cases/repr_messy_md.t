# Markdown of the earlier snapshot: Ann F at P3, Bob M at P4 (2022-12-31).
# P3: 1/1 = 100% (above), Wilson 1/1 -> [z^2/(1+z^2), 1] = 20.7-100.0;
# P4: 0/1 = 0%, gap ceil(0.5) - 0 = 1, Wilson 0-79.3. All: 1/2.
args: representation --input messy.csv --by grade --at 2022-12-31 --format md
exit: 0
--- stdout
**Representation by grade at 2022-12-31**

| grade     | F | M | X | U | total | F share |      95% CI | gap F | gap M | status |
|:----------|--:|--:|--:|--:|------:|--------:|------------:|------:|------:|:-------|
| P3        | 1 | 0 | 0 | 0 |     1 |  100.0% | 20.7-100.0% |     0 |     1 | above  |
| P4        | 0 | 1 | 0 | 0 |     1 |    0.0% |   0.0-79.3% |     1 |     0 | below  |
| **Total** | 1 | 1 | 0 | 0 |     2 |   50.0% |   9.5-90.5% |     0 |     0 | within |

- Glass ceiling index at 2022-12-31: not defined (nobody in the top grades).
--- stderr
