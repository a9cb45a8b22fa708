"""resograph: a linked-data service for United Nations resolutions and their citations.

The distribution maps the project's top-level folders onto one import namespace:
``resograph.graph`` (``graph/``: text to triples to store), ``resograph.service``
(``service/``: HTTP), ``resograph.ontology`` and ``resograph.shapes`` (data).
``resograph.cli`` is the one module that wires the graph to the service.
"""

__version__ = "0.1.0"
