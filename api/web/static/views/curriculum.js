// Curriculum mapping: courses in, a coverage heatmap (courses × target tasks and skills) out.
import { post } from '../api.js';
import { fromFile, fromLines, toLines } from '../courses.js';
import { errorWithRetry, h, occLink, progress, s, scrollRegion } from '../dom.js';
import { fill, getLang, nameOf, t } from '../i18n.js';
import { csvButton, exportBar, fileName, svgButton } from '../export.js';
import { kindBadge } from '../kind.js';

const MAX_COURSES = 200;
const EXAMPLE = [
  '网络安全基础: 网络协议、防火墙配置、入侵检测与安全策略',
  '渗透测试实践: 信息收集、漏洞扫描、漏洞验证与渗透测试报告编写',
  '密码学应用: 对称与非对称加密、数字证书、密码应用安全性评估',
  'Python 编程: 脚本编写、自动化安全工具开发',
  '数据安全与隐私保护: 数据分类分级、脱敏、个人信息保护合规',
].join('\n');

// Sequential scale from pale slate to deep blue; stops in [0, 1].
const STOPS = [[0, [241, 245, 249]], [0.35, [191, 219, 254]], [0.7, [59, 130, 246]], [1, [30, 58, 138]]];
function colour(v) {
  v = Math.min(1, Math.max(0, v));
  for (let i = 1; i < STOPS.length; i++) {
    const [p1, c1] = STOPS[i], [p0, c0] = STOPS[i - 1];
    if (v <= p1) {
      const f = (v - p0) / (p1 - p0);
      return `rgb(${c0.map((c, k) => Math.round(c + f * (c1[k] - c))).join(',')})`;
    }
  }
  return 'rgb(30,58,138)';
}

// Rough rendered width at 12px: CJK characters are square, Latin ones about half as wide.
const textWidth = (x) => [...x].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 12 : 6.6), 0);

function fit(text, px) {
  if (textWidth(text) <= px) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(out + ch) > px - 10) break;
    out += ch;
  }
  return out.trimEnd() + '…';
}

const STATUS_COLOUR = { covered: '#059669', partial: '#f59e0b', missing: '#e11d48' };
// the coverage strip and its legend say the status in a mark too, not by colour alone
const STATUS_MARK = { covered: '✓', partial: '◐', missing: '✗' };
// an item's name in the current language (tasks from 002 and skills and occupations have English)
const label = (it) => (getLang() === 'en' && it.name_en) || it.name;

function heatmap(data) {
  const { courses, items, scores, thresholds } = data;
  // scores are calibrated chances in [0, 1], so the scale is absolute: an unrelated course stays pale
  // (stretching it over the matrix's own range once painted cooking courses dark blue on security tasks)
  const lo = 0, hi = 1;
  const norm = (x) => x;
  // cells grow when there are few columns; the header is as tall as the longest rotated label
  const CELL = Math.max(26, Math.min(54, Math.floor(900 / Math.max(items.length, 1))));
  const LABEL_PX = 150, LEFT = 190, GROUP = 20;
  const TOP = GROUP + 18 + Math.ceil(Math.max(40, ...items.map((it) => textWidth(fit(it.name, LABEL_PX)))) * Math.sin((55 * Math.PI) / 180));
  const width = LEFT + items.length * CELL + 60, height = TOP + courses.length * CELL + 40;
  const status = Object.fromEntries(data.map.coverage.map((c) => [c.id, c]));
  const svg = s('svg', { id: 'heatmap', class: 'heatmap', viewBox: `0 0 ${width} ${height}`, width, height });

  // group headers over the task and skill columns
  for (const kind of ['task', 'skill']) {
    const cols = items.map((it, j) => (it.kind === kind ? j : -1)).filter((j) => j >= 0);
    if (!cols.length) continue;
    const x0 = LEFT + cols[0] * CELL, x1 = LEFT + (cols[cols.length - 1] + 1) * CELL;
    svg.append(s('line', { x1: x0 + 2, x2: x1 - 2, y1: GROUP, y2: GROUP, stroke: kind === 'task' ? '#6366f1' : '#059669', 'stroke-width': 3 }),
      s('text', { x: (x0 + x1) / 2, y: GROUP - 6, 'text-anchor': 'middle', class: 'group-label' }, t(`cur.items_${kind}`)));
  }
  items.forEach((it, j) => {
    const x = LEFT + j * CELL + CELL / 2;
    svg.append(s('text', { x: x - 4, y: TOP - 8, transform: `rotate(-55 ${x - 4} ${TOP - 8})`, class: 'col-label',
      'data-info': it.name_en ? `${it.name} · ${it.name_en}` : it.name },
      s('title', {}, it.name_en ? `${it.name}\n${it.name_en}` : it.name), fit(label(it), LABEL_PX)));
  });
  courses.forEach((course, i) => {
    const y = TOP + i * CELL;
    svg.append(s('text', { x: LEFT - 8, y: y + CELL / 2 + 4, 'text-anchor': 'end', class: 'row-label', 'data-info': course },
      s('title', {}, course), fit(course, LEFT - 20)));
    items.forEach((it, j) => {
      const v = scores[i][j];
      // the best course is outlined only where it covers the item at least partly: a red box on a pale
      // cell would point at a course that covers nothing
      const best = status[it.id]?.best_course === course && status[it.id]?.status !== 'missing';
      const info = `${course} × ${label(it)}: ${Math.round(v * 100)}% · ${t(`cur.${band(v, thresholds)}`)}`;
      svg.append(s('rect', { class: 'cell', x: LEFT + j * CELL + 1, y: y + 1, width: CELL - 2, height: CELL - 2, rx: 3,
        fill: colour(norm(v)), stroke: best ? '#f43f5e' : 'none', 'stroke-width': best ? 2 : 0, 'data-score': v, 'data-info': info },
        s('title', {}, info)),
      // the value written in the cell: readable without telling colours apart, and on a screen without hover
      s('text', { class: `cell-value${norm(v) > 0.55 ? ' on-dark' : ''}`, x: LEFT + j * CELL + CELL / 2, y: y + CELL / 2 + 3.5,
        'text-anchor': 'middle', 'data-info': info }, Math.round(v * 100)));
    });
  });
  // coverage status of each column, below the matrix
  const yStatus = TOP + courses.length * CELL + 8;
  items.forEach((it, j) => {
    const st = status[it.id]?.status || 'missing';
    const info = `${label(it)}: ${t(`cur.${st}`)}`;
    svg.append(s('rect', { class: `status status-${st}`, x: LEFT + j * CELL + CELL / 2 - 8, y: yStatus, width: 16, height: 16, rx: 3,
      fill: STATUS_COLOUR[st], 'data-info': info }, s('title', {}, info)),
    s('text', { class: 'status-mark', x: LEFT + j * CELL + CELL / 2, y: yStatus + 12, 'text-anchor': 'middle', 'data-info': info },
      STATUS_MARK[st]));
  });
  return { svg, lo, hi };
}

function band(v, th) {
  return v >= th.covered ? 'covered' : v >= th.partial ? 'partial' : 'missing';
}

function legend(lo, hi, thresholds) {
  // the two thresholds sit close together (0.83 and 0.86 once, their labels printed over each other):
  // the lower one's label runs left from its tick and the upper one's right, so they never meet
  const W = 300, X = 110, Y = 20;
  const stops = STOPS.map(([p, c]) => s('stop', { offset: `${p * 100}%`, 'stop-color': `rgb(${c.join(',')})` }));
  const at = (v) => X + ((v - lo) / (hi - lo)) * W;
  const tick = (v, label, above, anchor = 'middle') => [
    s('line', { x1: at(v), x2: at(v), y1: above ? Y - 4 : Y, y2: above ? Y + 14 : Y + 18, stroke: '#334155' }),
    s('text', { x: at(v) + (anchor === 'start' ? 2 : anchor === 'end' ? -2 : 0), y: above ? Y - 7 : Y + 30, 'text-anchor': anchor,
      class: 'tick-label' }, label)];
  return h('div', { class: 'heat-legend' },
    s('svg', { id: 'heat-legend', viewBox: `0 0 ${W + 2 * X} ${Y + 36}`, width: W + 2 * X, height: Y + 36 },
      s('defs', {}, s('linearGradient', { id: 'heat-grad' }, stops)),
      s('rect', { x: X, y: Y, width: W, height: 14, fill: 'url(#heat-grad)', rx: 3 }),
      tick(lo, '0%', false), tick(hi, '100%', false),
      tick(thresholds.partial, `${t('cur.partial')} ≥ ${Math.round(thresholds.partial * 100)}%`, true, 'end'),
      tick(thresholds.covered, `${t('cur.covered')} ≥ ${Math.round(thresholds.covered * 100)}%`, true, 'start')),
    h('p', { class: 'muted' }, t('cur.scale')),
    // the keys: a row of their own, each swatch and label one unit that never breaks
    h('div', { class: 'heat-keys' },
      ['covered', 'partial', 'missing'].map((st) =>
        h('span', { class: 'legend-item' }, h('i', { class: 'mark', style: { background: STATUS_COLOUR[st] } }, STATUS_MARK[st]), t(`cur.${st}`))),
      h('span', { class: 'legend-item' }, h('i', { class: 'best' }), t('cur.best'))));
}

function results(data) {
  const m = data.map;
  const { svg, lo, hi } = heatmap(data);
  const summary = m.coverage_summary;
  // a tap (touch screens show no hover titles) on a label, cell or status mark writes its whole text here
  const info = h('p', { class: 'heat-info muted', id: 'heat-info', 'aria-live': 'polite' }, t('cur.tap'));
  svg.addEventListener('click', (e) => {
    const el = e.target.closest('[data-info]');
    if (el) info.textContent = el.dataset.info;
  });
  return h('div', { id: 'curriculum-result' },
    h('section', { class: 'card' },
      h('h2', {}, `${t('cur.heatmap')}: `, occLink(data.target.code || data.target.name_zh, nameOf(data.target)), ' ',
        kindBadge(m.coverage[0]?.provenance)),
      data.target_chosen ? h('p', { class: 'notice' }, t('cur.auto'), ' ', nameOf(data.target)) : null,
      m.unrelated ? h('p', { class: 'notice unrelated', role: 'status' }, t('cur.unrelated')) : null,
      h('p', { class: 'summary' }, ['covered', 'partial', 'missing'].map((st) =>
        h('span', { class: `badge status-${st}` }, `${t(`cur.${st}`)} ${summary[st] ?? 0}`))),
      legend(lo, hi, data.thresholds),
      scrollRegion(t('cur.heatmap'), svg),
      info,
      exportBar(
        svgButton(fileName('heatmap', data.target.name_zh), () => svg),
        csvButton(fileName('coverage-matrix', data.target.name_zh), ['course', ...data.items.map((it) => `${it.kind}: ${it.name}`)],
          () => data.courses.map((c, i) => [c, ...data.scores[i]]), t('export.matrix_csv')),
        csvButton(fileName('coverage', data.target.name_zh), ['kind', 'name', 'name_en', 'status', 'score', 'best_course', 'via', 'provenance'],
          () => m.coverage.map((c) => [c.kind, c.name, c.name_en || '', c.status, c.score, c.best_course || '', c.via || '', c.provenance?.kind || '']),
          t('export.coverage_csv')))),
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, t('cur.prepares'), ' ', kindBadge(m.prepares_for[0]?.provenance)),
        // a ranking only: its blended figure is not a calibrated score, so it is not shown
        h('ol', { class: 'ranked' }, m.prepares_for.map((o) => h('li', {}, occLink(o.name, label(o)))))),
      h('section', { class: 'card' }, h('h2', {}, t('cur.per_course'), ' ', kindBadge(m.courses[0]?.occupations[0]?.provenance)),
        h('table', { class: 'table' }, h('tbody', {}, m.courses.map((c) => h('tr', {},
          h('th', {}, c.title),
          h('td', {}, c.occupations.slice(0, 3).map((o, i) => [i ? (getLang() === 'en' ? ', ' : '、') : '', occLink(o.name, label(o))])),
          h('td', { class: 'muted' }, c.skills.slice(0, 4).map((x) => (getLang() === 'en' && x.name_en) || x.name)
            .join(getLang() === 'en' ? ', ' : '、')))))))));
}

// The input lives in the view's URL once mapped (#/curriculum?courses=…&target=…): a copied link, the
// back button and the language toggle all bring the same heatmap back instead of an empty form.
function remember(text, targetText, whole) {
  const params = new URLSearchParams({ courses: text });
  if (targetText) params.set('target', targetText);
  if (whole) params.set('whole', '1');
  history.replaceState(null, '', `#/curriculum?${params}`);
}

export async function render(_args, params = new URLSearchParams()) {
  const textarea = h('textarea', { id: 'courses', rows: 9, spellcheck: false, placeholder: EXAMPLE, 'aria-label': t('cur.title') });
  textarea.value = params.get('courses') || '';
  const target = h('input', { id: 'target', type: 'text', placeholder: t('cur.target'), maxlength: 200, 'aria-label': t('cur.target'),
    value: params.get('target') || '' });
  const message = h('p', { class: 'error', id: 'cur-error', role: 'alert' });
  const out = h('div', { id: 'cur-out' });
  const count = h('span', { class: 'muted' });
  const recount = () => { count.textContent = whole.checked ? '' : `${fromLines(textarea.value).length} ${t('cur.count')}`; };
  textarea.addEventListener('input', recount);
  const file = h('input', { type: 'file', id: 'course-file', accept: '.csv,.json,.txt', onchange: async () => {
    const f = file.files[0];
    if (!f) return;
    try {
      textarea.value = toLines(fromFile(f.name, await f.text()));
      message.textContent = '';
      recount();
    } catch (err) { message.textContent = `${f.name}: ${err.message}`; }
  } });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'map' }, t('cur.map'));
  // a syllabus pasted whole: the server splits it into its learning outcomes, one row each
  const whole = h('input', { type: 'checkbox', id: 'whole-syllabus', onchange: recount, checked: params.get('whole') === '1' });

  const form = h('form', { id: 'curriculum-form', class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    const courses = whole.checked ? null : fromLines(textarea.value);
    if (whole.checked ? !textarea.value.trim() : !courses.length) { message.textContent = t('cur.empty'); return; }
    if (courses && courses.length > MAX_COURSES) { message.textContent = `≤ ${MAX_COURSES} ${t('cur.count')}`; return; }
    message.textContent = '';
    submit.disabled = true;
    remember(textarea.value, target.value.trim(), whole.checked);
    out.replaceChildren(progress(courses ? fill(t('cur.mapping'), { n: courses.length }) : t('cur.mapping_syllabus')));
    try {
      const data = await post('/curriculum/heatmap', courses ? { courses, target: target.value.trim() || null }
        : { syllabus: textarea.value, target: target.value.trim() || null });
      out.replaceChildren(results(data));
    } catch (err) {
      out.replaceChildren();
      message.replaceChildren(...errorWithRetry(err, target, form));
    } finally { submit.disabled = false; }
  } },
    h('h1', {}, t('cur.title')),
    h('p', { class: 'muted' }, t('cur.help')),
    textarea,
    h('div', { class: 'row' },
      h('label', { class: 'button file-button' }, t('cur.upload'), file),
      h('button', { type: 'button', class: 'button', id: 'example', onclick: () => { textarea.value = EXAMPLE; recount(); } }, t('cur.example')),
      h('label', { class: 'check' }, whole, ' ', t('cur.whole')),
      count),
    h('div', { class: 'row' }, target, submit),
    message);
  const page = h('article', { class: 'curriculum-page' }, form, out);
  // opened from a link (or re-rendered in the other language) with courses in it: map them again
  if (textarea.value.trim()) page.onMount = () => { recount(); form.requestSubmit(); };
  return page;
}

