// Occupation candidates for hybrid search: nearest profile vectors and best BM25 documents, each
// scored on both (so a lexical-only candidate still gets its cosine). Scoring: graph/query/fusion.py,
// shared with the embedded backend; evidence for the hits returned: search_evidence.cypher.
CALL () {
  CALL db.index.vector.queryNodes('occupation_profile', $pool, $embedding) YIELD node, score
  RETURN node, 2 * score - 1 AS cosine, 0.0 AS bm25
  UNION ALL
  WITH $lucene AS q WHERE q <> ''  // no tokens: Lucene is not called at all
  CALL db.index.fulltext.queryNodes('occupation_tokens', q, {limit: $lexical_pool}) YIELD node, score
  RETURN node, null AS cosine, score AS bm25
  UNION ALL
  UNWIND $extra_uids AS uid  // the exact-name hit and the title channel's candidates
  MATCH (node:Entity {uid: uid})
  RETURN node, null AS cosine, 0.0 AS bm25
}
WITH node, max(cosine) AS cosine, max(bm25) AS bm25
WHERE node.gen = $gen
// exact cosines from the stored vectors: the index's own scores are quantised and would rank
// near-ties differently from the embedded backend
RETURN node {.id, .code, .name_zh, .name_en, .definition, .definition_en} AS props,
       2 * vector.similarity.cosine(node.profile_embedding, $embedding) - 1 AS cosine, bm25
