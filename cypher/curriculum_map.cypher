// Per course vector: the $n closest skills, tasks (with their occupation) and occupation profiles by exact
// cosine. Each index is asked for $pool candidates and the exact cosine keeps the $n: the index's own
// approximate top five missed a course's nearest task (in a job ad's sentence "Keep watch over the pool…",
// the task at 0.841 that the embedded backend finds first), and a course's nearest task is a feature of the
// calibrated course → task model, which must read the same on both backends.
UNWIND range(0, size($vectors) - 1) AS c
CALL (c) {
  CALL db.index.vector.queryNodes('skill_embedding', $pool, $vectors[c]) YIELD node
  WHERE node.gen = $gen
  WITH node, 2 * vector.similarity.cosine($vectors[c], node.embedding) - 1 AS score
  ORDER BY score DESC, node.id
  LIMIT $n
  RETURN collect({id: node.id, name: node.name_zh, name_en: node.name_en, score: score}) AS skills
}
CALL (c) {
  CALL db.index.vector.queryNodes('task_embedding', $pool, $vectors[c]) YIELD node
  WHERE node.gen = $gen
  MATCH (o:Occupation)-[:HAS_TASK]->(node)
  WITH node, o, 2 * vector.similarity.cosine($vectors[c], node.embedding) - 1 AS score
  ORDER BY score DESC, node.id
  LIMIT $n
  RETURN collect({id: node.id, name: node.text, score: score, occupation: o.name_zh}) AS tasks
}
CALL (c) {
  CALL db.index.vector.queryNodes('occupation_profile', $pool, $vectors[c]) YIELD node
  WHERE node.gen = $gen
  WITH node, 2 * vector.similarity.cosine($vectors[c], node.profile_embedding) - 1 AS score
  ORDER BY score DESC, node.id
  LIMIT $n
  RETURN collect({id: node.id, name: node.name_zh, name_en: node.name_en, score: score}) AS occupations
}
RETURN c, skills, tasks, occupations ORDER BY c
