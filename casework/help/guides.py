"""The user guides shown inside the app: a fixed registry of slugs (never a path from the URL), their Markdown
rendered with raw HTML escaped and links made safe, and the guide that belongs to each screen."""
import os
import posixpath
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree import ElementTree

import markdown
from flask import url_for
from flask_babel import lazy_gettext as _l
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

#: the docs/ folder at the top of the checkout (beside the casework package)
DOCS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "docs")


@dataclass(frozen=True)
class Guide:
    slug: str  #: the URL part and the file name in docs/ without ".md"
    title: object  #: lazy translated title
    summary: object
    lang: str  #: the language the guide is written in (the page marks it for screen readers)


#: The user guides, in menu order. docs/backup.md is left out: it describes server commands for the operator, which
#: no screen of the app offers.
GUIDES = {g.slug: g for g in (
    Guide("przewodnik-rodziny", _l("A family's case"),
          _l("Who sees which family, registering a family, members, support periods, the caseload cap, "
             "editing safely, the archive."), "pl"),
    Guide("import", _l("Importing from spreadsheets"),
          _l("The XLSX template, the checks of every row, the sheets and their columns."), "pl"),
    Guide("niebieska-karta", _l("Niebieska Karta procedures"),
          _l("Who reads a procedure, its course from NK-A to closing, statistics."), "en"),
    Guide("privacy", _l("A person's data and retention"),
          _l("The export of a person's data (RODO art. 15), retention periods, sessions."), "en"),
)}

#: the guide of each screen, by the blueprint of its endpoint; any other screen links to the list of guides
BLUEPRINT_GUIDE = {"families": "przewodnik-rodziny", "worktime": "przewodnik-rodziny", "attachments": "przewodnik-rodziny", "importer": "import", "bluecard": "niebieska-karta",
                   "privacy": "privacy"}


def guide_for_endpoint(endpoint: str | None) -> str | None:
    """The slug of the guide for a screen's endpoint (`families.detail` → the family guide), or None."""
    if not endpoint or "." not in endpoint:
        return None
    return BLUEPRINT_GUIDE.get(endpoint.split(".", 1)[0])


def help_url(endpoint: str | None) -> str:
    slug = guide_for_endpoint(endpoint)
    return url_for("help.page", slug=slug) if slug else url_for("help.index")


def read_source(guide: Guide) -> str:
    """The Markdown of a registered guide; the file name comes from the registry, never from the request."""
    with open(os.path.join(DOCS_DIR, f"{guide.slug}.md"), encoding="utf-8") as f:
        return f.read()


class _SafeLinks(Treeprocessor):
    """Links between docs (`import.md`, `docs/import.md#arkusze`) open the help page of that guide; web and mail
    links stay; any other link target (javascript:, data:, a file of the repository) is dropped, keeping the text.
    Images become their alt text."""

    def run(self, root):
        for parent in list(root.iter()):
            for i, el in enumerate(list(parent)):
                if el.tag == "img":
                    span = ElementTree.Element("span")
                    span.text = el.get("alt", "")
                    span.tail = el.tail
                    parent.remove(el)
                    parent.insert(i, span)
                elif el.tag == "a":
                    href = _safe_href(el.get("href", ""))
                    if href is None:
                        el.tag = "span"
                        el.attrib.clear()
                    else:
                        el.set("href", href)
                        if href.startswith(("http://", "https://")):
                            el.set("rel", "noopener noreferrer")


def _safe_href(href: str) -> str | None:
    parts = urlsplit(href.strip())
    if parts.scheme in ("http", "https", "mailto") and (parts.netloc or parts.scheme == "mailto"):
        return href.strip()
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:  # "#section": an anchor in the same guide
        return f"#{parts.fragment}" if parts.fragment else None
    name = posixpath.basename(parts.path)
    if name.endswith(".md") and name[:-3] in GUIDES:
        url = url_for("help.page", slug=name[:-3])
        return f"{url}#{parts.fragment}" if parts.fragment else url
    return None


class _SafeMarkdown(Extension):
    """Raw HTML in a guide is shown as text, never passed through (a later edit of a doc cannot add a script)."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "casework_safe_links", 1)


def render(text: str) -> Markup:
    md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", "toc", _SafeMarkdown()],
                           output_format="html")
    return Markup(md.convert(text))
