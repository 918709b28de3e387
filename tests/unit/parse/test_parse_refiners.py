"""The registry's list of refining formats is what asking every format would give."""

from __future__ import annotations

from bounce_sink.parse.formats import REFINERS, REGISTRY


def test_refiners_are_the_formats_with_a_refine_in_registry_order() -> None:
    expected = [(f, r) for f in REGISTRY if (r := getattr(f, "refine", None)) is not None]
    assert [f for f, _ in REFINERS] == [f for f, _ in expected]
    assert all(r == e for (_, r), (_, e) in zip(REFINERS, expected, strict=True))
    assert 0 < len(REFINERS) < len(REGISTRY)
