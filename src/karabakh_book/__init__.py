"""Helpers for the Karabakh claims book.

One module per concern:

* :mod:`karabakh_book.paths`   - where the book's folders are;
* :mod:`karabakh_book.data`    - loading and validating every file in ``data/`` against its schema;
* :mod:`karabakh_book.text`    - the source text, its normalisation and its segments;
* :mod:`karabakh_book.cite`    - the bibliography (``references.bib``);
* :mod:`karabakh_book.claims`  - the claim registry and the computed verdicts;
* :mod:`karabakh_book.figures` - chart style, source lines and publishing figures with their data;
* :mod:`karabakh_book.maps`    - the cartographic toolkit;
* :mod:`karabakh_book.deps`    - what each chapter's notebook read (for the execution cache).
"""

__version__ = "0.1.0"

from . import deps as _deps

_deps.install()  # records a notebook's inputs during a book build; a no-op anywhere else
