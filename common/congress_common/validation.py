"""Validation errors in Vietnamese, each naming its field by the label the form shows.

A field's label is its pydantic ``title`` (``Field(title="Họ và tên")``), found
on the route's body model or query parameters; without one, the field's name.
Messages are made from pydantic's error type and context, so a limit declared
once on a model (``max_length=200``) reads "Họ và tên dài quá 200 ký tự".
"""
from __future__ import annotations

from typing import Any, get_args

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

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


def _labels(request: Request) -> dict[str, str]:
    """Field name -> title for the route's body model fields and query parameters."""
    route = request.scope.get("route")
    labels: dict[str, str] = {}
    dependant = getattr(route, "dependant", None)
    for param in getattr(dependant, "query_params", []) + getattr(dependant, "body_params", []):
        info = getattr(param, "field_info", None)
        labels[param.alias] = getattr(info, "title", None) or param.alias
        _model_labels(getattr(info, "annotation", None), labels)
    return labels


def _model_labels(annotation: Any, labels: dict[str, str], depth: int = 0) -> None:
    """The titles of a body model's fields, and of the models nested in it (``sections.0.rows``)."""
    for model in (annotation, *get_args(annotation)):
        if depth < 4 and isinstance(model, type) and issubclass(model, BaseModel):
            for name, field in model.model_fields.items():
                if field.title:
                    labels.setdefault(name, field.title)
                _model_labels(field.annotation, labels, depth + 1)


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc if part not in ("body", "query", "path"))


def translate(error: dict[str, Any], labels: dict[str, str]) -> dict[str, str]:
    """One pydantic error -> ``{"field", "message"}`` with a Vietnamese message naming the field."""
    field = _field(tuple(error.get("loc", ())))
    last = next((str(p) for p in reversed(error.get("loc", ())) if isinstance(p, str)), field)
    label = labels.get(last) or labels.get(field) or field or "Dữ liệu"
    context = dict(error.get("ctx") or {})
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
    labels = _labels(request)
    return [translate(err, labels) for err in exc.errors()]
