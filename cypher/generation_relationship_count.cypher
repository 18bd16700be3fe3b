MATCH (:Entity {gen: $gen})-[r]->() RETURN count(r) AS n
