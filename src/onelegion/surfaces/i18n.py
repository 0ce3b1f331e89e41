"""CLI messages in English and Simplified Chinese.

The language, first match wins: ``--lang en|zh`` (read from argv before any help text is
built), ``$LEGION_LANGUAGE``, the ``language`` setting (once settings are loaded), then the
locale (``$LC_ALL``, ``$LC_MESSAGES``, ``$LANG``: ``zh…`` → Chinese), else English.

Messages live in :mod:`onelegion.surfaces.i18n_messages` (ours) and
:mod:`onelegion.surfaces.cli.i18n_click` (click's and typer's own strings); ``t(key, **fmt)`` looks
one up. Texts that skills provide (summaries, field descriptions) are shown as written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from onelegion.core.lang import (
    LANGUAGES,
    language,
    normalize,
    set_configured_language,
    set_language,
)
from onelegion.surfaces.i18n_messages import MESSAGES

__all__ = [
    "LANGUAGES",
    "ROOT_VALUE_OPTIONS",
    "has",
    "lang_from_argv",
    "language",
    "normalize",
    "set_configured_language",
    "set_language",
    "t",
]

# root options of `legion` that take a value: skipped while looking for --lang in argv
ROOT_VALUE_OPTIONS = ("--home", "--env-file", "--lang")


def lang_from_argv(argv: Sequence[str]) -> str | None:
    """The value of a root ``--lang`` option, looking only before the first command name
    (a skill may have its own ``--lang`` option)."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--lang":
            return argv[i + 1] if i + 1 < len(argv) else None
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg in ROOT_VALUE_OPTIONS:
            i += 2
            continue
        if not arg.startswith("-") or arg == "--":
            return None
        i += 1
    return None


def has(key: str) -> bool:
    return key in MESSAGES


def t(key: str, **fmt: Any) -> str:
    """The message ``key`` in the current language, formatted with ``fmt``; the key itself
    when there is no such message."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry[1] if language() == "zh" else entry[0]
    return text.format(**fmt) if fmt else text


def install_click_translations() -> None:
    """Route click's and typer's own strings ("Usage:", "Options", "Error: …", "No such
    option …") through our catalogue. click and typer look ``_``/``ngettext`` up as module
    globals on each call, so the language applies whenever it is decided; typer's bundled
    click writes a few strings literally, so those two methods are wrapped."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types
    import typer.core

    from onelegion.surfaces.cli.i18n_click import CLICK_ZH

    def gettext(message: str) -> str:
        if language() == "zh":
            return CLICK_ZH.get(message, message)
        return message

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.types,
        typer.core,
    ):
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    _wrap_typer_click(gettext)


def _wrap_typer_click(gettext: Callable[[str], str]) -> None:
    vendored = getattr(typer_module(), "_click", None)
    if vendored is None or getattr(vendored, "_legion_i18n", False):
        return
    formatter_cls: Any = vendored.formatting.HelpFormatter
    command_cls: Any = vendored.core.Command
    write_usage = formatter_cls.write_usage
    get_help_option = command_cls.get_help_option

    def localized_write_usage(
        self: Any, prog: str, args: str = "", prefix: str | None = None
    ) -> None:
        if prefix is None:
            prefix = gettext("Usage:") + " "
        write_usage(self, prog, args, prefix)

    def localized_help_option(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = gettext("Show this message and exit.")
        return option

    formatter_cls.write_usage = localized_write_usage
    command_cls.get_help_option = localized_help_option
    vendored._legion_i18n = True


def typer_module() -> Any:
    import typer

    return typer


def usage_error_lines(error: Exception) -> list[str]:
    """A usage error as click shows it (usage, hint, "Error: …"), in the current language;
    works for click's exceptions and for those of typer's bundled click."""
    from onelegion.surfaces.cli.i18n_click import CLICK_ZH, translate_error

    def tr(message: str) -> str:
        return CLICK_ZH.get(message, message) if language() == "zh" else message

    lines: list[str] = []
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(
                tr("Try '{command} {option}' for help.").format(
                    command=ctx.command_path, option=ctx.help_option_names[0]
                )
            )
        lines.append("")
    format_message = getattr(error, "format_message", None)
    message = format_message() if callable(format_message) else str(error)
    if language() == "zh":
        message = translate_error(message)
    lines.append(tr("Error: {message}").format(message=message))
    return lines
