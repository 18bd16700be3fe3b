// BM25 over whole-occupation documents (names, definitions, tasks, work types).
CREATE FULLTEXT INDEX occupation_tokens IF NOT EXISTS
FOR (n:Occupation) ON EACH [n.search_tokens]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}
