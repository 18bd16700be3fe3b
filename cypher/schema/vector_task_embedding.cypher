// Vector index sized from the encoder's dimension ($dimension).
CREATE VECTOR INDEX task_embedding IF NOT EXISTS FOR (n:Task) ON n.embedding
OPTIONS {indexConfig: {`vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine'}}
