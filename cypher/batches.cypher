MATCH (b:Batch {gen: $gen})
CALL (b) {
  MATCH (m)-[a:ANNOUNCED_IN]->(b)
  RETURN collect(CASE WHEN m:Occupation THEN m {
           .id, .code, .name_zh, .name_en,
           raised_from_work_type: coalesce(a.raised_from_work_type, false), former_parent: a.former_parent
         } END) AS occupations,
         collect(CASE WHEN m:WorkType THEN coalesce(m.name_zh, m.name_en) END) AS work_types
}
RETURN b {.id, .title, .announced, .document_no, .ordinal, .stated_counts_json, .unresolved_json, .sources} AS batch,
       occupations, work_types
ORDER BY b.announced
