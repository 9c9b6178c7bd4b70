"""Sphinx configuration of the painlab course website (``make book``).

The site is built from a staging copy made by ``scripts/build_book.py`` (the lessons with
their saved outputs, the generated references and key-point pages, the handout), never
from notebooks/ directly, and nothing is executed: the figures are the static images that
``make execute-notebooks`` saved next to each widget view.

Offline by construction: sphinx-book-theme ships its CSS, JS and icon fonts inside the
wheel; no web font, no MathJax, no require.js and no ipywidgets embed script is added
(all of those would come from a CDN). ``tests/browser/test_book.py`` opens every page with
the network blocked and fails on any request that leaves the folder.
"""

project = "painlab"
author = "painlab contributors"
copyright = "painlab contributors, MIT licence"

extensions = ["myst_nb"]

root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "_extra", "_templates"]

# --------------------------------------------------------------------------- notebooks
nb_execution_mode = "off"  # show the outputs saved by `make execute-notebooks`
nb_ipywidgets_js = {}  # no require.js / widget embed script from a CDN
# A static site has no kernel: show each widget output's static views instead of the
# widget reference (a quiz's HTML with the "Show answer" toggle, a figure's PNG).
nb_mime_priority_overrides = [
    ("html", "application/vnd.jupyter.widget-view+json", None),
]
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header"]

# --------------------------------------------------------------------------- math
# No math markup in the lessons, so no page loads MathJax. Sphinx still wants a path, and
# its default is a CDN: point it at a local file that is not shipped, so a page that ever
# gains an equation fails the offline browser test (a failed file:// load) instead of
# silently reaching the internet.
mathjax_path = "mathjax-not-bundled.js"

# --------------------------------------------------------------------------- HTML
html_theme = "sphinx_book_theme"
html_title = "painlab: exercise and pain"
html_static_path = ["_static"]
templates_path = ["_templates"]
# The theme's sidebar, with the site title wrapped in a <nav> landmark (painlab-title.html)
html_sidebars = {"**": ["painlab-title.html", "search-button-field.html", "sbt-sidebar-nav.html"]}
html_css_files = ["painlab.css"]
html_extra_path = ["_extra"]  # the offline handout, copied as is to the site root
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    "navigation_with_keys": False,
    # (code colours: the theme's default a11y-high-contrast styles pass WCAG AA contrast)
}
