"""QR codes as inline SVG, drawn here: no image service sees the secret."""

import qrcode
import qrcode.image.svg
from django.utils.safestring import mark_safe


def qr_svg(data: str) -> str:
    """An <svg> element for `data`, safe to put straight into a page."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    # Drop the XML declaration: the element is embedded in HTML.
    svg = svg[svg.index("<svg"):]
    return mark_safe(svg)
