"""The command-line shell: parse, call one service, render."""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Sequence

#: pydantic looks for plugins in every installed package's metadata the first time it
#: builds a validator, which costs more than a short command takes to run; hipflex uses
#: none, and no third-party plugin should see your data. (`hipflex serve`, the web app,
#: is a long-lived process and is left as it is.) Set the variable yourself to override.
PYDANTIC_PLUGINS = "PYDANTIC_DISABLE_PLUGINS"
#: The values with which pydantic's loader answers no plugin at all (pydantic.plugin._loader).
ALL_PLUGINS_OFF = ("__all__", "1", "true")
PLUGIN_LOADER = "pydantic.plugin._loader"


def _no_plugin_loader() -> None:
    """With every plugin turned off, pydantic's plugin loader answers none, but importing
    it imports importlib.metadata (about 8 ms); a stand-in that answers the same is put in
    its place. Any other value of the variable keeps pydantic's own loader."""
    if os.environ.get(PYDANTIC_PLUGINS) not in ALL_PLUGINS_OFF or PLUGIN_LOADER in sys.modules:
        return
    stand_in = types.ModuleType(PLUGIN_LOADER, "Every pydantic plugin is turned off.")
    stand_in.get_plugins = tuple  # type: ignore[attr-defined]  # get_plugins() -> ()
    sys.modules[PLUGIN_LOADER] = stand_in


def _keep_compiled_code() -> None:
    """Dataclass methods and text annotations compiled once and kept
    (hipflex.cli.code_cache), before anything that makes either is imported."""
    from hipflex.cli.code_cache import install
    from hipflex.files import cache_directory

    try:
        folder = cache_directory()
    except OSError:  # no home folder to put a cache in: compile as usual
        return
    install(folder)


def main(argv: Sequence[str] | None = None) -> None:
    """`hipflex`: the top-level help and the version are printed without loading the rest
    (start-up speed)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args in ([], ["--help"], ["-h"]):
        from hipflex.cli.help_text import TOP_LEVEL_HELP

        try:
            sys.stdout.write(TOP_LEVEL_HELP)
            sys.stdout.flush()
        except OSError as exc:  # a full or closed output: one line, as for every command
            from hipflex.files import stdout_failure

            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            print(f"hipflex: error: {stdout_failure(exc)}", file=sys.stderr)
            sys.exit(1)
        return
    if args == ["--version"]:
        from hipflex import __version__

        print(f"hipflex {__version__}")
        return
    if args[0] != "serve":
        os.environ.setdefault(PYDANTIC_PLUGINS, "__all__")
        _no_plugin_loader()
        _keep_compiled_code()
    from hipflex.cli.app import main as run

    run(args)


__all__ = ["main"]
