// 专项职业能力 (004's rows with a Z code): each with its level, the minor group its code falls in when the
// graph lists it, and its sources.
MATCH (a:SpecialAbility {gen: $gen})
OPTIONAL MATCH (a)-[:IN]->(c:Category)
OPTIONAL MATCH (a)-[:CERTIFIABLE_AT]->(l:SkillLevel)
WITH a, c, collect(l.name) AS levels
RETURN a {.id, .code, .name, .sources} AS ability, c {.code, .name, .name_en, .level} AS category, levels
ORDER BY a.code
