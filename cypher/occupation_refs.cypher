// Code and names of every occupation in the generation (small; cached per generation).
MATCH (o:Occupation {gen: $gen})
RETURN o.id AS id, o.code AS code, o.name_zh AS name_zh, o.name_en AS name_en
