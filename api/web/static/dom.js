// Building elements without innerHTML, so texts from the graph are never parsed as markup.
import { errorText } from './i18n.js';

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// A box that scrolls sideways (a diagram wider than a phone): focusable and named, so a keyboard can
// scroll it and a screen reader says what it holds (axe: scrollable-region-focusable).
export function scrollRegion(label, ...children) {
  return h('div', { class: 'scroll-x', tabindex: '0', role: 'region', 'aria-label': label }, ...children);
}

// What is under way, while it is: a spinner, what is being done and, past a second, the seconds it has
// taken (a 30-course heatmap takes several: "加载中…" alone looked stuck). The clock stops once the
// element leaves the page.
export function progress(text) {
  const started = performance.now();
  const clock = h('span', { class: 'elapsed' });
  const el = h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' ', text, ' ', clock);
  const timer = setInterval(() => {
    const seconds = Math.floor((performance.now() - started) / 1000);
    if (!el.isConnected && seconds > 0) clearInterval(timer);
    else if (seconds >= 1) clock.textContent = `${seconds} s`;
  }, 250);
  return el;
}

export function short(text, n) {
  text = text || '';
  return text.length <= n ? text : text.slice(0, n - 1) + '…';
}

// A calibrated chance as people read it, in whole percents, but never "0%" or "100%" for what is neither: a
// 0.07 % chance read as "弱匹配 · 0%", which looked like a broken score.
export function percent(p) {
  const x = p * 100;
  if (x > 0 && x < 0.5) return '<1%';
  if (x < 100 && x >= 99.5) return '>99%';
  return `${Math.round(x)}%`;
}

export const fmt = (x, digits = 3) => (x === null || x === undefined ? '—' : Number(x).toFixed(digits));

export function occLink(name, label) {
  return h('a', { href: '#/occupation/' + encodeURIComponent(name) }, label || name);
}

// An API error under a form: its message, and its suggestions as chips that put the name in `input` and
// submit the form again (an unknown target occupation, say).
// A flat list of nodes, as replaceChildren(...list) takes them: an array among them was printed as
// "[object HTMLButtonElement],[object HTMLButtonElement]" (issue 15).
export function errorWithRetry(err, input, form) {
  if (err.code === 'not_found' && !err.asked) err.asked = { kind: 'occupation', name: input.value.trim() };
  return [errorText(err), ' ', ...(err.suggestions || []).map((x) =>
    h('button', { type: 'button', class: 'chip', onclick: () => { input.value = x; form.requestSubmit(); } }, x))];
}
