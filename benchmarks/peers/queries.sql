-- The same work as parity's kernels, in SQL that DuckDB and SQLite both run.
-- Table t holds the CSV as loaded; r ranks the UN grade scale; {YEARS} is the
-- snapshot date in years, in each engine's dialect.
-- @representation: women and men by grade at the latest snapshot
SELECT grade, sum(CASE WHEN sex = 'F' THEN 1 ELSE 0 END) AS f, sum(CASE WHEN sex = 'M' THEN 1 ELSE 0 END) AS m, sum(CASE WHEN sex = 'X' THEN 1 ELSE 0 END) AS x,
       sum(CASE WHEN sex IN ('F', 'M', 'X') THEN 0 ELSE 1 END) AS u,
       1.0 * sum(CASE WHEN sex = 'F' THEN 1 ELSE 0 END) / nullif(sum(CASE WHEN sex IN ('F', 'M', 'X') THEN 1 ELSE 0 END), 0) AS female_share
FROM t WHERE snapshot_date = (SELECT max(snapshot_date) FROM t)
GROUP BY grade ORDER BY grade;
-- @flows: hires, separations, promotions by grade and sex, pooled over every pair
WITH s AS (SELECT DISTINCT snapshot_date AS d FROM t),
p AS (SELECT d AS d1, lag(d) OVER (ORDER BY d) AS d0 FROM s),
a AS (SELECT p.d1, t.staff_id, t.sex, t.grade FROM p JOIN t ON t.snapshot_date = p.d0),
b AS (SELECT p.d1, t.staff_id, t.sex, t.grade FROM p JOIN t ON t.snapshot_date = p.d1
      WHERE p.d0 IS NOT NULL),
e AS (
  SELECT b.grade, b.sex, 1 AS hire, 0 AS sep, 0 AS promo, 0 AS h0 FROM b
    WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.d1 = b.d1 AND a.staff_id = b.staff_id)
  UNION ALL
  SELECT a.grade, a.sex, 0, 1, 0, 1 FROM a
    WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.d1 = a.d1 AND b.staff_id = a.staff_id)
  UNION ALL
  SELECT a.grade, a.sex, 0, 0, CASE WHEN rb.k > ra.k THEN 1 ELSE 0 END, 1
    FROM a JOIN b ON a.d1 = b.d1 AND a.staff_id = b.staff_id
    JOIN r ra ON ra.g = a.grade JOIN r rb ON rb.g = b.grade)
SELECT grade, sex, sum(hire) AS hires, sum(sep) AS separations, sum(promo) AS promotions_out,
       1.0 * sum(sep) / nullif(sum(h0), 0) AS separation_rate,
       1.0 * sum(promo) / nullif(sum(h0), 0) AS promotion_rate
FROM e GROUP BY grade, sex ORDER BY grade, sex;
-- @trend: least-squares slope of the female share per grade over every snapshot
WITH s AS (SELECT grade, snapshot_date,
                  1.0 * sum(CASE WHEN sex = 'F' THEN 1 ELSE 0 END) / nullif(sum(CASE WHEN sex IN ('F', 'M', 'X') THEN 1 ELSE 0 END), 0) AS y,
                  {YEARS} AS x
           FROM t GROUP BY grade, snapshot_date),
m AS (SELECT grade, avg(x) AS mx, avg(y) AS my FROM s WHERE y IS NOT NULL GROUP BY grade)
SELECT s.grade, sum((x - mx) * (y - my)) / sum((x - mx) * (x - mx)) AS slope
FROM s JOIN m USING (grade) WHERE y IS NOT NULL GROUP BY s.grade ORDER BY s.grade;
