"""The lexicons in ``src/eventwatch/data`` are YAML, where a bare ``on``, ``no`` or ``yes`` is a boolean: a word list
holding one lost that word ("on" as a French pronoun, "On" opening a sentence) without any error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

import eventwatch

DATA = Path(eventwatch.__file__).parent / "data"


def _mixed_lists(node: Any, path: str) -> list[str]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _mixed_lists(v, f"{path}.{k}")]
    if isinstance(node, list):
        words = any(isinstance(x, str) for x in node)
        flags = [i for i, x in enumerate(node) if isinstance(x, bool)]
        here = [f"{path}[{i}]" for i in flags] if words else []
        return here + [p for i, x in enumerate(node) for p in _mixed_lists(x, f"{path}[{i}]")]
    return []


def test_no_word_list_holds_a_yaml_boolean() -> None:
    bad = [p for f in sorted(DATA.glob("*.yaml")) for p in _mixed_lists(yaml.safe_load(f.read_text("utf-8")), f.name)]
    assert bad == [], f"quote these words: {bad}"
