// Search box (Chinese or English) with hits and the evidence for each.
import { get } from '../api.js';
import { fmt, h, percent, short } from '../dom.js';
import { csvButton, exportBar, fileName } from '../export.js';
import { getLang, t } from '../i18n.js';
import { kindBadge } from '../kind.js';

const LABELS = ['Occupation', 'Task', 'Skill', 'TitleDirection', 'WorkType'];
const EXAMPLES = ['渗透测试 漏洞', 'drone pilot', '人工智能训练', '养老护理', 'blockchain'];

function go(q, labels) {
  const params = new URLSearchParams({ q });
  if (labels) params.set('labels', labels);
  location.hash = '#/?' + params.toString();
}

function form(q, labels) {
  const input = h('input', { id: 'q', type: 'search', name: 'q', value: q, placeholder: t('search.hint'),
    maxlength: 500, autocomplete: 'off', required: true, 'aria-label': t('search.button') });
  const select = h('select', { id: 'labels', name: 'labels', 'aria-label': t('search.kind') },
    h('option', { value: '' }, t('search.all')),
    LABELS.map((l) => h('option', { value: l, selected: l === labels }, t(`label.${l}`))));
  return h('form', { id: 'search-form', class: 'search-form', onsubmit: (e) => {
    e.preventDefault();
    if (input.value.trim()) go(input.value.trim(), select.value);
  } }, input, select, h('button', { type: 'submit', class: 'primary' }, t('search.button')));
}

// Where a hit leads: an occupation, the occupation a task or work type belongs to, or a skill.
function target(hit) {
  if (hit.label === 'Occupation') return '#/occupation/' + encodeURIComponent(hit.code || hit.name);
  const owner = hit.evidence.find((e) => e.kind === 'occupation');
  if (owner) return '#/occupation/' + encodeURIComponent(owner.text);
  if (hit.label === 'Skill') return '#/skill/' + encodeURIComponent(hit.name);
  return null;
}

function hitCard(hit, i) {
  const href = target(hit);
  // English mode shows the English name where there is one; the other language stays beside it
  const shown = getLang() === 'en' && hit.name_en ? hit.name_en : hit.name;
  const other = shown === hit.name ? null : hit.name;
  const evidence = hit.evidence.filter((e) => e.text !== hit.name); // a task's own text says nothing new
  const parts = Object.entries(hit.score_parts).map(([k, v]) => `${k} ${fmt(v, k === 'bm25' ? 2 : 3)}`).join(' · ');
  // users read a word and a percentage; the raw score and its parts are for developers, under details
  // a figure only where the calibrated model gave one: a wordless query's hits are weak by rule, with none
  const judged = !hit.match ? null : hit.confidence === null || hit.confidence === undefined
    ? h('span', { class: `match match-${hit.match}`, title: t('match.unjudged') }, t(`match.${hit.match}`))
    : h('span', { class: `match match-${hit.match}`, title: t(hit.label === 'Task' ? 'match.explain_task' : 'match.explain') },
      `${t(`match.${hit.match}`)} · ${percent(hit.confidence)}`);
  return h('li', { class: 'card result' },
    h('div', { class: 'result-head' },
      h('span', { class: 'rank' }, i + 1),
      h('span', { class: `badge label-${hit.label}` }, t(`label.${hit.label}`)),
      href ? h('a', { class: 'open name', href }, shown) : h('span', { class: 'name' }, shown),
      other ? h('span', { class: 'muted other-name', lang: 'zh' }, other) : null,
      hit.code ? h('span', { class: 'code' }, hit.code) : null,
      judged, kindBadge(hit.provenance)),
    evidence.length ? h('ul', { class: 'evidence' }, evidence.map((e) =>
      h('li', { title: e.text }, h('span', { class: 'ev-kind' }, t(`kind.${e.kind}`)), ' ', short(e.text, 140),
        e.score !== null && e.score !== undefined ? h('span', { class: 'ev-score' }, fmt(e.score)) : null))) : null,
    h('details', { class: 'parts' }, h('summary', {}, t('details')), `${t('score')} ${fmt(hit.score, 4)} · ${parts}`));
}

export async function render(_args, params) {
  const q = params.get('q') || '';
  const labels = params.get('labels') || '';
  const page = h('section', { class: 'search-page' },
    h('h1', { class: q ? 'small' : 'hero' }, t('search.title')),
    form(q, labels),
    h('p', { class: 'examples' }, t('search.examples'), ' ',
      EXAMPLES.map((ex) => h('a', { class: 'chip', href: '#/?q=' + encodeURIComponent(ex) }, ex))));
  if (q) {
    const data = await get('/search', { q, labels, k: 20 });
    const list = h('ol', { class: 'results', id: 'results' }, data.results.map(hitCard));
    if (!data.results.length) page.append(h('p', { class: 'muted' }, t('search.none')));
    else if (data.no_good_match) {
      // "no" is an answer: say so first. The verdict is about occupations (about tasks in a tasks-only
      // search): the list is folded away only when it holds nothing else (tasks and skills found by an
      // all-types search stay in view)
      const tasks = labels === 'Task';
      const banner = h('div', { class: 'card no-good-match', id: 'no-good-match', role: 'status' },
        h('strong', {}, t(tasks ? 'search.no_good_tasks' : 'search.no_good')),
        h('p', { class: 'muted' }, t(tasks ? 'search.no_good_tasks_hint' : 'search.no_good_hint')));
      page.append(banner, tasks || data.results.every((x) => x.label === 'Occupation')
        ? h('details', { class: 'closest' }, h('summary', {}, `${t('search.closest')} (${data.results.length})`), list)
        : list);
    } else page.append(h('div', {}, h('p', { class: 'muted', id: 'result-count' }, `${data.results.length} ${t('search.results')}`), list));
    page.append(exportBar(csvButton(fileName('search', q),
      ['rank', 'label', 'name', 'name_en', 'code', 'match', 'confidence', 'score', 'provenance', 'evidence'],
      () => data.results.map((x, i) => [i + 1, x.label, x.name, x.name_en || '', x.code || '', x.match || '', x.confidence ?? '',
        x.score, x.provenance?.kind || '', x.evidence.map((e) => `${e.kind}: ${e.text}`).join(' | ')]))));
  }
  page.onMount = () => document.getElementById('q').focus();
  return page;
}

