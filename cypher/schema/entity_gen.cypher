CREATE INDEX entity_gen IF NOT EXISTS FOR (n:Entity) ON (n.gen)
