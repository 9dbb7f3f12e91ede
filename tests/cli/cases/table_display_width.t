# Columns line up by what the screen shows: "Direction générale" is 18
# characters (20 bytes in UTF-8), so "Finance" is padded to 18.
args: representation --input latin1.csv --encoding cp1252 --by department | head -6
exit: 0
--- stdout
Representation by department at 2024-12-31

department          F  M  X  U  total  F share       95% CI  gap F  gap M  status
---------------------------------------------------------------------------------
Direction générale  1  0  0  0      1   100.0%  20.7-100.0%      0      1  above
Finance             0  1  0  0      1     0.0%    0.0-79.3%      1      0  below
--- stderr
