"""Word and Excel uploads become PDF through LibreOffice (Debian's libreoffice-writer-nogui / -calc-nogui).

Each conversion runs ``soffice --headless --convert-to pdf`` in its own
temporary profile, one at a time, under a time limit and a memory limit; a
conversion that runs over is killed. Without LibreOffice installed such an
upload is refused with a message saying what to do.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import shutil
import signal
import tempfile
import zipfile
from pathlib import Path

from congress_common.errors import DomainError, Invalid

OFFICE_FORMATS = {"docx": "Word", "xlsx": "Excel"}
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MEMORY_BYTES = 2 * 1024 * 1024 * 1024


class ConverterMissing(DomainError):
    status_code = 415


def find_soffice(setting: str) -> str | None:
    if setting == "none":
        return None
    if setting != "auto":
        return setting if Path(setting).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def check_office_archive(path: Path, label: str) -> None:
    """A .docx/.xlsx is a zip: refuse one that is not, or whose parts claim to expand past the budget."""
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(m.file_size for m in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise Invalid(f"Tệp {label} bị hỏng, không đọc được: hãy lưu lại tệp rồi tải lên") from None
    if declared > MAX_UNCOMPRESSED:
        raise Invalid(f"Tệp {label} giải nén ra quá lớn (tối đa {MAX_UNCOMPRESSED // 2**20} MB): "
                      "hãy bớt hình ảnh hoặc xuất ra PDF rồi tải lên")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


class OfficeConverter:
    def __init__(self, soffice: str | None, timeout_s: float = 120.0) -> None:
        self.soffice, self.timeout_s = soffice, timeout_s
        self._one_at_a_time = asyncio.Semaphore(1)

    @property
    def available(self) -> bool:
        return self.soffice is not None

    async def to_pdf(self, source: Path, fmt: str, work_dir: Path) -> Path:
        """The PDF LibreOffice makes of ``source`` (a .docx or .xlsx), written in ``work_dir``."""
        label = OFFICE_FORMATS[fmt]
        if self.soffice is None:
            raise ConverterMissing(
                f"Máy chủ chưa cài LibreOffice nên chưa nhận tệp {label}: hãy lưu tệp thành PDF rồi tải lên "
                "(người quản trị có thể cài gói Debian libreoffice-writer-nogui và libreoffice-calc-nogui)")
        await asyncio.to_thread(check_office_archive, source, label)
        named = work_dir / f"tai-lieu.{fmt}"
        await asyncio.to_thread(shutil.copyfile, source, named)
        async with self._one_at_a_time:
            with tempfile.TemporaryDirectory(prefix="soffice-") as profile:
                await self._run(named, work_dir, Path(profile), label)
        output = work_dir / "tai-lieu.pdf"
        if not output.exists() or output.stat().st_size == 0:
            raise Invalid(f"LibreOffice không chuyển được tệp {label} này sang PDF: hãy tự xuất ra PDF rồi tải lên")
        return output

    async def _run(self, source: Path, out_dir: Path, profile: Path, label: str) -> None:
        process = await asyncio.create_subprocess_exec(
            self.soffice, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to", "pdf", "--outdir", str(out_dir), str(source),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL, preexec_fn=_limit_memory,
            start_new_session=True)
        try:
            await asyncio.wait_for(process.wait(), self.timeout_s)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # soffice and the soffice.bin it started
            await process.wait()
            raise Invalid(f"Chuyển tệp {label} sang PDF quá {self.timeout_s:g} giây: hãy tự xuất ra PDF "
                          "rồi tải lên") from None
