"""The citation links of the store (``rg:cites``) held in memory, for /network.

Why: a depth-2 neighbourhood at UN scale touches the links of works cited thousands of times.
Read through SPARQL, every hop costs the engine index reads and term decoding, and the
answer's edges need one more join over all its members (bench/SCALE.md, sixth pass: 473 ms at
the 95th percentile for 100,000 resolutions, with the walk bounded). The links themselves are
small: one pair of integers each, ~1.3 million pairs for 100,000 resolutions. So the service
reads them once per store generation and walks them here.

This is a cache of one predicate, derived from the store and dropped on every write through
the process (:mod:`.api` keys it by the store generation), never a second store: the nodes'
descriptions and summaries are still read from the engine. It is used only where the
service's other caches are (the embedded store, whose writes this process sees); the walk
over SPARQL (:func:`.api.network_members`) serves remote engines, and the first requests
while the index is being read.

The walk here is exhaustive, so it gives the documented ranking exactly (nearer hops first;
within a hop, the works linked to most works of the previous hop, then by IRI), where the
bounded SPARQL walk approximates it inside a hop it had to cut.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterable

from resograph.service import queries

#: Every citation link, copies folded (one per language version of the citing work).
ALL_LINKS = queries.PREFIXES + "SELECT DISTINCT ?a ?b WHERE { ?a rg:cites ?b }"


class CitationIndex:
    """``rg:cites`` as two compressed adjacency lists (out-links, in-links) over integers."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Index the links ``(citing IRI, cited IRI)``; repeated pairs count once."""
        ids: dict[str, int] = {}
        iris: list[str] = []
        keys = array("q")  # a link as one integer: citing << 32 | cited
        for a, b in pairs:
            ia = ids.get(a)
            if ia is None:
                ia = ids[a] = len(iris)
                iris.append(a)
            ib = ids.get(b)
            if ib is None:
                ib = ids[b] = len(iris)
                iris.append(b)
            keys.append(ia << 32 | ib)
        self._ids = ids
        self._iris = iris
        self._out_start, self._out = _adjacency(len(iris), keys)
        self._in_start, self._in = _adjacency(len(iris), array(
            "q", ((k & _LOW) << 32 | k >> 32 for k in keys)))
        self.links = len(self._out)

    def __len__(self) -> int:
        """Number of links."""
        return self.links

    def _cited(self, i: int) -> memoryview:
        return memoryview(self._out)[self._out_start[i]:self._out_start[i + 1]]

    def _citing(self, i: int) -> memoryview:
        return memoryview(self._in)[self._in_start[i]:self._in_start[i + 1]]

    def cited_by_count(self, iri: str) -> int:
        """How many works cite ``iri``."""
        i = self._ids.get(iri)
        return 0 if i is None else self._in_start[i + 1] - self._in_start[i]

    def neighbourhood(self, root: str, depth: int, max_nodes: int) -> tuple[list[str], int]:
        """(the ``max_nodes`` first works within ``depth`` links of ``root``, either direction,
        in rank order; the number of works found), as :func:`.api.network_members` documents:
        a hop is read only while at most ``max_nodes`` works have been found, so the number
        is exact when nothing is left out and a lower bound otherwise."""
        start = self._ids.get(root)
        ranked = [root]
        if start is None:  # a work with no citation link either way
            return ranked, 1
        seen = {start}
        frontier = [start]
        found = 1
        for _hop in range(depth):
            if not frontier or found > max_nodes:
                break
            counts: dict[int, int] = {}
            for m in frontier:
                for n in self._cited(m):
                    if n not in seen:
                        counts[n] = counts.get(n, 0) + 1
                for n in self._citing(m):
                    if n not in seen:
                        counts[n] = counts.get(n, 0) + 1
            iris = self._iris
            # only the ones kept are sorted (nsmallest sorts all when they all fit)
            layer = heapq.nsmallest(max_nodes - len(ranked), counts,
                                    key=lambda x: (-counts[x], iris[x]))
            ranked += (iris[x] for x in layer)
            found += len(counts)
            seen.update(counts)
            frontier = list(counts)
        return ranked, found

    def links_among(self, works: Iterable[str]) -> list[tuple[str, str]]:
        """Every link between two of ``works``, sorted."""
        members = {i for i in (self._ids.get(w) for w in works) if i is not None}
        iris = self._iris
        return sorted((iris[a], iris[b]) for a in members for b in self._cited(a)
                      if b in members)


_LOW = (1 << 32) - 1


def _adjacency(n: int, keys: array[int]) -> tuple[array[int], array[int]]:
    """Compressed rows from links ``row << 32 | column``: the columns of row ``i`` are
    ``to[start[i]:start[i + 1]]``, sorted, each once."""
    start = array("q", bytes(8 * (n + 1)))
    to = array("i")
    last = -1
    for k in sorted(keys):
        if k != last:
            start[(k >> 32) + 1] += 1
            to.append(k & _LOW)
            last = k
    for i in range(n):
        start[i + 1] += start[i]
    return start, to
