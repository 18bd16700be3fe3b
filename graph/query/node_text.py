"""How a node reads to a user, once for both backends (and the build's embedding texts): a node's
text is what search matches and evidence quotes, its name what lists show.

>>> node_text("TitleDirection", {"name": "业务安全", "work_areas": ["风险评估", "渗透测试"]}, "d")
'业务安全：风险评估、渗透测试'
>>> node_text("Task", {"text": "渗透测试"}, "t"), node_text("Skill", {}, "skill:x")
('渗透测试', 'skill:x')
>>> display_name({"name_zh": "信息安全测试员", "text": "…"}, "o"), work_type_name({"name_en": "Data Annotators"})
('信息安全测试员', 'Data Annotators')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph.errors import BuildError


def direction_text(name: str, work_areas: Sequence[str]) -> str:
    """A professional-title direction with the work areas that define it."""
    return f"{name}：{'、'.join(work_areas)}"


def node_text(label: str, props: Mapping[str, Any], node_id: str) -> str:
    """The text of a node: a title direction's name and work areas; else its text, then its names."""
    if label == "TitleDirection":
        return direction_text(props["name"], props["work_areas"])
    return props.get("text") or props.get("name_zh") or props.get("name_en") or props.get("name") or node_id


def display_name(props: Mapping[str, Any], node_id: str) -> str:
    """The name a list shows: the Chinese name, a plain name, else the text (a task)."""
    return props.get("name_zh") or props.get("name") or props.get("text") or node_id


def work_type_name(props: Mapping[str, Any]) -> str:
    """A work type (工种) by its Chinese name where a source gives one, else its English name."""
    name = props.get("name_zh") or props.get("name_en")
    if not name:  # the build refuses such a work type: a generation holding one is not this project's
        raise BuildError(f"work type {props.get('id')!r} has neither a Chinese nor an English name")
    return name
