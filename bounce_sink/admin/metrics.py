"""Prometheus text for ``/metrics``: messages by state, interactions by verdict.

Gauges of the store's current contents rather than process counters, so every
sink node sharing one store reports the same numbers and a restart loses
nothing. The CRM room's outbox lines are appended as it renders them.
"""

from __future__ import annotations

from collections.abc import Iterable


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def render_store_metrics(
    messages_by_state: dict[str, int],
    interactions: Iterable[tuple[str, str, str, int]],
    open_incidents: int,
) -> str:
    lines = [
        "# HELP bounce_sink_messages Stored messages by processing state.",
        "# TYPE bounce_sink_messages gauge",
    ]
    for state, count in sorted(messages_by_state.items()):
        lines.append(f'bounce_sink_messages{{state="{_escape_label(state)}"}} {count}')
    lines += [
        "# HELP bounce_sink_interactions Current recorded interactions by reason, severity and CRM code.",
        "# TYPE bounce_sink_interactions gauge",
    ]
    for reason, severity, code, count in interactions:
        labels = (
            f'reason="{_escape_label(reason)}",severity="{_escape_label(severity)}",'
            f'code="{_escape_label(code)}"'
        )
        lines.append(f"bounce_sink_interactions{{{labels}}} {count}")
    lines += [
        "# HELP bounce_sink_open_incidents Open sender-side incidents (many failures at one domain).",
        "# TYPE bounce_sink_open_incidents gauge",
        f"bounce_sink_open_incidents {open_incidents}",
    ]
    return "\n".join(lines) + "\n"
