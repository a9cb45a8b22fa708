"""Text to triples to store.

Data flows one way: a source file is read (:mod:`.readers`, :mod:`.akn`) and parsed
(:mod:`.extract`) into a :class:`~.model.ParsedResolution`, mapped to RDF (:mod:`.rdf`),
validated (:mod:`.validate`) and written to a store (:mod:`.store`, :mod:`.ingest`).
Nothing here imports :mod:`resograph.service`.
"""
