// The vertical ladders of one occupation: its certifiable skill levels (own: its catalog row lists it), whether its tasks reach a
// title direction, and the title levels with their education requirements and every application condition.
MATCH (o:Entity {uid: $uid})
CALL (o) {
  MATCH (o)-[r:CERTIFIABLE_AT]->(l:SkillLevel) WHERE l.rank IS NOT NULL
  RETURN collect(l {.id, .rank, .name, .name_en, own: coalesce(r.catalog_row, false)}) AS levels
}
CALL (o) { MATCH (o)-[:HAS_TASK]->(:Task)-[:RELATES_TO]->(d) RETURN count(d) > 0 AS in_title_series }
CALL () {
  MATCH (tl:TitleLevel {gen: $gen})
  OPTIONAL MATCH (tl)-[:HAS_REQUIREMENT]->(r:Requirement {kind: 'education'})
  WITH tl, r ORDER BY r.order
  WITH tl, collect(r.text) AS requirements
  CALL (tl) {
    OPTIONAL MATCH (tl)-[:HAS_REQUIREMENT]->(c:Requirement)
    RETURN collect(c {.kind, .text, .order, .direction, .need, .of_items, source: c.sources[0]}) AS conditions
  }
  RETURN collect({id: tl.id, name: tl.name, name_en: tl.name_en, rank: tl.rank, requirements: requirements, conditions: conditions}) AS title_levels
}
RETURN levels, in_title_series, title_levels
