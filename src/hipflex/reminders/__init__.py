"""The break reminder daemon's platform side: activity sources and notifiers.

Each comes as a small interface (`ActivitySource`, `Notifier`) with real implementations
for X11, GNOME, KDE, logind and desktop notifications, a plain fallback, and a fake for
tests. The policy lives in hipflex.domain.breaks.
"""
