"""Assemble processed pages into one PDF: image layers, the invisible text layer, one shared font."""

from __future__ import annotations

import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name

from ocr.model import ImageLayer, PageOutput
from ocr.textlayer import FONT_NAME, cid_to_gid_map, content_stream, glyphless_font, to_unicode_cmap


def _compressed_stream(pdf: pikepdf.Pdf, data: bytes, **entries) -> pikepdf.Stream:
    stream = pikepdf.Stream(pdf, zlib.compress(data, 9))
    stream.Filter = Name.FlateDecode
    for key, value in entries.items():
        stream[Name("/" + key)] = value
    return stream


def make_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """The glyph-less Type 0 font (Identity-H, every CID drawn with one blank glyph)."""
    font_file = _compressed_stream(pdf, glyphless_font(), Length1=len(glyphless_font()))
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/" + FONT_NAME),
        Flags=5,
        FontBBox=Array([0, -200, 500, 1000]),
        ItalicAngle=0,
        Ascent=1000,
        Descent=-200,
        CapHeight=1000,
        StemV=80,
        FontFile2=pdf.make_indirect(font_file),
    )
    cid_font = Dictionary(
        Type=Name.Font,
        Subtype=Name.CIDFontType2,
        BaseFont=Name("/" + FONT_NAME),
        CIDSystemInfo=Dictionary(
            Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
        ),
        FontDescriptor=pdf.make_indirect(descriptor),
        DW=500,
        CIDToGIDMap=pdf.make_indirect(_compressed_stream(pdf, cid_to_gid_map())),
    )
    font = Dictionary(
        Type=Name.Font,
        Subtype=Name.Type0,
        BaseFont=Name("/" + FONT_NAME),
        Encoding=Name("/Identity-H"),
        DescendantFonts=Array([pdf.make_indirect(cid_font)]),
        ToUnicode=pdf.make_indirect(_compressed_stream(pdf, to_unicode_cmap())),
    )
    return pdf.make_indirect(font)


def _image(pdf: pikepdf.Pdf, layer: ImageLayer, *, stencil: bool = False) -> pikepdf.Object:
    stream = pikepdf.Stream(pdf, layer.data)
    stream.Type = Name.XObject
    stream.Subtype = Name.Image
    stream.Width = layer.width
    stream.Height = layer.height
    stream.Filter = Name("/" + layer.filter)
    if stencil:
        stream.ImageMask = True
    else:
        stream.ColorSpace = Name("/" + layer.colorspace)
    stream.BitsPerComponent = layer.bpc
    if layer.decode_parms:
        stream.DecodeParms = Dictionary({"/" + k: v for k, v in layer.decode_parms.items()})
    if layer.mask is not None:
        stream.Mask = _image(pdf, layer.mask, stencil=True)
    return pdf.make_indirect(stream)


def add_page(pdf: pikepdf.Pdf, out: PageOutput, font: pikepdf.Object) -> None:
    """Append one page: each image layer over the whole page, then the text layer."""
    w, h = out.width_pt, out.height_pt
    xobjects = Dictionary()
    ops = []
    for i, layer in enumerate(out.encoded.layers if out.encoded else ()):
        name = f"/Im{i}"
        xobjects[name] = _image(pdf, layer)
        ops.append(f"q {w:.3f} 0 0 {h:.3f} 0 0 cm {name} Do Q")
    content = ("\n".join(ops) + "\n").encode("ascii")
    if out.text_lines:
        content += content_stream(out.text_lines, scale=out.scale, page_height_pt=h)
    resources = Dictionary(XObject=xobjects, Font=Dictionary(F1=font))
    page = Dictionary(
        Type=Name.Page,
        MediaBox=Array([0, 0, round(w, 3), round(h, 3)]),
        Resources=resources,
        Contents=pdf.make_indirect(_compressed_stream(pdf, content)),
    )
    pdf.pages.append(pikepdf.Page(page))
