// Coverage of a target occupation: each of its tasks against every course vector, with the skills
// the task uses (a skill's coverage follows its tasks'), and its skills.
MATCH (o:Entity {uid: $uid})
CALL (o) {
  MATCH (o)-[:HAS_TASK]->(t:Task)
  RETURN collect({id: t.id, name: t.text, kind: 'task', lang: t.lang, order: t.order,
                  skills: [(t)-[:USES_SKILL]->(s:Skill) | s.id],
                  sims: [v IN $vectors | 2 * vector.similarity.cosine(v, t.embedding) - 1]}) AS tasks
}
CALL (o) {
  MATCH (o)-[:REQUIRES]->(s:Skill)
  RETURN collect({id: s.id, name: s.name_zh, name_en: s.name_en, kind: 'skill'}) AS skills
}
RETURN tasks, skills
