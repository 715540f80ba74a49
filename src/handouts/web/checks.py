"""Check: what ``handouts check`` finds in the studio's content, listed with each place and fix."""

from __future__ import annotations

from handouts.content.check import check_project
from handouts.web.forms import FormError, choices
from handouts.web.pages import page


async def check_page(request):
    """GET /check[?content=ID]: every problem of the content (all of it, or one content in every language)."""
    app = request.app.state
    ids = sorted({choice.id for choice in choices(app.project)})
    wanted = request.query_params.get("content") or None
    if wanted is not None and wanted not in ids:
        error = FormError(f"no content '{wanted[:60]}' in this studio", field="--content",
                          hint=f"available: {', '.join(ids) or 'none'}")
        return page(request, "check.html", 422, ids=ids, wanted=wanted, report=None, problems=error.problems)
    report = await app.desk.renderer.run(check_project, app.project, [wanted] if wanted else None)
    return page(request, "check.html", ids=ids, wanted=wanted, report=report, problems=[])
