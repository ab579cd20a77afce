"""Synthetic congress documents (Vietnamese text, optional photos to reach a size) for tests, demos and benchmarks."""
from __future__ import annotations

import io
import random

from congress_common.pdf import Document, Fonts
from PIL import Image

PARAGRAPHS = [
    "Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX, nhiệm kỳ 2023–2028 thảo luận và thông qua Báo cáo chính trị "
    "của Ban Chấp hành Liên đoàn Lao động tỉnh khóa XIX.",
    "Tiếp tục đổi mới nội dung, phương thức hoạt động công đoàn; chăm lo đời sống, bảo vệ quyền và lợi ích hợp pháp, "
    "chính đáng của đoàn viên, người lao động.",
    "Phát triển đoàn viên, xây dựng tổ chức công đoàn vững mạnh; tham gia xây dựng quan hệ lao động hài hòa, ổn định, "
    "tiến bộ trong doanh nghiệp.",
    "Đẩy mạnh các phong trào thi đua yêu nước trong công nhân, viên chức, lao động; nâng cao chất lượng đội ngũ "
    "cán bộ công đoàn các cấp.",
]


def sample_pdf(fonts: Fonts, *, title: str = "Dự thảo Nghị quyết Đại hội", pages: int = 3,
               photo_bytes_per_page: int = 0, seed: int = 7) -> bytes:
    """A PDF with a heading and numbered Vietnamese paragraphs on each page ("Trang 3" on page 3...).

    ``photo_bytes_per_page`` adds an incompressible image to every page, so the file reaches a real size.
    """
    rng = random.Random(seed)
    pdf = Document(fonts, title=title, footer_text=title)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.heading(title, size=16)
        pdf.heading(f"Trang {number}", size=13)
        for paragraph in PARAGRAPHS:
            pdf.multi_cell(0, 6, paragraph)
            pdf.ln(2)
        if photo_bytes_per_page:  # a different image on every page (fpdf2 stores an image once)
            pdf.image(io.BytesIO(_noise_png(photo_bytes_per_page, rng)), x=15, y=120, w=180)
    return bytes(pdf.output())


def _noise_png(size: int, rng: random.Random) -> bytes:
    side = max(16, int((size / 3) ** 0.5))
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()
