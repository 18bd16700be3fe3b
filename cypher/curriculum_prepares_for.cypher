// For every occupation, how well the whole curriculum covers its tasks: per task the best
// course similarity; the share at least $partial plus the mean.
MATCH (o:Occupation {gen: $gen})-[:HAS_TASK]->(t:Task)
WITH o, reduce(m = -1.0, x IN [v IN $vectors | 2 * vector.similarity.cosine(v, t.embedding) - 1] |
                CASE WHEN x > m THEN x ELSE m END) AS best
WITH o, avg(CASE WHEN best >= $partial THEN 1.0 ELSE 0.0 END) + avg(best) AS score
RETURN o.id AS id, o.name_zh AS name, o.name_en AS name_en, score
ORDER BY score DESC, id LIMIT 10
