// Delete every generation no slot points at (the previous one, or a load that died midway).
MATCH (m:ZhiyeMeta)
WITH collect(m.generation) AS keep
MATCH (n:Entity) WHERE NOT n.gen IN keep
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
