// The occupations whose tasks lead to one professional-title direction (an inferred link: the page says so).
import { asking, enc, get } from '../api.js';
import { h, occLink, percent, scrollRegion, short } from '../dom.js';
import { csvButton, exportBar, fileName } from '../export.js';
import { nameOf, t } from '../i18n.js';
import { termHeading } from './term.js';

export async function render([name]) {
  const { direction, results } = await get(`/directions/${enc(name)}/occupations`, { k: 50 }).catch(asking('direction', name));
  const topTask = (r) => r.evidence.find((e) => e.kind === 'task')?.text || '';
  const header = [t('sim.col.name'), t('occ.code'), t('dir.score'), t('dir.top_task')];
  return h('article', { class: 'direction-page' },
    termHeading(direction, t('dir.title'), results[0]?.provenance),
    h('section', { class: 'card' },
      h('h2', {}, t('dir.occupations'), ` (${results.length})`),
      results.length ? [
        exportBar(csvButton(fileName('direction', name), ['occupation', 'name_en', 'code', 'score', 'top_task', 'provenance'],
          () => results.map((r) => [r.name_zh, r.name_en || '', r.code || '', r.score, topTask(r), r.provenance?.kind || '']))),
        scrollRegion(t('dir.occupations'), h('table', { class: 'table', id: 'direction-occupations' },
          h('thead', {}, h('tr', {}, header.map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, results.map((r) => h('tr', {},
            h('td', {}, occLink(r.code || r.name_zh, nameOf(r))),
            h('td', { class: 'code' }, r.code || ''),
            h('td', { class: 'num' }, percent(r.score)),
            h('td', { class: 'muted', title: topTask(r) }, short(topTask(r), 50)))))))]
        : h('p', { class: 'muted' }, t('occ.none'))));
}
