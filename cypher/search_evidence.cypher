// The best-matching task of each occupation a search returns (its evidence).
UNWIND $uids AS uid
MATCH (o:Entity {uid: uid})-[:HAS_TASK]->(t:Task)
WITH o, t, 2 * vector.similarity.cosine(t.embedding, $embedding) - 1 AS c
ORDER BY c DESC, t.id
WITH o, collect({id: t.id, text: t.text, cosine: c})[0] AS best_task
RETURN o.id AS id, best_task
