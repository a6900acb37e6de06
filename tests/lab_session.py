"""JupyterLab on localhost, driven by Debian's Chromium through Playwright: what the browser tests use.

The server runs from the project's environment on a copy of the notebooks (running them must not touch the
tree), with a random token, JupyterLab's news check off and matplotlib's inline backend (the test session's
MPLBACKEND=Agg would draw nothing). Chromium is the system's (`chromium` on PATH); nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Locator, Page

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"  # git-ignored
STARTUP_SECONDS = 60
RUN_ALL_SECONDS = 240  # the slowest solution notebook takes about 20 s alone; generous for a loaded machine
REDRAW_SECONDS = 90  # an explorer that trains a model on each change
VIEWPORT = {"width": 1280, "height": 900}  # a laptop screen: what the screenshots show


# (extension, plugin, settings): no news pop-up over the notebook; every cell rendered, not only those near the
# viewport (JupyterLab 4 windows long notebooks), so each cell's prompt and outputs are in the page.
LAB_SETTINGS = (
    ("apputils-extension", "notification", {"fetchNews": "false"}),
    ("notebook-extension", "tracker", {"windowingMode": "none"}),
)


# Loaded by file path: a notebook folder's own tests/ package would shadow the kit's.
PLOT_RULES_STARTUP = """import importlib.util, os, pathlib
_spec = importlib.util.spec_from_file_location("kit_plot_rules", {rules!r})
_rules = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_rules)
_rules.install(pathlib.Path(os.environ["KIT_PLOT_RULES_LOGS"]) / f"{{os.getpid()}}.jsonl")
del _spec, _rules
"""


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Lab:
    root: Path
    port: int
    token: str
    plot_logs: Path  # one file per kernel: the figures that break the plot rules (tests/plot_rules.py)

    def figures_shown(self, path: str) -> list[dict[str, Any]]:
        """Every figure the notebook at ``path`` showed: its title and the plot rules it breaks."""
        lines = [line for log in self.plot_logs.glob("*.jsonl") for line in log.read_text("utf-8").splitlines()]
        shown = [json.loads(line) for line in lines]
        return [{"figure": s["figure"], "breaches": s["breaches"]} for s in shown if s["notebook"].endswith(path)]

    def shut_down(self, path: str) -> None:
        """End the notebook's session and kernel: the next notebooks must not share the cores with it."""
        sessions = self.api("sessions")
        assert isinstance(sessions, list)
        for session in sessions:
            if session["path"].endswith(path):
                self.api(f"sessions/{session['id']}", method="DELETE")

    def url(self, path: str) -> str:
        # reset: a fresh workspace, so the page holds this notebook alone, not the tabs an earlier page left open.
        return f"http://127.0.0.1:{self.port}/lab/tree/{path}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None


@contextmanager
def jupyter_lab(notebooks: list[Path], workdir: Path) -> Iterator[Lab]:
    """JupyterLab serving copies of the ``notebooks`` folders (named relative to the kit root) from ``workdir``."""
    kit_root = Path(__file__).resolve().parent.parent
    root = workdir / "lab"
    for folder in notebooks:
        shutil.copytree(kit_root / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for extension, name, values in LAB_SETTINGS:
        folder = workdir / "lab-settings" / "@jupyterlab" / extension
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.jupyterlab-settings").write_text(json.dumps(values))
    startup = workdir / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-plot-rules.py").write_text(
        PLOT_RULES_STARTUP.format(rules=str(Path(__file__).with_name("plot_rules.py")))
    )
    lab = Lab(root, _free_port(), secrets.token_hex(16), workdir / "plot-rules")
    lab.plot_logs.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    env["JUPYTERLAB_SETTINGS_DIR"] = str(workdir / "lab-settings")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["IPYTHONDIR"] = str(workdir / "ipython")  # every kernel runs the startup file
    env["KIT_PLOT_RULES_LOGS"] = str(lab.plot_logs)
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={lab.port}"]
    command += [f"--IdentityProvider.token={lab.token}", f"--ServerApp.root_dir={root}", "--allow-root"]
    command += [f"--LabApp.workspaces_dir={workdir / 'lab-workspaces'}"]  # never the user's own workspaces
    with (workdir / "lab.log").open("w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(lab, server, workdir / "lab.log")
            yield lab
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_until_up(lab: Lab, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("JupyterLab exited at startup:\n" + log.read_text()[-3000:])
        try:
            lab.api("status")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"JupyterLab did not answer within {STARTUP_SECONDS} s:\n" + log.read_text()[-3000:])


def open_notebook(page: Page, lab: Lab, path: str) -> None:
    """Open the notebook and wait until its kernel is idle."""
    page.goto(lab.url(path))
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=STARTUP_SECONDS * 1000)
    page.wait_for_function(
        "() => document.querySelector('.jp-StatusBar-Widget') && document.body.innerText.includes('| Idle')",
        timeout=STARTUP_SECONDS * 1000,
    )


def start_running_all_cells(page: Page) -> None:
    """Run → Run All Cells. JupyterLab stops at the first error: the cells after it keep an empty prompt."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator("li[data-command='runmenu:run-all']").click()


def wait_until_run(page: Page) -> None:
    """Wait until no cell is queued or running ([*]) and the kernel is idle."""
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.some(p => /\\[\\d+\\]/.test(p.textContent))
                && !prompts.some(p => p.textContent.includes('*'))
                && document.body.innerText.includes('| Idle');
        }""",
        timeout=RUN_ALL_SECONDS * 1000,
    )


class NotebookRuns:
    """Notebooks run in order, two at a time: while a test inspects one, the next runs in its own tab and
    kernel (notebooks limit themselves to one thread, so two share the 2 cores)."""

    def __init__(self, browser: Browser, lab: Lab, paths: list[str]) -> None:
        self.browser, self.lab, self.paths = browser, lab, paths
        self.pages: dict[str, Page] = {}

    def _start(self, path: str) -> None:
        if path in self.pages:
            return
        page = self.browser.new_page(viewport=VIEWPORT)
        open_notebook(page, self.lab, path)
        start_running_all_cells(page)
        self.pages[path] = page

    @contextmanager
    def ran(self, path: str) -> Iterator[Page]:
        """The notebook's tab once all its cells have run (the next notebook is started first); its tab and
        kernel end when the block does."""
        self._start(path)
        following = self.paths[self.paths.index(path) + 1 :]
        if following:
            self._start(following[0])
        try:
            wait_until_run(self.pages[path])
            yield self.pages[path]
        finally:
            self._finish(path)

    def _finish(self, path: str) -> None:
        if path in self.pages:
            self.pages.pop(path).close()
            self.lab.shut_down(path)

    def finish_all(self) -> None:
        for path in list(self.pages):
            self._finish(path)


def save_notebook(page: Page) -> None:
    """File → Save (Ctrl+S), then wait until the tab no longer shows unsaved changes."""
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !document.querySelector('.jp-mod-current.jp-mod-dirty, .lm-TabBar-tab.jp-mod-current.jp-mod-dirty')",
        timeout=30_000,
    )


@dataclass
class ShownCell:
    """A code cell as the page shows it: its prompt and the text of each output, by mime type."""

    index: int  # among code cells
    prompt: str
    outputs: list[tuple[str, str]]

    @property
    def ran(self) -> bool:
        return any(char.isdigit() for char in self.prompt)

    @property
    def error(self) -> str:
        """The traceback shown, if any: JupyterLab renders an error (and stderr) as text/stderr."""
        return next((text for mime, text in self.outputs if mime.endswith("stderr") and "Traceback" in text), "")


def shown_cells(page: Page) -> list[ShownCell]:
    rows = page.evaluate(
        """() => [...document.querySelectorAll('.jp-CodeCell')].map(cell => [
            cell.querySelector('.jp-InputPrompt').textContent,
            [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => [o.getAttribute('data-mime-type') || '',
                                                                          o.textContent]),
        ])"""
    )
    return [ShownCell(i, prompt, [tuple(o) for o in outputs]) for i, (prompt, outputs) in enumerate(rows)]


def explorers(page: Page) -> list[Locator]:
    """The ipywidgets explorers on the page: a box of controls above an output area showing a figure."""
    boxes = page.locator(".jp-OutputArea-output .jupyter-widgets.widget-vbox").filter(has=page.locator("img"))
    return [boxes.nth(i) for i in range(boxes.count())]


def change_and_redraw(page: Page, explorer: Locator) -> tuple[str, str]:
    """Move the explorer's first slider one step (or pick its first dropdown's next option), click its redraw
    button if it has one, and wait for a new figure. Returns the figure's src before and after."""
    explorer.scroll_into_view_if_needed()
    figure = explorer.locator("img").first
    before = figure.get_attribute("src") or ""
    handle = explorer.locator(".noUi-handle:visible")  # 06 hides its degree slider until poly is picked
    if handle.count():
        handle.first.focus()
        page.keyboard.press("ArrowRight")
    else:
        select = explorer.locator("select").first
        options = select.locator("option").all_text_contents()
        select.select_option(index=(options.index(select.input_value()) + 1) % len(options))
    button = explorer.locator("button.jupyter-button")
    if button.count():
        button.first.click()
    page.wait_for_function(
        "([box, old]) => { const img = box.querySelector('img'); return img && img.getAttribute('src') !== old; }",
        arg=[explorer.element_handle(), before],
        timeout=REDRAW_SECONDS * 1000,
    )
    return before, figure.get_attribute("src") or ""
