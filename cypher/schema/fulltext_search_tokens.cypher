// BM25 over the same jieba tokens the embedded backend indexes (whitespace-joined): tasks,
// skills, title directions and work types.
CREATE FULLTEXT INDEX search_tokens IF NOT EXISTS
FOR (n:Task|Skill|TitleDirection|WorkType) ON EACH [n.search_tokens]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}
