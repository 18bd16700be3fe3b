MERGE (m:ZhiyeMeta {key: $slot})
SET m.generation = $gen, m.model = $model, m.dimension = $dimension, m.stats_json = $stats_json, m.switched_at = datetime()
