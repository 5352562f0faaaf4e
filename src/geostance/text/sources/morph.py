"""Base forms of inflected names: Slavic cases and Finnish genitives.

A source is written in the nominative, as the article would write it as a
subject ("по словам Сергея Лаврова" -> "Сергей Лавров", "Häkkäsen mukaan" ->
"Häkkänen"), so that mentions of one person in different cases agree.
"""

from __future__ import annotations

import re


def nominative(name: str, oblique: bool = False) -> str:
    """Cheap nominative for Slavic names: instrumental always, genitive after a cue."""
    out = []
    for t in name.split():
        if re.search(r"[а-яё]", t):
            t2 = re.sub(r"(ов|ев|ёв|ин|ын)ым$", r"\1", t)
            t2 = re.sub(r"(?<=[бвгджзклмнпрстфхцчшщ])ом$", "", t2)
            t2 = re.sub(r"(ов|ев|ин)ой$", r"\1а", t2)
            if oblique and t2 == t:
                t2 = re.sub(r"(ов|ев|ёв|ин|ын)а$", r"\1", t)
                t2 = re.sub(r"ия$", "ий", t2) if t2 == t else t2
                t2 = re.sub(r"ея$", "ей", t2) if t2 == t else t2
                t2 = re.sub(r"(?<=[бвгджзклмнпрстфхцчшщ])а$", "", t2) if t2 == t else t2
            out.append(t2)
        elif re.search(r"[a-ząćęłńóśźż]", t) and re.search(r"[łąęśćńźż]|em$|ego$", t) or oblique:
            t2 = re.sub(r"(?<=[bcdfghklmnprstwz])em$", "", t)
            if oblique and t2 == t:
                t2 = re.sub(r"(?<=[cs])ji$", "ja", t) if name == t else re.sub(r"ja$", "j", t)
                t2 = re.sub(r"(ow|ew|in|yn)a$", r"\1", t2) if t2 == t else t2
                t2 = re.sub(r"(ow|ew|in)ej$", r"\1a", t2) if t2 == t else t2
                t2 = re.sub(r"(?<=[bcdfghklmnprstwz])a$", "", t2) if t2 == t and \
                    re.search(r"[łąęśćńźżw]", name) else t2
            out.append(t2)
        else:
            out.append(t)
    return " ".join(out)


def fi_nominative(np: str) -> str:
    """Finnish genitive before "mukaan" to nominative ("Häkkäsen" -> "Häkkänen")."""
    toks = np.split()
    res = []
    for i, t in enumerate(toks):
        last = i == len(toks) - 1
        if not last and not t.endswith("een"):
            res.append(t)
            continue
        for pat, rep in (("sen$", "nen"), ("oiden$", "at"), ("iden$", "it"), ("sten$", "set"),
                         ("jen$", "t"), ("een$", "e"), ("(?<=[bcdfgklmnprstv])in$", ""),
                         ("(?<=[aeiouyäö])n$", "")):
            if re.search(pat, t):
                t = re.sub(pat, rep, t)
                break
        res.append(t)
    return " ".join(res)


