"""One extractor per source format; each yields :class:`~geostance.harvest.document.Document`.

Every extractor module defines ``REPO`` (owner/name), ``LICENCE``, ``ATTRIBUTION``
and ``extract(snapshot)``. :data:`EXTRACTORS` maps a short source name to its module.
"""

from __future__ import annotations

from types import ModuleType

from . import (
               bundestag,
               eduskunta,
               euvsdisinfo,
               fi_government,
               kremlin,
               kremlin_ru,
               riksdag,
               sejm,
               state_department,
               ungdc,
               whitehouse,
)

EXTRACTORS: dict[str, ModuleType] = {
    "riksdag": riksdag,
    "bundestag": bundestag,
    "ungdc": ungdc,
    "kremlin": kremlin,
    "euvsdisinfo": euvsdisinfo,
    "whitehouse": whitehouse,
    "kremlin_ru": kremlin_ru,
    "fi_government": fi_government,
    "eduskunta": eduskunta,
    "sejm": sejm,
    "state_department": state_department,
}

__all__ = ["EXTRACTORS"]
