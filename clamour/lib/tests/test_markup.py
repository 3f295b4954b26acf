import pytest

from clamour.lib.markup import image_allowed, render_markdown


def test_uploaded_and_same_site_images_are_kept():
    html = render_markdown("![A march](/blog/images/3/)")
    assert '<img alt="A march" src="/blog/images/3/"' in html and 'loading="lazy"' in html
    assert "src=" in render_markdown(
        "![x](https://act.example.org/m.png)", site_host="act.example.org"
    )


def test_third_party_images_lose_their_address_but_keep_alt_text():
    html = render_markdown("![tracker](https://tracker.example.com/pixel.gif)")
    assert "tracker.example.com" not in html and 'alt="tracker"' in html
    assert "src=" in render_markdown(
        "![ok](https://media.example.org/a.jpg)", image_hosts=["media.example.org"]
    )


@pytest.mark.parametrize("src", [
    "//evil.example/x.png",
    "javascript:alert(1)",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "/\\evil.example/x.png",
    "https://media.example.org.evil.example/x.png",
    "https:/evil.example/x.png",
    "",
    # Browsers drop tabs and line breaks inside a URL: each of these is //evil.example.
    "/\t/evil.example/x.png",
    "/\n/evil.example/x.png",
    "/\r/evil.example/x.png",
    " //evil.example/x.png",
    # Other control characters and white space have no place in an image address.
    "/\x00/evil.example/x.png",
    "/\x1f/evil.example/x.png",
    "/\x85/evil.example/x.png",
    "/\u2028/evil.example/x.png",
    "https://media.example.org\t.evil.example/x.png",
])
def test_tricky_image_addresses(src):
    assert not image_allowed(src, ["media.example.org"]), src


@pytest.mark.parametrize("entity", ["&#9;", "&#10;", "&#13;", "&#x09;", "&Tab;", "&NewLine;"])
def test_a_control_character_written_as_an_entity_does_not_reach_another_host(entity):
    html = render_markdown(f'<img src="/{entity}/other-host/p.png" alt="pixel">')
    assert "other-host" not in html and 'alt="pixel"' in html


def test_figures_only_where_asked():
    text = "<figure><img src='/a.png' alt='a'><figcaption>A march</figcaption></figure>"
    assert "<figure>" in render_markdown(text, figures=True)
    assert "<figure>" not in render_markdown(text) and "A march" in render_markdown(text)


def test_scripts_and_handlers_never_survive():
    html = render_markdown(
        '<script>alert(1)</script><img src="/x" onerror="alert(1)">'
        '[a](javascript:alert(1)) <iframe src="https://x"></iframe>'
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<iframe" not in html
