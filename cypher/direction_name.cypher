// a title direction's names: the Chinese (003's), the English and where the English comes from
MATCH (d:Entity {uid: $uid}) WHERE d:TitleDirection
RETURN d.id AS id, d.name AS name_zh, d.name_en AS name_en, d.name_en_official AS official,
       d.name_en_source_json AS source_json
