"""Language lexicons of the extractor: JSON data files, one per language (``fr.json``...)."""
