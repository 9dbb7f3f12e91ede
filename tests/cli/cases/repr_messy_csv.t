# The same counts as repr_messy_table.t, machine-readable: shares and Wilson
# bounds to 6 decimals (1/3 = 0.333333; 3/7 = 0.428571; bounds by formula).
args: representation --input messy.csv --by grade --at 2023-12-31 --format csv
exit: 0
--- stdout
grade,female,male,other,unknown,total,female_share,ci95_low,ci95_high,gap_to_parity,gap_to_parity_men,status,is_total
G5,1,1,0,0,2,0.500000,0.094531,0.905469,0,0,within,false
P4,1,1,1,1,3,0.333333,0.061492,0.792340,1,0,below,false
D1,1,1,0,0,2,0.500000,0.094531,0.905469,0,0,within,false
,3,3,1,1,7,0.428571,0.158220,0.749542,1,0,below,true
--- stderr
