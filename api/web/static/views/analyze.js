// Analyze a free text: a job ad, CV or syllabus → its sentences highlighted by what they show, the occupations
// they add up to with the sentences behind each, the skills it names, and with a target, its coverage.
import { post } from '../api.js';
import { errorWithRetry, h, occLink, percent, progress, short } from '../dom.js';
import { getLang, nameOf, t } from '../i18n.js';
import { kindBadge } from '../kind.js';

const MAX_CHARS = 20000;
const EXAMPLE = [
  '【急招】渗透测试工程师',
  '某网络安全科技有限公司 | 15-25K · 14薪',
  '岗位职责：',
  '1. 负责客户 Web 应用、APP 及内网的渗透测试，挖掘安全漏洞；',
  '2. 编写渗透测试报告，给出修复建议并跟踪漏洞修复；',
  '3. 参与安全评估和等保测评项目。',
  '任职要求：熟悉常见 Web 漏洞原理，熟练使用 Burp Suite、Nmap 等工具；',
  '福利：五险一金、双休、年终奖',
].join('\n');
// the occupations' colours, in rank order: a sentence takes the colour of the best-ranked occupation it supports
const COLOURS = ['#1d4ed8', '#047857', '#b45309', '#7c3aed', '#be123c'];
// the text and result kept while the page is open, so coming back from an occupation shows them again
let last = null;

const pct = percent;

function highlighted(data) {
  const rank = Object.fromEntries(data.occupations.filter((o) => o.match !== 'weak').map((o, i) => [o.id, i]));
  return h('div', { class: 'analyzed-text', id: 'analyzed-text' }, data.sentences.map((s) => {
    const supports = s.tasks.map((x) => rank[x.occupation_id]).filter((r) => r !== undefined);
    const best = supports.length ? Math.min(...supports) : null;
    const tip = s.tasks.map((x) => `${x.occupation}: ${x.text} (${pct(x.score)})`).join('\n');
    const skills = s.skills.map((k) => (getLang() === 'en' && k.name_en) || k.name);
    return h('span', {
      class: `sentence${best !== null ? ' matched' : ''}`,
      style: best !== null ? { borderColor: COLOURS[best % COLOURS.length], background: `${COLOURS[best % COLOURS.length]}14` } : null,
      title: [tip, skills.length ? `${t('ana.skills')}: ${skills.join('、')}` : ''].filter(Boolean).join('\n') || null,
      'data-index': s.index,
    }, h('sup', {}, s.index + 1), s.text, ' ');
  }));
}

function occupationCard(o, i, data, target) {
  const sentence = (k) => data.sentences[k];
  const key = o.code || o.name_zh;
  return h('li', { class: 'card analyzed-occupation', style: { borderLeftColor: o.match !== 'weak' ? COLOURS[i % COLOURS.length] : '#cbd5e1' } },
    h('div', { class: 'occ-head' },
      h('strong', {}, occLink(key, nameOf(o))), ' ', h('span', { class: 'code' }, o.code || ''),
      h('span', { class: `match match-${o.match}`, title: t('ana.explain') }, `${t(`match.${o.match}`)} · ${pct(o.confidence)}`)),
    h('p', { class: 'muted small' }, `${t('ana.tasks_shown')} ${o.tasks_shown}`,
      o.title ? ` · ${t('ana.by_title')} ${pct(o.title)}` : ''),
    o.evidence.length ? h('ul', { class: 'evidence-list' }, o.evidence.slice(0, 5).map((e) => h('li', {},
      h('q', {}, short(sentence(e.sentence).text, 60)), ' → ', h('span', { class: 'task' }, e.task),
      h('span', { class: 'muted' }, ` ${pct(e.score)}`)))) : null,
    h('p', { class: 'row links' },
      occLink(key, t('ana.open')),
      h('a', { href: `#/paths/${encodeURIComponent(key)}` }, t('occ.paths')),
      target ? h('a', { href: `#/paths/${encodeURIComponent(key)}?to=${encodeURIComponent(target)}` }, `${t('paths.gap')} → ${target}`) : null));
}

function coverage(data) {
  const s = data.coverage_summary;
  return h('section', { class: 'card', id: 'analysis-coverage' },
    h('h2', {}, `${t('ana.coverage')}: `, occLink(data.target.code || data.target.name_zh, nameOf(data.target)), ' ',
      kindBadge(data.coverage[0]?.provenance)),
    h('p', { class: 'summary' }, ['covered', 'partial', 'missing'].map((st) =>
      h('span', { class: `badge status-${st}` }, `${t(`cur.${st}`)} ${s[st] ?? 0}`))),
    h('ul', { class: 'coverage-list' }, data.coverage.map((c) => h('li', { class: `status-${c.status}` },
      h('span', { class: `badge status-${c.status}` }, t(`cur.${c.status}`)), ' ',
      h('span', { class: 'muted small' }, t(`cur.items_${c.kind}`)), ' ', (getLang() === 'en' && c.name_en) || c.name,
      c.status !== 'missing' && c.best_course ? h('div', { class: 'muted small' }, '← ', h('q', {}, short(c.best_course, 60))) : null))));
}

function results(data, target) {
  const named = data.title ? data.title.best : null;
  const confident = data.occupations.filter((o) => o.match !== 'weak');
  const others = data.occupations.filter((o) => o.match === 'weak');
  return h('div', { id: 'analysis-result' },
    data.title ? h('p', { class: 'notice' }, `${t('ana.title')}「${data.title.cleaned || data.title.title}」 → `,
      named ? [occLink(named.code || named.name_zh, nameOf(named)), ` (${pct(named.confidence)})`] : t('ana.title_unsure')) : null,
    data.no_good_match ? h('div', { class: 'card notice', role: 'status', id: 'analysis-no-match' },
      h('strong', {}, t('ana.no_good')), ' ', t('ana.no_good_hint')) : null,
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, t('ana.sentences'), h('small', {}, `${data.sentences.length}`)),
        h('p', { class: 'muted small' }, t('ana.legend')), highlighted(data)),
      h('section', {},
        confident.length ? [h('h2', {}, t('ana.occupations'), ' ', kindBadge(confident[0].provenance)),
          h('ol', { class: 'plain', id: 'analysis-occupations' }, confident.map((o, i) => occupationCard(o, i, data, target)))] : null,
        // the weak candidates, folded: closest by the same ranking, not likely right
        others.length ? h('details', { class: 'card closest', id: 'analysis-others' },
          h('summary', {}, data.no_good_match ? t('search.closest') : t('ana.others')),
          h('ol', { class: 'ranked' }, others.map((o) => h('li', {}, occLink(o.code || o.name_zh, nameOf(o)), ' ',
            h('span', { class: 'code' }, o.code || ''), ' ',
            h('span', { class: 'match match-weak', title: t('ana.explain') }, `${t('match.weak')} · ${pct(o.confidence)}`))))) : null,
        data.skills.length ? h('section', { class: 'card', id: 'analysis-skills' }, h('h2', {}, t('ana.skills')),
          ['named', 'via_task'].map((how) => {
            const skills = data.skills.filter((k) => k.how === how);
            return skills.length ? h('p', {}, how === 'via_task' ? h('span', { class: 'badge inferred', title: t('ana.via_explain') }, t('dir.inferred')) : null, ' ',
              skills.map((k) => h('a', { class: 'chip skill', href: `#/skill/${encodeURIComponent(k.name)}`,
                title: k.via ? `${t('ana.via')} ${k.via}` : null }, (getLang() === 'en' && k.name_en) || k.name))) : null;
          })) : null)),
    data.target ? coverage(data) : null);
}

export async function render() {
  const textarea = h('textarea', { id: 'analyze-text', rows: 12, spellcheck: false, placeholder: EXAMPLE, maxlength: MAX_CHARS });
  const kind = h('select', { id: 'analyze-kind', 'aria-label': t('ana.kind') },
    ['', 'job_ad', 'cv', 'syllabus'].map((k) => h('option', { value: k }, t(`ana.kind.${k || 'auto'}`))));
  const target = h('input', { id: 'analyze-target', type: 'text', placeholder: t('ana.target'), maxlength: 200, 'aria-label': t('ana.target') });
  const message = h('p', { class: 'error', role: 'alert' });
  const out = h('div', { id: 'analyze-out' });
  const count = h('span', { class: 'muted' });
  const recount = () => { count.textContent = `${textarea.value.length.toLocaleString()} / ${MAX_CHARS.toLocaleString()}`; };
  textarea.addEventListener('input', recount);
  const file = h('input', { type: 'file', id: 'analyze-file', accept: '.txt,.md,text/plain', onchange: async () => {
    const f = file.files[0];
    if (!f) return;
    const text = await f.text();
    if (text.length > MAX_CHARS) { message.textContent = `${f.name}: ${text.length.toLocaleString()} > ${MAX_CHARS.toLocaleString()}`; return; }
    textarea.value = text;
    message.textContent = '';
    recount();
  } });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'analyze' }, t('ana.go'));
  const show = (data, tgt) => out.replaceChildren(results(data, tgt));

  const form = h('form', { id: 'analyze-form', class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    const text = textarea.value.trim();
    if (!text) { message.textContent = t('ana.empty'); return; }
    message.textContent = '';
    submit.disabled = true;
    out.replaceChildren(progress(t('ana.reading')));
    const body = { text, kind: kind.value || null, target: target.value.trim() || null };
    try {
      const data = await post('/analyze', body);
      last = { ...body, data };
      show(data, body.target);
    } catch (err) {
      out.replaceChildren();
      message.replaceChildren(...errorWithRetry(err, target, form));
    } finally { submit.disabled = false; }
  } },
    h('h1', {}, t('ana.title_page')),
    h('p', { class: 'muted' }, t('ana.help')),
    textarea,
    h('div', { class: 'row' },
      h('label', { class: 'button file-button' }, t('cur.upload'), file),
      h('button', { type: 'button', class: 'button', id: 'analyze-example', onclick: () => { textarea.value = EXAMPLE; recount(); } }, t('cur.example')),
      count),
    h('div', { class: 'row' }, kind, target, submit),
    message);
  if (last) {
    textarea.value = last.text;
    kind.value = last.kind || '';
    target.value = last.target || '';
    show(last.data, last.target);
  }
  recount();
  return h('article', { class: 'analyze-page' }, form, out);
}
