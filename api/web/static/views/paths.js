// Career paths as a diagram: skill-level ladder, title ladder and lateral moves (SVG).
import { asking, enc, get } from '../api.js';
import { h, occLink, s, scrollRegion, short } from '../dom.js';
import { getLang, levelTerm, nameOf, t } from '../i18n.js';
import { csvButton, exportBar, fileName, svgButton } from '../export.js';
import { kindBadge, kindWhy } from '../kind.js';

const BOX_W = 150, BOX_H = 46, GAP = 46;

// A box's name on up to two lines that fit its width (13 px text: a Chinese character ~13 px, a Latin
// letter ~7): English names were cut to ten letters ("Informatio…"); a break falls between words.
const charPx = (ch) => (ch.charCodeAt(0) > 0x2e80 ? 13 : 7.2);
const linePx = BOX_W - 14;
function boxLines(label) {
  const words = /[\u2e80-\u9fff]/.test(label) ? [...label] : label.split(/(?<= )/);
  const lines = [''];
  for (const word of words) {
    const line = lines[lines.length - 1];
    if ([...(line + word).trimEnd()].reduce((w, ch) => w + charPx(ch), 0) <= linePx || !line) lines[lines.length - 1] = line + word;
    else lines.push(word);
  }
  if (lines.length <= 2) return lines.map((x) => x.trim());
  let second = lines.slice(1).join('').trim();
  while ([...second].reduce((w, ch) => w + charPx(ch), 0) > linePx - 8) second = second.slice(0, -1);
  return [lines[0].trim(), `${second.trimEnd()}…`];
}

function box(x, y, label, { fill, stroke, title, href, bold } = {}) {
  const g = s('g', { class: 'node', transform: `translate(${x},${y})` },
    title ? s('title', {}, title) : null,
    s('rect', { width: BOX_W, height: BOX_H, rx: 9, fill, stroke, 'stroke-width': 1.5 }),
    s('text', { x: BOX_W / 2, y: BOX_H / 2 + 5, 'text-anchor': 'middle', 'font-weight': bold ? 700 : 500 },
      ...boxLines(label).map((line, i, all) => s('tspan', { x: BOX_W / 2, dy: i ? 16 : all.length > 1 ? -8 : 0 }, line))));
  // a step that leads somewhere is an SVG link: focusable, opened with Enter, named for screen readers
  return href ? s('a', { href, class: 'link', 'aria-label': title || label }, g) : g;
}

function arrow(x1, y1, x2, y2, color, label) {
  const mx = (x1 + x2) / 2;
  return s('g', {},
    s('path', { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 6},${y2}`, fill: 'none', stroke: color,
      'stroke-width': 2, 'marker-end': 'url(#arrow)' }),
    // beside the arrow head, clear above it (the head reaches 7 px over the line; the label's baseline sits
    // 12 px over it): the middle of a fan of curves is where they all cross
    label ? s('text', { x: x2 - 12, y: y2 - 12, 'text-anchor': 'end', class: 'edge-label' }, label) : null);
}

const defs = () => s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 7,
  markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#64748b' })));

function ladder(steps, fill, stroke, id, label) {
  if (!steps.length) return h('p', { class: 'muted' }, t('paths.none'));
  const en = getLang() === 'en';
  // a skill level is 004's numeral; its common name beside it is a common term without a source here
  const named = (name, term) => (term ? `${name} ${levelTerm(term.term)}` : name);
  const names = [named(en && steps[0].from_name_en ? steps[0].from_name_en : steps[0].from_name, steps[0].from_term),
    ...steps.map((x) => named(en && x.to_name_en ? x.to_name_en : x.to_name, x.to_term))];
  const terms = [steps[0].from_term, ...steps.map((x) => x.to_term)];
  const width = names.length * (BOX_W + GAP);
  const svg = s('svg', { id, class: 'diagram', viewBox: `0 0 ${width} ${BOX_H + 20}`, width, height: BOX_H + 20 }, defs());
  names.forEach((name, i) => {
    const x = 10 + i * (BOX_W + GAP);
    if (i) svg.append(arrow(x - GAP, 10 + BOX_H / 2, x, 10 + BOX_H / 2, '#94a3b8'));
    const reqs = i ? steps[i - 1].requirements : [];
    svg.append(box(x, 10, name, { fill, stroke, title: reqs.length ? reqs.join('\n') : terms[i] ? `${name}: ${kindWhy(terms[i].provenance)}` : name }));
  });
  const term = terms.find((x) => x);
  return [scrollRegion(label, svg,
    term ? h('p', { class: 'muted small level-terms' }, t('occ.level_terms'), ' ', kindBadge(term.provenance)) : null),
  exportBar(svgButton(fileName(id, names[0]), () => svg))];
}

function lateral(data) {
  const paths = data.paths;
  if (!paths.length) return h('p', { class: 'muted' }, t('paths.none'));
  const ROW = 86;
  const depth = Math.max(...paths.map((p) => p.steps.length));
  const width = 30 + (depth + 1) * (BOX_W + 90) + 340;
  const height = Math.max(paths.length * ROW + 20, BOX_H + 40);
  const svg = s('svg', { id: 'lateral', class: 'diagram', viewBox: `0 0 ${width} ${height}`, width, height }, defs());
  const originY = height / 2 - BOX_H / 2;
  svg.append(box(10, originY, nameOf(data.occupation), { fill: '#1e40af', stroke: '#1e3a8a', bold: true }));
  svg.lastChild.querySelector('text').setAttribute('fill', '#fff');
  paths.forEach((p, i) => {
    const y = 20 + i * ROW;
    let px = 10 + BOX_W, py = originY + BOX_H / 2;
    p.steps.forEach((step, j) => {
      const x = 10 + (j + 1) * (BOX_W + 90);
      svg.append(arrow(px, py, x, y + BOX_H / 2, '#a78bfa', step.similarity != null ? `${t('paths.similarity')} ${Math.round(step.similarity * 100)}%` : ''));
      svg.append(box(x, y, getLang() === 'en' && step.to_name_en ? step.to_name_en : step.to_name, { fill: '#f5f3ff', stroke: '#8b5cf6', title: step.to_name,
        href: `#/occupation/${enc(step.to_name)}` }));
      px = x + BOX_W; py = y + BOX_H / 2;
      if (j === p.steps.length - 1 && step.skills_to_acquire.length) {
        svg.append(s('text', { x: x + BOX_W + 12, y: y + BOX_H / 2 + 4, class: 'learn' },
          `${t('paths.learn')}: ${short(step.skills_to_acquire.slice(0, 4).map((x, k) => (getLang() === 'en' && step.skills_to_acquire_en?.[k]) || x)
            .join(getLang() === 'en' ? ', ' : '、'), 26)}`));
      }
    });
  });
  return [scrollRegion(t('paths.lateral'), svg),
    exportBar(svgButton(fileName('lateral', data.occupation.name_zh), () => svg))];
}

function gapCard(g) {
  // the headline is a count of the lists below it: known / (known + missing) tasks
  const total = g.known_tasks.length + g.missing_tasks.length;
  const skills = g.shared_skills.length + g.missing_skills.length;
  return h('section', { class: 'card', id: 'gap' },
    h('h2', {}, `${t('paths.gap')}: ${nameOf(g.source)} → ${nameOf(g.target)}`),
    h('p', {}, `${t('paths.coverage')} `, h('strong', {}, `${Math.round(g.coverage * 100)}%`),
      ` (${g.known_tasks.length} / ${total} ${t('paths.tasks_known')}; ${t('paths.skill_coverage')} ${g.shared_skills.length} / ${skills})`),
    h('div', { class: 'meter' }, h('span', { style: { width: `${Math.round(g.coverage * 100)}%` } })),
    exportBar(csvButton(fileName('gap', g.source.name_zh, g.target.name_zh), ['list', 'name', 'name_en', 'score', 'provenance'], () => [
      ...g.missing_skills.map((x) => ['missing skill', x.name, x.name_en || '', x.score, x.provenance?.kind || '']),
      ...g.shared_skills.map((x) => ['shared skill', x.name, x.name_en || '', x.score, x.provenance?.kind || '']),
      ...g.missing_tasks.map((x) => ['missing task', x.name, x.name_en || '', x.score, x.provenance?.kind || '']),
      ...g.known_tasks.map((x) => ['known task', x.name, x.name_en || '', x.score, x.provenance?.kind || ''])])),
    h('h3', {}, t('paths.missing_skills'), ' ', kindBadge(g.missing_skills[0]?.provenance)),
    g.missing_skills.length ? h('div', { class: 'chips' }, g.missing_skills.slice(0, 30).map((x) =>
      h('a', { class: 'chip skill', href: `#/skill/${enc(x.name)}` }, nameOf(x)))) : h('p', { class: 'muted' }, t('paths.none')),
    h('h3', {}, `${t('paths.missing_tasks')} (${g.missing_tasks.length}) `, kindBadge(g.missing_tasks[0]?.provenance)),
    g.missing_tasks.length ? h('ol', { class: 'tasks' }, g.missing_tasks.map((x) => h('li', {}, x.name)))
      : h('p', { class: 'muted' }, t('paths.none')),
    g.known_tasks.length ? h('details', {}, h('summary', {}, `${t('paths.known_tasks')} (${g.known_tasks.length})`),
      h('ol', { class: 'tasks' }, g.known_tasks.map((x) => h('li', {}, x.name,
        x.evidence[0]?.text ? h('div', { class: 'muted small' }, `≈ ${t('paths.own_task')}: ${x.evidence[0].text}`) : null,
        h('span', { class: 'ev-score' }, ` ${Math.round(x.score * 100)}%`))))) : null);
}

// A title level's application conditions as 003 states them, by kind; a performance condition for one title
// direction says which, an achievement condition how many of the items are needed; the line on hover.
const KINDS = ['basic', 'education', 'performance', 'achievement', 'exceptional'];

function conditions(step) {
  return h('div', { class: 'conditions' }, h('h3', {}, step.to_name),
    KINDS.filter((k) => step.conditions.some((c) => c.kind === k)).map((kind) => {
      const items = step.conditions.filter((c) => c.kind === kind);
      const need = items.find((c) => c.need);
      return [h('h4', {}, t(`cond.${kind}`), need ? ` (${need.need} / ${need.of_items})` : ''),
        h('ul', {}, items.map((c) => h('li', { title: c.source },
          c.direction ? h('span', { class: 'badge' }, c.direction) : null, ' ', c.text)))];
    }));
}

export async function render([name], params) {
  const to = params.get('to') || '';
  const [data, gap] = await Promise.all([
    get(`/occupations/${enc(name)}/career-paths`, { to, k: 6 }),
    to ? get('/gap', { from: name, to }) : Promise.resolve(null)]).catch(asking('occupation', name, to));
  const input = h('input', { type: 'text', id: 'path-to', value: to, placeholder: t('paths.to'), maxlength: 200 });
  const reqs = data.title_ladder.filter((x) => x.conditions.length);
  return h('article', { class: 'paths-page' },
    h('header', { class: 'occ-header' },
      h('h1', {}, t('paths.title'), ': ', occLink(data.occupation.code || data.occupation.name_zh, nameOf(data.occupation))),
      h('form', { class: 'search-form inline', onsubmit: (e) => {
        e.preventDefault();
        const v = input.value.trim();
        location.hash = `#/paths/${enc(name)}${v ? `?to=${enc(v)}` : ''}`;
      } }, input, h('button', { class: 'primary', type: 'submit' }, t('paths.go')))),
    h('section', { class: 'card' }, h('h2', {}, t('paths.skill')), ladder(data.skill_ladder, '#ecfdf5', '#059669', 'skill-ladder', t('paths.skill'))),
    h('section', { class: 'card' }, h('h2', {}, t('paths.titles')), ladder(data.title_ladder, '#fef3c7', '#d97706', 'title-ladder', t('paths.titles')),
      reqs.length ? h('details', {}, h('summary', {}, t('paths.requirements')),
        reqs.map(conditions)) : null),
    h('section', { class: 'card' }, h('h2', {}, t('paths.lateral'), ' ', kindBadge(data.paths[0]?.provenance)), lateral(data)),
    gap ? gapCard(gap) : null);
}
