"""Simplified Chinese for click's and typer's own strings (their gettext message ids)."""

from __future__ import annotations

import re

CLICK_ZH: dict[str, str] = {
    # help pages
    "Usage:": "用法:",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "deprecated": "已弃用",
    "(dynamic)": "（动态）",
    # errors
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Aborted!": "已中止！",
    "unknown error": "未知错误",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such option: {name}": "没有选项：{name}",
    "Did you mean {possibility}?": "你是不是想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（你是不是想用其中之一：{possibilities}？）",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    "Invalid value: {message}": "无效的值：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，但只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，但给了 {len} 个。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "integer": "整数",
    "float": "数字",
    "boolean": "布尔值",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不在可选值 {choices} 中。",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Value must be an iterable.": "值必须是可迭代的。",
}

# typer's bundled click writes these messages literally (no gettext): matched and rewritten
_KIND = {"argument": "参数", "option": "选项", "parameter": "参数"}
ERROR_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Missing (argument|option|parameter) (.+?)\.$"), "缺少{kind} {1}。"),
    (re.compile(r"^Missing parameter: (.+)$"), "缺少参数：{0}"),
    (
        re.compile(r"^No such option: (\S+) \(Possible options: (.+)\)$"),
        "没有选项：{0}（可用选项：{1}）",
    ),
    (re.compile(r"^No such option: (.+)$"), "没有选项：{0}"),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), "多出了参数（{0}）"),
    (re.compile(r"^Option '(.+)' requires an argument\.$"), "选项 '{0}' 需要一个值。"),
    (re.compile(r"^Option '(.+)' does not take a value\.$"), "选项 '{0}' 不接受值。"),
    (re.compile(r"^Invalid value for (.+?): (.+)$"), "{0} 的值无效：{1}"),
    (re.compile(r"^Invalid value: (.+)$"), "无效的值：{0}"),
)


def translate_error(message: str) -> str:
    """Chinese for one of typer's literal error messages; others are returned unchanged."""
    for pattern, template in ERROR_PATTERNS:
        m = pattern.match(message)
        if m:
            groups = m.groups()
            if "{kind}" in template:
                return template.format(*groups, kind=_KIND.get(groups[0], groups[0]))
            return template.format(*groups)
    return message
