// a skill's names: the Chinese, the English and where the English comes from (a reviewed row)
MATCH (s:Entity {uid: $uid}) WHERE s:Skill
RETURN s.id AS id, s.name_zh AS name_zh, s.name_en AS name_en, s.name_en_official AS official,
       s.name_en_source_json AS source_json
