// The timeline of new-occupation batches: each with its counts as the announcement states them against what
// the graph holds ("15 of 16 resolved", "9 new + 3 raised"), the work types raised to occupations with their
// former parent, and the names no occupation answers.
import { get } from '../api.js';
import { h, occLink } from '../dom.js';
import { batchTitle, fill, nameOf, t } from '../i18n.js';


function counts(b) {
  const stated = b.stated_counts.occupations;
  const parts = [stated !== undefined && (b.new !== stated || b.unresolved.length)
    ? fill(t('batch.resolved'), { n: b.new, of: stated })
    : fill(t('batch.new'), { n: b.new })];
  if (b.raised) parts.push(fill(t('batch.raised'), { n: b.raised }));
  let text = parts.join(' + ');
  const wt = b.stated_counts.work_types;
  if (wt !== undefined) text += ' · ' + fill(t('batch.work_types_named'), { n: b.work_types.length, of: wt });
  else if (b.work_types.length) text += ` · ${b.work_types.length} ${t('batch.work_types')}`;
  return text;
}

function raisedNote(b) {
  const raised = b.occupations.filter((o) => o.raised_from_work_type);
  if (!raised.length) return null;
  const parents = [...new Set(raised.map((o) => o.former_parent || ''))];
  return parents.map((parent) => h('p', { class: 'muted small raised-note' },
    fill(t(parent ? 'batch.raised_from' : 'batch.raised_from_unknown'), { parent }),
    raised.filter((o) => (o.former_parent || '') === parent).map((o) => nameOf(o)).join('、')));
}

function occupationChip(o) {
  const link = occLink(o.code || o.name_zh, nameOf(o));
  if (!o.raised_from_work_type) return link;
  link.classList.add('raised');
  link.title = fill(t(o.former_parent ? 'batch.raised_from' : 'batch.raised_from_unknown'), { parent: o.former_parent || '' });
  link.append(h('sup', {}, '↑'));
  return link;
}

export async function render() {
  const { batches } = await get('/batches');
  return h('article', { class: 'batches-page' },
    h('h1', {}, t('batch.title')),
    h('ol', { class: 'timeline', id: 'timeline' }, batches.map((b) => h('li', { class: 'card', 'data-batch': b.id },
      h('div', { class: 'when' }, b.announced),
      h('h2', { title: b.title }, batchTitle(b), b.document_no ? h('small', {}, b.document_no) : null),
      h('p', { class: 'muted batch-counts' }, counts(b)),
      h('div', { class: 'chips' }, b.occupations.map(occupationChip)),
      raisedNote(b),
      b.unresolved.length ? h('p', { class: 'small unresolved' }, t('batch.unresolved'),
        // the file and line are provenance for whoever checks: on hover, not in the reader's way
        b.unresolved.map((u) => h('span', { class: 'badge', title: `${u.source}: ${u.reason}` }, u.name))) : null,
      b.work_types.length ? h('p', { class: 'muted small work-types' }, t('batch.work_types_named'), ' ', b.work_types.join('、')) : null))));
}
