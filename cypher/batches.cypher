MATCH (b:Batch {gen: $gen})
CALL (b) {
  MATCH (m)-[:ANNOUNCED_IN]->(b)
  RETURN collect(CASE WHEN m:Occupation THEN m {.id, .code, .name_zh, .name_en} END) AS occupations,
         collect(CASE WHEN m:WorkType THEN coalesce(m.name_zh, m.name_en) END) AS work_types
}
RETURN b {.id, .title, .announced, .document_no, .ordinal, .stated_counts_json} AS batch, occupations, work_types
ORDER BY b.announced
