# JSON contract: dimension under its own name, measures by name, ci95 as
# [low, high], total separately; duty_station is an extra dimension (Geneva:
# Smith F P4, Doe U P4, Lee X P4, Roe F G5 -> F2 X1 U1, total 3; Nairobi:
# O'Brien M, Poe M -> total 2; New York: Kim F, Ng M). Numbers are cJSON's:
# 15 significant digits where that reads back within its tolerance, else 17.
args: representation --input messy.csv --by duty_station --format json
exit: 0
--- stdout
{
	"parity_version":	"0.1.0",
	"command":	"representation",
	"inputs":	{
		"store":	null,
		"rows":	10,
		"snapshots":	[{
				"date":	"2022-12-31",
				"rows":	2,
				"source":	"messy.csv",
				"checksum":	"xxh3-80bc7c0d74422284"
			}, {
				"date":	"2023-12-31",
				"rows":	8,
				"source":	"messy.csv",
				"checksum":	"xxh3-80bc7c0d74422284"
			}]
	},
	"parameters":	{
		"by":	["duty_station"],
		"at":	"2023-12-31",
		"target":	0.5,
		"band":	0.03
	},
	"glass_ceiling_index":	0.857142857142857,
	"glass_ceiling":	{
		"snapshot_date":	"2023-12-31",
		"top_total":	2,
		"female_share_all":	0.42857142857142855,
		"female_share_top":	0.5
	},
	"groups":	[{
			"duty_station":	"Geneva",
			"female":	2,
			"male":	0,
			"other":	1,
			"unknown":	1,
			"total":	3,
			"female_share":	0.66666666666666663,
			"ci95":	[0.20765960080204782, 0.93850805527960379],
			"gap_to_parity":	0,
			"gap_to_parity_men":	1,
			"status":	"above"
		}, {
			"duty_station":	"Nairobi",
			"female":	0,
			"male":	2,
			"other":	0,
			"unknown":	0,
			"total":	2,
			"female_share":	0,
			"ci95":	[0, 0.6576197724933468],
			"gap_to_parity":	1,
			"gap_to_parity_men":	0,
			"status":	"below"
		}, {
			"duty_station":	"New York",
			"female":	1,
			"male":	1,
			"other":	0,
			"unknown":	0,
			"total":	2,
			"female_share":	0.5,
			"ci95":	[0.094531205734230739, 0.90546879426576932],
			"gap_to_parity":	0,
			"gap_to_parity_men":	0,
			"status":	"within"
		}],
	"total":	{
		"female":	3,
		"male":	3,
		"other":	1,
		"unknown":	1,
		"total":	7,
		"female_share":	0.42857142857142855,
		"ci95":	[0.1582198552514697, 0.74954163547234276],
		"gap_to_parity":	1,
		"gap_to_parity_men":	0,
		"status":	"below"
	},
	"notes":	["Glass ceiling index 0.86 at 2023-12-31: women are 42.9% of staff in scope and 50.0% of the top grades (D1 and above); 1 = no ceiling, above 1 = fewer women at the top.", "1 staff with sex not recorded (U) are counted but left out of totals and shares."]
}
--- stderr
