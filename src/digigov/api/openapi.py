"""OpenAPI helpers: the problem schema and the error responses each operation documents."""

from ninja import Field, Schema

from .problems import PROBLEM_CONTENT_TYPE


class Problem(Schema):
    """An RFC 9457 problem details object."""

    type: str = Field(description="URI của loại lỗi, dưới /api/v1/problems/<code>.")
    title: str = Field(description="Tiêu đề ngắn của loại lỗi.")
    status: int = Field(description="Mã trạng thái HTTP.")
    detail: str = Field(description="Giải thích cho lần lỗi này.")
    instance: str = Field(description="Đường dẫn của yêu cầu bị lỗi.")
    code: str = Field(description="Mã loại lỗi (phần cuối của type).")
    errors: dict[str, list[str]] | None = Field(
        None, description="Lỗi theo từng trường (tên trường -> các thông báo).")


def PROBLEMS(*statuses: int) -> dict:  # noqa: N802 - reads as a constant in decorators
    """``{status: Problem}`` for the listed statuses plus 500, for ``response=``."""
    return {status: Problem for status in (*statuses, 500)}


def problem_content_types(schema: dict) -> dict:
    """Error responses are ``application/problem+json``, not ``application/json``."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if str(status)[0] in "45" and "application/json" in content:
                    response["content"] = {PROBLEM_CONTENT_TYPE: content["application/json"]}
    return schema


COMPONENT_FILES_MARKER = "x-component-files"


def multipart_component_files(schema: dict) -> dict:
    """Operations marked with ``x-component-files`` take multipart with ``component_<id>`` files.

    The files are read from ``request.FILES`` by name, so the generated form
    schema does not know them; add them as a pattern of binary properties.
    """
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not operation.pop(COMPONENT_FILES_MARKER, False):
                continue
            content = operation["requestBody"]["content"]
            form = content.pop("application/x-www-form-urlencoded", None) or content.pop(
                "multipart/form-data")
            form["schema"]["patternProperties"] = {
                "^component_[0-9]+$": {"type": "string", "format": "binary"}}
            content["multipart/form-data"] = form
    return schema
