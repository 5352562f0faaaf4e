"""Inputs that are almost right: damaged UTF-8, lone surrogates, odd line breaks, markup in
sentence mode, empty folders. Each is read into items (no model), so every case is fast."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from geostance.predict.decode import decode_bytes, detect_encoding, mostly_utf8
from geostance.predict.inputs import expand_paths, iter_items
from geostance.predict.summary import summarize

GERMAN = "Die NATO müsse stärker werden, sagte Baerbock.\nDer Kreml warnt vor Eskalation.\n"
RUSSIAN = "Кремль предупредил НАТО о последствиях расширения.\n"


def _items(paths, **kw):
    return [(i.article_id, i.input, i.text, i.error, i.encoding)
            for i in iter_items([str(p) for p in paths], **kw)]


def test_one_bad_byte_keeps_utf8_text_and_says_so():
    data = GERMAN.encode("utf-8").replace(b"warnt ", b"warnt \xff")
    text, enc = decode_bytes(data)
    assert enc == "utf-8, 1 invalid byte replaced"
    assert "müsse stärker" in text and "warnt \ufffd" in text
    text, enc = decode_bytes(RUSSIAN.encode("utf-8") + b"\xff\xfe")
    assert enc == "utf-8, 2 invalid bytes replaced" and text.startswith("Кремль")


@pytest.mark.parametrize("text, codec, want", [
    (GERMAN, "cp1252", "cp1252"), (RUSSIAN, "cp1251", "cp1251"), (RUSSIAN, "koi8_r", "koi8-r"),
])
def test_legacy_code_pages_are_still_guessed(text, codec, want):
    data = text.encode(codec)
    assert not mostly_utf8(data)
    assert decode_bytes(data) == (text, want)


def test_short_legacy_text_is_not_taken_for_damaged_utf8():
    # "ß“" in cp1252 is DF 93: valid UTF-8 for an NKo letter, and „ is an invalid byte
    data = "Er sagte „Gruß“ und ging.".encode("cp1252")
    assert not mostly_utf8(data)
    assert decode_bytes(data) == ("Er sagte „Gruß“ und ging.", "cp1252")


def test_damaged_utf8_with_a_byte_order_mark():
    data = ("\ufeff" + GERMAN).encode("utf-8").replace(b"warnt", b"w\xffarnt")
    text, enc = decode_bytes(data)
    assert enc == "utf-8, 1 invalid byte replaced" and text.startswith("Die NATO müsse")


def test_the_start_of_a_table_cut_inside_a_character_is_utf8():
    head = (RUSSIAN * 3).encode("utf-8")[:-2]  # cut inside the last line's "я."
    assert mostly_utf8(head, partial=True)
    assert detect_encoding(head, partial=True) == "utf-8"


def test_a_damaged_jsonl_row_is_its_own_error(tmp_path: Path):
    table = tmp_path / "t.jsonl"
    rows = [json.dumps({"id": f"r{i}", "text": GERMAN}, ensure_ascii=False).encode("utf-8")
            for i in range(3)]
    rows[1] = rows[1].replace(b"warnt", b"warnt\xff")
    table.write_bytes(b"\n".join(rows) + b"\n")
    got = _items([table])
    assert [g[0] for g in got] == ["r0", "t:2", "r2"]
    assert got[0][3] is None and got[2][3] is None and got[0][4] == "utf-8"
    assert got[1][1] == f"{table}:row 2"
    assert got[1][3].startswith("undecodable row as utf-8: invalid start byte at byte ")


def test_a_damaged_csv_row_is_its_own_error(tmp_path: Path):
    table = tmp_path / "t.csv"
    table.write_bytes(("id,text\na,Die NATO müsse wachsen.\nb,Der Kreml warnt.\n"
                       "c,Sverige gick med.\n").encode().replace(b"warnt", b"w\xffarnt"))
    got = _items([table])
    assert [g[0] for g in got] == ["a", "b", "c"]
    assert got[0][3] is None and got[2][3] is None
    assert got[1][1] == f"{table}:row 2"
    assert got[1][3].startswith("bad row: field 'text' is not valid Unicode text (lone "
                                "surrogate U+DCFF at character 12:")


def test_lone_surrogates_in_a_jsonl_row_are_named(tmp_path: Path):
    table = tmp_path / "t.jsonl"
    table.write_text('{"id": "bad\\udc80id", "text": "Moscow warns."}\n'
                     '{"id": "ok", "text": "NATO \\ud800grows."}\n'
                     '{"id": "t3", "title": "\\udfff", "text": "Fine."}\n'
                     '{"id": "t4", "text": "Fine \\ud83d\\ude00 emoji."}\n', encoding="utf-8")
    got = _items([table])
    assert [g[0] for g in got] == ["t:1", "ok", "t3", "t4"]
    assert got[0][3].startswith("bad row: field 'id' is not valid Unicode text (lone "
                                "surrogate U+DC80 at character 4")
    assert got[1][3].startswith("bad row: field 'text' is not valid Unicode")
    assert got[2][3].startswith("bad row: field 'title' is not valid Unicode")
    assert got[3][3] is None and got[3][2] == "Fine \U0001F600 emoji."  # a pair is fine


def test_a_jsonl_table_with_old_mac_line_ends_is_read_row_by_row(tmp_path: Path):
    # Lone carriage returns (classic Mac OS) were not line ends here: the whole table was
    # one row, "bad row: invalid JSON (Extra data at column 36)", and nothing was scored.
    # data check and train.py's reader (universal newlines) already split there.
    table = tmp_path / "mac.jsonl"
    rows = [json.dumps(r, ensure_ascii=False).encode("utf-8") for r in (
        {"id": "a", "text": "NATO grows."}, {"id": "b", "text": "Moscow\r warns."})]
    table.write_bytes(rows[0] + b"\r" + rows[1] + b"\r\r" + b'{"id": "c", oops}\r\n'
                      + b'{"id": "d", "text": "Fine."}')
    got = _items([table])
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("a", f"{table}:row 1", "NATO grows."), ("b", f"{table}:row 2", "Moscow\r warns."),
        ("mac:3", f"{table}:row 3", ""), ("d", f"{table}:row 4", "Fine.")]
    assert [g[3] for g in got][:2] == [None, None] and got[3][3] is None
    assert got[2][3].startswith("bad row: invalid JSON (Expecting property name")
    # The Ray engine cuts a table into runs of rows by byte offset: the same rows.
    from geostance.config import PredictConfig
    from geostance.predict.ray_engine import build_refs, ref_items

    cfg = PredictConfig(inputs=[str(table)], engine="ray", chunk_size=1)
    refs = build_refs(cfg.inputs, cfg)
    assert len(refs) == 4
    assert [(i.article_id, i.input, i.text, i.error, i.encoding)
            for r in refs for i in ref_items(r, cfg.unit, cfg.max_chars, cfg.text_column)
            ] == got


def test_a_csv_row_that_repeats_the_header_fails_its_row(tmp_path: Path):
    # Two exports joined (cat a.csv b.csv; the second opens with a byte order mark, as
    # Excel's "CSV UTF-8" writes): the second header was scored as an article with id
    # "\ufeffid" and text "text", without a word.
    table = tmp_path / "joined.csv"
    table.write_bytes(b"\xef\xbb\xbfid,text\r\n1,NATO grows.\r\n"
                      b"\xef\xbb\xbfid,text\r\n2,Moscow warns.\r\nid,text\r\n")
    got = _items([table])
    assert [(g[0], g[1], g[2], g[3]) for g in got] == [
        ("1", f"{table}:row 1", "NATO grows.", None),
        ("joined:2", f"{table}:row 2", "",
         "bad row: the header again (line 3: two tables joined?)"),
        ("2", f"{table}:row 3", "Moscow warns.", None),
        ("joined:4", f"{table}:row 4", "",
         "bad row: the header again (line 5: two tables joined?)")]


def test_infinity_in_a_jsonl_text_field_is_named_as_in_any_other_field(tmp_path: Path):
    # A kept field said "got Infinity" but the text field "got float": one rule, two
    # wordings (data check words both as the first).
    table = tmp_path / "inf.jsonl"
    table.write_text('{"id": "a", "text": Infinity}\n{"id": "b", "text": -Infinity}\n'
                     '{"id": "c", "text": "NATO grows.", "date": -Infinity}\n',
                     encoding="utf-8")
    assert [g[3] for g in _items([table])] == [
        "bad row: field 'text' must be a string, got Infinity",
        "bad row: field 'text' must be a string, got -Infinity",
        "bad row: field 'date' must be a string or a finite number, got -Infinity"]


def test_an_id_that_fails_its_row_gives_the_row_s_own_article_id(tmp_path: Path):
    # An Infinity id failed its row, naming the field, yet the record's article_id was
    # "inf" (and "-inf", "True", "[1]"): an id no input has, which two rows could share.
    table = tmp_path / "ids.jsonl"
    table.write_text("".join(f'{{"id": {v}, "text": "NATO met."}}\n' for v in (
        "Infinity", "-Infinity", "1e400", "true", "[1]", "1.0", "7")), encoding="utf-8")
    got = _items([table])
    bad = "bad row: field 'id' must be a string or a finite number, got "
    assert [(g[0], g[1], g[3]) for g in got] == [
        ("ids:1", f"{table}:row 1", bad + "Infinity"),
        ("ids:2", f"{table}:row 2", bad + "-Infinity"),
        ("ids:3", f"{table}:row 3", bad + "Infinity"),
        ("ids:4", f"{table}:row 4", bad + "bool"),
        ("ids:5", f"{table}:row 5", bad + "list"),
        # A finite number is kept as Python writes it (README "Prediction": the row's id).
        ("1.0", f"{table}:row 6", None), ("7", f"{table}:row 7", None)]


def test_sentence_mode_counts_lines_as_editors_do(tmp_path: Path):
    f = tmp_path / "ls.txt"
    f.write_text("NATO grows\u2028 still.\nMoscow\x0c warns.\n\nLast line.", encoding="utf-8")
    got = _items([f], unit="sentence")
    assert [(g[0], g[1]) for g in got] == [("ls:1", f"{f}:line 1"), ("ls:2", f"{f}:line 2"),
                                           ("ls:4", f"{f}:line 4")]


def test_sentence_mode_reads_markdown_and_html_without_markup(tmp_path: Path):
    md = tmp_path / "m.md"
    md.write_text("# The alliance\n\nSweden **joined** [NATO](https://nato.int).\n",
                  encoding="utf-8")
    page = tmp_path / "p.html"
    page.write_text("<html><body><nav>Menu</nav><h1>Title</h1><p>The Kremlin warned NATO."
                    "</p><p>Second.</p></body></html>\n", encoding="utf-8")
    got = _items([md, page], unit="sentence")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("m:1", f"{md}:line 1", "The alliance"),
        ("m:3", f"{md}:line 3", "Sweden joined NATO."),
        ("p:1", f"{page}:line 1", "Title"),
        ("p:1.2", f"{page}:line 1", "The Kremlin warned NATO."),
        ("p:1.3", f"{page}:line 1", "Second.")]


def test_a_folder_with_nothing_to_read_says_so(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "pdfs").mkdir()
    (tmp_path / "pdfs" / "a.pdf").write_bytes(b"%PDF")
    assert expand_paths([str(tmp_path / "empty")]).nothing_to_read(
        [str(tmp_path / "empty")]).startswith(f"no input to score: {tmp_path / 'empty'} holds "
                                              "no txt/")
    listing = expand_paths([str(tmp_path / "pdfs")])
    assert listing.nothing_to_read([str(tmp_path / "pdfs")]).endswith("(1 files skipped)")
    (tmp_path / "pdfs" / "b.txt").write_text("x", encoding="utf-8")
    assert expand_paths([str(tmp_path / "pdfs")]).nothing_to_read([]) is None


def test_a_tie_between_stances_goes_to_the_larger_probability():
    def claim(st, p):
        probs = {"pro_nato": 0.1, "moscow_warning": 0.1, "neutral_balancing": 0.1}
        probs[st] = p
        return {"kind": "claim", "stance": st, "stance_probs": probs, "text": st}

    stances = ["pro_nato", "moscow_warning", "neutral_balancing"]
    summ = summarize([claim("pro_nato", 0.5), claim("moscow_warning", 0.9)], stances)
    assert summ["stance_counts"]["pro_nato"] == summ["stance_counts"]["moscow_warning"] == 1
    assert summ["dominant_stance"] == "moscow_warning"


def test_a_jsonl_row_with_a_key_twice_is_its_own_error(tmp_path: Path):
    # json.loads keeps the last of two "text" keys: the row was scored on one of its two
    # texts without a word.
    table = tmp_path / "t.jsonl"
    table.write_text('{"id": "a", "text": "NATO grows.", "text": "Moscow warns."}\n'
                     '{"id": "b", "text": "Fine.", "meta": {"x": 1, "x": 2}}\n'
                     '{"id": "c", "text": "Fine too."}\n', encoding="utf-8")
    got = _items([table])
    assert [g[0] for g in got] == ["t:1", "t:2", "c"]
    assert got[0][3] == "bad row: invalid JSON (key 'text' twice)"
    assert got[1][3] == "bad row: invalid JSON (key 'x' twice)"
    assert got[2][3] is None


def test_a_csv_row_with_more_fields_than_the_header_is_named(tmp_path: Path):
    # An unquoted comma in a text gave an extra field that was dropped without a word:
    # "Russia, NATO warn." was scored as "Russia". A short row stays as it was: its
    # missing cells are empty.
    table = tmp_path / "t.csv"
    table.write_text("id,text,title\na,Russia, NATO warn.,T\nb\nc,Fine.\n", encoding="utf-8")
    got = _items([table])
    assert [(g[0], g[1], g[2], g[3]) for g in got] == [
        ("a", f"{table}:row 1", "", "bad row: 4 fields, the header has 3 (a comma in a text "
                                    "that is not in quotes?)"),
        ("b", f"{table}:row 2", "", "empty input (no text)"),
        ("c", f"{table}:row 3", "Fine.", None)]


def test_a_csv_with_a_trailing_comma_on_every_row_still_reads(tmp_path: Path):
    # Some exporters end every row with a comma: an empty cell past the header's. 0e36b56
    # made each such row "bad row: 3 fields, the header has 2", so no article was scored;
    # an empty cell holds no text to lose, so only a cell with something in it is an error.
    table = tmp_path / "t.csv"
    table.write_text("id,text\na,NATO grows.,\nb,Moscow warns.,,\nc,Russia, warns.,\n",
                     encoding="utf-8")
    got = _items([table])
    assert [(g[0], g[2], g[3]) for g in got] == [
        ("a", "NATO grows.", None), ("b", "Moscow warns.", None),
        ("c", "", "bad row: 4 fields, the header has 2 (a comma in a text that is not in "
                  "quotes?)")]

def test_a_csv_quote_never_closed_is_named_not_read_to_the_end(tmp_path: Path):
    # The open quote took every later line into row 1's text, scored as one article, exit 0.
    table = tmp_path / "t.csv"
    table.write_text('id,text\na,"NATO grows.\nb,Moscow warns.\nc,Fine.\n', encoding="utf-8")
    got = _items([table])
    assert [(g[0], g[1], g[3]) for g in got] == [
        ("t:1", f"{table}:row 1", "bad row: a quote opened in the row from line 2 is never "
                                  "closed (lines 2 to 4 were read as one row)")]
    table.write_text('id,text\na,"Two\nlines."\nb,Fine.', encoding="utf-8")  # no final \n
    assert [(g[0], g[2], g[3]) for g in _items([table])] == [("a", "Two\nlines.", None),
                                                            ("b", "Fine.", None)]


def test_a_csv_header_naming_a_read_column_twice_is_refused(tmp_path: Path):
    # csv.DictReader keeps the last of two "text" cells: the first was never read.
    table = tmp_path / "t.csv"
    table.write_text("id,text,note,text,note\na,NATO grows.,x,Moscow warns.,y\n",
                     encoding="utf-8")
    got = _items([table])
    assert [(g[0], g[3]) for g in got] == [("t", "bad table: column 'text' twice in the header")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("name", ["rows.jsonl", "rows.csv"])
def test_a_table_named_on_the_command_line_may_be_a_pipe(tmp_path: Path, name):
    # A table was read, then sought back to its start: "unreadable: File or stream is not
    # seekable", and what the pipe had sent was lost. (A text file read from one already.)
    pipe = tmp_path / name
    os.mkfifo(pipe)
    body = ('{"id": "a", "text": "NATO grows."}\n{"id": "b", "text": "Moscow warns."}\n'
            if name.endswith(".jsonl") else "id,text\na,NATO grows.\nb,Moscow warns.\n")
    writer = threading.Thread(target=lambda: pipe.write_text(body, encoding="utf-8"),
                              daemon=True)
    writer.start()
    try:
        got = _items([pipe])
    finally:
        writer.join(timeout=10)
    assert [(g[0], g[2], g[3]) for g in got] == [("a", "NATO grows.", None),
                                                ("b", "Moscow warns.", None)]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
def test_a_link_to_a_pipe_is_read_not_called_broken(tmp_path: Path):
    # /dev/stdin and a shell's <(...) are links to "pipe:[...]", which no path resolves:
    # they were "unreadable: broken symbolic link (its target does not exist)".
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"NATO grows. Moscow warns.\n")
        os.close(write_end)
        link = tmp_path / "stdin.txt"
        link.symlink_to(f"/proc/self/fd/{read_end}")
        got = _items([link])
    finally:
        os.close(read_end)
    assert [(g[2], g[3]) for g in got] == [("NATO grows. Moscow warns.\n", None)]
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert _items([loop])[0][3] == "unreadable: symbolic link loop"
    gone = tmp_path / "gone.txt"
    gone.symlink_to(tmp_path / "nowhere.txt")
    assert _items([gone])[0][3] == "unreadable: broken symbolic link (its target does not exist)"


def test_text_of_only_invisible_characters_is_an_empty_input(tmp_path):
    # A text of direction marks and zero-width joiners was scored: its one "sentence", the
    # invisible "\u200f", came back a claim with a stance, counted in the summary.
    marks = "\u200f\u200d \u200b\n\u202e\u00ad\n"
    art = tmp_path / "marks.txt"
    art.write_text(marks, encoding="utf-8")
    table = tmp_path / "t.jsonl"
    table.write_text(json.dumps({"id": "a", "text": marks}) + "\n", encoding="utf-8")
    assert [(i.input, i.error) for i in iter_items([str(art), str(table)])] == [
        (str(art), "empty input (no text)"), (f"{table}:row 1", "empty input (no text)")]
    # Sentence mode skips such a line as it skips a blank one.
    lines = tmp_path / "lines.txt"
    lines.write_text("NATO grows.\n\u200f\u200d\nRussia warns.\n", encoding="utf-8")
    assert [(i.input, i.text, i.error) for i in iter_items([str(lines)], unit="sentence")] == [
        (f"{lines}:line 1", "NATO grows.", None), (f"{lines}:line 3", "Russia warns.", None)]


def test_a_text_file_over_the_limit_names_its_size_and_the_way_through(tmp_path: Path):
    # With --unit sentence the file is still read whole: 100 short lines over the limit
    # are one error that says how big the file is and what lets it through.
    f = tmp_path / "lines.txt"
    f.write_text("NATO grows.\n" * 100, encoding="utf-8")
    [(aid, _, _, error, _)] = _items([f], unit="sentence", max_chars=200)
    assert aid == "lines"
    assert error == ("too large: 1200 bytes, more than 804 (4 x max_chars 200 + 4); "
                     "raise --max-chars or split the file")
    assert all(e is None for *_, e, _ in _items([f], unit="sentence", max_chars=400))
