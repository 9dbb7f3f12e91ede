// DuckDB peer: the same kernels as parity-bench, through DuckDB's node API,
// on an in-memory database with the same threads.
// usage: node duckdb.mjs FILE.csv THREADS
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [file, threads] = process.argv.slice(2);
const here = new URL('.', import.meta.url).pathname;
const sections = {};
let name = null;
for (const line of readFileSync(here + 'queries.sql', 'utf8').split('\n')) {
  const m = line.match(/^-- @(\w+)/);
  if (m) { name = m[1]; sections[name] = ''; continue; }
  if (name && !line.startsWith('--')) sections[name] += line + '\n';
}
const years = "epoch(snapshot_date::TIMESTAMP) / 31556952.0";
const now = () => Number(process.hrtime.bigint()) / 1e9;

const start = now();
const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await db.connect();
await con.run(readFileSync(here + 'rank.sql', 'utf8'));
await con.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file}', header = true)`);
const loaded = now();
console.log(`duckdb\tload_csv\t${(loaded - start).toFixed(6)}\t`);
for (const k of ['representation', 'flows', 'trend']) {
  const t0 = now();
  const r = await con.runAndReadAll(sections[k].replaceAll('{YEARS}', years));
  if (r.getRows().length === 0) throw new Error(`${k}: no rows`);
  console.log(`duckdb\t${k}\t${(now() - t0).toFixed(6)}\t`);
}
console.log(`duckdb\tend_to_end\t${(now() - start).toFixed(6)}\t`);
