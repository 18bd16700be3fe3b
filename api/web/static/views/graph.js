// The neighbourhood graph drawn with cytoscape (from npm, served at /vendor/cytoscape).
import { h, short } from '../dom.js';
import { getLang, t } from '../i18n.js';

export const KINDS = {
  occupation: { color: '#1e40af' },
  task: { color: '#6366f1' },
  skill: { color: '#059669' },
  direction: { color: '#d97706' },
  similar: { color: '#9333ea' },
};
// inside out around the occupation; title directions sit on the top of the outer ring
const RINGS = [['task'], ['skill'], ['direction', 'similar']];

const STYLE = [
  { selector: 'node', style: {
    label: 'data(label)', 'font-size': 10, 'text-wrap': 'wrap', 'text-max-width': 96, 'text-valign': 'center',
    'text-halign': 'center', color: '#1f2937', 'border-width': 1.5, width: 64, height: 64, 'font-size': 12,
    'font-family': '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif' } },
  { selector: 'node[kind = "occupation"]', style: {
    'background-color': KINDS.occupation.color, 'border-color': '#1e3a8a', color: '#fff', width: 124, height: 124,
    'font-size': 16, 'font-weight': 'bold', 'text-max-width': 116 } },
  { selector: 'node[kind = "task"]', style: {
    shape: 'round-rectangle', 'background-color': '#eef2ff', 'border-color': KINDS.task.color, width: 150, height: 50,
    'font-size': 11, 'text-max-width': 140 } },
  { selector: 'node[kind = "skill"]', style: {
    shape: 'round-rectangle', 'background-color': '#ecfdf5', 'border-color': KINDS.skill.color, width: 'data(w)', height: 30,
    'text-max-width': 170 } },
  { selector: 'node[kind = "direction"]', style: {
    shape: 'diamond', 'background-color': '#fef3c7', 'border-color': KINDS.direction.color, width: 86, height: 86,
    'font-weight': 'bold' } },
  { selector: 'node[kind = "similar"]', style: {
    'background-color': '#f3e8ff', 'border-color': KINDS.similar.color, width: 84, height: 84, 'text-max-width': 76 } },
  { selector: 'edge', style: {
    width: 1.2, 'line-color': '#cbd5e1', 'curve-style': 'bezier', 'target-arrow-shape': 'triangle',
    'target-arrow-color': '#cbd5e1', 'arrow-scale': 0.7 } },
  { selector: 'edge[type = "SIMILAR"]', style: {
    'line-color': '#c4b5fd', 'target-arrow-color': '#c4b5fd', 'line-style': 'dashed', width: 'mapData(score, 0.3, 1, 1, 4)',
    label: 'data(scoreLabel)', 'font-size': 8, color: '#7c3aed', 'text-background-color': '#fff',
    'text-background-opacity': 0.8 } },
  { selector: 'edge[type = "RELATES_TO"]', style: { 'line-color': '#fbbf24', 'target-arrow-color': '#fbbf24', width: 2 } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#f43f5e' } },
];

// cytoscape wraps only at spaces: Chinese labels get their line breaks here
const CJK = /[\u2e80-\u9fff\uf900-\ufaff]/;
function wrap(text, perLine, maxLines) {
  if (!CJK.test(text)) return short(text, perLine * maxLines * 2);
  const chars = [...short(text, perLine * maxLines)];
  const rows = [];
  for (let i = 0; i < chars.length; i += perLine) rows.push(chars.slice(i, i + perLine).join(''));
  return rows.join('\n');
}
const LABEL = { occupation: [7, 3], task: [12, 3], skill: [12, 1], direction: [4, 2], similar: [6, 3] };

// occupations are labelled in the page's language where they have an English name
const shownName = (n) => (getLang() === 'en' && n.data?.name_en && ['occupation', 'similar', 'skill', 'direction'].includes(n.kind)
  ? n.data.name_en : n.name);

function elements(data) {
  const nodes = data.nodes.map((n) => ({ data: {
    id: n.id, kind: n.kind, name: n.name, raw: n.data, label: wrap(shownName(n), ...LABEL[n.kind]),
    w: Math.min(170, 20 + [...short(shownName(n), 12)].reduce((w, ch) => w + (CJK.test(ch) ? 12 : 7), 0)) } }));
  const edges = data.edges.map((e, i) => ({ data: {
    id: `e${i}`, source: e.source, target: e.target, type: e.type, score: e.score ?? 0.5,
    scoreLabel: e.type === 'SIMILAR' && e.score != null ? e.score.toFixed(2) : '' } }));
  return [...nodes, ...edges];
}

// The graph as lists, one per kind of node, each item a link where it leads somewhere: what a keyboard,
// a screen reader or a phone (where the drawing is small) uses instead of the canvas.
export function nodeList(data) {
  const href = (n) => (n.kind === 'similar' ? `#/occupation/${encodeURIComponent(n.data?.code || n.name)}`
    : n.kind === 'skill' ? `#/skill/${encodeURIComponent(n.name)}`
      : n.kind === 'direction' ? `#/direction/${encodeURIComponent(n.name)}` : null);
  const groups = ['task', 'skill', 'direction', 'similar'].map((kind) => [kind, data.nodes.filter((n) => n.kind === kind)])
    .filter(([, nodes]) => nodes.length);
  return h('details', { class: 'graph-list', id: 'graph-list', open: window.matchMedia('(max-width: 640px)').matches },
    h('summary', {}, t('graph.as_list')),
    groups.map(([kind, nodes]) => h('div', { class: 'graph-list-group' },
      h('h3', {}, h('i', { style: { background: KINDS[kind].color } }), t(`graph.legend.${kind}`), ` (${nodes.length})`),
      h('ul', {}, nodes.map((n) => h('li', {}, href(n) ? h('a', { href: href(n) }, shownName(n)) : shownName(n)))))));
}

export function legend() {
  return h('div', { class: 'legend' }, Object.entries(KINDS).map(([kind, { color }]) =>
    h('span', { class: 'legend-item' }, h('i', { style: { background: color } }), t(`graph.legend.${kind}`))));
}

// Concentric ellipses shaped like the container, each just large enough for its nodes, so
// the graph uses the width of the page instead of a circle bounded by its height.
function ringPositions(data, container) {
  const ratio = Math.min(1, Math.max(0.42, (container.clientHeight || 560) / (container.clientWidth || 1200)));
  const width = { task: 168, skill: 118, direction: 100, similar: 100 };
  const pos = {};
  let a = 0;
  for (const kinds of RINGS) {
    const nodes = data.nodes.filter((n) => kinds.includes(n.kind));
    if (!nodes.length) continue;
    const need = (nodes.length * Math.max(...nodes.map((n) => width[n.kind]))) / (Math.PI * (1 + ratio));
    a = Math.max(a + 190, need, 200);
    nodes.forEach((n, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * (i + 0.5)) / nodes.length - Math.PI / nodes.length;
      pos[n.id] = { x: a * Math.cos(angle), y: a * ratio * Math.sin(angle) };
    });
  }
  for (const n of data.nodes) if (!pos[n.id]) pos[n.id] = { x: 0, y: 0 };
  return pos;
}

// Draws into container (already in the document); onNode(kind, name, data) on tap.
export async function drawGraph(container, data, onNode) {
  let cytoscape;
  try {
    ({ default: cytoscape } = await import('cytoscape'));
  } catch (err) {
    container.replaceChildren(h('p', { class: 'muted graph-missing' }, t('graph.missing')));
    return null;
  }
  const cy = cytoscape({
    container, elements: elements(data), style: STYLE, wheelSensitivity: 0.3, minZoom: 0.2, maxZoom: 3,
    layout: { name: 'preset', positions: ringPositions(data, container), fit: true, padding: 24 },
  });
  cy.on('tap', 'node', (evt) => onNode?.(evt.target.data('kind'), evt.target.data('name'), evt.target.data('raw')));
  window.__cy = cy; // for the browser tests and for poking at the graph from the console
  return cy;
}
