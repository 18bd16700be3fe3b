MATCH (s:Entity {uid: $uid})<-[r:REQUIRES]-(o:Occupation)
RETURN o.id AS id, o.code AS code, o.name_zh AS name_zh, o.name_en AS name_en, r.tasks AS tasks, r.score AS score,
       r.method AS method, r.version AS version
ORDER BY tasks DESC, score DESC, id LIMIT $k
