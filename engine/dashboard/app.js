/* parity dashboard: draws the report's model (DATA, written by `parity
** dashboard`: one protected report per snapshot shown) with ECharts. Every
** number comes from DATA as it is; a withheld one (null) is shown as "–",
** never as 0. */
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const dash = '–';
  const pct = (v) => (v === null || v === undefined ? dash : (100 * v).toFixed(1) + '%');
  const num = (v) => (v === null || v === undefined ? dash : Number(v).toLocaleString('en'));
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const F = '#7b3294', M = '#008837';
  const charts = {};
  const chart = (id) => charts[id] || (charts[id] = echarts.init($(id), null, { renderer: 'svg' }));
  const base = { aria: { enabled: true, decal: { show: true } }, animation: false,
                 textStyle: { fontFamily: 'system-ui, sans-serif' } };

  const report = () => DATA.reports[$('f-date').value];
  const table = (name) => (report().tables || {})[name];
  const rows = (t) => (t ? t.rows.filter((r) => !r.is_total) : []);

  function htmlTable(cols, body) {
    return '<table><thead><tr>' + cols.map((c) => '<th scope="col">' + esc(c) + '</th>').join('') +
      '</tr></thead><tbody>' + body.map((r) => '<tr>' + r.map((v) => '<td>' + esc(v) + '</td>').join('') + '</tr>').join('') +
      '</tbody></table>';
  }

  // ---- filters --------------------------------------------------------
  function setupFilters() {
    const d = $('f-date');
    DATA.dates.forEach((x) => d.add(new Option(x, x)));
    d.value = DATA.dates[DATA.dates.length - 1];
    const cats = [...new Set(Object.values(DATA.grade_category))];
    cats.forEach((c) => $('f-category').add(new Option(c, c)));
    if (DATA.dimension) {
      $('l-dim').hidden = false;
      $('dim-name').textContent = DATA.dimension;
      const t = table('by_' + DATA.dimension + '_and_grade');
      const vals = [...new Set(rows(t).map((r) => r[DATA.dimension]).filter((v) => v !== '(withheld)'))].sort();
      vals.forEach((v) => $('f-dim').add(new Option(v, v)));
    }
    ['f-date', 'f-category', 'f-dim', 'f-mode', 'f-moves'].forEach((id) => $(id).addEventListener('change', draw));
  }
  const inCategory = (grade) => !$('f-category').value || DATA.grade_category[grade] === $('f-category').value;

  // ---- views ------------------------------------------------------------
  function overview() {
    const h = table('headline');
    const cards = rows(h).concat(h ? h.rows.filter((r) => r.is_total) : []);
    $('cards').innerHTML = cards.map((r, i) =>
      '<div class="card"><div>Women, ' + esc(r.population) + '</div><div class="v">' + pct(r.female_share) +
      '</div><div>' + (r.change_points === null || r.change_points === undefined ? dash
        : (r.change_points >= 0 ? '+' : '') + r.change_points.toFixed(1) + ' points') +
      '</div><div class="spark" id="spark' + i + '" role="img" aria-label="trend of the share"></div></div>').join('') +
      '<div class="card"><div>Glass ceiling index</div><div class="v">' +
      (report().headline && report().headline.glass_ceiling_index ? report().headline.glass_ceiling_index.toFixed(2) : dash) +
      '</div><div>1 = no ceiling</div></div>';
    cards.forEach((r, i) => {
      const ys = DATA.dates.map((d) => {
        const t = DATA.reports[d].tables.headline;
        const row = t ? t.rows.find((x) => x.population === r.population) : null;
        return row && row.female_share !== null ? +(100 * row.female_share).toFixed(1) : null;
      });
      echarts.init($('spark' + i), null, { renderer: 'svg' }).setOption(Object.assign({}, base, {
        grid: { left: 2, right: 2, top: 4, bottom: 4 }, xAxis: { type: 'category', show: false, data: DATA.dates },
        yAxis: { type: 'value', show: false, scale: true }, tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null ? dash : v + '%') },
        series: [{ type: 'line', data: ys, symbol: 'none', lineStyle: { color: F } }] }));
    });
  }

  function gradeRows() {
    const dim = $('f-dim').value;
    if (dim && DATA.dimension) {
      return rows(table('by_' + DATA.dimension + '_and_grade')).filter((r) => r[DATA.dimension] === dim && inCategory(r.grade));
    }
    return rows(table('representation_by_grade')).filter((r) => inCategory(r.grade));
  }

  function grades() {
    const rs = gradeRows();
    const share = $('f-mode').value === 'share';
    const x = rs.map((r) => r.grade);
    const val = (r, k) => (share ? (r.total ? (r[k] === null ? null : +(100 * r[k] / r.total).toFixed(1)) : null) : r[k]);
    $('s-grade').textContent = (share ? "Women's and others' shares (%)" : 'Staff (people)') + ' by grade at ' + $('f-date').value +
      ($('f-dim').value ? ', ' + DATA.dimension + ' ' + $('f-dim').value : '') + '; the dashed line is 50%, the band the parity band';
    const mark = share ? { markLine: { silent: true, symbol: 'none', data: [{ yAxis: 50 }], lineStyle: { type: 'dashed', color: '#333' } },
      markArea: { silent: true, itemStyle: { color: 'rgba(0,0,0,0.06)' }, data: [[{ yAxis: 50 - 100 * DATA.band }, { yAxis: 50 + 100 * DATA.band }]] } } : {};
    chart('c-grade').setOption(Object.assign({}, base, {
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? dash + ' (withheld)' : v + (share ? '%' : '')) },
      legend: { data: ['women (F)', 'men and another sex (M+X)'] }, grid: { left: 50, right: 10, bottom: 40 },
      xAxis: { type: 'category', data: x, name: 'grade', nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'value', name: share ? '%' : 'people', max: share ? 100 : null },
      series: [Object.assign({ name: 'women (F)', type: 'bar', data: rs.map((r) => val(r, 'female')), itemStyle: { color: F } }, mark),
        { name: 'men and another sex (M+X)', type: 'bar', data: rs.map((r) => val(r, 'male_other')), itemStyle: { color: M } }] }), true);
    $('t-grade').innerHTML = htmlTable(['grade', 'F', 'M+X', 'total', 'F share', 'status'],
      rs.map((r) => [r.grade, num(r.female), num(r.male_other), num(r.total), pct(r.female_share), r.status === null ? dash : r.status]));
  }

  function pipeline() {
    const x = rows(DATA.reports[DATA.dates[DATA.dates.length - 1]].tables.representation_by_grade).map((r) => r.grade).filter(inCategory);
    const series = DATA.dates.map((d) => {
      const t = DATA.reports[d].tables.representation_by_grade;
      return { name: d, type: 'line', connectNulls: false,
        data: x.map((g) => { const r = t ? rows(t).find((y) => y.grade === g) : null; return r && r.female_share !== null ? +(100 * r.female_share).toFixed(1) : null; }) };
    });
    chart('c-pipeline').setOption(Object.assign({}, base, {
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? dash : v + '%') },
      legend: { type: 'scroll' }, grid: { left: 50, right: 10, bottom: 40 },
      xAxis: { type: 'category', data: x, name: 'grade', nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'value', name: "women's share, %", min: 0, max: 100 }, series }), true);
    $('t-pipeline').innerHTML = htmlTable(['grade'].concat(DATA.dates),
      x.map((g, i) => [g].concat(series.map((s) => (s.data[i] === null ? dash : s.data[i] + '%')))));
  }

  function trend() {
    const p = table('projections');
    const rs = rows(p).filter((r) => inCategory(r.grade));
    const year = p ? (p.columns.find((c) => c.name.startsWith('flow_female_share_')) || { name: '' }).name.slice(-4) : '';
    $('s-trend').textContent = "Women's share by grade (%): observed at the snapshots shown, and the flow model's projection for " + year +
      ' (the pipeline stepped forward at today\u2019s rates); the band is the parity band';
    const x = DATA.dates.concat(year ? [year] : []);
    const series = [];
    rs.forEach((r) => {
      const obs = DATA.dates.map((d) => { const t = DATA.reports[d].tables.representation_by_grade; const y = t ? rows(t).find((z) => z.grade === r.grade) : null; return y && y.female_share !== null ? +(100 * y.female_share).toFixed(1) : null; });
      const proj = r['flow_female_share_' + year];
      series.push({ name: r.grade, type: 'line', data: obs.concat([proj === null || proj === undefined ? null : +(100 * proj).toFixed(1)]),
        connectNulls: true, lineStyle: { width: 1.5 } });
    });
    if (series.length) series[0].markArea = { silent: true, itemStyle: { color: 'rgba(0,0,0,0.06)' }, data: [[{ yAxis: 50 - 100 * DATA.band }, { yAxis: 50 + 100 * DATA.band }]] };
    chart('c-trend').setOption(Object.assign({}, base, {
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? dash : v + '%') },
      legend: { type: 'scroll' }, grid: { left: 50, right: 10, bottom: 40 },
      xAxis: { type: 'category', data: x, name: 'snapshot / projected year', nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'value', name: "women's share, %", min: 0, max: 100 }, series }), true);
    $('t-trend').innerHTML = htmlTable(['grade', 'F share', 'trend (points/yr)', 'trend parity year', 'flow ' + year, 'flow parity year'],
      rs.map((r) => [r.grade, pct(r.female_share), r.trend_slope_points === null || r.trend_slope_points === undefined ? dash : r.trend_slope_points.toFixed(2),
        r.trend_parity_year === null || r.trend_parity_year === undefined ? dash : r.trend_parity_year, pct(r['flow_female_share_' + year]),
        r.flow_parity_year === null || r.flow_parity_year === undefined ? dash : r.flow_parity_year]));
  }

  function moves() {
    const t = table($('f-moves').value);
    if (!t) { $('s-moves').textContent = 'Not in this report (see the notes).'; chart('c-moves').clear(); $('t-moves').innerHTML = ''; return; }
    $('s-moves').textContent = t.title + ': people; a grade whose rate for women fails the four-fifths rule against the others is marked \u26a0';
    const rs = rows(t).filter((r) => inCategory(r.grade));
    const ev = [['hires', 'hires'], ['promotions', 'promotions'], ['separations', 'separations']];
    const series = [];
    ev.forEach(([k, label]) => {
      series.push({ name: label + ' F', type: 'bar', stack: k, data: rs.map((r) => r[k + '_female']), itemStyle: { color: F } });
      series.push({ name: label + ' M+X', type: 'bar', stack: k, data: rs.map((r) => r[k + '_male_other']), itemStyle: { color: M } });
    });
    const flag = (r) => (r.separation_fails_four_fifths || r.promotion_fails_four_fifths ? ' \u26a0' : '');
    chart('c-moves').setOption(Object.assign({}, base, {
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? dash + ' (withheld)' : v) },
      legend: { type: 'scroll' }, grid: { left: 50, right: 10, bottom: 40 },
      xAxis: { type: 'category', data: rs.map((r) => r.grade + flag(r)), name: 'grade', nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'value', name: 'people' }, series }), true);
    $('t-moves').innerHTML = htmlTable(['grade', 'hires F', 'hires M+X', 'promotions F', 'promotions M+X', 'separations F', 'separations M+X', 'promotion impact ratio', 'separation impact ratio'],
      rs.map((r) => [r.grade, num(r.hires_female), num(r.hires_male_other), num(r.promotions_female), num(r.promotions_male_other), num(r.separations_female), num(r.separations_male_other),
        r.promotion_impact_ratio === null ? dash : r.promotion_impact_ratio.toFixed(2) + (r.promotion_fails_four_fifths ? ' (fails 4/5)' : ''),
        r.separation_impact_ratio === null ? dash : r.separation_impact_ratio.toFixed(2) + (r.separation_fails_four_fifths ? ' (fails 4/5)' : '')]));
  }

  function targets() {
    const t = table('targets');
    if (!t) { $('t-targets').innerHTML = '<p>No targets in the configuration.</p>'; return; }
    $('t-targets').innerHTML = htmlTable(['target', 'status', 'now', 'by', 'needed share of hires'],
      t.rows.map((r) => [r.target, r.status || dash, pct(r.current), r.year, pct(r.required_hire_share)]));
    [...$('t-targets').querySelectorAll('tbody tr')].forEach((tr, i) => {
      const s = t.rows[i].status || 'none';
      tr.cells[1].innerHTML = '<span class="light ' + esc(s) + '" aria-hidden="true"></span>' + esc(s.replace('_', ' '));
    });
  }

  function notes() {
    const r = report();
    $('subtitle').textContent = 'At ' + r.report_date + '; counts from 1 to ' + (DATA.min_cell - 1) +
      ' are withheld (\u2013) with those that would give them away; aggregates only, no person is shown.';
    $('notes').innerHTML = (r.notes || []).map((n) => '<p>' + esc(n) + '</p>').join('') +
      (r.sections_missing || []).map((m) => '<p>Not shown: ' + esc(m.section) + ': ' + esc(m.reason) + '.</p>').join('') +
      '<p>parity ' + esc(DATA.parity_version) + '.</p>';
  }

  function draw() { overview(); grades(); pipeline(); trend(); moves(); targets(); notes(); }

  setupFilters();
  draw();
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  window.parityDashboardReady = true;
})();
