# messy.csv: BOM, CRLF, header in another case and order, quoted names with
# commas, quotes and a newline, grades spelled P-4/p4/P 4/"P4 ", d-1, GS-5,
# sex blank (U), X, "female" and "W". At 2023-12-31:
#   G5: Roe W->F, Poe M                     F1 M1        total 2  50.0%
#   P4: Smith F, O'Brien M, Doe U, Lee X    F1 M1 X1 U1  total 3  33.3%  gap ceil(1.5)-1 = 1
#   D1: Kim female->F, Ng M                 F1 M1        total 2  50.0%
#   all: F3 M3 X1 U1, total 7, 42.9%, gap ceil(3.5)-3 = 1
# Wilson 95%: 1/2 -> 9.5-90.5, 1/3 -> 6.1-79.2, 3/7 -> 15.8-75.0 (by formula).
# Glass ceiling: (3/7) / (1/2) = 0.857.
args: representation --input messy.csv --by grade
exit: 0
--- stdout
Representation by grade at 2023-12-31

grade  F  M  X  U  total  F share      95% CI  gap F  gap M  status
-------------------------------------------------------------------
G5     1  1  0  0      2    50.0%   9.5-90.5%      0      0  within
P4     1  1  1  1      3    33.3%   6.1-79.2%      1      0  below
D1     1  1  0  0      2    50.0%   9.5-90.5%      0      0  within
-------------------------------------------------------------------
Total  3  3  1  1      7    42.9%  15.8-75.0%      1      0  below

Glass ceiling index 0.86 at 2023-12-31: women are 42.9% of staff in scope and 50.0% of the top
grades (D1 and above); 1 = no ceiling, above 1 = fewer women at the top.
1 staff with sex not recorded (U) are counted but left out of totals and shares.
--- stderr
