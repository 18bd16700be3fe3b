// Free text: per sentence vector, its $n nearest tasks with their occupation, by exact cosine to 4 decimals,
// then id (as the embedded backend ranks them: their float cosines differ in the 7th decimal). The index is
// asked for $pool candidates and the exact cosine picks the $n: a sentence sits near hundreds of tasks at
// 0.78–0.80, where the index's approximate top ten differed from the exact one in most sentences of a job ad
// (the nearest tasks weigh in the ranking and their gaps are inputs of the sentence → task model).
UNWIND range(0, size($vectors) - 1) AS c
CALL (c) {
  CALL db.index.vector.queryNodes('task_embedding', $pool, $vectors[c]) YIELD node
  WHERE node.gen = $gen
  MATCH (o:Occupation)-[:HAS_TASK]->(node)
  WITH node, o, 2 * vector.similarity.cosine($vectors[c], node.embedding) - 1 AS cosine
  ORDER BY round(cosine, 4) DESC, node.id
  LIMIT $n
  RETURN collect({id: node.id, text: node.text, occupation_id: o.id, occupation: o.name_zh, cosine: cosine}) AS tasks
}
RETURN c, tasks ORDER BY c
