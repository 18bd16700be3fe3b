// The heading of a skill's or a title direction's page: its name in the reader's language and the other
// language's beside it (the Chinese where there is no English name, never a blank), the English marked as the
// project's translation, then what the page lists and the kind of that list.
import { h } from '../dom.js';
import { bothNames } from '../i18n.js';
import { englishMark, kindBadge } from '../kind.js';

export function termHeading(term, subtitle, listKind) {
  const { main, other, otherLang } = bothNames(term.name_zh, term.name_en);
  return h('h1', {}, h('span', { class: 'term-name' }, main),
    other ? h('small', { class: 'other-name', lang: otherLang }, other) : null, ' ',
    term.name_en ? englishMark(term.official, term.source) : null,
    h('small', {}, subtitle), ' ', kindBadge(listKind));
}
