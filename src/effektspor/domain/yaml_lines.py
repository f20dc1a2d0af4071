"""YAML read with line numbers, so that a problem in a definition file (a codebook, a
rule set, an instrument) can name its file, line and field in Danish."""

from __future__ import annotations

import yaml


class LineDict(dict):
    """A mapping that remembers the line (1-based) of itself and of each key."""

    line: int = 0
    key_lines: dict


class LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings are :class:`LineDict`."""


def _mapping(loader: LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
