"""The tools a model works with, confined to its sample's workspace.

Declared as Anthropic's own client tools (the shapes models are trained on): the text
editor `str_replace_based_edit_tool` and `bash`. The workspace appears to the model as
/workspace; a path that leaves it (`..`, another absolute path, a symlink pointing out)
is refused with an error result and never followed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from harness.core.tool_names import BASH_NAME, EDITOR_NAME
from harness.sandbox.run import WORKSPACE_MOUNT, Limits
from harness.solver.shell import PersistentShell

TOOL_SPECS: list[dict[str, Any]] = [
    {"type": "text_editor_20250728", "name": EDITOR_NAME},
    {"type": "bash_20250124", "name": BASH_NAME},
]
MAX_FILE_BYTES = 1_000_000
MAX_VIEW_CHARS = 40_000
MAX_DIR_ENTRIES = 500
NEW_FILE_MODE = 0o644


class ToolError(Exception):
    """A refused or failed tool call; its message goes back to the model as an error result."""


@dataclass(frozen=True)
class ToolResult:
    content: str
    is_error: bool = False

    def block(self, tool_use_id: str) -> dict[str, Any]:
        return {
            "type": "tool_result",
            "tool_use_id": tool_use_id,
            "content": self.content,
            "is_error": self.is_error,
        }


def confine(root: Path, raw: object) -> Path:
    """The real path for a model-given path, or ToolError if it would leave the workspace."""
    if not isinstance(raw, str) or not raw.strip():
        raise ToolError("`path` must be a non-empty string")
    text = raw.strip()
    if text == WORKSPACE_MOUNT or text.startswith(WORKSPACE_MOUNT + "/"):
        text = text[len(WORKSPACE_MOUNT) :].lstrip("/")
    elif text.startswith("/"):
        raise ToolError(f"{raw}: absolute paths outside {WORKSPACE_MOUNT} are refused")
    if ".." in PurePosixPath(text).parts:
        raise ToolError(f"{raw}: paths with '..' are refused")
    candidate = root / text
    real_root = os.path.realpath(root)
    real = os.path.realpath(candidate)
    if real != real_root and not real.startswith(real_root + os.sep):
        raise ToolError(f"{raw}: the path leaves the workspace (through a symlink); refused")
    return candidate


def _display(root: Path, path: Path) -> str:
    """The path as the model sees it; bytes of a name that are not UTF-8 as `\\xNN`
    (the transcript is JSON: it cannot hold the lone surrogates Python decodes them to)."""
    relative = path.relative_to(root).as_posix()
    relative = relative.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return WORKSPACE_MOUNT if relative == "." else f"{WORKSPACE_MOUNT}/{relative}"


def _refusal(root: Path, path: Path, exc: OSError) -> ToolError:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
        return ToolError(
            f"{_display(root, path)}: the path goes through a symlink, which the editor "
            "does not follow; refused"
        )
    return ToolError(f"{_display(root, path)}: {exc.__class__.__name__}: {exc.strerror}")


@contextlib.contextmanager
def _open_parent(
    root: Path, path: Path, *, create: bool = False, owner: os.stat_result | None = None
) -> Iterator[int]:
    """A descriptor of `path`'s directory, reached from the workspace one component at a
    time with O_NOFOLLOW: a symlink anywhere on the way is refused, whenever it appeared
    (the shell may swap one in after `confine` looked). With `create`, missing directories
    are made and handed to `owner`."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in path.relative_to(root).parent.parts:
            if create:
                try:
                    os.mkdir(part, 0o755, dir_fd=fd)
                except FileExistsError:
                    pass
                else:
                    if owner is not None:
                        os.chown(part, owner.st_uid, owner.st_gid, dir_fd=fd, follow_symlinks=False)
            try:
                inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except FileNotFoundError:
                raise ToolError(f"{_display(root, path)}: no such file") from None
            except OSError as exc:
                raise _refusal(root, path, exc) from exc
            os.close(fd)
            fd = inner
        yield fd
    finally:
        os.close(fd)


class Editor:
    """view / create / str_replace / insert (and undo_edit), as Anthropic's text editor."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.history: dict[Path, list[str]] = {}

    def __call__(self, tool_input: dict[str, Any]) -> ToolResult:
        command = tool_input.get("command")
        handler = getattr(self, f"_{command}", None) if isinstance(command, str) else None
        if handler is None:
            return ToolResult(
                f"unknown command {command!r}; use view, create, str_replace or insert", True
            )
        try:
            return ToolResult(handler(confine(self.root, tool_input.get("path")), tool_input))
        except ToolError as exc:
            return ToolResult(str(exc), True)
        except (OSError, UnicodeError) as exc:
            return ToolResult(f"{tool_input.get('path')}: {exc.__class__.__name__}: {exc}", True)

    def _read(self, path: Path) -> str:
        return self._read_bytes(path).decode("utf-8")

    def _read_bytes(self, path: Path) -> bytes:
        """The file's bytes, opened without following any symlink on the way (a link the
        shell swaps in after `confine` checked the path is refused, never read through)."""
        with _open_parent(self.root, path) as parent:
            try:
                fd = os.open(path.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=parent)
            except FileNotFoundError:
                raise ToolError(f"{_display(self.root, path)}: no such file") from None
            except OSError as exc:
                raise _refusal(self.root, path, exc) from exc
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode):
                    raise ToolError(f"{_display(self.root, path)}: no such file")
                if info.st_size > MAX_FILE_BYTES:
                    raise ToolError(f"{_display(self.root, path)}: file too large to edit")
                return handle.read(MAX_FILE_BYTES + 1)

    def _write(self, path: Path, text: str) -> None:
        """Write a new file and rename it over the old name: never through a symlink or a
        hard link, in a directory reached without following links."""
        data = text.encode()
        if len(data) > MAX_FILE_BYTES:
            raise ToolError(
                f"{_display(self.root, path)}: content over {MAX_FILE_BYTES} bytes refused"
            )
        owner = self.root.stat() if os.geteuid() == 0 else None
        with _open_parent(self.root, path, create=True, owner=owner) as parent:
            mode = NEW_FILE_MODE
            try:
                info = os.stat(path.name, dir_fd=parent, follow_symlinks=False)
            except FileNotFoundError:
                info = None
            if info is not None:
                if stat.S_ISLNK(info.st_mode):
                    raise ToolError(
                        f"{_display(self.root, path)}: writing through a symlink is refused"
                    )
                if not stat.S_ISREG(info.st_mode):
                    raise ToolError(f"{_display(self.root, path)}: not a regular file")
                mode = info.st_mode & 0o777
                self.history.setdefault(path, []).append(
                    self._read_bytes(path).decode("utf-8", errors="replace")
                )
            temporary = f".{path.name}.{secrets.token_hex(6)}.tmp"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
            fd = os.open(temporary, flags, mode, dir_fd=parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    os.fchmod(handle.fileno(), mode)
                    if owner is not None:  # the sandbox's uid, so its shell can edit the file
                        os.fchown(handle.fileno(), owner.st_uid, owner.st_gid)
                os.replace(temporary, path.name, src_dir_fd=parent, dst_dir_fd=parent)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary, dir_fd=parent)
                raise

    def _is_dir(self, path: Path) -> bool:
        if path == self.root:
            return True
        with _open_parent(self.root, path) as parent:
            try:
                info = os.stat(path.name, dir_fd=parent, follow_symlinks=False)
            except FileNotFoundError:
                return False
        return stat.S_ISDIR(info.st_mode)

    def _view(self, path: Path, tool_input: dict[str, Any]) -> str:
        if self._is_dir(path):
            entries = []
            with _open_parent(self.root, path / "entry") as top:
                walk = os.fwalk(".", dir_fd=top, follow_symlinks=False)
                for directory, dirnames, filenames, _ in walk:
                    dirnames[:] = sorted(
                        d for d in dirnames if not d.startswith(".") and d != "__pycache__"
                    )
                    if len(Path(directory).parts) - (directory == ".") >= 2:
                        dirnames[:] = []
                    for name in sorted(filenames):
                        entries.append(_display(self.root, path / directory / name))
                    if len(entries) > MAX_DIR_ENTRIES:
                        break
            return "\n".join(entries[:MAX_DIR_ENTRIES])
        lines = self._read(path).splitlines()
        start, end = 1, len(lines)
        view_range = tool_input.get("view_range")
        if isinstance(view_range, list) and len(view_range) == 2:
            start, end = (
                int(view_range[0]),
                (len(lines) if int(view_range[1]) == -1 else int(view_range[1])),
            )
        numbered = "\n".join(
            f"{n:6}\t{lines[n - 1]}" for n in range(max(start, 1), min(end, len(lines)) + 1)
        )
        return numbered[:MAX_VIEW_CHARS]

    def _create(self, path: Path, tool_input: dict[str, Any]) -> str:
        text = tool_input.get("file_text")
        if not isinstance(text, str):
            raise ToolError("create needs `file_text`")
        self._write(path, text)
        return f"File created successfully at: {_display(self.root, path)}"

    def _str_replace(self, path: Path, tool_input: dict[str, Any]) -> str:
        old, new = tool_input.get("old_str"), tool_input.get("new_str", "")
        if not isinstance(old, str) or not isinstance(new, str):
            raise ToolError("str_replace needs `old_str` (and `new_str`)")
        text = self._read(path)
        count = text.count(old)
        if count != 1:
            where = "no match" if count == 0 else f"{count} matches"
            raise ToolError(
                f"str_replace: {where} for `old_str` in {_display(self.root, path)}; it must be unique"
            )
        self._write(path, text.replace(old, new, 1))
        return f"The file {_display(self.root, path)} has been edited."

    def _insert(self, path: Path, tool_input: dict[str, Any]) -> str:
        # text_editor_20250728 sends `insert_text`; older docs say `new_str`: accept both.
        text_in = tool_input.get("insert_text", tool_input.get("new_str"))
        line = tool_input.get("insert_line")
        if not isinstance(text_in, str) or not isinstance(line, int):
            raise ToolError("insert needs `insert_line` and `insert_text`")
        lines = self._read(path).splitlines(keepends=True)
        if not 0 <= line <= len(lines):
            raise ToolError(f"insert_line {line} is outside 0..{len(lines)}")
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines[line:line] = [text_in if text_in.endswith("\n") else text_in + "\n"]
        self._write(path, "".join(lines))
        return f"The file {_display(self.root, path)} has been edited."

    def _undo_edit(self, path: Path, tool_input: dict[str, Any]) -> str:
        history = self.history.get(path)
        if not history:
            raise ToolError(f"no edit to undo for {_display(self.root, path)}")
        previous, depth = history.pop(), len(history)
        self._write(path, previous)
        del history[depth:]  # what the write recorded it replaced is not an edit to undo
        return f"Last edit to {_display(self.root, path)} undone."


class Bash:
    """One persistent sandboxed shell per sample: `cd` and exports carry over."""

    def __init__(self, root: Path, mode: str, limits: Limits) -> None:
        self.limits = limits
        self.shell = PersistentShell(root, mode, limits)

    def __call__(self, tool_input: dict[str, Any]) -> ToolResult:
        if tool_input.get("restart"):
            self.shell.close()
            return ToolResult("tool has been restarted.")
        command = tool_input.get("command")
        if not isinstance(command, str) or not command.strip():
            return ToolResult("bash needs `command`", True)
        result = self.shell.run(command)
        text = result.output
        if result.timed_out:
            return ToolResult(
                f"{text}\n[command timed out after {self.limits.wall_seconds:.0f} s; "
                "the shell was restarted, so its state (cwd, variables, jobs) is gone]",
                True,
            )
        if result.shell_exited:
            return ToolResult(
                f"{text}\n[the shell exited with code {result.exit_code}; "
                "the next command starts a new one]",
                True,
            )
        if result.exit_code != 0:
            return ToolResult(f"{text}\n[exit code {result.exit_code}]", True)
        return ToolResult(text or "(no output)")

    def close(self) -> None:
        self.shell.close()


class Toolbox:
    """Dispatch tool_use blocks to the tools; unknown tools are an error result."""

    def __init__(
        self, root: Path, mode: str = "auto", command_limits: Limits | None = None
    ) -> None:
        self.bash = Bash(root, mode, command_limits or Limits(wall_seconds=120))
        self.tools: dict[str, Editor | Bash] = {EDITOR_NAME: Editor(root), BASH_NAME: self.bash}

    def run(self, block: dict[str, Any]) -> dict[str, Any]:
        tool = self.tools.get(block.get("name", ""))
        tool_input = block.get("input") if isinstance(block.get("input"), dict) else {}
        if tool is None:
            result = ToolResult(f"unknown tool {block.get('name')!r}", True)
        else:
            result = tool(tool_input)
        return result.block(str(block.get("id", "")))

    def close(self) -> None:
        """End the sample's shell and everything it left running."""
        self.bash.close()
