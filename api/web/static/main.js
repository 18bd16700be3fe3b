// Hash router: #/?q=…, #/occupation/X, #/paths/X?to=Y, #/analyze, #/curriculum, #/batches, #/skill/X,
// #/direction/X; any view takes lang=zh|en, so a copied link opens in the language it was copied in.
import { ApiError } from './api.js';
import { h, progress } from './dom.js';
import { applyStatic, errorText, getLang, setLang, t } from './i18n.js';
import * as analyze from './views/analyze.js';
import * as batches from './views/batches.js';
import * as curriculum from './views/curriculum.js';
import * as direction from './views/direction.js';
import * as occupation from './views/occupation.js';
import * as paths from './views/paths.js';
import * as search from './views/search.js';
import * as skill from './views/skill.js';

const ROUTES = { '': search, occupation, paths, analyze, curriculum, batches, skill, direction };
// a view's tab title when it has no heading of its own
const NAV = { '': 'nav.search', analyze: 'nav.analyze', curriculum: 'nav.curriculum', batches: 'nav.batches' };
const view = document.getElementById('view');
let current = 0;

function parse() {
  const [path, qs] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || '', args: parts.slice(1), params: new URLSearchParams(qs || '') };
}

// where a suggestion leads: the page of its kind (an unknown skill's suggestions are skills)
const SUGGESTED = { skill: '#/skill/', direction: '#/direction/' };

export function errorBox(err) {
  const isApi = err instanceof ApiError;
  const title = isApi && ['not_found', 'unavailable', 'invalid_input'].includes(err.code) ? t(`error.${err.code}`) : t('error');
  const page = SUGGESTED[err.asked?.kind] || '#/occupation/';
  return h('div', { class: 'card error-box', role: 'alert' },
    h('h2', {}, title),
    h('p', { class: 'error-text' }, isApi ? errorText(err) : err.message),
    isApi && err.suggestions.length ? h('p', {}, t('suggestions'), ' ',
      err.suggestions.map((s, i) => h('a', { class: 'chip', href: page + encodeURIComponent(s) },
        (getLang() === 'en' && err.suggestionsEn[i]) || s))) : null,
    h('p', {}, h('a', { href: '#/' }, t('back'))));
}

// The tab says which view this is: the view's heading without its badges, else the view's name.
function tabTitle(node, name) {
  const heading = node.querySelector('h1, h2');
  const text = heading ? [...heading.childNodes].filter((n) => !(n instanceof Element && n.matches('small, .badge, .kind')))
    .map((n) => n.textContent).join('').trim() : '';
  return text || t(NAV[name] || 'nav.search');
}

// A link to what is on screen, in the language it is shown in.
export function viewLink() {
  const [path, qs] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(qs || '');
  params.set('lang', getLang());
  return `${location.origin}${location.pathname}#${path || '/'}?${params}`;
}

function toast(text) {
  const box = document.getElementById('toast');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 4000);
}

document.getElementById('copy-link').addEventListener('click', async () => {
  const link = viewLink();
  try {
    await navigator.clipboard.writeText(link);
    toast(t('link.copied'));
  } catch {
    toast(`${t('link.failed')} ${link}`); // an insecure origin (http on a LAN address) has no clipboard API
  }
});

async function route() {
  const token = ++current;
  const { name, args, params } = parse();
  const asked = params.get('lang');
  if ((asked === 'zh' || asked === 'en') && asked !== getLang()) setLang(asked);
  const page = ROUTES[name] || search;
  for (const a of document.querySelectorAll('[data-nav]')) {
    a.classList.toggle('active', a.dataset.nav === (name || 'search'));
  }
  view.replaceChildren(progress(t('loading')));
  let node;
  try {
    node = await page.render(args, params);
  } catch (err) {
    if (!(err instanceof ApiError)) console.error(err); // API errors are shown on the page
    node = errorBox(err);
  }
  if (token !== current) return; // a newer navigation has started
  view.replaceChildren(node);
  document.title = `${tabTitle(node, name)} · ${t('brand')}`;
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
