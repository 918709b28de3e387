"""Classification's modules import no `dataclasses` (~2-3 ms at every start).

`Classification` and `Evidence` are named tuples and the rule shapes named
tuples or plain classes; `dataclasses` (which pulls in `inspect`, `ast`,
`dis`, `tokenize`) is left to the modules that need its features. Checked
on the sources, and in a fresh interpreter for the taxonomy, which
the policy and admin code import on its own.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import bounce_sink.classify
from bounce_sink.classify.taxonomy import Classification

PACKAGE = Path(bounce_sink.classify.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_no_classify_module_imports_dataclasses() -> None:
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 60
    for path in sources:
        assert "dataclasses" not in _imported_modules(path), path


def test_the_taxonomy_alone_loads_no_dataclasses() -> None:
    code = (
        "import sys\n"
        "import bounce_sink.classify.taxonomy\n"
        "print(sorted(m for m in ('dataclasses', 'inspect') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_classification_is_built_and_read_as_before() -> None:
    verdict = Classification("user_unknown", "recipient", "hard", "bounce_hb", "status.5.1.1")
    assert verdict == Classification(
        reason="user_unknown",
        side="recipient",
        severity="hard",
        code="bounce_hb",
        rule="status.5.1.1",
    )
    assert (verdict.reason, verdict.side, verdict.severity, verdict.code, verdict.rule) == (
        "user_unknown",
        "recipient",
        "hard",
        "bounce_hb",
        "status.5.1.1",
    )
    assert hash(verdict) == hash(Classification(*verdict))
