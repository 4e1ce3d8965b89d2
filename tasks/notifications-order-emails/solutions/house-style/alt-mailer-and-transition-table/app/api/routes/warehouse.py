from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_db, get_email_sender
from app.api.errors import unwrap
from app.api.signature import signed_by_warehouse
from app.integrations.email import EmailSender
from app.schemas.fulfilment import ShipRequest
from app.schemas.order import OrderOut
from app.services.fulfilment_service import FulfilmentService

router = APIRouter(tags=["warehouse"], dependencies=[Depends(signed_by_warehouse)])


@router.post("/orders/{order_id}/ship")
async def ship(
    order_id: int,
    request: ShipRequest,
    db: Annotated[Session, Depends(get_db)],
    sender: Annotated[EmailSender, Depends(get_email_sender)],
) -> OrderOut:
    order = unwrap(await FulfilmentService(db, sender).mark_shipped(order_id, request.tracking_number))
    return OrderOut.model_validate(order)
