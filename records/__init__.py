"""Data records: what a data service answered, kept byte for byte in a signed, searchable PDF/A-3.

`fetch` asks a service and keeps its answer exactly (`Answer`, with the `RequestFacts`);
`render_record` prints it as a readable table with the raw answer and the request embedded as
associated files; `read_record` takes them back out and checks the answer against the hash on the
page; `diff` compares two answers field by field.
"""

from records.answer import Answer, RequestFacts, flatten, parse_answer
from records.diff import Change, diff
from records.fetch import fetch
from records.read import RecordContents, read_record
from records.render import render_record

__all__ = [
    "Answer",
    "Change",
    "RecordContents",
    "RequestFacts",
    "diff",
    "fetch",
    "flatten",
    "parse_answer",
    "read_record",
    "render_record",
]
