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

  // tables come as "cols" and rows of values: made objects again
  Object.values(DATA.reports).forEach((rep) => Object.values(rep.tables || {}).forEach((t) => {
    t.rows = t.rows.map((a) => Object.fromEntries(t.cols.map((c, i) => [c, a[i]])));
  }));
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
    // one list of every breakdown's values, grouped by breakdown: the value
    // of an option is "dimension<TAB>value"
    (DATA.dimensions || []).forEach((d) => {
      const t = table(d.table);
      const vals = [...new Set(rows(t).map((r) => r[d.name]).filter((v) => v !== '(withheld)'))].sort();
      if (!vals.length) return;
      $('l-dim').hidden = false;
      const g = document.createElement('optgroup');
      g.label = d.name;
      vals.forEach((v) => g.appendChild(new Option(v, d.name + '\t' + v)));
      $('f-dim').appendChild(g);
    });
    // the grades named (a grade too small to name is "(withheld)": no line to follow)
    const grades = rows(table('representation_by_grade')).map((r) => r.grade).filter((g) => g !== '(withheld)');
    // the trend view's choice: a grade, or a category ("category<TAB>GS")
    const og = document.createElement('optgroup');
    og.label = 'grades';
    grades.forEach((g) => og.appendChild(new Option(g, g)));
    $('f-grade').appendChild(og);
    const tcats = cats.filter((c) => (DATA.trend_category || []).some((r) => r.category === c));
    if (tcats.length) {
      const oc = document.createElement('optgroup');
      oc.label = 'categories';
      tcats.forEach((c) => oc.appendChild(new Option('category ' + c, 'category\t' + c)));
      $('f-grade').appendChild(oc);
    }
    const firstTarget = (DATA.targets || []).map((t) => t.scope.replace('grade=', '')).find((g) => grades.includes(g));
    $('f-grade').value = firstTarget || grades[grades.length - 1];
    ['f-date', 'f-category', 'f-dim', 'f-mode', 'f-moves', 'f-grade'].forEach((id) => $(id).addEventListener('change', draw));
  }
  const inCategory = (grade) => !$('f-category').value || DATA.grade_category[grade] === $('f-category').value;

  // ---- views ------------------------------------------------------------
  // The headline rows of report d for the filters: the report's own for the
  // organisation; for a unit or a category, each headline population's
  // grades (within the category) summed from the rows the reports publish
  // -- the unit's, or the organisation's by grade -- a share only where
  // every row summed shows its counts (no count worked out that the report
  // withholds); the category's own row when that is the population.
  function headRows(d) {
    const rep = DATA.reports[d], c = $('f-category').value, u = unit();
    const h = rep.tables.headline;
    if (!c && !u) return h ? rows(h).concat(h.rows.filter((r) => r.is_total)) : [];
    const out = [], seen = new Set();
    Object.entries(rep.populations || {}).forEach(([pop, grades]) => {
      const gs = grades.filter((g) => !c || DATA.grade_category[g] === c);
      if (!gs.length || seen.has(gs.join())) return;
      seen.add(gs.join());
      const name = (c ? (gs.length === grades.length ? pop : pop + ', category ' + c) : pop) + (u ? ', ' + u.value : '');
      // the whole category, for the organisation: its row in the category table
      const whole = !u && c && rows(rep.tables.representation_by_grade).every((r) => DATA.grade_category[r.grade] !== c || gs.includes(r.grade));
      const catRow = whole && rep.tables.representation_by_category ? rows(rep.tables.representation_by_category).find((r) => r.category === c) : null;
      if (catRow) {
        out.push({ population: name, female_share: catRow.female_share, key: pop });
        return;
      }
      let f = 0, t = 0, ok = true;
      gradeTable(d).filter((r) => gs.includes(r.grade)).forEach((r) => {
        if (r.female === null || r.total === null) ok = false; else { f += r.female; t += r.total; }
      });
      out.push({ population: name, female_share: ok && t > 0 ? f / t : null, key: pop });
    });
    return out;
  }

  function overview() {
    const u = unit(), c = $('f-category').value;
    const cards = headRows($('f-date').value);
    const at = DATA.dates.indexOf($('f-date').value);
    if (u || c) cards.forEach((r) => {
      const p = at > 0 ? headRows(DATA.dates[at - 1]).find((x) => x.key === r.key) : null;
      r.change_points = p && p.female_share !== null && r.female_share !== null ? 100 * (r.female_share - p.female_share) : null;
    });
    $('cards').innerHTML = cards.map((r, i) =>
      '<div class="card"><div>Women, ' + esc(r.population) + '</div><div class="v">' + pct(r.female_share) +
      '</div><div>' + (r.change_points === null || r.change_points === undefined ? dash
        : (r.change_points >= 0 ? '+' : '') + r.change_points.toFixed(1) + ' points') +
      '</div><div class="spark" id="spark' + i + '" role="img" aria-label="trend of the share"></div></div>').join('') +
      '<div class="card"><div>Glass ceiling index' + (u || c ? ', the organisation' : '') + '</div><div class="v">' +
      (report().headline && report().headline.glass_ceiling_index ? report().headline.glass_ceiling_index.toFixed(2) : dash) +
      '</div><div>1 = no ceiling</div></div>' +
      '<div class="card"><div>Parity, all staff' + (u || c ? ' of the organisation' : '') + ', at the current pace</div><div class="v">' +
      (report().headline && report().headline.parity_year ? report().headline.parity_year
        : (report().headline && report().headline.parity_status === 'reached' ? 'reached' : dash)) +
      '</div><div>' + esc((report().headline && report().headline.parity_reason) || 'the trend line of the share') + '</div></div>';
    cards.forEach((r, i) => {
      const ys = DATA.dates.map((d) => {
        const row = headRows(d).find((x) => (u || c ? x.key === r.key : x.population === r.population));
        return row && row.female_share !== null && row.female_share !== undefined ? +(100 * row.female_share).toFixed(1) : null;
      });
      echarts.init($('spark' + i), null, { renderer: 'svg' }).setOption(Object.assign({}, base, {
        grid: { left: 2, right: 2, top: 4, bottom: 4 }, xAxis: { type: 'category', show: false, data: DATA.dates },
        yAxis: { type: 'value', show: false, scale: true }, tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null ? dash : v + '%') },
        series: [{ type: 'line', data: ys, symbol: 'none', lineStyle: { color: F } }] }));
    });
  }

  const unit = () => { const v = $('f-dim').value; if (!v) return null; const [name, value] = v.split('\t'); return { name, value }; };
  // the rows by grade of report d: the organisation's, or the unit's
  const gradeTable = (d) => {
    const u = unit();
    if (!u) return rows(DATA.reports[d].tables.representation_by_grade);
    const dim = (DATA.dimensions || []).find((x) => x.name === u.name);
    return rows(DATA.reports[d].tables[dim.table]).filter((r) => r[u.name] === u.value);
  };
  const gradeRows = () => gradeTable($('f-date').value).filter((r) => inCategory(r.grade));

  function grades() {
    const rs = gradeRows();
    const share = $('f-mode').value === 'share';
    const x = rs.map((r) => r.grade);
    const val = (r, k) => (share ? (r.total ? (r[k] === null ? null : +(100 * r[k] / r.total).toFixed(1)) : null) : r[k]);
    $('s-grade').textContent = (share ? "Women's and others' shares (%)" : 'Staff (people)') + ' by grade at ' + $('f-date').value +
      (unit() ? ', ' + unit().name + ' ' + unit().value : '') + '; the dashed line is 50%, the band the parity band' +
      (unit() ? ' (projections are of the whole organisation)' : '');
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
    const x = rows(DATA.reports[DATA.dates[DATA.dates.length - 1]].tables.representation_by_grade).map((r) => r.grade)
      .filter((g) => g !== '(withheld)' && inCategory(g));
    const series = DATA.dates.map((d) => {
      const t = gradeTable(d);
      return { name: d, type: 'line', connectNulls: false,
        data: x.map((g) => { const r = t.find((y) => y.grade === g); return r && r.female_share !== null ? +(100 * r.female_share).toFixed(1) : null; }) };
    });
    $('s-pipeline').textContent = "Women's share by grade (%), one line per snapshot" + (unit() ? ', ' + unit().name + ' ' + unit().value : '') +
      ': where the pipeline leaks';
    chart('c-pipeline').setOption(Object.assign({}, base, {
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? dash : v + '%') },
      legend: { type: 'scroll' }, grid: { left: 50, right: 10, bottom: 40 },
      xAxis: { type: 'category', data: x, name: 'grade', nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'value', name: "women's share, %", min: 0, max: 100 }, series }), true);
    $('t-pipeline').innerHTML = htmlTable(['grade'].concat(DATA.dates),
      x.map((g, i) => [g].concat(series.map((s) => (s.data[i] === null ? dash : s.data[i] + '%')))));
  }

  // observed share of grade g at each date shown (%, null when withheld)
  // (a category's: the organisation's category table; a unit publishes its grades only)
  const observed = (g, cat) => DATA.dates.map((d) => {
    const y = cat ? (unit() ? null : rows(DATA.reports[d].tables.representation_by_category).find((z) => z.category === g))
      : gradeTable(d).find((z) => z.grade === g);
    return y && y.female_share !== null ? +(100 * y.female_share).toFixed(1) : null;
  });
  const r1 = (v) => (v === null || v === undefined ? null : +(100 * v).toFixed(1));

  // a unit's trend line as the organisation's rows have it: {fitted_share, projection: {year: {female_share, pi95}}}
  function unitTrend(u, g) {
    const t = (DATA.unit_trend || {})[u.name + '\t' + u.value + '\t' + g];
    if (!t) return null;
    const projection = {};
    t.share.forEach((v, i) => { projection[t.first + i] = { female_share: v, pi95: [t.lo[i], t.hi[i]] }; });
    return { points: t.points, fitted_share: t.fitted_share, projection };
  }

  function trend() {
    const sel = $('f-grade').value;
    const cat = sel.startsWith('category\t');
    const g = cat ? sel.split('\t')[1] : sel;
    const what = (cat ? 'category ' : '') + g;
    const u = unit();
    // a unit: the line through the shares its table publishes (the engine fits it); the flow
    // model is the organisation's
    const tr = cat ? (u ? null : (DATA.trend_category || []).find((r) => r.category === g))
      : u ? unitTrend(u, g) : (DATA.trend || []).find((r) => r.grade === g);
    const fl = u ? null : (cat ? DATA.flow_category || [] : DATA.flow || []).find((r) => r[cat ? 'category' : 'grade'] === g);
    const years = tr && tr.projection ? Object.keys(tr.projection) : fl && fl.projection ? Object.keys(fl.projection) : [];
    const x = DATA.dates.concat(years);
    const pad = (a) => a.concat(years.map(() => null));
    const lead = DATA.dates.map(() => null);
    const last = DATA.dates.length - 1;
    const fitted = tr && tr.fitted_share !== null ? r1(tr.fitted_share) : null;
    const trendLine = lead.slice(0, last).concat([fitted]).concat(years.map((y) => r1(tr && tr.projection[y] ? tr.projection[y].female_share : null)));
    const lo = lead.concat(years.map((y) => (tr && tr.projection[y] && tr.projection[y].pi95 ? r1(tr.projection[y].pi95[0]) : null)));
    const hi = lead.concat(years.map((y) => (tr && tr.projection[y] && tr.projection[y].pi95 ? r1(tr.projection[y].pi95[1]) : null)));
    const obs = observed(g, cat);
    const flowLine = lead.slice(0, last).concat([fl ? obs[last] : null]).concat(years.map((y) => r1(fl && fl.projection[y] ? fl.projection[y].female_share : null)));
    const target = (DATA.targets || []).find((t) => t.scope === (u ? u.name + '=' + u.value + ',' : '') + (cat ? 'category=' : 'grade=') + g);
    $('s-trend').textContent = u && cat
      ? 'A unit\u2019s shares are published by grade: choose a grade, or clear the unit filter for ' + what
      : u
      ? "Women's share in " + g + ', ' + u.name + ' ' + u.value + ' (%), observed at each snapshot' +
        (tr ? '; the trend line through the shares shown (' + tr.points + ' snapshots) to ' + (years[years.length - 1] || '') + ' with its 95% band'
          : '; too few shares shown for a trend line (3 needed)') +
        '; the grey band is the parity band' + (target ? '; the diamond is the target' : '') +
        '. The flow model is made for the whole organisation: clear the unit filter to see it'
      : "Women's share in " + what + ' (%): observed; the trend line to ' + (years[years.length - 1] || '') +
      ' with its 95% band; the flow model (the pipeline at today\u2019s rates) beside it; the grey band is the parity band' +
      (target ? '; the diamond is the target' : '');
    const band = { silent: true, itemStyle: { color: 'rgba(0,0,0,0.06)' }, data: [[{ yAxis: 50 - 100 * DATA.band }, { yAxis: 50 + 100 * DATA.band }]] };
    chart('c-trend').setOption(Object.assign({}, base, {
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? dash : v + '%') },
      legend: { data: ['observed', 'trend', 'flow model'] }, grid: { left: 50, right: 10, bottom: 40 },
      xAxis: { type: 'category', data: x, name: 'snapshot / projected year', nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'value', name: "women's share, %", min: 0, max: 100 },
      series: [
        { name: 'band-low', type: 'line', data: lo, stack: 'pi', symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false } },
        { name: 'band', type: 'line', data: hi.map((v, i) => (v === null || lo[i] === null ? null : +(v - lo[i]).toFixed(1))), stack: 'pi',
          symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: 'rgba(123,50,148,0.15)' }, tooltip: { show: false } },
        { name: 'observed', type: 'line', data: pad(obs), itemStyle: { color: '#222' }, markArea: band,
          markPoint: target ? { symbol: 'diamond', symbolSize: 14, data: [{ coord: [String(target.year), 100 * target.share], value: 'target' }] } : undefined },
        { name: 'trend', type: 'line', data: trendLine, lineStyle: { type: 'dashed' }, itemStyle: { color: F }, connectNulls: true },
        { name: 'flow model', type: 'line', data: flowLine, lineStyle: { type: 'dotted', width: 2 }, itemStyle: { color: M }, connectNulls: true }] }), true);
    $('t-trend').innerHTML = htmlTable(['year', 'observed', 'trend', 'trend 95% band', 'flow model'],
      x.map((y, i) => [y, obs[i] === null || obs[i] === undefined ? dash : obs[i] + '%', trendLine[i] === null ? dash : trendLine[i] + '%',
        lo[i] === null ? dash : lo[i] + '-' + hi[i] + '%', flowLine[i] === null ? dash : flowLine[i] + '%']));
  }

  // the movements (year or pooled) of the organisation, or of the unit
  function moves() {
    const u = unit();
    const which = $('f-moves').value; // movements_year or movements_pooled
    const dim = u ? (DATA.dimensions || []).find((x) => x.name === u.name) : null;
    const t = table(dim ? dim[which.replace('movements_', '')] : which);
    if (!t) { $('s-moves').textContent = 'Not in this report (see the notes).'; chart('c-moves').clear(); $('t-moves').innerHTML = ''; return; }
    $('s-moves').textContent = t.title + (u ? ', ' + u.name + ' ' + u.value : '') +
      ': people; a grade whose rate for women fails the four-fifths rule against the others is marked \u26a0';
    const rs = rows(t).filter((r) => (!u || r[u.name] === u.value) && inCategory(r.grade));
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
    // a unit: the targets whose scope names it
    const u = unit();
    const tr = u ? t.rows.filter((r) => String(r.target).split(',').some((p) => p.trim() === u.name + '=' + u.value)) : t.rows;
    if (u && !tr.length) {
      $('t-targets').innerHTML = '<p>No target names ' + esc(u.name + ' ' + u.value) + '; clear the unit filter for the organisation\u2019s.</p>';
      return;
    }
    $('t-targets').innerHTML = htmlTable(['target', 'status', 'now', 'by', 'needed share of hires'],
      tr.map((r) => [r.target, r.status || dash, pct(r.current), r.year, pct(r.required_hire_share)]));
    [...$('t-targets').querySelectorAll('tbody tr')].forEach((row, i) => {
      const s = tr[i].status || 'none';
      row.cells[1].innerHTML = '<span class="light ' + esc(s) + '" aria-hidden="true"></span>' + esc(s.replace('_', ' '));
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
