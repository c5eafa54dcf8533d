"""Text that is safe to show: no Unicode controls that reorder what a reader sees.

The bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) make
a line display in another order than it is stored ("Trojan Source", CVE-2021-42574): a
sentence in a CSV cell or in the view could read as something the article did not say. News
text never needs them (right-to-left scripts display correctly without them), so loaders drop
them from articles and every export and the view drop them from what they show. The marks
U+200E/U+200F/U+061C, which only nudge neutral characters, are kept.
"""

from __future__ import annotations

import re

#: The embedding, override and isolate controls, as ranges for a regular expression class.
BIDI_CONTROL_RANGES = "\u202a-\u202e\u2066-\u2069"
BIDI_CONTROLS = re.compile(f"[{BIDI_CONTROL_RANGES}]")


def without_bidi_controls(text: str) -> str:
    """``text`` without bidirectional embedding, override and isolate controls.

    >>> without_bidi_controls("signed (\\u202etxet\\u202c)")
    'signed (txet)'
    """
    return BIDI_CONTROLS.sub("", text)
