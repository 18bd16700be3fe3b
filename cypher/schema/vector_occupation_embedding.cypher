// Vector index sized from the encoder's dimension ($dimension).
CREATE VECTOR INDEX occupation_embedding IF NOT EXISTS FOR (n:Occupation) ON n.embedding
OPTIONS {indexConfig: {`vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine'}}
