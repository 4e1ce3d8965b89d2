"""Why bubblewrap failed, in words a user can act on: the kernel messages of the common
failures mapped to their fix. Pure, so doctor, the runner and their tests share it."""

from __future__ import annotations

USERNS_FIX = (
    "this kernel forbids unprivileged user namespaces (Ubuntu 23.10+ and 24.04 restrict them "
    "with AppArmor, as on GitHub's ubuntu-24.04 runners): run "
    "`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (what the prompt-eval "
    "workflow does), or give bwrap an AppArmor profile that allows userns; see SECURITY.md"
)
DISABLED_FIX = (
    "unprivileged user namespaces are disabled: run "
    "`sudo sysctl -w kernel.unprivileged_userns_clone=1` (Debian) or raise "
    "user.max_user_namespaces; inside a container, run it with --privileged or a seccomp "
    "profile that allows unshare; see SECURITY.md"
)
SIGNATURES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("setting up uid map: permission denied", "failed rtm_newaddr: operation not permitted"),
     USERNS_FIX),
    (("no permissions to create new namespace", "creating new namespace failed",
      "unshare failed"), DISABLED_FIX),
)  # fmt: skip


def namespace_fix(problem: str) -> str | None:
    """The fix for a bubblewrap failure caused by the kernel's namespace policy, or None."""
    text = problem.lower()
    for needles, fix in SIGNATURES:
        if any(needle in text for needle in needles):
            return fix
    return None
