"""An order-fulfilment workflow: reserve stock, charge the card (retried), cool off, wait for
approval, ship. Run it with `stepway dev --example` (which calls run), or serve it with
`stepway worker stepway.examples.order`."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

from stepway import NonRetryableError, RetryPolicy, Step, WorkflowEvent, current_step, workflow
from stepway.client import Client
from stepway.worker import Worker

STOCK = {"A1": 12, "B2": 0}


def say(message: str) -> None:
    print(f"{datetime.now():%H:%M:%S.%f}"[:-3] + f"  {message}", flush=True)


def reserve_stock(params: dict[str, Any]) -> dict[str, Any]:
    sku, qty = params["sku"], params.get("qty", 1)
    if STOCK.get(sku, 0) < qty:
        raise NonRetryableError(f"{sku} is out of stock")
    say(f"step reserve: {qty} x {sku} reserved")
    return {"sku": sku, "qty": qty, "amount": 19.99 * qty}


async def charge_card(reserved: dict[str, Any]) -> dict[str, Any]:
    attempt = current_step().attempt
    await asyncio.sleep(0.05)
    if attempt == 1:
        say("step charge: attempt 1 failed (card network timeout), will retry")
        raise ConnectionError("card network timeout")
    say(f"step charge: attempt {attempt} charged {reserved['amount']:.2f}")
    return {"charge_id": "ch_1042", "amount": reserved["amount"]}


def ship(reserved: dict[str, Any], approver: str) -> str:
    say(f"step ship: {reserved['qty']} x {reserved['sku']} shipped, approved by {approver}")
    return "TRACK-42"


@workflow("order")
async def order(event: WorkflowEvent, step: Step) -> dict[str, Any]:
    reserved = await step.do("reserve", reserve_stock, event.params)
    charged = await step.do(
        "charge",
        charge_card,
        reserved,
        retries=RetryPolicy(limit=3, delay=0.5, backoff="exponential"),
        timeout=30,
    )
    await step.sleep("cool off", 1)
    approval = await step.wait_for_event("approval", type="approved", timeout=3600)
    tracking = await step.do("ship", ship, reserved, approval.payload["by"])
    return {"charged": charged["amount"], "by": approval.payload["by"], "tracking": tracking}


async def run(address: str, api_key: str, tls: str | bool = False) -> None:
    """Runs one order on the server at address, with a worker of its own: the steps printed as
    they happen, the approval sent when the instance waits for it."""
    client = await Client.connect(address, api_key=api_key, tls=tls)
    worker = Worker(client, task_queue="default", workflows=[order])
    await worker.start()
    try:
        handle = await client.create(
            "order", id=f"order-{uuid.uuid4().hex[:6]}", params={"sku": "A1", "qty": 2}
        )
        say(f"created instance {handle.id} of workflow 'order'")
        info = await handle.status()
        while info.current_step != "approval" or info.status != "waiting":
            await asyncio.sleep(0.1)
            info = await handle.status()
        say("instance waits for an 'approved' event; sending it")
        await handle.send_event("approved", {"by": "ann"})
        result = await handle.result(timeout=60)
        say(f"instance {handle.id} complete: {result}")
        print(
            "See its steps and history (with the export line above, in another terminal):\n"
            f"  stepway instances describe order {handle.id}\n"
            f"  stepway instances history order {handle.id}",
            flush=True,
        )
    finally:
        await worker.stop()
        await client.close()
