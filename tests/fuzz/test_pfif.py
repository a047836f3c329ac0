"""PFIF 1.4 documents from elsewhere: read, checked and imported whatever they
hold.  A DTD or an entity (the "billion laughs", an external entity naming a
server file) is refused before it is expanded; a document of another namespace
or version, or broken anywhere, is refused whole and the registry is unchanged."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from homeward.domain.roles import Actor, Role
from homeward.errors import HomewardError, Invalid
from homeward.io.pfif import NOTE_FIELDS, PERSON_FIELDS, check_pfif, read_pfif, xml_text
from homeward.services.pfif import PfifImport, import_pfif
from homeward.services.registry_app import Registry
from tests.fuzz.conftest import outcome, table_counts
from tests.fuzz.inputs import EXTERNAL_DTD, LAUGHS_DTD, NAMES, nasty_text

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
NAMESPACE = "http://zesty.ca/pfif/1.4"
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink]
FUZZ = settings(max_examples=200, deadline=None, phases=PHASES)

PFIF_VALUES = (
    "male", "female", "other", "x", "2012-03-04", "2012-13", "UA", "14", "", "test.example/1",
    "2026-01-01T00:00:00Z",
)  # fmt: skip
value_text = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(PFIF_VALUES),
    nasty_text(60),
    st.text(st.sampled_from("Ааb "), min_size=300, max_size=1200),
)
field_name = st.one_of(
    st.sampled_from(PERSON_FIELDS + NOTE_FIELDS), st.from_regex(r"[a-z_]{1,12}", fullmatch=True)
)


@st.composite
def fields(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["pfif:", "pfif:", "pfif:", "other:", ""]))
    parts = []
    for name in draw(st.lists(field_name, max_size=8)):
        value = escape(xml_text(draw(value_text)))
        parts.append(f"<{prefix}{name}>{value}</{prefix}{name}>")
    return "".join(parts)


@st.composite
def pfif_documents(draw: st.DrawFn) -> bytes:
    """A PFIF document as another registry might send it, or as someone might
    forge it: persons and notes with known and unknown fields, values of any
    text, another namespace or version, a DTD, an encoding declaration, deep
    nesting, a cut or a flipped byte."""
    forged = draw(st.booleans())  # else honest in form, hostile only in its text
    version = draw(st.sampled_from(["1.4", "1.3", "1.4/", "9"])) if forged else "1.4"
    namespaces = [f"http://zesty.ca/pfif/{version}", "urn:x", NAMESPACE]
    namespace = draw(st.sampled_from(namespaces)) if forged else NAMESPACE
    records = []
    for number in range(draw(st.integers(0 if forged else 1, 4))):
        kinds = ["good", "person", "note", "other"] if forged else ["good"]
        kind = draw(st.sampled_from(kinds))
        if kind == "good":  # what an honest registry sends, with hostile text in it
            free = {n: draw(value_text) for n in ("full_name", "description", "home_city")}
            records.append(
                f"<pfif:person><pfif:person_record_id>test.example/{number}"
                "</pfif:person_record_id>"
                + "".join(f"<pfif:{n}>{escape(xml_text(v))}</pfif:{n}>" for n, v in free.items())
                + f"<pfif:full_name>{draw(st.sampled_from(NAMES))}</pfif:full_name>"
                "</pfif:person>"
            )
            continue
        notes = "".join(
            f"<pfif:note>{draw(fields())}</pfif:note>" for _ in range(draw(st.integers(0, 2)))
        )
        records.append(f"<pfif:{kind}>{draw(fields())}{notes}</pfif:{kind}>")
    depth = draw(st.sampled_from([0, 0, 0, 50, 5000])) if forged else 0
    nested = "<pfif:person>" * depth + "</pfif:person>" * depth
    body = f'<pfif:pfif xmlns:pfif="{namespace}" xmlns:other="urn:other">'
    body += "".join(records) + nested + "</pfif:pfif>"
    encodings = ["utf-8", "utf-16", "windows-1251", "shift_jis", "utf-7", "rot13", "nope"]
    encoding = draw(st.sampled_from(encodings if forged else ["utf-8"]))
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>\n' if draw(st.booleans()) else ""
    try:
        data = (declaration + body).encode(encoding, "replace")
    except LookupError:
        data = (declaration + body).encode("utf-8")
    heads = [b"", LAUGHS_DTD, EXTERNAL_DTD, b"\xef\xbb\xbf"] if forged else [b""]
    head = draw(st.sampled_from(heads))
    if head and data.startswith(b"<?xml"):
        end = data.index(b"?>") + 2
        data = data[:end] + head + data[end:]
    else:
        data = head + data
    damage = draw(st.sampled_from(["none", "cut", "flip"] if forged else ["none"]))
    if damage == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data


def _read(data: bytes) -> None:
    found = outcome(lambda: read_pfif(data, "list.xml"), "reading PFIF")
    problems = outcome(lambda: check_pfif(data, canonical_order=True), "checking PFIF")
    assert isinstance(problems, list), "check_pfif lists problems, it does not raise them"
    if isinstance(found, list):
        assert all(isinstance(v, str) for p in found for v in p.fields.values())
    else:
        assert problems, f"read_pfif refused ({found}) what check_pfif found no fault in"


@FUZZ
@given(data=st.binary(max_size=2000))
def test_any_bytes_are_read_as_pfif_or_refused(data: bytes) -> None:
    _read(data)


@FUZZ
@given(data=pfif_documents())
def test_forged_pfif_documents_are_read_or_refused(data: bytes) -> None:
    _read(data)


@pytest.mark.parametrize(
    "head", [LAUGHS_DTD, EXTERNAL_DTD, b'<!DOCTYPE x SYSTEM "http://example.com/x.dtd">']
)
def test_a_dtd_is_refused_before_any_entity_is_expanded(head: bytes) -> None:
    body = (
        f'<pfif:pfif xmlns:pfif="{NAMESPACE}"><pfif:person><pfif:full_name>&lol5;'
        "</pfif:full_name></pfif:person></pfif:pfif>"
    )
    data = b'<?xml version="1.0"?>' + head + body.encode()
    refused = outcome(lambda: read_pfif(data, "laughs.xml"), "reading entities")
    assert isinstance(refused, Invalid)
    assert "laughs.xml: refused: the file declares a DTD" in str(refused)


@pytest.mark.parametrize("encoding", ["shift_jis", "utf-7", "rot13", "hex", "nope", "idna"])
def test_an_encoding_the_parser_cannot_use_is_refused(encoding: str) -> None:
    """Found by fuzzing: an XML declaration naming these made the parser raise
    ValueError, LookupError or UnicodeError, not a refusal."""
    data = f'<?xml version="1.0" encoding="{encoding}"?><pfif:pfif xmlns:pfif="{NAMESPACE}"/>'
    refused = outcome(lambda: read_pfif(data.encode(), "odd.xml"), "reading an odd encoding")
    assert isinstance(refused, Invalid)
    assert "odd.xml: the XML declares an encoding that cannot be read" in str(refused)
    assert check_pfif(data.encode()) == [str(refused).replace("odd.xml", "document")]


DB_FUZZ = settings(
    max_examples=40,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@DB_FUZZ
@given(data=pfif_documents())
def test_a_forged_pfif_file_is_imported_whole_or_not_at_all(
    registry: Registry, tmp_path: Path, data: bytes
) -> None:
    before = table_counts(registry)

    def run() -> PfifImport:
        with registry.uow(WORKER) as uow:
            result = import_pfif(uow, data, file_name="from-elsewhere.xml")
            uow.commit()
            return result

    result = outcome(run, "importing PFIF", 15.0)
    event("refused" if isinstance(result, HomewardError) else "imported")
    after = table_counts(registry)
    if isinstance(result, HomewardError) or result.already_imported:
        assert after == before, f"{result}: the database changed"
        return
    assert after["records"] - before["records"] == result.persons == len(result.record_ids)
    assert after["sources"] - before["sources"] == 1
