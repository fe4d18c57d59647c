"""The installable web app: its manifest, its icons (drawn here, as SVG and as PNG with
Pillow, from one figure) and its service worker at the site root (scope /), which turns a
reminder's notification buttons into recorded answers."""

from __future__ import annotations

import io
from functools import cache
from importlib.resources import files

from fastapi import APIRouter, HTTPException, Response

router = APIRouter(include_in_schema=False)

#: The app's colours: the header mark's accent on a light page (app.css's --accent, --bg).
THEME_COLOUR = "#0b5f7f"
BACKGROUND_COLOUR = "#f7f6f2"
#: The PNG sizes browsers ask for to install an app (and a home-screen icon).
PNG_SIZES = (192, 512)

#: The figure on a 32-unit square (the header's mark): a head, and one polyline per limb.
_HEAD = (20.0, 7.0, 3.0)  # centre x, y and radius
_LIMBS = (((19, 11), (15, 18), (22, 24)), ((15, 18), (9, 26)), ((18, 13), (24, 15)))
_STROKE = 3.0
_CORNER = 7.0


def icon_svg(*, maskable: bool = False) -> str:
    """The icon as SVG; `maskable` leaves the figure inside the safe zone of a round mask."""
    scale, offset = (0.7, 4.8) if maskable else (1.0, 0.0)
    corner = 0 if maskable else _CORNER
    x, y, r = _HEAD
    paths = _limb_path(scale, offset)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" rx="{corner:g}" fill="{THEME_COLOUR}"/>'
        f'<circle cx="{x * scale + offset:g}" cy="{y * scale + offset:g}" r="{r * scale:g}" '
        'fill="#fff"/>'
        f'<path d="{paths}" fill="none" stroke="#fff" stroke-width="{_STROKE * scale:g}" '
        'stroke-linecap="round" stroke-linejoin="round"/></svg>'
    )


def _limb_path(scale: float = 1.0, offset: float = 0.0) -> str:
    return " ".join(
        "M" + " L".join(f"{px * scale + offset:g} {py * scale + offset:g}" for px, py in limb)
        for limb in _LIMBS
    )


def brand_mark_svg() -> str:
    """The same figure for the page header, in the text's colour (decorative)."""
    x, y, r = _HEAD
    return (
        '<svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">'
        f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}" fill="currentColor"/>'
        f'<path d="{_limb_path()}" fill="none" stroke="currentColor" '
        f'stroke-width="{_STROKE:g}" stroke-linecap="round" stroke-linejoin="round"/></svg>'
    )


@cache
def icon_png(size: int, *, maskable: bool = False) -> bytes:
    """The same figure as a PNG of `size` pixels, drawn with Pillow (cached: it never
    changes while the app runs)."""
    from PIL import Image, ImageDraw

    scale, offset = (0.7, 4.8) if maskable else (1.0, 0.0)
    unit = size / 32

    def point(px: float, py: float) -> tuple[float, float]:
        return ((px * scale + offset) * unit, (py * scale + offset) * unit)

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    corner = 0 if maskable else round(_CORNER * unit)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=corner, fill=THEME_COLOUR)
    x, y, r = _HEAD
    cx, cy = point(x, y)
    radius = r * scale * unit
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill="white")
    width = round(_STROKE * scale * unit)
    for limb in _LIMBS:
        points = [point(px, py) for px, py in limb]
        draw.line(points, fill="white", width=width, joint="curve")
        for px, py in points:  # round caps and joins
            half = width / 2
            draw.ellipse((px - half, py - half, px + half, py + half), fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def manifest() -> dict[str, object]:
    icons: list[dict[str, str]] = [
        {"src": "/icons/hipflex.svg", "sizes": "any", "type": "image/svg+xml"},
    ]
    for size in PNG_SIZES:
        icons.append(
            {"src": f"/icons/hipflex-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
        )
    icons.append(
        {
            "src": "/icons/hipflex-maskable-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    return {
        "name": "hipflex",
        "short_name": "hipflex",
        "description": "A coach for desk workers whose tight hip flexors cause low back pain.",
        "id": "/",
        "start_url": "/today",
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOUR,
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }


@router.get("/manifest.webmanifest")
def web_manifest() -> Response:
    import json

    return Response(json.dumps(manifest()), media_type="application/manifest+json")


@router.get("/icons/hipflex.svg")
def svg_icon() -> Response:
    return Response(icon_svg(), media_type="image/svg+xml")


@router.get("/icons/hipflex-{name}.png")
def png_icon(name: str) -> Response:
    maskable = name.startswith("maskable-")
    size = name.removeprefix("maskable-")
    if not size.isdigit() or int(size) not in PNG_SIZES:
        raise HTTPException(status_code=404)
    return Response(icon_png(int(size), maskable=maskable), media_type="image/png")


@router.get("/sw.js")
def service_worker() -> Response:
    """The service worker, from the site root so that its scope is the whole app."""
    script = files("hipflex.web").joinpath("static", "js", "sw.js").read_text(encoding="utf-8")
    return Response(
        script,
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/"},
    )
