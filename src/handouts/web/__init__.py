"""The front desk's page (``handouts serve``): the build API in a browser.

Like ``cli/``, a thin front door: its views translate a request into calls
of ``build``, ``batch``, ``roster`` and ``check`` and answer with a page.
``app`` declares the routes, ``guard`` what every request must pass,
``desk`` what the server keeps while it runs, ``forms`` how form values
become the API's arguments, ``handout``, ``classes`` and ``checks`` the
three jobs, ``pages`` the templates, and ``server`` the socket and uvicorn.
"""

from handouts.web.app import create_app

__all__ = ["create_app"]
