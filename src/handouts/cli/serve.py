"""``handouts serve``: the front desk's page, in a browser, on this computer."""

from __future__ import annotations

from typing import Annotated

import typer

from handouts.cli.common import app, current_project, note, report, say, state
from handouts.cli.options import OptionError


def parse_port(text: str) -> int:
    """A port number, 0 to 65535 (0: any free port)."""
    value = str(text).strip()
    if not value.isdigit() or int(value) > 65535:
        raise OptionError(f"'{text}' is not a port number", "a whole number from 1 to 65535, such as 8765 "
                          "(0 picks a free one)")
    return int(value)


@app.command()
def serve(
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0: any free port).", parser=parse_port,
                                      metavar="N")] = 8765,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on: 127.0.0.1 is this computer only; 0.0.0.0 every network it is on, "
        "with a token printed at start.", metavar="ADDR")] = "127.0.0.1",
) -> None:
    """Serve the front desk's page: one handout with a live preview, a class from a roster, the content's check.

    It prints the page's address and serves until Ctrl-C. Files it builds go
    where `handouts build` and `handouts batch` would write them.
    """
    from handouts.web.server import listen

    running = listen(current_project(), host, port, verbose=state["verbose"])
    details = {"url": running.url}
    report("serve", [], lines=[running.url], details=details)
    if running.settings.token:
        say(f"warning: the page is open to every computer on this network that has its token; give the address "
            f"only to the studio's staff: {running.url}", color=typer.colors.YELLOW)
    if state["open"]:
        import webbrowser

        if not webbrowser.open(running.url):
            say(f"warning: could not open {running.url}: no web browser was found (hint: open the address yourself)",
                color=typer.colors.YELLOW)
    note("press Ctrl-C to stop")
    running.run()
    note("stopped")
