from __future__ import annotations

from stepway import Client, Worker
from stepway.examples import order


async def test_example_order_completes(client: Client) -> None:
    async with Worker(client, workflows=[order.order]):
        handle = await client.create("order", id="order-1", params={"sku": "A1"})
        await handle.send_event("approved", {"by": "ann"})
        result = await handle.result(timeout=30)
    assert result["by"] == "ann"
    assert result["tracking"] == "TRACK-42"
