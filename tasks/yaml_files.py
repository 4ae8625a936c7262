"""Read one YAML file of the inventory, refusing what YAML itself would let slip.

A mapping that names a key twice is legal to PyYAML: the last value silently wins, so a
copy-pasted spoke or field replaces the first one without a word. `read_yaml` composes the
document first, reports every repeated key with the lines of both occurrences, and only then
builds the Python values.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from tasks.intent import Problem

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"  # `<<: *anchor` may repeat keys on purpose


def duplicate_keys(
    node: yaml.Node | None, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], int, int]]:
    """`(path to the key, first line, repeated line)` for every key a mapping names twice.

    >>> node = yaml.compose("a:\\n  b: 1\\n  b: 2\\n")
    >>> list(duplicate_keys(node))
    [(('a', 'b'), 2, 3)]
    """
    seen_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[str, ...]]] = [] if node is None else [(node, path)]
    while stack:
        current, where = stack.pop(0)
        if id(current) in seen_nodes:  # an alias to an anchor already walked
            continue
        seen_nodes.add(id(current))
        if isinstance(current, yaml.MappingNode):
            first: dict[tuple[str, str], int] = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != _MERGE_TAG:
                    line = key.start_mark.line + 1
                    ident = (key.tag, key.value)
                    if ident in first:
                        yield (*where, str(key.value)), first[ident], line
                    else:
                        first[ident] = line
                    stack.append((value, (*where, str(key.value))))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, (*where, str(i))) for i, item in enumerate(current.value))


def read_yaml(path: Path, label: str, problems: list[Problem], where: str | None = None) -> Any:
    """The file's data, or None with the reason appended to `problems`.

    `where` names the whole file in a problem (`defaults`); without it the top-level key is
    the place (a host or group name) and the rest of the path is the field.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        problems.append(Problem(label, "-", "-", f"cannot read file: {exc.strerror or exc}"))
        return None
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        repeated = sorted(duplicate_keys(node), key=lambda found: found[2])
        for keys, first, again in repeated:
            place, field = (where, ".".join(keys)) if where else (keys[0], ".".join(keys[1:]))
            problems.append(
                Problem(
                    label,
                    place or "-",
                    field or "-",
                    f"{keys[-1]!r} is given twice, at line {first} and line {again} "
                    "(YAML would silently keep only the second)",
                )
            )
        if repeated or node is None:
            return None
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark is not None else "-"
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(label, place, "yaml", f"YAML syntax error: {reason}"))
        return None
    finally:
        loader.dispose()
