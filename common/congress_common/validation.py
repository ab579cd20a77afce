"""Validation errors in Vietnamese, each naming its field by the label the form shows.

A field's label is its pydantic ``title`` (``Field(title="Họ và tên")``), found
on the route's body model or query parameters; without one, the field's name.
Messages are made from pydantic's error type and context, so a limit declared
once on a model (``max_length=200``) reads "Họ và tên dài quá 200 ký tự". A value outside an enum
lists the choices by their Vietnamese labels (``congress_common.labels``), or by value when the enum
has none: "Loại tài liệu không hợp lệ (chọn một trong: “Báo cáo”, … hoặc “Tài liệu khác”)".
"""
from __future__ import annotations

from enum import Enum
from typing import Any, Literal, get_args, get_origin

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from .labels import labels_of

_MESSAGES = {
    "missing": "{label}: chưa nhập",
    "string_too_long": "{label} dài quá {max_length} ký tự (có {length} ký tự)",
    "string_too_short": "{label} phải có ít nhất {min_length} ký tự",
    "too_long": "{label}: nhiều nhất {max_length} mục",
    "too_short": "{label}: ít nhất {min_length} mục",
    "greater_than_equal": "{label} phải từ {ge} trở lên",
    "less_than_equal": "{label} phải không quá {le}",
    "greater_than": "{label} phải lớn hơn {gt}",
    "less_than": "{label} phải nhỏ hơn {lt}",
    "int_parsing": "{label} phải là số nguyên",
    "int_from_float": "{label} phải là số nguyên",
    "int_type": "{label} phải là số nguyên",
    "float_parsing": "{label} phải là số",
    "bool_parsing": "{label} phải là có hoặc không",
    "bool_type": "{label} phải là có hoặc không",
    "string_type": "{label} phải là chữ",
    "list_type": "{label} phải là một danh sách",
    "enum": "{label} không hợp lệ (chọn một trong: {expected})",
    "literal_error": "{label} không hợp lệ (chọn một trong: {expected})",
    "string_pattern_mismatch": "{label} không đúng định dạng",
    "date_from_datetime_parsing": "{label} phải là ngày dạng YYYY-MM-DD",
    "date_parsing": "{label} phải là ngày dạng YYYY-MM-DD",
    "datetime_parsing": "{label} phải là ngày giờ dạng ISO 8601",
    "datetime_from_date_parsing": "{label} phải là ngày giờ dạng ISO 8601 (ví dụ 2023-08-10T13:30:00+07:00)",
    "datetime_type": "{label} phải là ngày giờ dạng ISO 8601",
    "json_invalid": "Nội dung gửi lên không phải JSON hợp lệ",
    "model_attributes_type": "Nội dung gửi lên phải là một đối tượng JSON",
    "dict_type": "{label} phải là một đối tượng JSON",
    "extra_forbidden": "{label}: trường không được phép",
}


class _Fields:
    """What the route declares about its fields: name -> label, and name -> the values it accepts."""

    def __init__(self) -> None:
        self.labels: dict[str, str] = {}
        self.choices: dict[str, list[str]] = {}

    def add(self, name: str, title: str | None, annotation: Any) -> None:
        if title:
            self.labels.setdefault(name, title)
        choices = _choices(annotation)
        if choices:
            self.choices.setdefault(name, choices)


def _fields(request: Request) -> _Fields:
    """The route's body model fields and query/form parameters."""
    route = request.scope.get("route")
    fields = _Fields()
    dependant = getattr(route, "dependant", None)
    for param in getattr(dependant, "query_params", []) + getattr(dependant, "body_params", []):
        info = getattr(param, "field_info", None)
        fields.add(param.alias, getattr(info, "title", None) or param.alias, getattr(info, "annotation", None))
        _model_fields(getattr(info, "annotation", None), fields)
    return fields


def _model_fields(annotation: Any, fields: _Fields, depth: int = 0) -> None:
    """The fields of a body model, and of the models nested in it (``sections.0.rows``)."""
    for model in (annotation, *get_args(annotation)):
        if depth < 4 and isinstance(model, type) and issubclass(model, BaseModel):
            for name, field in model.model_fields.items():
                fields.add(name, field.title, field.annotation)
                _model_fields(field.annotation, fields, depth + 1)


def _choices(annotation: Any, depth: int = 0) -> list[str]:
    """The accepted values of an enum or Literal field (``Category | None``, ``list[Category]`` too), as shown."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        labels = labels_of(annotation)
        return [labels[m] if labels else str(m.value) for m in annotation]
    if get_origin(annotation) is Literal:
        return [str(value) for value in get_args(annotation)]
    for inner in get_args(annotation) if depth < 3 else ():
        found = _choices(inner, depth + 1)
        if found:
            return found
    return []


def _one_of(choices: list[str]) -> str:
    quoted = [f"“{choice}”" for choice in choices]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} hoặc {quoted[-1]}"


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc if part not in ("body", "query", "path"))


def translate(error: dict[str, Any], labels: dict[str, str],
              choices: dict[str, list[str]] | None = None) -> dict[str, str]:
    """One pydantic error -> ``{"field", "message"}`` with a Vietnamese message naming the field."""
    field = _field(tuple(error.get("loc", ())))
    last = next((str(p) for p in reversed(error.get("loc", ())) if isinstance(p, str)), field)
    label = labels.get(last) or labels.get(field) or field or "Dữ liệu"
    context = dict(error.get("ctx") or {})
    if "expected" in context:  # pydantic's "'report', 'resolution' or 'other'": English, and values not labels
        known = (choices or {}).get(last) or (choices or {}).get(field)
        context["expected"] = _one_of(known) if known else str(context["expected"]).replace(" or ", " hoặc ")
    value = error.get("input")
    context.setdefault("length", len(value) if isinstance(value, str | list) else "?")
    template = _MESSAGES.get(error.get("type", ""))
    if value is None and error.get("type") != "missing" and error.get("loc"):
        message = f"{label}: không được để trống (null)"
    elif template is None:
        custom = str(context.get("error", "")) or error.get("msg", "")
        message = f"{label}: {custom.removeprefix('Value error, ')}" if custom else f"{label} không hợp lệ"
    else:
        try:
            message = template.format(label=label, **context)
        except (KeyError, IndexError):
            message = f"{label} không hợp lệ"
    return {"field": field, "message": message}


def vietnamese_errors(request: Request, exc: RequestValidationError) -> list[dict[str, str]]:
    fields = _fields(request)
    return [translate(err, fields.labels, fields.choices) for err in exc.errors()]
