"""Building a generation: the parsed sources resolved into one dataset (resolve, dataset, aliases,
title_data, transcriptions), skills and derived links (skills, derive), the embedding and writing of
a content-addressed generation (pipeline, generations), and adding a source document (sources_admin)."""
