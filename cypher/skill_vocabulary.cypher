// Every skill with the names a sentence may use for it: its Chinese name and merged synonyms.
MATCH (s:Skill {gen: $gen})
RETURN s.id AS id, s.name_zh AS name_zh, s.name_en AS name_en, [s.name_zh] + coalesce(s.merged, []) AS names
ORDER BY s.id
