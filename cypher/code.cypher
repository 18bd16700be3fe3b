// Title coding and the title channel: every title of the generation, with the occupations it names
// (kind of title, broad or specific) and its vector; fetched once per generation and matched in
// graph/query/titles.py, the code both backends share.
MATCH (t:Title:Entity {gen: $gen})-[r:TITLE_OF]->(o:Occupation)
WITH t, o, r ORDER BY o.id
RETURN t.id AS id, t.text AS text, t.embedding AS embedding,
       collect({occupation: o.id, kind: r.kind[0], broad: r.broad}) AS targets
ORDER BY id
