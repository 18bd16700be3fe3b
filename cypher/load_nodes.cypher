UNWIND $rows AS row
MERGE (n:Entity {uid: row.uid})
SET n:$(row.label)
SET n += row.props
