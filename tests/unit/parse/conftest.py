"""Fixtures of the parse tests."""

from __future__ import annotations

from pathlib import Path

import pytest

# The shared corpus sits beside the checkout (../shared), in CI as here.
CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "sisimai-dev"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    # No skip: a missing corpus must fail the suite, not hide it.
    assert (CORPUS / "manifest.jsonl").is_file(), f"dev corpus not found at {CORPUS}"
    return CORPUS
