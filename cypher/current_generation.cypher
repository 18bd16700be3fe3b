MATCH (m:ZhiyeMeta {key: $slot})
RETURN m.generation AS gen, m.model AS model, m.dimension AS dimension, m.stats_json AS stats_json
