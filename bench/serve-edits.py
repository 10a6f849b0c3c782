#!/usr/bin/env python3
"""Times `annals serve` the way an editor meets it: from saving a report to the
rebuild message serve prints before it reloads the open tabs.

    python3 bench/serve-edits.py --annals BIN --root SITE --size N \
        --body REPORT.md --title REPORT.md [--runs 3] [--timeout 60]

Starts serve on 127.0.0.1 with a port the system picks, no workbench and no
browser, waits for its first build, then per run appends a line to one report's
body and changes another report's title, each time waiting until serve is idle
first (so `annals check`, which serve runs after every rebuild, does not take
the rebuild's CPU). Prints rows for bench/report.awk on stdout (tab-separated):

    size  serve-first|serve-edit-body|serve-edit-title  wall  user  sys  VmHWM-KB
    size  serve-edit-body|serve-edit-title  said  MS     serve's own figure
    size  annals  serve-hwm  KB                          VmHWM after the edits

user/sys are the serve process' CPU seconds from the save to the message.
Every wait has a deadline; serve is killed on the way out, also when this
script is killed (the child gets SIGKILL when its parent dies).
"""
import argparse
import ctypes
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

# src/i18n/en.toml: serve.rebuilt-all, serve.rebuilt-report, serve.serving, serve.errors.
REBUILT = re.compile(r"^rebuilt (everything|the edited report's pages) in (\d+) ms")
SERVING = re.compile(r"^serving .* at http://")
FAILED = re.compile(r"^\d+ error\(s\); the browser shows them")
TICKS = os.sysconf("SC_CLK_TCK")


class Failure(Exception):
    pass


def die_with_parent():
    """Runs in the child before exec: SIGKILL it if this script dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def read_lines(stream, lines):
    """Passes every line of serve's output on, stamped with its arrival time."""
    for raw in iter(stream.readline, b""):
        lines.put((time.monotonic(), raw.decode("utf-8", "replace").rstrip("\n")))
    lines.put((time.monotonic(), None))


def cpu_seconds(pid):
    """user and sys CPU seconds of a process, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICKS, int(fields[12]) / TICKS


def vm_hwm_kb(pid):
    """The process' peak resident memory so far (VmHWM), in KB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class Serve:
    def __init__(self, annals, root):
        self.proc = subprocess.Popen(
            [annals, "--lang", "en", "serve", "--root", root, "--bind", "127.0.0.1",
             "--port", "0", "--no-workbench"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True, preexec_fn=die_with_parent)
        self.lines = queue.Queue()
        self.open_streams = 2
        self.log = []
        for stream in (self.proc.stdout, self.proc.stderr):
            threading.Thread(target=read_lines, args=(stream, self.lines), daemon=True).start()

    def wait_for(self, pattern, deadline):
        """The first line matching `pattern` and its arrival time."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure("no answer from serve before the deadline")
            try:
                at, line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                self.open_streams -= 1
                if self.open_streams == 0:
                    raise Failure(f"serve stopped (exit code {self.proc.wait()})")
                continue
            self.log.append(line)
            if FAILED.match(line):
                raise Failure("serve reported errors")
            found = pattern.match(line)
            if found:
                return at, found

    def wait_idle(self, deadline):
        """Waits until serve used no CPU for 0.3 s (its check pass is over)."""
        last, quiet = None, 0
        while time.monotonic() < deadline and quiet < 3:
            now = sum(cpu_seconds(self.proc.pid))
            quiet = quiet + 1 if now == last else 0
            last = now
            time.sleep(0.1)

    def stop(self):
        """Stops serve and anything it started (its own process group)."""
        for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, None)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                pass


def append_line(path, run):
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\n服务预览修订：第{run}次。\n")


def retitle(path, run):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text, n = re.subn(r'^title: "', f'title: "（预览第{run}次修订）', text, count=1, flags=re.M)
    if n != 1:
        raise Failure(f"no title in {path}")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def timed_edit(serve, edit, path, run, args):
    """One save and serve's answer: (wall, user, sys, VmHWM KB, serve's ms, full?)."""
    serve.wait_idle(time.monotonic() + args.timeout)
    user0, sys0 = cpu_seconds(serve.proc.pid)
    saved = time.monotonic()
    edit(path, run)
    at, found = serve.wait_for(REBUILT, saved + args.timeout)
    user1, sys1 = cpu_seconds(serve.proc.pid)
    hwm = vm_hwm_kb(serve.proc.pid)
    return at - saved, user1 - user0, sys1 - sys0, hwm, found.group(2), found.group(1) == "everything"


def measure(serve, args, out):
    started = time.monotonic()
    serve.wait_for(SERVING, started + args.startup_timeout)
    at = time.monotonic()
    user, sys_ = cpu_seconds(serve.proc.pid)
    out(f"{args.size}\tserve-first\t{at - started:.3f}\t{user:.2f}\t{sys_:.2f}\t{vm_hwm_kb(serve.proc.pid)}")
    for run in range(1, args.runs + 1):
        for name, edit, path in (("serve-edit-body", append_line, args.body),
                                 ("serve-edit-title", retitle, args.title)):
            wall, user, sys_, hwm, said, full = timed_edit(serve, edit, path, run, args)
            out(f"{args.size}\t{name}\t{wall:.3f}\t{user:.2f}\t{sys_:.2f}\t{hwm}")
            out(f"{args.size}\t{name}\tsaid\t{said}")
            if full:
                print(f"  serve rebuilt everything after {name} (run {run})", file=sys.stderr)
    serve.wait_idle(time.monotonic() + args.timeout)
    out(f"{args.size}\tannals\tserve-hwm\t{vm_hwm_kb(serve.proc.pid)}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--annals", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--size", required=True)
    p.add_argument("--body", required=True, help="report whose body gets a line")
    p.add_argument("--title", required=True, help="report whose title changes")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--timeout", type=float, default=60, help="seconds per edit")
    p.add_argument("--startup-timeout", type=float, default=300, help="seconds for the first build")
    args = p.parse_args()
    rows = []
    serve = Serve(args.annals, args.root)
    # SIGTERM (e.g. from `timeout`) stops serve too, through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        measure(serve, args, rows.append)
    except (Failure, OSError) as e:
        print(f"  serve not measured: {e}", file=sys.stderr)
        for line in serve.log[-10:]:
            print(f"    {line}", file=sys.stderr)
        return 1
    finally:
        serve.stop()
    # Rows only for a complete session: half a session would skew the medians.
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
