// One pair of occupations, with the same evidence as similar_occupations.cypher (profile cosine,
// shared skills, skill counts, title directions), so a lateral move shows the similarity that the
// similar-occupations list shows for the same pair.
MATCH (o:Entity {uid: $source}), (other:Entity {uid: $target})
CALL (o) { MATCH (o)-[:REQUIRES]->(s:Skill) RETURN count(s) AS mine }
CALL (o) { MATCH (o)-[:HAS_TASK]->(:Task)-[:RELATES_TO]->(d:TitleDirection) RETURN collect(DISTINCT d.name) AS my_dirs }
CALL (o, other) { MATCH (o)-[:REQUIRES]->(s:Skill)<-[:REQUIRES]-(other) RETURN collect(s.name_zh) AS shared }
CALL (other) { MATCH (other)-[:REQUIRES]->(s:Skill) RETURN count(s) AS theirs }
CALL (other) { MATCH (other)-[:HAS_TASK]->(:Task)-[:RELATES_TO]->(d:TitleDirection) RETURN collect(DISTINCT d.name) AS their_dirs }
RETURN other.id AS id, other.code AS code, other.name_zh AS name_zh, other.name_en AS name_en, o.code AS my_code,
       2 * vector.similarity.cosine(o.profile_embedding, other.profile_embedding) - 1 AS cosine,
       shared, mine, theirs, my_dirs, their_dirs
