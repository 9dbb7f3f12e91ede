// DuckDB computing the annual report's tables from its own database file,
// for benchmarks/report.sh (whole process timed from outside): staff by
// grade at the report date and the five snapshots before it, by category
// with the Professional-and-higher and General-Service aggregates, the
// headline populations, the reporting year's movements and the last five
// periods' pooled (staff at the start, hires, promotions in and out,
// separations, moves, by grade and F / M+X), and the trend slope per grade
// and for all staff. parity's report does all of this and more (protection,
// projections by the flow model, notes), so the comparison leans DuckDB's way.
// usage: node duckdb_report.mjs DB.duckdb THREADS
import { DuckDBInstance } from '@duckdb/node-api';

const [file, threads] = process.argv.slice(2);
const db = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY', threads: String(threads) });
const con = await db.connect();
const cat = `CASE WHEN grade IN ('ASG','USG') THEN 'Senior' WHEN grade LIKE 'NO%' THEN 'NO'
             WHEN grade LIKE 'G%' THEN 'GS' WHEN grade LIKE 'P%' THEN 'P' ELSE 'D' END`;
const fn = `CASE WHEN sex = 'F' THEN 'F' ELSE 'N' END`;
const rank = `list_position(['G1','G2','G3','G4','G5','G6','G7','NOA','NOB','NOC','NOD','NOE',
              'P1','P2','P3','P4','P5','D1','D2','ASG','USG'], grade)`;
const q = {
  dates: `SELECT DISTINCT snapshot_date AS d FROM t ORDER BY d DESC LIMIT 6`,
};
const dates = (await con.runAndReadAll(q.dates)).getRows().map((r) => String(r[0]));
const [d1, d0] = dates;
const d5 = dates[dates.length - 1];
const inList = dates.map((d) => `DATE '${d}'`).join(',');
const sql = [
  // by grade, now and at the five snapshots before
  `SELECT snapshot_date, grade, sum((sex = 'F')::INT) f, sum((sex IN ('M','X'))::INT) n,
          sum((sex = 'F')::INT) / nullif(sum((sex IN ('F','M','X'))::INT), 0) fshare
   FROM t WHERE snapshot_date IN (${inList}) GROUP BY ALL ORDER BY ALL`,
  // by category, with the aggregates, at the same dates
  `SELECT snapshot_date, ${cat} c, sum((sex = 'F')::INT) f, sum((sex IN ('M','X'))::INT) n
   FROM t WHERE snapshot_date IN (${inList}) GROUP BY ALL ORDER BY ALL`,
  `SELECT snapshot_date, ${cat} IN ('P','D','Senior') prof, sum((sex = 'F')::INT) f,
          sum((sex IN ('M','X'))::INT) n
   FROM t WHERE snapshot_date IN (${inList}) GROUP BY ALL ORDER BY ALL`,
  // the headline's senior grades
  `SELECT snapshot_date, sum((sex = 'F')::INT) f, sum((sex IN ('M','X'))::INT) n FROM t
   WHERE snapshot_date IN (${inList}) AND grade IN ('D1','D2','ASG','USG') GROUP BY ALL`,
  // the trend slope per grade over every snapshot, and for all staff
  `WITH s AS (SELECT grade, year(snapshot_date) + (dayofyear(snapshot_date) - 1) / 365.25 x,
                     sum((sex = 'F')::INT) / nullif(sum((sex IN ('F','M','X'))::INT), 0) y
              FROM t GROUP BY grade, snapshot_date)
   SELECT grade, regr_slope(y, x) FROM s GROUP BY grade`,
  `WITH s AS (SELECT year(snapshot_date) + (dayofyear(snapshot_date) - 1) / 365.25 x,
                     sum((sex = 'F')::INT) / nullif(sum((sex IN ('F','M','X'))::INT), 0) y
              FROM t GROUP BY snapshot_date)
   SELECT regr_slope(y, x) FROM s`,
];
// movements between consecutive snapshots from da to db, pooled
const moves = (da) => `
  WITH s AS (SELECT DISTINCT snapshot_date d FROM t WHERE snapshot_date BETWEEN DATE '${da}' AND DATE '${d1}'),
  p AS (SELECT d d1, lag(d) OVER (ORDER BY d) d0 FROM s),
  a AS (SELECT p.d1 k, t.* FROM p JOIN t ON t.snapshot_date = p.d0),
  b AS (SELECT p.d1 k, t.* FROM p JOIN t ON t.snapshot_date = p.d1 WHERE p.d0 IS NOT NULL),
  e AS (
    SELECT a.grade, ${fn.replace(/sex/g, 'a.sex')} s, 'headcount' ev FROM a
    UNION ALL SELECT b.grade, ${fn.replace(/sex/g, 'b.sex')}, 'hires' FROM b ANTI JOIN a USING (k, staff_id)
    UNION ALL SELECT a.grade, ${fn.replace(/sex/g, 'a.sex')}, 'separations' FROM a ANTI JOIN b USING (k, staff_id)
    UNION ALL SELECT b.grade, ${fn.replace(/sex/g, 'b.sex')}, 'promotions' FROM a JOIN b USING (k, staff_id)
      WHERE ${rank.replace('grade)', 'b.grade)')} > ${rank.replace('grade)', 'a.grade)')}
    UNION ALL SELECT a.grade, ${fn.replace(/sex/g, 'b.sex')}, 'promotions_out' FROM a JOIN b USING (k, staff_id)
      WHERE ${rank.replace('grade)', 'b.grade)')} > ${rank.replace('grade)', 'a.grade)')}
    UNION ALL SELECT a.grade, ${fn.replace(/sex/g, 'b.sex')}, 'moves' FROM a JOIN b USING (k, staff_id)
      WHERE a.duty_station <> b.duty_station AND a.duty_station <> '' AND b.duty_station <> '')
  SELECT grade, s, ev, count(*) FROM e GROUP BY ALL ORDER BY ALL`;
sql.push(moves(d0), moves(d5));
let rows = 0;
for (const s of sql) rows += (await con.runAndReadAll(s)).getRows().length;
if (rows === 0) throw new Error('report: no rows');
process.stdout.write(`${rows} rows\n`);
