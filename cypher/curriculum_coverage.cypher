// Coverage of a target occupation: each of its tasks and skills against every course vector.
MATCH (o:Entity {uid: $uid})
CALL (o) {
  MATCH (o)-[:HAS_TASK]->(t:Task)
  RETURN collect({id: t.id, name: t.text, kind: 'task', lang: t.lang, order: t.order,
                  sims: [v IN $vectors | 2 * vector.similarity.cosine(v, t.embedding) - 1]}) AS tasks
}
CALL (o) {
  MATCH (o)-[:REQUIRES]->(s:Skill)
  RETURN collect({id: s.id, name: s.name_zh, kind: 'skill',
                  sims: [v IN $vectors | 2 * vector.similarity.cosine(v, s.embedding) - 1]}) AS skills
}
RETURN tasks, skills
