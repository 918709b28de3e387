"""Which providers the evidence points at: by host, by signature, by recipient domain.

The same thing `Provider.recognises` says for one provider, answered for all
of them at once and in the order the engine tries them. Testing 22 host
patterns on every host of every recipient was a fifth of classification's
cost, while the hosts themselves repeat (the same relays and MX names on
many bounces): the providers of a host are a function of the host name
alone, so they are kept per host in a bounded cache.
"""

from __future__ import annotations

import functools

from bounce_sink.classify.providers import PROVIDERS
from bounce_sink.classify.required_text import extra_clauses
from bounce_sink.classify.rules.model import Provider, searcher
from bounce_sink.classify.table import (
    ANY_PROVIDER_HOST_GATE,
    PROVIDER_HOST_GATES,
    PROVIDER_MARKER_GATES,
)

_BY_DOMAIN: dict[str, tuple[int, ...]] = {}
for _index, _provider in enumerate(PROVIDERS):
    for _domain in _provider.domains:
        _BY_DOMAIN[_domain] = (*_BY_DOMAIN.get(_domain, ()), _index)


@functools.lru_cache(maxsize=2048)
def providers_of_host(host: str) -> tuple[int, ...]:
    """Positions in PROVIDERS of the providers whose host pattern finds `host`."""
    if not ANY_PROVIDER_HOST_GATE.allows(host):
        return ()
    return tuple(
        i
        for i, p in enumerate(PROVIDERS)
        if PROVIDER_HOST_GATES[p.name].allows(host) and p.host_test(host)
    )


class _MarkerIndex:
    """The providers with a signature, reached through the words of their gates.

    Asking all sixteen marker gates about every text that holds any marker
    word cost ~4 us a recipient; here each word of a gate's strongest set
    names its providers, so only those are asked (the rest cannot match
    their own gate).
    """

    __slots__ = ("always", "by_word", "extra", "words")

    def __init__(self) -> None:
        by_word: dict[str, list[int]] = {}
        always: list[int] = []
        for i, p in enumerate(PROVIDERS):
            if not p.markers:
                continue
            clauses = PROVIDER_MARKER_GATES[p.name].clauses
            if clauses is None:
                always.append(i)  # no known words: always searched
                continue
            for word in clauses[0]:
                by_word.setdefault(word, []).append(i)
        self.always = frozenset(always)
        # Strings a match also holds one of each (tested on the text): a
        # signature that fails on a long text costs ~15-25 us ("/support"
        # of Google's help links opened Yandex's gate).
        self.extra = {i: extra_clauses(p.markers) for i, p in enumerate(PROVIDERS) if p.markers}
        self.by_word = {word: tuple(found) for word, found in by_word.items()}
        self.words = frozenset(by_word)


@functools.cache
def _marker_index() -> _MarkerIndex:
    return _MarkerIndex()


def providers_of_text(text: str, present: frozenset[str]) -> tuple[int, ...]:
    """Positions of the providers whose signature is in `text`.

    `present`: `table.text_words_in(text)`, which covers the marker gates.
    """
    index = _marker_index()
    if not index.always and index.words.isdisjoint(present):
        return ()  # most texts: no word of any signature, nothing built
    hits = index.words.intersection(present)
    candidates = set(index.always)
    for word in hits:
        candidates.update(index.by_word[word])
    found: list[int] = []
    for i in sorted(candidates):
        p = PROVIDERS[i]
        if (
            p.markers
            and PROVIDER_MARKER_GATES[p.name].allows_present(present, text)
            and all(any(map(text.__contains__, words)) for words in index.extra[i])
            and searcher(p.markers)(text)  # a plain signature is not compiled
        ):
            found.append(i)
    return tuple(found)


def other_providers(
    hosts: tuple[str, ...], text: str, domain: str, present: frozenset[str], first: tuple[int, ...]
) -> list[int]:
    """Positions of the providers recognised by any host but the first, by their
    signature in `text` or by the recipient's `domain`, less `first` (the first
    host's), in registry order.

    Asked only when no rule of the first host's providers fired: those need
    no word scan, so a text their rules decide is never scanned.
    """
    # Most evidence names no provider at all: nothing is built for it (the
    # hosts' answers are mostly empty, and most texts hold no signature word).
    seen: set[int] | None = None
    for host in hosts[1:]:
        found = providers_of_host(host)
        if found:
            seen = set(found) if seen is None else seen.union(found)
    index = _marker_index()
    if index.always or not index.words.isdisjoint(present):
        found = providers_of_text(text, present)
        if found:
            seen = set(found) if seen is None else seen.union(found)
    found = _BY_DOMAIN.get(domain, ())
    if found:
        seen = set(found) if seen is None else seen.union(found)
    if seen is None:
        return []
    seen.difference_update(first)
    return sorted(seen)


def providers_to_try(
    hosts: tuple[str, ...], text: str, domain: str, present: frozenset[str]
) -> list[Provider]:
    """The providers the evidence points at, in the order their rules are tried.

    First those found by the host that answered first (in registry order),
    then every other provider recognised by any host, its signature in the
    text or the recipient's domain (in registry order). Empty when none is.
    The engine asks the two parts in turn (`providers_of_host` of the first
    host, then `other_providers`).
    """
    first = providers_of_host(hosts[0]) if hosts else ()
    others = other_providers(hosts, text, domain, present, first)
    return [PROVIDERS[i] for i in (*first, *others)]
