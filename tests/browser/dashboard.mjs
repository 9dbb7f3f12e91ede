// The dashboard in a real browser (Debian's chromium, driven by
// puppeteer-core): the page parity writes for the bundled sample loads
// from disk with no console error and no network request (every request
// is intercepted and counted; the page's own file is the only one); every
// chart draws (its SVG holds marks); the numbers of its table views equal
// `parity report`'s JSON for the same data; changing a filter changes them
// to the report's for that choice; a screenshot is taken.
//
// usage: node dashboard.mjs PARITY ROOT [SCREENSHOT.png]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const [parity, root, shot] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'parity-dash-'));
const sample = join(root, 'data', 'sample.csv');
const cfg = join(work, 'cfg.json');
writeFileSync(cfg, JSON.stringify({
  targets: [{ scope: 'grade=P4', share: 0.5, year: 2028 }, { scope: 'grade=D1', share: 0.5, year: 2030 }],
  report: { breakdowns: ['department,grade', 'duty_station,grade'] },
}));
const page_ = join(work, 'dashboard.html');
execFileSync(parity, ['dashboard', '--input', sample, '--config', cfg, '-o', page_]);
const size = statSync(page_).size;
if (size > 2 * 1024 * 1024) throw new Error(`the page is ${size} bytes: over 2 MB`);
const reports = new Map(); // each date's report, made once
const report = (at) => {
  if (!reports.has(at || '')) {
    reports.set(at || '', JSON.parse(execFileSync(parity, ['report', '--input', sample, '--config', cfg,
      '--reproducible', ...(at ? ['--at', at] : [])], { maxBuffer: 256 << 20 }).toString()));
  }
  return reports.get(at || '');
};

let failures = 0;
const check = (ok, what) => { if (!ok) { failures++; console.log('FAIL ' + what); } };

const browser = await puppeteer.launch({ protocolTimeout: 120000, executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true, args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'] });
const page = await browser.newPage();
await page.setViewport({ width: 1280, height: 900 });
const errors = [], requests = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
await page.setRequestInterception(true);
page.on('request', (r) => { requests.push(r.url()); r.continue(); });
await page.goto('file://' + page_, { waitUntil: 'load' });
await page.waitForFunction('window.parityDashboardReady === true', { timeout: 60000 });

check(errors.length === 0, `console errors: ${errors.join(' | ')}`);
const initialGrade = await page.$eval('#f-grade', (el) => el.value); // the trend view's first choice, for the screenshot
check(requests.length === 1 && requests[0].startsWith('file://'), `network requests: ${requests.join(', ')}`);

// every chart drew: its SVG has marks
for (const id of ['c-grade', 'c-pipeline', 'c-trend', 'c-moves']) {
  const marks = await page.$eval('#' + id, (el) => el.querySelectorAll('svg path, svg rect').length);
  check(marks > 10, `${id}: ${marks} marks`);
}
const sparks = await page.$$eval('.spark svg path', (els) => els.length);
check(sparks >= 3, `sparklines: ${sparks}`);

// the grade table view against the report's representation_by_grade
const dash = (v, f) => (v === null || v === undefined ? '–' : f(v));
const pct = (v) => (100 * v).toFixed(1) + '%';
const num = (v) => Number(v).toLocaleString('en');
async function gradeTable() {
  return page.$$eval('#t-grade tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
}
function expectGrades(rep) {
  return rep.tables.representation_by_grade.rows.filter((r) => !r.is_total).map((r) =>
    [r.grade, dash(r.female, num), dash(r.male_other, num), dash(r.total, num), dash(r.female_share, pct), r.status ?? '–']);
}
const latest = report();
const got = await gradeTable();
check(JSON.stringify(got) === JSON.stringify(expectGrades(latest)),
  `grade table at the latest snapshot differs from the report:\n${JSON.stringify(got)}\n${JSON.stringify(expectGrades(latest))}`);
// targets: status words as the report's
const targets = await page.$$eval('#t-targets tbody tr', (trs) => trs.map((tr) => tr.cells[1].textContent));
check(JSON.stringify(targets) === JSON.stringify(latest.tables.targets.rows.map((r) => (r.status || '–').replace('_', ' '))),
  `targets: ${targets}`);
// the movements table view against the report's, pooled (the default) and
// the reporting year
for (const which of ['movements_pooled', 'movements_year']) {
  await page.select('#f-moves', which);
  const moves = await page.$$eval('#t-moves tbody tr', (trs) => trs.map((tr) => [...tr.cells].slice(0, 7).map((c) => c.textContent)));
  const wantMoves = latest.tables[which].rows.filter((r) => !r.is_total).map((r) => [r.grade,
    ...['hires', 'promotions', 'separations'].flatMap((e) => [dash(r[e + '_female'], num), dash(r[e + '_male_other'], num)])]);
  check(JSON.stringify(moves) === JSON.stringify(wantMoves), `${which}: the movements table differs from the report`);
}
await page.select('#f-moves', 'movements_pooled');

// a filter: an earlier snapshot gives that snapshot's report
const dates = await page.$$eval('#f-date option', (os) => os.map((o) => o.value));
const earlier = dates[dates.length - 3];
await page.select('#f-date', earlier);
const got2 = await gradeTable();
check(JSON.stringify(got2) === JSON.stringify(expectGrades(report(earlier))),
  `grade table at ${earlier} differs from parity report --at ${earlier}`);
check(JSON.stringify(got2) !== JSON.stringify(got), 'the snapshot filter changed nothing');
// a department: the report's department x grade rows
await page.select('#f-date', dates[dates.length - 1]);
for (const dim of ['department', 'duty_station']) {
  const opt = await page.$$eval('#f-dim option', (os, d) => os.map((o) => o.value).find((v) => v.startsWith(d + '\t')), dim);
  check(opt, `no ${dim} in the unit filter`);
  if (!opt) continue;
  await page.select('#f-dim', opt);
  const value = opt.split('\t')[1];
  const got3 = await gradeTable();
  const want3 = latest.tables[`by_${dim}_and_grade`].rows.filter((r) => r[dim] === value).map((r) =>
    [r.grade, dash(r.female, num), dash(r.male_other, num), dash(r.total, num), dash(r.female_share, pct), r.status ?? '–']);
  check(JSON.stringify(got3) === JSON.stringify(want3), `${dim} ${value}: the grade table differs from the report`);
  // the overview follows: the unit's share of all staff, its grade rows summed -- or withheld
  // when any of them withholds a count
  const unitRows = latest.tables[`by_${dim}_and_grade`].rows.filter((r) => r[dim] === value);
  const allShown = unitRows.every((r) => r.female !== null && r.total !== null);
  const sumF = unitRows.reduce((a, r) => a + r.female, 0), sumT = unitRows.reduce((a, r) => a + r.total, 0);
  const card = await page.$$eval('#cards .card', (cs) => [cs[0].children[0].textContent, cs[0].children[1].textContent]);
  check(card[0].includes(value) && card[1] === (allShown ? pct(sumF / sumT) : '–'),
    `${dim} ${value}: overview card ${JSON.stringify(card)}, the rows sum to ${allShown ? pct(sumF / sumT) : '– (a count withheld)'}`);
  // and its movements, the year's and the pooled: the report's unit x grade rows
  for (const which of ['movements_pooled', 'movements_year']) {
    await page.select('#f-moves', which);
    const moves = await page.$$eval('#t-moves tbody tr', (trs) => trs.map((tr) => [...tr.cells].slice(0, 7).map((c) => c.textContent)));
    const want = latest.tables[`${which}_by_${dim}_and_grade`].rows.filter((r) => r[dim] === value).map((r) => [r.grade,
      ...['hires', 'promotions', 'separations'].flatMap((e) => [dash(r[e + '_female'], num), dash(r[e + '_male_other'], num)])]);
    check(want.length > 0 && JSON.stringify(moves) === JSON.stringify(want),
      `${dim} ${value}, ${which}: the movements table ${JSON.stringify(moves)} differs from the report's ${JSON.stringify(want)}`);
    const caption = await page.$eval('#s-moves', (el) => el.textContent);
    check(caption.includes(value), `${which}: the caption does not name ${value}: ${caption}`);
  }
  await page.select('#f-moves', 'movements_pooled');
}
// the unit drives the trend and the pipeline too: a department's observed
// shares of a grade at each snapshot are the reports' department x grade
{
  const opt = await page.$$eval('#f-dim option', (os) => os.map((o) => o.value).find((v) => v.startsWith('department\t')));
  await page.select('#f-dim', opt);
  const value = opt.split('\t')[1];
  const grade = await page.$eval('#f-grade', (el) => el.value);
  const obs = await page.$$eval('#t-trend tbody tr', (trs) => trs.map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent]));
  const shown = dates.slice(-6);
  const want = shown.map((d) => {
    const r = report(d).tables.by_department_and_grade.rows.find((x) => x.department === value && x.grade === grade);
    return [d, r && r.female_share !== null ? +(100 * r.female_share).toFixed(1) + '%' : '–'];
  });
  check(JSON.stringify(obs.slice(0, shown.length)) === JSON.stringify(want),
    `department ${value}, ${grade}: trend view ${JSON.stringify(obs.slice(0, shown.length))} against the reports' ${JSON.stringify(want)}`);
  const flowCol = await page.$$eval('#t-trend tbody tr', (trs) => trs.map((tr) => tr.cells[4].textContent));
  check(flowCol.every((v) => v === '–'), 'a unit shows no organisation-wide flow projection as its own');
  const pipe = await page.$eval('#s-pipeline', (el) => el.textContent);
  check(pipe.includes(value), `the pipeline does not follow the unit: ${pipe}`);
}
// a unit's trend line: least squares through the shares the reports publish
// for it, fitted here again, equals the page's at the report date and a year on
{
  const shown = dates.slice(-6);
  const opts = await page.$$eval('#f-dim option', (os) => os.map((o) => o.value).filter((v) => v.startsWith('department\t')));
  const grades = await page.$$eval('#f-grade option', (os) => os.map((o) => o.value));
  let found = null;
  for (const opt of opts) {
    for (const grade of grades) {
      const pts = shown.map((d, i) => [i, report(d).tables.by_department_and_grade.rows.find((x) =>
        x.department === opt.split('\t')[1] && x.grade === grade)]).filter(([, r]) => r && r.female_share !== null);
      if (pts.length >= 4) { found = { opt, grade, pts: pts.map(([i, r]) => [i, r.female_share]) }; break; }
    }
    if (found) break;
  }
  check(found, 'no department and grade with four shares shown');
  if (found) {
    await page.select('#f-dim', found.opt);
    await page.select('#f-grade', found.grade);
    // the snapshots are a year apart (31 December): x in years from the first
    const n = found.pts.length, mx = found.pts.reduce((a, [x]) => a + x, 0) / n, my = found.pts.reduce((a, [, y]) => a + y, 0) / n;
    const slope = found.pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / found.pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
    const at = (x) => Math.min(1, Math.max(0, my + slope * (x - mx)));
    const rowsT = await page.$$eval('#t-trend tbody tr', (trs) => trs.map((tr) => [tr.cells[0].textContent, tr.cells[2].textContent]));
    const last = rowsT.findIndex((r) => r[0] === shown[shown.length - 1]);
    const near = (txt, v) => Math.abs(parseFloat(txt) - 100 * v) <= 0.1;
    check(last >= 0 && near(rowsT[last][1], at(shown.length - 1)) && near(rowsT[last + 1][1], at(shown.length)),
      `${found.opt.replace('\t', ' ')} ${found.grade}: trend ${JSON.stringify(rowsT.slice(last, last + 2))} against the fit of the shares shown ` +
      `${(100 * at(shown.length - 1)).toFixed(1)}, ${(100 * at(shown.length)).toFixed(1)}`);
    await page.select('#f-dim', '');
  }
}
// the trend view of a category: observed shares the reports' by category,
// the trend and the flow model `parity project --by category`'s
{
  await page.select('#f-dim', '');
  const chosen = await page.$eval('#f-grade', (el) => el.value);
  await page.select('#f-grade', 'category\tP');
  const shown = dates.slice(-6);
  const rowsT = await page.$$eval('#t-trend tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  const want = shown.map((d) => {
    const r = report(d).tables.representation_by_category.rows.find((x) => x.category === 'P');
    return r && r.female_share !== null ? +(100 * r.female_share).toFixed(1) + '%' : '–';
  });
  check(JSON.stringify(rowsT.slice(0, 6).map((r) => r[1])) === JSON.stringify(want),
    `category P: observed ${JSON.stringify(rowsT.slice(0, 6).map((r) => r[1]))} against the reports' ${JSON.stringify(want)}`);
  const proj = (method) => JSON.parse(execFileSync(parity, ['project', '--input', sample, '--config', cfg, '--by', 'category',
    '--method', method, '--horizon', '2030', '--format', 'json']).toString()).groups.find((g) => g.category === 'P');
  const year = rowsT[6][0];
  const pct1 = (v) => +(100 * v).toFixed(1) + '%';
  check(rowsT[6][2] === pct1(proj('trend').projection[year].female_share) &&
        rowsT[6][4] === pct1(proj('flow').projection[year].female_share),
    `category P, ${year}: trend ${rowsT[6][2]}, flow ${rowsT[6][4]} against parity project's`);
  await page.select('#f-grade', chosen);
}
// a category: only its grades
await page.select('#f-dim', '');
await page.select('#f-category', 'P');
{ // the overview follows it: all staff of category P is the report's category row
  const card = await page.$$eval('#cards .card', (cs) => [cs[0].children[0].textContent, cs[0].children[1].textContent]);
  const row = latest.tables.representation_by_category.rows.find((r) => r.category === 'P');
  check(card[0].includes('category P') && card[1] === dash(row.female_share, pct), `category P: overview card ${JSON.stringify(card)}`);
}
const got4 = (await gradeTable()).map((r) => r[0]);
check(got4.length > 0 && got4.every((g) => g.startsWith('P')), `category P shows ${got4}`);
await page.select('#f-category', '');
// a phone-width screen: no horizontal scroll
await page.setViewport({ width: 390, height: 800 });
// the charts redraw on the window's resize event: the width is read once
// they had the chance (a loaded machine may take a while), not before
await page.waitForFunction(() => document.documentElement.scrollWidth <= 400, { timeout: 10000 }).catch(() => {});
const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
check(scroll <= 400, `at 390 px the page is ${scroll} px wide`);
await page.setViewport({ width: 1280, height: 900 });
check(errors.length === 0, `console errors after the filters: ${errors.join(' | ')}`);
check(requests.length === 1, `network requests after the filters: ${requests.length}`);
await page.select('#f-grade', initialGrade);
if (shot) await page.screenshot({ path: shot, fullPage: true });
// printed to PDF (print styles: the filters not sticky, no view cut across pages)
await page.emulateMediaType('print');
const pdf = await page.pdf({ format: 'A4', printBackground: true });
check(pdf.length > 20000, `the PDF is ${pdf.length} bytes`);
check(Buffer.from(pdf).subarray(0, 5).toString() === '%PDF-', 'not a PDF');
check(errors.length === 0, `console errors when printing: ${errors.join(' | ')}`);
await browser.close();
if (failures) { console.log(`dashboard: ${failures} failures`); process.exit(1); }
console.log(`dashboard: ${size} bytes; no console error, no network request; 4 charts and ` +
  `${sparks} sparklines drawn; tables equal parity report's at two snapshots, for a department, ` +
  `a duty station (their movements too) and a category (a department's trend, its line fitted again, and pipeline too; a category's trend and flow model as parity project's); fits 390 px; prints to PDF`);
