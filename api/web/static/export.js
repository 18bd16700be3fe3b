// What leaves the page: CSV tables a spreadsheet opens, images of the diagrams, a link to the view.
import { h } from './dom.js';
import { t } from './i18n.js';

// One CSV cell: quoted when it holds a comma, quote or line break (RFC 4180); a leading = + - @ is
// prefixed with ' so a spreadsheet does not run a text from the graph as a formula.
function cell(value) {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header, rows) {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// A file name from the view's subject: what the file system allows, never empty.
export function fileName(...parts) {
  return parts.filter(Boolean).join('-').replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 120) || 'zhiye';
}

// The UTF-8 byte-order mark makes Excel read the Chinese as UTF-8, not the system code page.
// `label`: what the button says when a view offers more than one table
export function csvButton(filename, header, rows, label = t('export.csv')) {
  return h('button', { type: 'button', class: 'button small export', 'data-export': 'csv',
    onclick: () => save(new Blob(['\uFEFF', toCsv(header, typeof rows === 'function' ? rows() : rows)],
      { type: 'text/csv;charset=utf-8' }), `${filename}.csv`) }, label);
}

// An SVG diagram as a file of its own: the page's CSS does not travel with it, so the computed styles
// that draw it (fills, strokes, fonts) are written onto a copy's elements.
function standalone(svg) {
  const copy = svg.cloneNode(true);
  const props = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-size', 'font-family', 'font-weight',
    'opacity', 'text-anchor', 'dominant-baseline'];
  const source = [svg, ...svg.querySelectorAll('*')];
  const target = [copy, ...copy.querySelectorAll('*')];
  source.forEach((el, i) => {
    const style = getComputedStyle(el);
    target[i].setAttribute('style', props.map((p) => `${p}:${style.getPropertyValue(p)}`).join(';'));
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const box = svg.viewBox.baseVal;
  if (box && box.width) { copy.setAttribute('width', box.width); copy.setAttribute('height', box.height); }
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  for (const [k, v] of [['width', '100%'], ['height', '100%'], ['style', 'fill:#fff']]) bg.setAttribute(k, v);
  copy.insertBefore(bg, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

export function svgButton(filename, getSvg) {
  return h('button', { type: 'button', class: 'button small export', 'data-export': 'svg',
    onclick: () => save(new Blob([standalone(getSvg())], { type: 'image/svg+xml' }), `${filename}.svg`) },
  t('export.svg'));
}

// cytoscape draws on canvases: its own png() gives the whole graph, on white
export function pngButton(filename, getCy) {
  return h('button', { type: 'button', class: 'button small export', 'data-export': 'png',
    onclick: () => {
      const cy = getCy();
      if (cy) save(cy.png({ output: 'blob', full: true, bg: '#ffffff', scale: 2 }), `${filename}.png`);
    } }, t('export.png'));
}

export function exportBar(...buttons) {
  return h('div', { class: 'export-bar' }, ...buttons);
}
