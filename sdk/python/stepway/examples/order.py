"""An order-fulfilment workflow: reserve stock, charge the card (retried), cool off, wait for
approval, ship. Run it with `stepway dev --example`, or serve it with `stepway worker
stepway.examples.order`."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from stepway import NonRetryableError, RetryPolicy, Step, WorkflowEvent, current_step, workflow

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
