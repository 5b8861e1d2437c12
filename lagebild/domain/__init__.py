"""Numbers and their rules: measures, regions, the region filter, key figures, Meldestand, Personalbedarf."""
