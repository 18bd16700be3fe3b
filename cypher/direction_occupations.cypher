// title direction → tasks related to it → their occupations
MATCH (d:Entity {uid: $uid})<-[r:RELATES_TO]-(t:Task)<-[:HAS_TASK]-(o:Occupation)
RETURN o.id AS id, o.code AS code, o.name_zh AS name_zh, o.name_en AS name_en,
       collect({id: t.id, text: t.text, score: r.score, confidence: r.confidence}) AS tasks
