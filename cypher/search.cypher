// Hybrid search candidates in one round trip: each vector index and the BM25 fulltext index,
// with the occupation each hit belongs to (graph propagation happens on these owners).
CALL () {
  CALL db.index.vector.queryNodes('task_embedding', $pools.Task, $embedding) YIELD node, score
  RETURN node, node.id AS key, 'vector' AS channel, 2 * score - 1 AS score
  UNION ALL
  CALL db.index.vector.queryNodes('occupation_embedding', $pools.Occupation, $embedding) YIELD node, score
  RETURN node, node.id + '#zh' AS key, 'vector' AS channel, 2 * score - 1 AS score
  UNION ALL
  CALL db.index.vector.queryNodes('occupation_embedding_en', $pools.Occupation_en, $embedding) YIELD node, score
  RETURN node, node.id + '#en' AS key, 'vector' AS channel, 2 * score - 1 AS score
  UNION ALL
  CALL db.index.vector.queryNodes('skill_embedding', $pools.Skill, $embedding) YIELD node, score
  RETURN node, node.id AS key, 'vector' AS channel, 2 * score - 1 AS score
  UNION ALL
  CALL db.index.vector.queryNodes('direction_embedding', $pools.TitleDirection, $embedding) YIELD node, score
  RETURN node, node.id AS key, 'vector' AS channel, 2 * score - 1 AS score
  UNION ALL
  CALL db.index.fulltext.queryNodes('search_tokens', $lucene, {limit: $lexical_pool}) YIELD node, score
  WHERE $lucene <> ''
  RETURN node, node.id AS key, 'lexical' AS channel, score
}
WITH node, key, channel, score WHERE node.gen = $gen
OPTIONAL MATCH (owner:Occupation)-[:HAS_TASK]->(node)
OPTIONAL MATCH (node)-[:WORK_TYPE_OF]->(parent:Occupation)
WITH node, key, channel, score, coalesce(owner, parent) AS occ
RETURN channel, key, score, [l IN labels(node) WHERE l <> 'Entity'][0] AS label,
       node {.id, .code, .name_zh, .name_en, .name, .text, .definition, .definition_en, .work_areas} AS props,
       occ.id AS owner, occ.name_zh AS owner_name
