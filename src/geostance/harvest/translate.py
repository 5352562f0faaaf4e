"""Passages translated from licensed real passages (for languages short of licensed text).

A translation file holds, per passage, the original ``doc_id`` and one translated
sentence per original sentence (``translated_from`` = the original sentence id).
:func:`translated_skeleton` turns it into passage documents like the extracted ones:
the document text keeps the original's line structure, each unit records
``translated_from``, and the document keeps the original's split, provenance and
licence, so a translation never crosses into another split than its original.
Translations are annotated like every other passage (two passes and adjudication);
their labels are not copied from the originals, which makes the agreement between a
translation and its original a measure of how faithful the translation is.
"""

from __future__ import annotations

from typing import Any

__all__ = ["translated_skeleton"]


def translated_skeleton(skeleton: list[dict[str, Any]], translations: list[dict[str, Any]],
                        lang: str, translator: str) -> list[dict[str, Any]]:
    """Skeleton entries (``record``, ``units``) for translated passages.

    Raises ``ValueError`` naming the passage when a translation does not cover its
    original one sentence for one sentence.
    """
    by_id = {pd["record"]["doc_id"]: pd for pd in skeleton}
    out = []
    for tr in translations:
        orig = by_id.get(tr["translated_from_doc"])
        if orig is None:
            raise ValueError(f"{tr['doc_id']}: original passage "
                             f"{tr['translated_from_doc']} is not in the skeleton")
        sents = {s["translated_from"]: s["text"].strip() for s in tr["sentences"]}
        units = orig["units"]
        missing = [u["id"] for u in units if not sents.get(u["id"])]
        if missing or len(sents) != len(units):
            raise ValueError(f"{tr['doc_id']}: {len(missing)} original sentences have no "
                             f"translation (first: {missing[:1]})")
        text_lines: list[str] = []
        new_units = []
        line_of = {}
        orig_text = orig["record"]["text"]
        for u in units:
            line_of[u["id"]] = orig_text.count("\n", 0, u["start"])
        prev_line = None
        pos = 0
        prev_text = ""
        title = tr.get("title") or ""
        for i, u in enumerate(units):
            t = sents[u["id"]]
            if prev_line is None:
                start = 0
            elif line_of[u["id"]] != prev_line:
                text_lines.append("\n")
                start = pos + 1
            else:
                text_lines.append(" ")
                start = pos + 1
            text_lines.append(t)
            pos = start + len(t)
            new_units.append({"id": f"{u['id']}-{lang}", "doc_id": tr["doc_id"], "index": i,
                              "start": start, "end": pos, "text": t, "context_prev": prev_text,
                              "translated_from": u["id"]})
            prev_line, prev_text = line_of[u["id"]], t
        rec = dict(orig["record"])
        rec.update({
            "doc_id": tr["doc_id"], "lang": lang, "text": "".join(text_lines),
            "title": title if rec.get("title") else "",
            "translated_from": {"doc_id": orig["record"]["doc_id"],
                                "lang": orig["record"]["lang"],
                                "licence": orig["record"]["licence"], "translator": translator},
        })
        if rec.get("title_in_text") and units and units[0]["text"] == orig["record"]["title"]:
            rec["title"] = new_units[0]["text"]
        out.append({"record": rec, "units": new_units})
    return out
