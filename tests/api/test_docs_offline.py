"""``/docs`` works without the Internet: every asset it loads is served by the gateway itself."""
from __future__ import annotations

import re


async def test_docs_load_only_local_assets(system):
    """Regression: /docs was blank offline because it loaded Swagger UI from a CDN."""
    page = await system.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text) + re.findall(r"url: ?'([^']+)'", page.text)
    assert assets and not [a for a in assets if re.match(r"(https?:)?//", a)], assets
    for asset in assets:
        reply = await system.get(asset)
        assert reply.status_code == 200, asset
    assert "SwaggerUIBundle" in (await system.get("/static-docs/swagger-ui-bundle.js")).text
