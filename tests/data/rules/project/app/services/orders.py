import asyncio
import time as clock
from typing import Optional

from sqlalchemy import select, text

from app.core.result import success

DEFAULT_PAGE_SIZE = 50


class OrderService:
    MAX_LINES = 100  # a class-level constant is fine

    def __init__(self, db, repo: Optional[OrderRepository] = None) -> None:  # error: ARCH401
        self.db = db
        self.repo = repo

    def totals(self, items):
        VAT_RATE = 0.23  # error: ARCH301
        for ITEM in items:
            pass
        return [item.price * VAT_RATE for item in items]

    async def wait_for_stock(self, product_id):
        clock.sleep(1)  # error: ARCH601
        await asyncio.sleep(1)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, lambda: clock.sleep(1))
        return success(product_id)

    async def legacy_count(self):
        result = await self.db.execute(text("SELECT count(*) FROM orders"))  # error: ARCH602
        return result.scalar_one()

    async def count(self):
        result = await self.db.execute(select(DEFAULT_PAGE_SIZE))
        return result.scalar_one()
