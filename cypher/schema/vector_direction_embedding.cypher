// Vector index sized from the encoder's dimension ($dimension).
CREATE VECTOR INDEX direction_embedding IF NOT EXISTS FOR (n:TitleDirection) ON n.embedding
OPTIONS {indexConfig: {`vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine'}}
