"""The stamp's font engine: pyHanko's glyph accumulator, with each subset built once per batch.

pyHanko subsets and re-encodes the font for every stamp it draws; a batch of a dossier's parts
draws the same text (signer, agency, dates) again and again, so the subset program is kept per
set of glyphs and written as it is into every file. Digits are always part of the subset, so
that a stamp drawn a second later (another time of signing) finds the same program.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from io import BytesIO

from fontTools import subset, ttLib
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import CIDFontType2, GlyphAccumulator, GlyphAccumulatorFactory

ALWAYS = "0123456789:/.,-+() "


class _Accumulator(GlyphAccumulator):
    def __init__(self, *args, programs: dict, lock: threading.Lock, font_file: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._programs = programs
        self._lock = lock
        self._font_file = font_file
        cmap = self.tt.getBestCmap() or {}
        for ch in ALWAYS:
            name = cmap.get(ord(ch))
            if name is not None:
                self._get_cid_and_width(self.tt.getGlyphID(name))

    def _extract_subset(self, options=None):
        key = frozenset(self._glyphs)
        with self._lock:
            program = self._programs.get(key)
        if program is None:
            # pyHanko's own subsetting, on a font of our own: the accumulator's stays whole.
            tt = ttLib.TTFont(self._font_file)
            options = subset.Options(layout_closure=False)
            options.drop_tables += ["GPOS", "GDEF", "GSUB"]
            options.retain_gids = True
            subsetter = subset.Subsetter(options=options)
            subsetter.populate(gids=sorted(key))
            subsetter.subset(tt)
            buf = BytesIO()
            tt.save(buf)
            stream = generic.StreamObject(stream_data=buf.getvalue())
            stream.compress()
            program = stream.encoded_data
            with self._lock:
                self._programs[key] = program
        self.cidfont_obj.set_font_file = lambda writer: _embed(self.cidfont_obj, writer, program)  # type: ignore[method-assign]


def _embed(cidfont: CIDFontType2, writer, program: bytes):
    stream = generic.StreamObject({"/Filter": generic.NameObject("/FlateDecode")}, encoded_data=program)
    ref = writer.add_object(stream)
    cidfont._font_descriptor[generic.NameObject("/FontFile2")] = ref
    return ref


@dataclass(frozen=True)
class SharedSubsetFactory(GlyphAccumulatorFactory):
    """A `GlyphAccumulatorFactory` whose engines share their subset font programs."""

    programs: dict = field(default_factory=dict, compare=False, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        with open(self.font_file, "rb") as fh:
            data = fh.read()
        if data[:4] == b"OTTO":  # CFF outlines: pyHanko's own path
            return super().create_font_engine(writer, obj_stream)
        return _Accumulator(
            writer=writer,
            font_handle=BytesIO(data),
            font_size=self.font_size,
            ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
            programs=self.programs,
            lock=self.lock,
            font_file=self.font_file,
        )
