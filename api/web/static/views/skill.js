// Occupations that need one skill.
import { enc, get } from '../api.js';
import { h, occLink } from '../dom.js';
import { t } from '../i18n.js';
import { kindBadge } from '../kind.js';

export async function render([name]) {
  const { results } = await get(`/skills/${enc(name)}/occupations`, { k: 50 });
  return h('article', { class: 'skill-page' },
    h('h1', {}, name, h('small', {}, t('skill.title')), ' ', kindBadge(results[0]?.provenance)),
    h('section', { class: 'card' }, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('label.Occupation')), h('th', {}, t('occ.code')), h('th', {}, t('skill.tasks')))),
      h('tbody', {}, results.map((r) => h('tr', {},
        h('td', {}, occLink(r.code || r.name_zh, r.name_zh)), h('td', { class: 'code' }, r.code || ''), h('td', { class: 'num' }, r.tasks)))))));
}
