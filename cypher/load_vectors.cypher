UNWIND $rows AS row
MATCH (n:Entity {uid: row.uid})
CALL db.create.setNodeVectorProperty(n, $property, row.vector)
