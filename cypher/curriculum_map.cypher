// Per course vector: the closest skills, tasks (with their occupation) and occupation profiles. The
// index picks them; each score is the exact cosine (the index's may be quantised, and a course's
// nearest task is a feature of the calibrated course → task model, the same on both backends).
UNWIND range(0, size($vectors) - 1) AS c
CALL (c) {
  CALL db.index.vector.queryNodes('skill_embedding', $n, $vectors[c]) YIELD node, score
  WHERE node.gen = $gen
  RETURN collect({id: node.id, name: node.name_zh, name_en: node.name_en, score: 2 * vector.similarity.cosine($vectors[c], node.embedding) - 1}) AS skills
}
CALL (c) {
  CALL db.index.vector.queryNodes('task_embedding', $n, $vectors[c]) YIELD node, score
  WHERE node.gen = $gen
  MATCH (o:Occupation)-[:HAS_TASK]->(node)
  RETURN collect({id: node.id, name: node.text, score: 2 * vector.similarity.cosine($vectors[c], node.embedding) - 1, occupation: o.name_zh}) AS tasks
}
CALL (c) {
  CALL db.index.vector.queryNodes('occupation_profile', $n, $vectors[c]) YIELD node, score
  WHERE node.gen = $gen
  RETURN collect({id: node.id, name: node.name_zh, name_en: node.name_en, score: 2 * vector.similarity.cosine($vectors[c], node.profile_embedding) - 1}) AS occupations
}
RETURN c, skills, tasks, occupations ORDER BY c
