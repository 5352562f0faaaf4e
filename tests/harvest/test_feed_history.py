"""The State Department feed: texts read from the history of one overwritten file
(a throwaway git repository whose feed versions were written for this test)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from geostance.harvest.snapshot import Snapshot
from geostance.harvest.sources import state_department as sd

ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}


def _item(slug: str, title: str, body: str, creator: str = "Office of the Spokesperson") -> str:
    return (f"<item><title>{title}</title><link>https://www.state.gov/{slug}/</link>"
            f"<dc:creator><![CDATA[{creator}]]></dc:creator>"
            "<pubDate>Wed, 03 Aug 2022 19:49:23 +0000</pubDate>"
            f"<content:encoded><![CDATA[<script>var x = 1;</script>{body}]]></content:encoded>"
            "</item>")


def _feed(*items: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Press</title>'
            + "".join(items) + "</channel></rss>")


BODY = ("<p>Antony J. Blinken, Secretary of State</p><p>The United States stands with "
        "Ukraine.</p><p>Russia must end its war.</p>")


def _repo(root: Path, versions: list[str]) -> tuple[Snapshot, list[str]]:
    d = root / sd.REPO.replace("/", "+") / "repo"
    d.mkdir(parents=True)
    subprocess.run(["git", "-C", str(d), "init", "-q"], check=True, env=ENV)
    commits = []
    for i, text in enumerate(versions):
        (d / sd.PATH).write_text(text, encoding="utf-8")
        (d / "other.txt").write_text(str(i))
        subprocess.run(["git", "-C", str(d), "add", "-A"], check=True, env=ENV)
        subprocess.run(["git", "-C", str(d), "commit", "-qm", f"v{i}"], check=True, env=ENV)
        commits.append(subprocess.run(["git", "-C", str(d), "rev-parse", "HEAD"], check=True,
                                      capture_output=True, text=True).stdout.strip())
    return Snapshot.open(root, sd.REPO), commits


def test_each_item_comes_once_from_the_first_feed_version_that_carries_it(tmp_path):
    first = _item("russia-must-end-its-war", "Russia Must End Its War", BODY)
    second = _item("aid-for-ukraine", "Aid for Ukraine", BODY.replace("war", "aggression"))
    snap, commits = _repo(tmp_path, [_feed(first), _feed(second, first),
                                     _feed(second).replace("</rss>", "")])  # truncated
    docs = list(sd.extract(snap))
    assert [d.doc_id for d in docs] == ["statedept-russia-must-end-its-war",
                                        "statedept-aid-for-ukraine"]
    assert [d.meta["version_commit"] for d in docs] == commits[:2]
    d = docs[0]
    assert d.commit == snap.commit == commits[-1] and d.path == sd.PATH
    assert d.date == "2022-08-03" and d.speaker == "Office of the Spokesperson"
    # The script is dropped; the byline paragraph stays as text.
    assert [p.text for p in d.paragraphs] == ["Antony J. Blinken, Secretary of State",
                                              "The United States stands with Ukraine.",
                                              "Russia must end its war."]


def test_joint_texts_and_transcripts_with_other_speakers_are_left_out(tmp_path):
    kept = _item("call-with-kuleba", "Secretary Blinken’s Call with Ukrainian Foreign "
                 "Minister Kuleba", BODY)
    left = [_item("joint", "Joint Statement on Ukraine", BODY),
            _item("briefing", "Department Press Briefing", BODY),
            _item("interview", "Secretary Antony J. Blinken With Chuck Todd of NBC", BODY),
            _item("g7", "G7 Foreign Ministers’ Statement", BODY),
            _item("two", "Remarks", BODY, creator="Antony J. Blinken, Secretary of State, "
                  "French Foreign Minister Jean-Yves Le Drian")]
    snap, _ = _repo(tmp_path, [_feed(kept, *left)])
    assert [d.doc_id for d in sd.extract(snap)] == ["statedept-call-with-kuleba"]


def test_history_lists_the_commits_that_changed_the_file(tmp_path):
    snap, commits = _repo(tmp_path, [_feed(), _feed(), _feed(_item("a", "A", BODY))])
    # The second version is byte-identical to the first: git records no change of it.
    assert snap.history(sd.PATH) == [commits[0], commits[2]]
    assert [p for p, _ in snap.iter_bytes([sd.PATH, sd.PATH], [commits[0], commits[2]])] \
        == [sd.PATH, sd.PATH]
