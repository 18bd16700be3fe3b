// Courses from pasted lines ("title: description"), a CSV (title,description) or JSON.
const split = (line) => {
  const m = line.match(/^(.*?)\s*[:：]\s*(.*)$/);
  return m && m[1] ? { title: m[1].trim(), description: m[2].trim() } : { title: line.trim(), description: '' };
};

export function fromLines(text) {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map(split);
}

export function toLines(courses) {
  const flat = (x) => String(x || '').replace(/\s+/g, ' ').trim();
  return courses.map((c) => (c.description ? `${flat(c.title)}: ${flat(c.description)}` : flat(c.title))).join('\n');
}

// RFC 4180 rows: quoted fields may hold commas, quotes ("") and newlines.
export function csvRows(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows.filter((r) => r.some((f) => f.trim()));
}

export function fromCsv(text) {
  const rows = csvRows(text.replace(/^\uFEFF/, ''));
  if (!rows.length) return [];
  const head = rows[0].map((x) => x.trim().toLowerCase());
  let ti = head.indexOf('title'), di = head.indexOf('description');
  if (di < 0) di = head.indexOf('outcomes');
  const body = ti >= 0 ? rows.slice(1) : rows;
  if (ti < 0) { ti = 0; di = 1; }
  return body.map((r) => ({ title: (r[ti] || '').trim(), description: (di >= 0 ? r[di] || '' : '').trim() }))
    .filter((c) => c.title);
}

export function fromJson(text) {
  const data = JSON.parse(text);
  const rows = Array.isArray(data) ? data : data.courses;
  if (!Array.isArray(rows)) throw new Error('expected a list of {title, description}');
  return rows.map((r) => (typeof r === 'string' ? { title: r, description: '' }
    : { title: String(r.title || '').trim(), description: String(r.description || r.outcomes || '').trim() }))
    .filter((c) => c.title);
}

export function fromFile(name, text) {
  return /\.json$/i.test(name) ? fromJson(text) : /\.csv$/i.test(name) ? fromCsv(text) : fromLines(text);
}
