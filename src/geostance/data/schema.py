"""The labelled-sentence record, label sets and the validation error."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import KINDS, STANCES, DataConfig

__all__ = ["SPLITS", "CONTEXT_FIELDS", "DataError", "Sentence", "Problems", "Labels"]

SPLITS = ("train", "dev", "test")
# Optional fields a labelled sentence may carry besides text, kind and stance.
CONTEXT_FIELDS = ("id", "article_id", "lang", "title", "context_prev", "source")


class DataError(ValueError):
    """Invalid data; ``problems`` holds one ``file:line: field: message`` per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:50]
        more = f"\n... and {len(problems) - 50} more problems" if len(problems) > 50 else ""
        super().__init__("\n".join(shown) + more)

    def __reduce__(self) -> tuple:
        # pickle rebuilds an exception as cls(*args): args holds the joined message, which
        # this __init__ would split into characters (Ray ships exceptions by pickling).
        return type(self), (self.problems,), vars(self)


@dataclass
class Sentence:
    """One labelled sentence with its context and where it came from."""

    text: str
    kind: str
    stance: str
    id: str = ""
    article_id: str = ""
    lang: str = ""
    title: str = ""
    context_prev: str = ""
    source: str = ""
    where: str = ""  # "file:line", for error messages
    corpus: str = ""  # "written", "real" or "" (own files), for reports and weighting
    translated: bool = False  # machine-/helper-translated from a real sentence
    # context_prev came with the record, even empty (an article's first sentence, as an
    # annotation export writes it): :func:`.formats.fill_context` must not replace it.
    context_given: bool = field(default=False, repr=False, compare=False)
    # The speaker the model read when it scored this sentence (an annotation export's
    # "speaker": the sources rules over the whole article); None: found again in training
    # (:func:`geostance.evaluation.realnews.speakers_of`). Never the gold ``source``.
    speaker: str | None = field(default=None, repr=False, compare=False)

    def record(self) -> dict[str, str]:
        """The fields that go into a dataset row."""
        return {k: getattr(self, k) for k in
                ("id", "article_id", "lang", "title", "context_prev", "text", "kind", "stance",
                 "source", "corpus")}


@dataclass
class Problems:
    """Collects validation problems; raises them all at once."""

    items: list[str] = field(default_factory=list)

    def add(self, where: str, fieldname: str | None, message: str) -> None:
        prefix = f"{where}: {fieldname}" if fieldname else where
        self.items.append(f"{prefix}: {message}")

    def has(self, where: str) -> bool:
        """True when a problem of this place is already recorded."""
        return any(item.startswith(f"{where}: ") for item in self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise DataError(self.items)


@dataclass
class Labels:
    """The label sets in head order."""

    kinds: list[str]
    stances: list[str]

    @classmethod
    def from_config(cls, cfg: DataConfig) -> Labels:
        return cls(list(cfg.kind_labels), list(cfg.stance_labels))

    def covers_project(self) -> bool:
        """True when these sets hold the project's labels (``config.KINDS``/``STANCES``),
        which the contrast set, ``realnews_dev`` and the seed article are labelled with."""
        return set(KINDS) <= set(self.kinds) and set(STANCES) <= set(self.stances)
