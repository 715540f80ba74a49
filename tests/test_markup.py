"""Markdown to RML: content is escaped, never evaluated."""

from handouts.content.markup import inline, paragraphs, plain, strip


def test_special_characters_are_escaped():
    assert str(inline("Tom & Jerry <b>hi</b> {{ studio.name }} {% if %}")) == (
        "Tom &amp; Jerry &lt;b&gt;hi&lt;/b&gt; {{ studio.name }} {% if %}"
    )


def test_emphasis_and_links():
    out = str(inline("**Rest** *gently*, see [the site](https://example.org/?a=1&b=2)"))
    assert "<b>Rest</b>" in out and "<i>gently</i>" in out
    assert '<a href="https://example.org/?a=1&amp;b=2"><u>the site</u></a>' in out


def test_paragraphs_split_on_blank_lines():
    assert len(paragraphs("One.\n\nTwo.")) == 2


def test_lists_and_headings_stay_text():
    assert str(inline("# not a heading\n- not a list")) == "# not a heading - not a list"


def test_plain_keeps_markdown_characters():
    assert str(plain("*stars* & <tags>")) == "*stars* &amp; &lt;tags&gt;"


def test_strip_gives_words():
    assert strip("**Bold** and [link](https://x.org)") == "Bold and link"
