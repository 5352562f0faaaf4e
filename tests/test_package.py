"""What importing the package does to the process, and what `make lint` checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _kernels_env_after_import(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "USE_HUB_KERNELS"}
    env["PYTHONPATH"] = str(ROOT / "src")
    if env_value is not None:
        env["USE_HUB_KERNELS"] = env_value
    p = subprocess.run([sys.executable, "-c", "import os, geostance; "
                        "print(os.environ['USE_HUB_KERNELS'])"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def test_hub_kernels_are_off_unless_the_user_turns_them_on():
    # Hub kernels would be downloaded on a GPU at model load; geostance runs offline.
    assert _kernels_env_after_import(None) == "NO"
    assert _kernels_env_after_import("YES") == "YES"


def test_make_lint_checks_what_the_project_lints():
    # `make lint` left out reports/*.py, whose scripts the README runs (reevaluate.py,
    # coherence.py, ...): a lint error there passed `make lint` and failed the project's check.
    import re

    root = Path(__file__).resolve().parents[1]
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^lint:.*\n\t(.*)$", makefile, re.M)
    assert recipe, "no lint target"
    assert "ruff check" in recipe.group(1)
    for target in ("src", "tests", "reports/*.py", "train.py", "predict.py"):
        assert target in recipe.group(1).split(), target
