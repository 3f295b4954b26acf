from clamour.lib.postmarkup import image_allowed, render_post_markdown


def test_uploaded_and_same_site_images_are_kept():
    html = render_post_markdown("![A march](/blog/images/3/)")
    assert '<img alt="A march" src="/blog/images/3/"' in html and 'loading="lazy"' in html
    assert "src=" in render_post_markdown(
        "![x](https://act.example.org/m.png)", site_host="act.example.org"
    )


def test_third_party_images_lose_their_address_but_keep_alt_text():
    html = render_post_markdown("![tracker](https://tracker.example.com/pixel.gif)")
    assert "tracker.example.com" not in html and 'alt="tracker"' in html
    assert "src=" in render_post_markdown(
        "![ok](https://media.example.org/a.jpg)", image_hosts=["media.example.org"]
    )


def test_tricky_image_addresses():
    for src in [
        "//evil.example/x.png",
        "javascript:alert(1)",
        "data:image/svg+xml,<svg onload=alert(1)>",
        "/\\evil.example/x.png",
        "https://media.example.org.evil.example/x.png",
        "",
    ]:
        assert not image_allowed(src, ["media.example.org"]), src


def test_scripts_and_handlers_never_survive():
    html = render_post_markdown(
        '<script>alert(1)</script><img src="/x" onerror="alert(1)">'
        '[a](javascript:alert(1)) <iframe src="https://x"></iframe>'
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<iframe" not in html
