MATCH (o:Entity {uid: $uid})
CALL (o) {
  MATCH (o)-[:HAS_TASK]->(t)
  RETURN collect(t {.id, .text, .lang, .order, source: t.sources[0]}) AS tasks
}
CALL (o) {
  MATCH (w:WorkType)-[:WORK_TYPE_OF]->(o)
  RETURN collect(w {.name_zh, .name_en, official: w.name_en_official, source_json: w.name_en_source_json}) AS work_types
}
CALL (o) {
  MATCH (o)-[r:CERTIFIABLE_AT]->(l:SkillLevel)
  RETURN collect(CASE WHEN r.catalog_row THEN coalesce(toString(l.rank), l.name) END) AS levels,
         collect(coalesce(toString(l.rank), l.name)) AS all_levels
}
CALL (o) {
  MATCH (w:WorkType)-[:WORK_TYPE_OF]->(o)
  MATCH (w)-[:CERTIFIABLE_AT]->(l:SkillLevel)
  RETURN collect({work_type: coalesce(w.name_zh, w.name_en), level: coalesce(toString(l.rank), l.name)}) AS work_type_levels
}
CALL (o) {
  MATCH (o)-[a:ANNOUNCED_IN]->(b:Batch)
  RETURN collect(b {
    .id, .announced, .document_no, .title, .ordinal, source: b.sources[0],
    raised_from_work_type: coalesce(a.raised_from_work_type, false), former_parent: a.former_parent
  }) AS batches
}
CALL (o) {
  OPTIONAL MATCH path = (o)-[:IN]->(:Category)-[:PART_OF*0..]->(top:Category)
  WHERE NOT (top)-[:PART_OF]->()
  RETURN collect([c IN nodes(path)[1..] | c {.code, .name, .level, .name_en}]) AS category_paths
}
CALL (o) {
  MATCH (o)-[r:REQUIRES]->(s:Skill)
  RETURN collect(s {.id, .name_zh, .name_en, .kind, .written_as, score: r.score, tasks: r.tasks, method: r.method, version: r.version}) AS skills
}
RETURN o {.*, embedding: null, embedding_en: null, profile_embedding: null, search_tokens: null} AS occupation,
       tasks, work_types, levels, all_levels, work_type_levels, batches, category_paths, skills
