// The timeline of new-occupation batches.
import { get } from '../api.js';
import { h, occLink } from '../dom.js';
import { nameOf, t } from '../i18n.js';

export async function render() {
  const { batches } = await get('/batches');
  return h('article', { class: 'batches-page' },
    h('h1', {}, t('batch.title')),
    h('ol', { class: 'timeline', id: 'timeline' }, batches.map((b) => h('li', { class: 'card' },
      h('div', { class: 'when' }, b.announced),
      h('h2', {}, b.title, b.document_no ? h('small', {}, b.document_no) : null),
      h('p', { class: 'muted' }, `${b.occupations.length} ${t('batch.occupations')} · ${b.work_types.length} ${t('batch.work_types')}`),
      h('div', { class: 'chips' }, b.occupations.map((o) => occLink(o.code || o.name_zh, nameOf(o)))),
      b.work_types.length ? h('p', { class: 'muted small' }, b.work_types.join('、')) : null))));
}
