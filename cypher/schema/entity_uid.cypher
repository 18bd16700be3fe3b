// Every node is an :Entity with a uid "<generation>/<id>": loads and switches are per generation.
CREATE CONSTRAINT entity_uid IF NOT EXISTS FOR (n:Entity) REQUIRE n.uid IS UNIQUE
