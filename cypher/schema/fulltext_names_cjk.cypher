// Names for people typing in Neo4j Browser or for suggestions: the cjk analyzer (bigrams).
CREATE FULLTEXT INDEX names_cjk IF NOT EXISTS
FOR (n:Occupation|WorkType|Skill|TitleDirection) ON EACH [n.name_zh, n.name_en, n.name]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}
