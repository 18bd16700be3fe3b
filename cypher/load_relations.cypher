UNWIND $rows AS row
MATCH (a:Entity {uid: row.start}), (b:Entity {uid: row.end})
MERGE (a)-[r:$(row.type)]->(b)
SET r += row.props
