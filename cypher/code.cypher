// Title coding and the title channel: every title of the generation, with what it names — occupations,
// or a group (普工 → 6) — the kind of title, broad or specific, and its vector; fetched once per
// generation and matched in graph/query/titles.py, the code both backends share.
MATCH (t:Title:Entity {gen: $gen})-[r:TITLE_OF]->(o)
WHERE o:Occupation OR o:Category
WITH t, o, r ORDER BY o.id
RETURN t.id AS id, t.text AS text, t.embedding AS embedding,
       collect({occupation: o.id, kind: r.kind[0], broad: r.broad,
                group: CASE WHEN o:Category
                            THEN {code: o.code, name: o.name, name_en: o.name_en, level: o.level} END}) AS targets
ORDER BY id
