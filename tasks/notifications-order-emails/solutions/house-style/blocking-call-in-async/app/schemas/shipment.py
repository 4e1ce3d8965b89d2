from pydantic import BaseModel


class ShipmentIn(BaseModel):
    tracking_number: str
