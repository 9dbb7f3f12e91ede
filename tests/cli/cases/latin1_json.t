# Read as cp1252, the JSON carries "Direction générale" in UTF-8.
args: representation --input latin1.csv --encoding cp1252 --by department --format csv
exit: 0
--- stdout
department,female,male,other,unknown,total,female_share,ci95_low,ci95_high,gap_to_parity,gap_to_parity_men,status,is_total
Direction générale,1,0,0,0,1,1.000000,0.206549,1.000000,0,1,above,false
Finance,0,1,0,0,1,0.000000,0.000000,0.793451,1,0,below,false
,1,1,0,0,2,0.500000,0.094531,0.905469,0,0,within,true
--- stderr
