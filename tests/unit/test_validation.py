"""Validation errors in Vietnamese: a value outside an enum lists the choices by their Vietnamese labels."""
from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

import httpx
from congress_common.labels import labelled
from congress_common.validation import vietnamese_errors
from fastapi import FastAPI, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field


class Colour(StrEnum):
    red = "red"
    yellow = "yellow"


COLOUR_LABELS = labelled(Colour, {Colour.red: "Đỏ", Colour.yellow: "Vàng, ánh kim"})


class Size(StrEnum):  # no labels: its values are listed, in a Vietnamese sentence
    small = "small"
    large = "large"


class Flag(BaseModel):
    colours: list[Colour] = Field(title="Các màu")
    stripe: Literal["none", "one"] = Field(default="none", title="Sọc")


def _app() -> FastAPI:
    app = FastAPI()

    @app.exception_handler(RequestValidationError)
    async def refused(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"errors": vietnamese_errors(request, exc)}, status_code=422)

    @app.post("/form")
    async def form(colour: Annotated[Colour, Form(title="Màu cờ")] = Colour.red) -> None: ...

    @app.get("/query")
    async def query(size: Annotated[Size | None, Query(title="Cỡ")] = None) -> None: ...

    @app.post("/body")
    async def body(flag: Flag) -> None: ...

    return app


async def _messages(method: str, url: str, **kwargs) -> list[str]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://test") as client:
        reply = await client.request(method, url, **kwargs)
    assert reply.status_code == 422, reply.text
    return [e["message"] for e in reply.json()["errors"]]


async def test_an_enum_with_labels_lists_the_labels_not_the_values() -> None:
    assert await _messages("POST", "/form", data={"colour": "blue"}) == [
        "Màu cờ không hợp lệ (chọn một trong: “Đỏ” hoặc “Vàng, ánh kim”)"]
    nested = await _messages("POST", "/body", json={"colours": ["red", "blue"]})
    assert nested == ["Các màu không hợp lệ (chọn một trong: “Đỏ” hoặc “Vàng, ánh kim”)"]


async def test_choices_without_labels_keep_their_values_in_a_vietnamese_sentence() -> None:
    assert await _messages("GET", "/query", params={"size": "huge"}) == [
        "Cỡ không hợp lệ (chọn một trong: “small” hoặc “large”)"]
    assert await _messages("POST", "/body", json={"colours": ["red"], "stripe": "two"}) == [
        "Sọc không hợp lệ (chọn một trong: “none” hoặc “one”)"]
