// occupation → its tasks → the title directions they relate to, with the linking tasks and work areas
MATCH (o:Entity {uid: $uid})-[:HAS_TASK]->(t:Task)-[r:RELATES_TO]->(d:TitleDirection)
RETURN d.id AS id, d.name AS name, d.name_en AS name_en,
       collect({id: t.id, text: t.text, lang: t.lang, order: t.order, score: r.score, confidence: r.confidence, work_area: r.work_area,
               method: r.method, version: r.version}) AS links
