"""Every tool is confined to the workspace; refusals are error results, never exceptions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.core.tool_names import BASH_NAME, EDITOR_NAME
from harness.solver.tools import Editor, Toolbox


@pytest.fixture
def root(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    (workspace / "app").mkdir(parents=True)
    (workspace / "app" / "main.py").write_text("a = 1\nb = 2\n")
    return workspace


_editors: dict[Path, Editor] = {}


def edit(root: Path, **tool_input: object) -> tuple[str, bool]:
    """One editor per workspace, as in a sample (undo needs its history)."""
    result = _editors.setdefault(root, Editor(root))(tool_input)
    return result.content, result.is_error


@pytest.mark.parametrize(
    "path",
    [
        "/etc/passwd",
        "../outside.py",
        "app/../../outside.py",
        "/workspace/../etc/x",
        "",
        "/tmp/x.py",
    ],
)
def test_paths_leaving_the_workspace_are_refused(root: Path, path: str) -> None:
    content, is_error = edit(root, command="create", path=path, file_text="x")
    assert is_error and ("refused" in content or "non-empty" in content)
    assert not (root.parent / "outside.py").exists()


def test_symlink_out_of_the_workspace_is_not_followed(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    os.symlink(outside, root / "link.txt")
    os.symlink(tmp_path, root / "linkdir")
    for command in (
        {"command": "view", "path": "link.txt"},
        {"command": "create", "path": "linkdir/x.py", "file_text": "x"},
    ):
        content, is_error = edit(root, **command)
        assert is_error and "leaves the workspace" in content
    assert outside.read_text() == "secret" and not (tmp_path / "x.py").exists()


def test_view_create_replace_insert_undo(root: Path) -> None:
    assert (
        edit(root, command="create", path="/workspace/app/new.py", file_text="x = 1\n")[1] is False
    )
    assert (root / "app/new.py").read_text() == "x = 1\n"
    content, _ = edit(root, command="view", path="/workspace/app/main.py")
    assert content == "     1\ta = 1\n     2\tb = 2"
    assert "app/main.py" in edit(root, command="view", path="/workspace")[0]
    assert (
        edit(root, command="str_replace", path="app/main.py", old_str="b = 2", new_str="b = 3")[1]
        is False
    )
    content, is_error = edit(
        root, command="str_replace", path="app/main.py", old_str="zzz", new_str=""
    )
    assert is_error and "no match" in content
    assert (
        edit(root, command="insert", path="app/main.py", insert_line=1, insert_text="c = 0")[1]
        is False
    )
    assert (
        edit(root, command="insert", path="app/main.py", insert_line=0, new_str="# top")[1] is False
    )
    assert (root / "app/main.py").read_text() == "# top\na = 1\nc = 0\nb = 3\n"
    assert edit(root, command="undo_edit", path="app/main.py")[1] is False
    assert (root / "app/main.py").read_text() == "a = 1\nc = 0\nb = 3\n"
    assert edit(root, command="explode", path="app/main.py")[1] is True


def test_toolbox_dispatch_and_bash(root: Path) -> None:
    box = Toolbox(root, mode="none")
    result = box.run(
        {"type": "tool_use", "id": "t1", "name": BASH_NAME, "input": {"command": "ls app"}}
    )
    assert result == {
        "type": "tool_result",
        "tool_use_id": "t1",
        "content": "main.py\n",
        "is_error": False,
    }
    failed = box.run({"id": "t2", "name": BASH_NAME, "input": {"command": "(exit 3)"}})
    assert failed["is_error"] and "[exit code 3]" in failed["content"]
    unknown = box.run({"id": "t3", "name": "computer", "input": {}})
    assert unknown["is_error"] and "unknown tool" in unknown["content"]
    assert box.run({"id": "t4", "name": EDITOR_NAME, "input": "not a dict"})["is_error"]
    box.close()
