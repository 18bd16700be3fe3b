MATCH (n:Entity {gen: $gen}) RETURN count(n) AS n
