"""How a short-lived hipflex process starts: every command but `serve`, and the child the
reminder daemon starts to ask hipflex (hipflex.services.reminder_child). Only the standard
library here: it runs before anything else is imported."""

from __future__ import annotations

import os
import sys
import types

#: pydantic looks for plugins in every installed package's metadata the first time it
#: builds a validator, which costs more than a short command takes to run; hipflex uses
#: none, and no third-party plugin should see your data. (`hipflex serve`, the web app,
#: is a long-lived process and is left as it is.) Set the variable yourself to override.
PYDANTIC_PLUGINS = "PYDANTIC_DISABLE_PLUGINS"
#: The values with which pydantic's loader answers no plugin at all (pydantic.plugin._loader).
ALL_PLUGINS_OFF = ("__all__", "1", "true")
PLUGIN_LOADER = "pydantic.plugin._loader"


def no_plugin_loader() -> None:
    """With every plugin turned off, pydantic's plugin loader answers none, but importing
    it imports importlib.metadata (about 8 ms); a stand-in that answers the same is put in
    its place. Any other value of the variable keeps pydantic's own loader."""
    if os.environ.get(PYDANTIC_PLUGINS) not in ALL_PLUGINS_OFF or PLUGIN_LOADER in sys.modules:
        return
    stand_in = types.ModuleType(PLUGIN_LOADER, "Every pydantic plugin is turned off.")
    stand_in.get_plugins = tuple  # type: ignore[attr-defined]  # get_plugins() -> ()
    sys.modules[PLUGIN_LOADER] = stand_in


def keep_compiled_code() -> None:
    """Dataclass methods and text annotations compiled once and kept (hipflex.code_cache),
    before anything that makes either is imported."""
    from hipflex.code_cache import install
    from hipflex.files import cache_directory

    try:
        folder = cache_directory()
    except OSError:  # no home folder to put a cache in: compile as usual
        return
    install(folder)


def prepare() -> None:
    """A short process's start: pydantic's plugins off (unless you set the variable), and
    compiled code kept between processes."""
    os.environ.setdefault(PYDANTIC_PLUGINS, "__all__")
    no_plugin_loader()
    keep_compiled_code()
