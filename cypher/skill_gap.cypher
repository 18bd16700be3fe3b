// The target's skills and Chinese tasks, with for each target task its closest source task (cosine, text).
MATCH (s:Entity {uid: $source}), (t:Entity {uid: $target})
CALL (s) { MATCH (s)-[:REQUIRES]->(k:Skill) RETURN collect(k.id) AS mine }
CALL (t) { MATCH (t)-[r:REQUIRES]->(k:Skill) RETURN collect({id: k.id, name: k.name_zh, name_en: k.name_en, tasks: r.tasks, score: r.score}) AS theirs }
CALL (s, t) {
  MATCH (t)-[:HAS_TASK]->(tt:Task {lang: 'zh'})
  OPTIONAL MATCH (s)-[:HAS_TASK]->(st:Task) WHERE st.embedding IS NOT NULL
  WITH tt, st, 2 * vector.similarity.cosine(st.embedding, tt.embedding) - 1 AS sim
  ORDER BY sim DESC, st.id
  WITH tt, collect({sim: sim, text: st.text})[0] AS closest
  RETURN collect({id: tt.id, text: tt.text, order: tt.order, best: closest.sim, closest: closest.text}) AS target_tasks
}
RETURN mine, theirs, target_tasks
