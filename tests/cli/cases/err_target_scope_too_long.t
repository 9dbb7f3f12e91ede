# a scope names at most 16 dimensions: a 17th is refused, not dropped
args: targets --input closed_form.csv --target a=1,b=1,c=1,d=1,e=1,f=1,g=1,h=1,i=1,j=1,k=1,l=1,m=1,n=1,o=1,p=1,q=1:0.5:2030
exit: 2
--- stdout
--- stderr
parity: target "a=1,b=1,c=1,d=1,e=1,f=1,g=1,h=1,i=1,j=1,k=1,l=1,m=1,n=1,o=1,p=1,q=1:0.5:2030": a scope names at most 16 dimensions
