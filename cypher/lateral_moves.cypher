// The lateral-move graph (SIMILAR_TO), projected into networkx for k shortest paths: Cypher has
// shortestPath but not Yen's k shortest weighted simple paths.
MATCH (a:Occupation {gen: $gen})-[r:SIMILAR_TO]->(b:Occupation)
RETURN a.id AS source, b.id AS target, r.weight AS weight
