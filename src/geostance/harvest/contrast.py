"""The contrast set: invented news items, three per event, where only who speaks decides.

Error analysis on real news showed the model reading "NATO membership" as
``pro_nato`` even when a Russian official warns against it. A contrast set tells
one event three ways (variant ``M``: Moscow's warning, ``P``: the Western side,
``N``: the balancing view) with the same country and nouns, so the words alone
cannot give the stance away. The items are INVENTED by writer sessions (brief in
``data/contrast/README.md``); each sentence then gets the same two-pass protocol as
the real corpus (:mod:`.annotation`): the writer's labels are pass ``a``, a blind
annotator's pass ``b``, and a third pass adjudicates every disagreement.

* :func:`read_items` checks writer files and assigns opaque sentence ids;
* :func:`passages` is the annotators' view (no labels);
* :func:`contrast_rows` settles the passes into sentence rows
  (``data/contrast/sentences.jsonl``, read by ``data.add_train_files``);
* the agreement table per language is
  :func:`geostance.data.contrastcard.contrast_agreement_table`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..config import KINDS, STANCES
from ..data.formats import read_jsonl_objects
from ..data.schema import Problems
from .annotation import Label, PassError, settle
from .inputs import InputError

__all__ = ["VARIANTS", "REGISTERS", "read_items", "passages", "writer_pass", "contrast_rows"]

VARIANTS = ("M", "P", "N")
REGISTERS = ("wire", "tabloid", "state_media", "plain", "op_ed")


def read_items(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Writer files as checked items, each sentence with an id ``<item>-s<k>``.

    Every problem is one line naming file, line and field; all are raised together
    as :class:`PassError`; a missing file raises :class:`~.inputs.InputError`.
    """
    found = Problems()  # shared with the data layer's JSONL reader (malformed lines)
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in paths:
        if not path.is_file():  # a mistyped name: one line, not a traceback
            raise InputError(f"{path}: " + ("not a file" if path.exists()
                                            else "file does not exist"))
        for n, obj in read_jsonl_objects(path, found):
            where = f"{path}:{n}"
            item = obj.get("item")
            if not isinstance(item, str) or not item:
                found.add(where, "item", "missing")
                continue
            if item in seen:
                found.add(where, "item", f"{item} given twice")
                continue
            seen.add(item)
            # Opaque ids: the writer's item id names the variant (M/P/N), which would tell
            # a blind annotator the intended stance.
            doc = f"{obj.get('lang') or 'xx'}-{hashlib.sha256(item.encode()).hexdigest()[:10]}"
            if obj.get("variant") not in VARIANTS:
                found.add(where, "variant",
                          f"{obj.get('variant')!r} not one of {', '.join(VARIANTS)}")
            if obj.get("register") not in REGISTERS:
                found.add(where, "register",
                          f"{obj.get('register')!r} not one of {', '.join(REGISTERS)}")
            sents = obj.get("sentences")
            if not isinstance(sents, list) or len(sents) < 2:
                found.add(where, "sentences", "a headline and at least one sentence")
                continue
            rows = []
            for k, s in enumerate(sents):
                at = f"sentences[{k}]"
                text = s.get("text") if isinstance(s, dict) else None
                if not isinstance(text, str) or not text.strip() or "\n" in text:
                    found.add(where, f"{at}.text", "empty or not one line")
                    continue
                kind, stance = s.get("kind"), s.get("stance") or ""
                if kind not in KINDS:
                    found.add(where, f"{at}.kind", f"{kind!r} not one of {', '.join(KINDS)}")
                    continue
                if (kind == "boilerplate") != (stance == ""):
                    found.add(where, f"{at}.stance", f"{stance!r}: empty exactly for boilerplate")
                    continue
                if stance and stance not in STANCES:
                    found.add(where, f"{at}.stance",
                              f"{stance!r} not one of {', '.join(STANCES)}")
                    continue
                rows.append({"id": f"{doc}-s{k:02d}", "text": text.strip(), "kind": kind,
                             "stance": stance, "source": str(s.get("source") or "").strip()})
            if rows and rows[0]["kind"] != "heading":
                found.add(where, "sentences[0].kind", "the first line is the headline "
                          f"(heading), got {rows[0]['kind']!r}")
            items.append({"item": item, "doc": doc, "lang": str(obj.get("lang") or ""),
                          "set": str(obj.get("set") or ""), "variant": obj.get("variant"),
                          "register": obj.get("register"), "sentences": rows})
    if found.items:
        raise PassError("\n".join(found.items))
    return items


def passages(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The annotators' view of each item: ids and texts, no labels, no variant."""
    return [{"doc_id": it["doc"], "lang": it["lang"], "genre": "news_item", "speaker": "",
             "title": it["sentences"][0]["text"],
             "sentences": [{"id": s["id"], "text": s["text"]} for s in it["sentences"]]}
            for it in items]


def writer_pass(items: list[dict[str, Any]]) -> dict[str, Label]:
    """The writers' own labels, as pass ``a``."""
    return {s["id"]: Label(s["kind"], s["stance"], s["source"])
            for it in items for s in it["sentences"]}


def contrast_rows(items: list[dict[str, Any]], a: dict[str, Label], b: dict[str, Label],
                  adjudicated: dict[str, Label]) -> list[dict[str, Any]]:
    """Sentence rows (the corpus's sentence schema plus the passes), in item order."""
    out = []
    for it in items:
        prev = ""
        title = it["sentences"][0]["text"]
        for s in it["sentences"]:
            sid = s["id"]
            try:
                gold, how = settle(a[sid], b[sid], adjudicated.get(sid))
            except ValueError as e:
                raise PassError(f"{sid}: {e}") from None
            out.append({
                "id": sid, "article_id": it["doc"], "lang": it["lang"], "title": title,
                "context_prev": prev, "text": s["text"], "kind": gold.kind,
                "stance": gold.stance, "source": gold.source, "invented": True,
                "item": it["item"], "set": it["set"], "variant": it["variant"],
                "register": it["register"],
                "annotation": {"a": a[sid].compact(), "b": b[sid].compact(),
                               "adjudicated": adjudicated[sid].compact()
                               if how == "adjudication" else None,
                               "settled_by": how, "hard": a[sid].hard or b[sid].hard}})
            prev = s["text"]
    return out
