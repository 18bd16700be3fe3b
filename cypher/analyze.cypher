// Free text: per sentence vector, its $n nearest tasks with their occupation. The index picks them; each
// score is the exact cosine (the index's may be quantised, and the sentence → task model reads the gap
// to the sentence's nearest task, the same on both backends).
UNWIND range(0, size($vectors) - 1) AS c
CALL (c) {
  CALL db.index.vector.queryNodes('task_embedding', $n, $vectors[c]) YIELD node
  WHERE node.gen = $gen
  MATCH (o:Occupation)-[:HAS_TASK]->(node)
  WITH node, o, 2 * vector.similarity.cosine($vectors[c], node.embedding) - 1 AS cosine
  ORDER BY cosine DESC, node.id
  RETURN collect({id: node.id, text: node.text, occupation_id: o.id, occupation: o.name_zh, cosine: cosine}) AS tasks
}
RETURN c, tasks ORDER BY c
