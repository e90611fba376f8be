#!/usr/bin/env python3
"""Writes the MPTT fields (lft, rght, tree_id, level) into tree fixtures.

`loaddata` saves rows raw, so django-mptt cannot compute these fields while loading.
After adding or moving a phase or scaling driver in a fixture by hand, run
    .venv/bin/python scripts/number_fixture_trees.py fixtures/02_phases.yaml
and the tree fields are recomputed from `parent` and `order`. The test suite checks
that the stored fields match what django-mptt would compute.
"""

import sys
from pathlib import Path

import yaml

TREE_MODELS = {"phases.phase", "phases.scalingdriver"}


class BlockDumper(yaml.SafeDumper):
    """Keeps multi-line text readable as `|` blocks."""


def _str_representer(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


BlockDumper.add_representer(str, _str_representer)


def number_trees(items):
    nodes = [item for item in items if item["model"] in TREE_MODELS]
    children = {}
    for node in nodes:
        parent = node["fields"].get("parent")
        key = (node["model"], parent[0] if parent else None)
        children.setdefault(key, []).append(node)

    def visit(node, counter, tree_id, level):
        fields = node["fields"]
        fields["tree_id"], fields["level"], fields["lft"] = tree_id, level, counter
        counter += 1
        key = (node["model"], fields["slug"])
        for child in sorted(children.get(key, []), key=lambda n: n["fields"].get("order", 0)):
            counter = visit(child, counter, tree_id, level + 1)
        fields["rght"] = counter
        return counter + 1

    for model in TREE_MODELS:
        roots = sorted(children.get((model, None), []), key=lambda n: n["fields"].get("order", 0))
        for tree_id, root in enumerate(roots, start=1):
            visit(root, 1, tree_id, 0)


def main(paths):
    for path in map(Path, paths):
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        number_trees(items)
        path.write_text(
            yaml.dump(items, Dumper=BlockDumper, allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main(sys.argv[1:])
