from pydantic import BaseModel


class ShipRequest(BaseModel):
    tracking_number: str
