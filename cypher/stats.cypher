MATCH (m:ZhiyeMeta {key: $slot})
CALL (m) {
  MATCH (n:Entity {gen: m.generation})
  WITH [l IN labels(n) WHERE l <> 'Entity'][0] AS label, count(*) AS c
  RETURN collect([label, c]) AS nodes
}
CALL (m) {
  MATCH (:Entity {gen: m.generation})-[r]->()
  WITH type(r) AS t, count(*) AS c
  RETURN collect([t, c]) AS relationships
}
RETURN m.generation AS gen, m.model AS model, m.dimension AS dimension, nodes, relationships
