"""Every exception class of the package survives pickling: Ray (and multiprocessing) ship
an exception raised in a worker to the driver by pickling it, and a class whose
``__init__`` takes other arguments than its ``args`` failed there with a TypeError that
hid the real error, or came back with a garbled message."""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil

import geostance


def _exception_classes() -> dict[str, type[BaseException]]:
    out: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(geostance.__path__, "geostance."):
        if info.name.endswith("__main__"):  # running it would parse this process's argv
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == info.name:
                out[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return out


def _decode_error() -> UnicodeDecodeError:
    try:
        b"ab\xffc".decode("utf-8")
    except UnicodeDecodeError as e:
        return e
    raise AssertionError("b'\\xff' decoded")


def _samples() -> dict[str, BaseException]:
    """One instance, with its attributes set, of each class whose ``__init__`` is its own."""
    from geostance.config import ConfigError
    from geostance.data.schema import DataError
    from geostance.fileio import JsonlDecodeError
    from geostance.harvest.annotation import IncompletePassError

    return {
        "geostance.config.ConfigError": ConfigError("train.lr: not a number", key="train.lr"),
        "geostance.data.schema.DataError": DataError(
            [f"a.jsonl:{i}: text: empty" for i in range(1, 53)]),
        "geostance.fileio.JsonlDecodeError": JsonlDecodeError(_decode_error(), 7),
        "geostance.harvest.annotation.IncompletePassError": IncompletePassError(
            "p.jsonl: 3 sentence ids have no label (first: s1)", 3),
    }


def _same(a: BaseException, b: BaseException) -> None:
    assert type(a) is type(b)
    assert a.args == b.args
    assert str(a) == str(b)
    assert vars(a) == vars(b)


def test_every_exception_class_round_trips_through_pickle():
    samples = _samples()
    classes = _exception_classes()
    assert len(classes) >= 20, sorted(classes)  # the walk found the package's modules
    for name, cls in classes.items():
        if "__init__" in vars(cls):
            assert name in samples, f"{name} has its own __init__: add a sample to _samples"
            e = samples[name]
        else:
            e = cls("a.jsonl:3: text: not a string")
        _same(e, pickle.loads(pickle.dumps(e)))


def test_own_constructor_attributes_survive_pickling():
    samples = _samples()
    decode = pickle.loads(pickle.dumps(samples["geostance.fileio.JsonlDecodeError"]))
    assert (decode.line, decode.start, decode.end, decode.object) == (7, 2, 3, b"ab\xffc")
    assert decode.located("a.jsonl") == "a.jsonl:7: not UTF-8 text (byte 2 of the line)"
    data = pickle.loads(pickle.dumps(samples["geostance.data.schema.DataError"]))
    assert len(data.problems) == 52
    assert str(data).splitlines()[0] == "a.jsonl:1: text: empty"
    assert str(data).endswith("... and 2 more problems")
    assert pickle.loads(pickle.dumps(
        samples["geostance.harvest.annotation.IncompletePassError"])).missing == 3
    assert pickle.loads(pickle.dumps(samples["geostance.config.ConfigError"])).key == "train.lr"
