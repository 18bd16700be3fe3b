// Vector index sized from the encoder's dimension ($dimension).
CREATE VECTOR INDEX occupation_embedding_en IF NOT EXISTS FOR (n:Occupation) ON n.embedding_en
OPTIONS {indexConfig: {`vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine'}}
