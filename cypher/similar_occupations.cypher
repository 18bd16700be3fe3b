// Nearest occupation profiles (vector index), then the graph evidence for each: shared skills,
// skill counts and title directions. The blend itself is graph/query/scoring.py's, shared with the
// embedded backend.
MATCH (o:Entity {uid: $uid})
CALL (o) { MATCH (o)-[:REQUIRES]->(s:Skill) RETURN count(s) AS mine }
CALL (o) { MATCH (o)-[:HAS_TASK]->(:Task)-[:RELATES_TO]->(d:TitleDirection) RETURN collect(DISTINCT d.name) AS my_dirs }
CALL db.index.vector.queryNodes('occupation_profile', $pool + 1, o.profile_embedding) YIELD node AS other
// the index picks the candidates; the cosine is recomputed exactly (the index's score may be quantised),
// so that a pair scores the same here, in occupation_pair.cypher and on the embedded backend
WITH o, mine, my_dirs, other, 2 * vector.similarity.cosine(o.profile_embedding, other.profile_embedding) - 1 AS cosine
WHERE other.gen = $gen AND other <> o
ORDER BY cosine DESC, other.id LIMIT $pool
CALL (o, other) { MATCH (o)-[:REQUIRES]->(s:Skill)<-[:REQUIRES]-(other) RETURN collect(s.name_zh) AS shared }
CALL (other) { MATCH (other)-[:REQUIRES]->(s:Skill) RETURN count(s) AS theirs }
CALL (other) { MATCH (other)-[:HAS_TASK]->(:Task)-[:RELATES_TO]->(d:TitleDirection) RETURN collect(DISTINCT d.name) AS their_dirs }
RETURN other.id AS id, other.code AS code, other.name_zh AS name_zh, other.name_en AS name_en, o.code AS my_code,
       cosine, shared, mine, theirs, my_dirs, their_dirs
