// What an item is — sourced, translated, inferred, or a common term with no source here — as the API's
// `provenance` says (issue 16): one badge for every view, so an inferred item is never shown as a fact.
// The why is on hover (title) and, for touch, in a details line the badge opens.
import { h, percent } from './dom.js';
import { t } from './i18n.js';

const pct = (x) => (x === null || x === undefined ? null : percent(x));

// the why in words: how it was inferred and on what, or where it was read or translated from
export function kindWhy(p) {
  if (!p) return '';
  const parts = [t(`prov.help.${p.kind}`)];
  if (p.method) parts.push(p.method);
  if (p.score !== null && p.score !== undefined) parts.push(`${t(p.calibrated ? 'prov.calibrated' : 'prov.score')} ${pct(p.score)}`);
  if (p.evidence) parts.push(p.evidence);
  if (p.translator) parts.push(`${t('prov.translator')} ${p.translator}`);
  if (p.source) parts.push(`${t('prov.source')} ${p.source}`);
  if (p.note) parts.push(p.note);
  if (p.version) parts.push(`${t('prov.version')} ${p.version}`);
  return parts.join(' · ');
}

// An English name is official (002) or the project's translation: the mark says which, and where from on
// hover. Used wherever an English name stands (an occupation's, a work type's, a skill's, a title direction's).
export function englishMark(official, source) {
  const where = source ? ` (${source})` : '';
  if (official === false) return h('span', { class: 'badge translated', title: t('occ.translated_help') + where }, t('occ.translated'));
  if (official === true) return h('span', { class: 'badge official', title: t('occ.official_help') + where }, t('occ.official'));
  return null;
}

// The badge; a sourced item gets none unless `sourced` is asked for (sourced is what the page is by default).
export function kindBadge(p, { sourced = false } = {}) {
  if (!p || (p.kind === 'sourced' && !sourced)) return null;
  const why = kindWhy(p);
  return h('details', { class: `kind kind-${p.kind}` },
    h('summary', { class: `badge kind-badge kind-${p.kind}`, title: why }, t(`prov.${p.kind}`)),
    h('span', { class: 'kind-why muted small' }, why));
}
