"""HTTP: SPARQL 1.1 Protocol, the JSON-LD API and HTML pages, as a Flask application factory.

The service reads a store handed to it by :func:`create_app`; it imports
:mod:`resograph.graph` (vocabulary, store interface), never the reverse.
"""
