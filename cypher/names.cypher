// Everything a name can resolve to: occupations (names, codes, aliases), skills, title directions.
MATCH (n:Entity {gen: $gen})
WHERE n:Occupation OR n:Skill OR n:TitleDirection
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label,
       [x IN [n.name_zh, n.name_en, n.name, n.code] WHERE x IS NOT NULL] + coalesce(n.former_codes, []) + coalesce(n.aliases, []) + coalesce(n.merged, []) AS names
ORDER BY n.id
