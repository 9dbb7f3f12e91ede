CREATE TABLE r (g TEXT, k INTEGER);
INSERT INTO r VALUES ('G1',1),('G2',2),('G3',3),('G4',4),('G5',5),('G6',6),('G7',7),
 ('NOA',8),('NOB',9),('NOC',10),('NOD',11),('NOE',12),('P1',13),('P2',14),('P3',15),
 ('P4',16),('P5',17),('D1',18),('D2',19),('ASG',20),('USG',21);
