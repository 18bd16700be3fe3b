// Occupations that need one skill.
import { asking, enc, get } from '../api.js';
import { h, occLink } from '../dom.js';
import { nameOf, t } from '../i18n.js';
import { csvButton, exportBar, fileName } from '../export.js';
import { termHeading } from './term.js';

export async function render([name]) {
  const { skill, results } = await get(`/skills/${enc(name)}/occupations`, { k: 50 }).catch(asking('skill', name));
  return h('article', { class: 'skill-page' },
    termHeading(skill, t('skill.title'), results[0]?.provenance),
    h('section', { class: 'card' },
      exportBar(csvButton(fileName('skill', name), ['occupation', 'name_en', 'code', 'tasks', 'provenance'],
        () => results.map((r) => [r.name_zh, r.name_en || '', r.code || '', r.tasks, r.provenance?.kind || '']))),
      h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, [t('label.Occupation'), t('occ.code'), t('skill.tasks')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, results.map((r) => h('tr', {},
        h('td', {}, occLink(r.code || r.name_zh, nameOf(r))), h('td', { class: 'code' }, r.code || ''), h('td', { class: 'num' }, r.tasks)))))));
}
