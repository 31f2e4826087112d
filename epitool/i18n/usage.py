"""Typer's usage errors (a missing option, a value of the wrong kind...) in the user's
language: they are raised in English by the command-line parser, before any command runs."""

from __future__ import annotations

import re

# English message -> Chinese, by pattern; a message none of them knows stays as it is
_ZH = (
    (r"Missing argument '(?P<name>[^']+)'\.", "缺少参数 {name}。"),
    (r"Missing option '(?P<name>[^']+)'\.", "缺少选项 {name}。"),
    (r"No such option: (?P<name>\S+?)\.?(?: Did you mean (?P<near>\S+?)\?)?"
     r"(?: ?\(Possible options: (?P<options>.*)\))?",
     "没有选项 {name}。{near}{options}"),
    (r"Option '(?P<name>[^']+)' requires an argument\.", "选项 {name} 后面要跟一个值。"),
    (r"Invalid value for '(?P<name>[^']+)': '(?P<value>.*)' is not a valid (?P<kind>\w+)\.",
     "选项 {name} 的值“{value}”不对：应为{kind}。"),
    (r"Invalid value for '(?P<name>[^']+)': '(?P<value>.*)' is not one of (?P<choices>.*)\.",
     "选项 {name} 的值“{value}”不对，可选：{choices}。"),
    (r"Invalid value for '(?P<name>[^']+)': (?P<why>.*)", "选项 {name} 的值不对：{why}"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)", "多余的参数：{args}。"),
)
_KINDS = {"integer": "整数", "int": "整数", "float": "数字", "boolean": "是或否"}


def usage_message(message: str, lang: str) -> str:
    if lang != "zh":
        return message
    for pattern, template in _ZH:
        found = re.fullmatch(pattern, message.strip())
        if found:
            parts = {k: v or "" for k, v in found.groupdict().items()}
            if "kind" in parts:
                parts["kind"] = _KINDS.get(parts["kind"], parts["kind"])
            if parts.get("near"):
                parts["near"] = f"是不是要用 {parts['near']}？"
            if parts.get("options"):
                parts["options"] = f"（可用：{parts['options']}）"
            return template.format(**parts)
    return message
