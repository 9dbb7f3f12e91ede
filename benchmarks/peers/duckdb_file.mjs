// DuckDB from its own database file, for the fresh-process query kernel
// (the dashboard refresh): a new process opens the file and answers the
// representation query; benchmarks/run times the whole process.
// usage: node duckdb_file.mjs make FILE.csv DB.duckdb   (once, not timed)
//        node duckdb_file.mjs query DB.duckdb THREADS
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [mode, a, b] = process.argv.slice(2);
const here = new URL('.', import.meta.url).pathname;
if (mode === 'make') {
  const db = await DuckDBInstance.create(b);
  const con = await db.connect();
  await con.run(`CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv('${a}', header = true)`);
  con.closeSync?.();
} else {
  const sql = readFileSync(here + 'queries.sql', 'utf8')
    .split(/^-- @/m).find((s) => s.startsWith('representation'))
    .split('\n').filter((l) => !l.startsWith('--') && !l.startsWith('representation')).join('\n');
  const db = await DuckDBInstance.create(a, { access_mode: 'READ_ONLY', threads: String(b) });
  const con = await db.connect();
  const r = await con.runAndReadAll(sql);
  if (r.getRows().length === 0) throw new Error('representation: no rows');
  process.stdout.write(`${r.getRows().length} rows\n`);
}
