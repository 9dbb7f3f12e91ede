# Values a spreadsheet would run as formulas get a leading apostrophe; a real
# department called TOTAL stays apart from the total row (blank dimension,
# is_total true). Columns: department, female, is_total.
args: representation --input hostile_names.csv --by department --format csv | grep -v Esc | cut -d, -f1,2,13
exit: 0
--- stdout
department,female,is_total
'+1 Unit,0,false
"'=HYPERLINK(""http://x"")",1,false
'@cmd,1,false
A|B,0,false
TOTAL,0,false
,3,true
--- stderr
