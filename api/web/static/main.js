// Hash router: #/?q=…, #/occupation/X, #/paths/X?to=Y, #/analyze, #/curriculum, #/batches, #/skill/X.
import { ApiError } from './api.js';
import { h } from './dom.js';
import { applyStatic, getLang, setLang, t } from './i18n.js';
import * as analyze from './views/analyze.js';
import * as batches from './views/batches.js';
import * as curriculum from './views/curriculum.js';
import * as occupation from './views/occupation.js';
import * as paths from './views/paths.js';
import * as search from './views/search.js';
import * as skill from './views/skill.js';

const ROUTES = { '': search, occupation, paths, analyze, curriculum, batches, skill };
const view = document.getElementById('view');
let current = 0;

function parse() {
  const [path, qs] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || '', args: parts.slice(1), params: new URLSearchParams(qs || '') };
}

export function errorBox(err) {
  const isApi = err instanceof ApiError;
  const title = isApi && ['not_found', 'unavailable', 'invalid_input'].includes(err.code) ? t(`error.${err.code}`) : t('error');
  return h('div', { class: 'card error-box', role: 'alert' },
    h('h2', {}, title),
    h('p', {}, err.message),
    isApi && err.suggestions.length ? h('p', {}, t('suggestions'), ' ',
      err.suggestions.map((s) => h('a', { class: 'chip', href: '#/occupation/' + encodeURIComponent(s) }, s))) : null,
    h('p', {}, h('a', { href: '#/' }, t('back'))));
}

async function route() {
  const token = ++current;
  const { name, args, params } = parse();
  const page = ROUTES[name] || search;
  for (const a of document.querySelectorAll('[data-nav]')) {
    a.classList.toggle('active', a.dataset.nav === (name || 'search'));
  }
  view.replaceChildren(h('div', { class: 'loading' }, t('loading')));
  let node;
  try {
    node = await page.render(args, params);
  } catch (err) {
    if (!(err instanceof ApiError)) console.error(err); // API errors are shown on the page
    node = errorBox(err);
  }
  if (token !== current) return; // a newer navigation has started
  view.replaceChildren(node);
  if (typeof node.onMount === 'function') node.onMount();
  window.scrollTo(0, 0);
}

document.getElementById('lang-toggle').addEventListener('click', () => {
  setLang(getLang() === 'zh' ? 'en' : 'zh');
  route();
});
window.addEventListener('hashchange', route);
applyStatic();
route();
