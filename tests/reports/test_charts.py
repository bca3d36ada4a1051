from __future__ import annotations

import io

import pytest
from PIL import Image

from nengji.reports import charts


class TestChart:
    def test_a_cjk_font_is_found(self) -> None:
        assert "CJK" in charts.cjk_font_family() or charts.cjk_font_family() in charts.CJK_FAMILIES

    def test_a_font_list_cached_before_the_fonts_were_installed_is_rebuilt(self) -> None:
        """A font list cached before fonts-noto-cjk was installed made charts fail (issue 10)."""
        from matplotlib import font_manager

        manager = font_manager.fontManager
        manager.ttflist = [f for f in manager.ttflist if "CJK" not in f.name]
        charts.cjk_font_family.cache_clear()
        try:
            assert charts.cjk_font_family() in charts.CJK_FAMILIES
        finally:
            charts.cjk_font_family.cache_clear()

    def test_charts_are_pngs_as_wide_as_the_text_block(self) -> None:
        png = charts.index_chart(
            years=[2013, 2014, 2015],
            series={"双创综合指数": [100.0, 112.0, 130.5], "双创要素": [100.0, None, 120.0]},
            base_label="2013年=100",
        )
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG"
        assert abs(image.width / charts.DPI * 25.4 - charts.WIDTH_MM) < 1

    def test_a_missing_glyph_is_an_error_not_a_box(self) -> None:
        with pytest.raises(charts.ChartFontError):
            charts.status_chart(counts={"x": 1}, labels={"x": "\U0001d11e"})
