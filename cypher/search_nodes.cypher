// Candidates among tasks, skills, title directions and work types: each vector index's nearest
// and the BM25 pool, filtered to the requested labels, each scored on both channels.
CALL () {
  CALL db.index.vector.queryNodes('task_embedding', $pools.Task, $embedding) YIELD node, score
  RETURN node, 2 * score - 1 AS cosine, 0.0 AS bm25
  UNION ALL
  CALL db.index.vector.queryNodes('skill_embedding', $pools.Skill, $embedding) YIELD node, score
  RETURN node, 2 * score - 1 AS cosine, 0.0 AS bm25
  UNION ALL
  CALL db.index.vector.queryNodes('direction_embedding', $pools.TitleDirection, $embedding) YIELD node, score
  RETURN node, 2 * score - 1 AS cosine, 0.0 AS bm25
  UNION ALL
  WITH $lucene AS q WHERE q <> ''  // no tokens: Lucene is not called at all
  CALL db.index.fulltext.queryNodes('search_tokens', q, {limit: $lexical_pool}) YIELD node, score
  RETURN node, null AS cosine, score AS bm25
}
WITH node, max(cosine) AS cosine, max(bm25) AS bm25
WITH node, cosine, bm25, [l IN labels(node) WHERE l <> 'Entity'][0] AS label
WHERE node.gen = $gen AND label IN $labels
OPTIONAL MATCH (owner:Occupation)-[:HAS_TASK]->(node)
OPTIONAL MATCH (node)-[:WORK_TYPE_OF]->(parent:Occupation)
WITH node, cosine, bm25, label, coalesce(owner, parent) AS occ
RETURN label, bm25,
       node {.id, .code, .name_zh, .name_en, .name, .text, .work_areas, .written_as} AS props,
       // exact cosines from the stored vectors (the index's scores are quantised)
       CASE WHEN node.embedding IS NULL THEN null
            ELSE 2 * vector.similarity.cosine(node.embedding, $embedding) - 1 END AS cosine,
       occ.id AS owner, occ.name_zh AS owner_name
