"""PFIF 1.4 as a format: writing, reading safely, and the rules a document keeps."""

from __future__ import annotations

import pytest

from homeward.errors import Invalid
from homeward.io.pfif import NAMESPACE, PfifPerson, check_pfif, read_pfif, write_pfif

WHEN = "2026-03-04T10:20:30Z"


def _person(**fields: str) -> PfifPerson:
    values = {
        "person_record_id": "homeward/HW-2026-000001",
        "entry_date": WHEN,
        "author_name": "Homeward",
        "source_date": WHEN,
        "full_name": "Коваленко Олександр Сергійович",
        "given_name": "Олександр",
        "family_name": "Коваленко",
        "sex": "male",
        "date_of_birth": "2012-03",
    }
    values.update(fields)
    note = {
        "note_record_id": "homeward/HW-2026-000001/status-1",
        "entry_date": WHEN,
        "author_name": "Homeward",
        "source_date": WHEN,
        "status": "information_sought",
        "text": "Status: reported.",
    }
    return PfifPerson(values, [note])


def _document(person: str, *, namespace: str = NAMESPACE, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
        f'<pfif:pfif xmlns:pfif="{namespace}">{person}</pfif:pfif>'
    ).encode()


def test_written_document_keeps_the_rules_and_reads_back() -> None:
    document = write_pfif([_person()])
    assert check_pfif(document, canonical_order=True) == []
    assert f'xmlns:pfif="{NAMESPACE}"'.encode() in document
    (person,) = read_pfif(document)
    assert person.fields["full_name"] == "Коваленко Олександр Сергійович"
    assert person.fields["date_of_birth"] == "2012-03"
    assert person.notes[0]["status"] == "information_sought"


def test_fields_are_written_in_the_specification_order_whatever_the_mapping_order() -> None:
    person = _person()
    person.fields = dict(reversed(list(person.fields.items())))
    document = write_pfif([person]).decode()
    positions = [document.index(f"<pfif:{n}>") for n in ("person_record_id", "full_name", "sex")]
    assert positions == sorted(positions)
    assert document.index("<pfif:note>") > document.index("<pfif:date_of_birth>")


def test_a_field_pfif_does_not_have_is_refused_when_writing() -> None:
    with pytest.raises(ValueError, match="colour"):
        write_pfif([_person(colour="red")])


@pytest.mark.parametrize(
    ("person", "complaint"),
    [
        (
            "<pfif:person><pfif:full_name>A</pfif:full_name>"
            "<pfif:person_record_id>h/1</pfif:person_record_id></pfif:person>",
            "out of order",
        ),
        (
            f"<pfif:person><pfif:person_record_id>h/1</pfif:person_record_id>"
            f"<pfif:entry_date>{WHEN}</pfif:entry_date>"
            f"<pfif:source_date>{WHEN}</pfif:source_date></pfif:person>",
            "full_name is required",
        ),
        (
            "<pfif:person><pfif:person_record_id>h/1</pfif:person_record_id>"
            "<pfif:entry_date>04.03.2026</pfif:entry_date></pfif:person>",
            "is not yyyy-mm-ddThh:mm:ssZ",
        ),
        (
            "<pfif:person><pfif:person_record_id>h/1</pfif:person_record_id>"
            "<pfif:sex>m</pfif:sex></pfif:person>",
            "sex 'm' is not female, male or other",
        ),
        (
            "<pfif:person><pfif:person_record_id>h/1</pfif:person_record_id>"
            "<pfif:date_of_birth>04.03.2012</pfif:date_of_birth></pfif:person>",
            "date_of_birth '04.03.2012'",
        ),
        (
            "<pfif:person><pfif:person_record_id>no-domain</pfif:person_record_id></pfif:person>",
            "is not domain/identifier",
        ),
        (
            "<pfif:person><pfif:person_record_id>h/1</pfif:person_record_id>"
            "<pfif:note><pfif:note_record_id>h/n1</pfif:note_record_id>"
            "<pfif:status>found</pfif:status></pfif:note></pfif:person>",
            "status 'found' is not a PFIF 1.4 status",
        ),
        (
            "<pfif:person><pfif:person_record_id>h/1</pfif:person_record_id>"
            "<pfif:note><pfif:note_record_id>h/n1</pfif:note_record_id></pfif:note>"
            "<pfif:full_name>A</pfif:full_name></pfif:person>",
            "comes after a note",
        ),
    ],
)
def test_the_checker_names_each_broken_rule(person: str, complaint: str) -> None:
    errors = check_pfif(_document(person), canonical_order=True)
    assert any(complaint in e for e in errors), errors


def test_hostile_values_stay_text_and_the_document_stays_well_formed() -> None:
    hostile = "<script>alert('x')</script> & \u202eKovalenko\u200f \"Sons\" ]]>"
    document = write_pfif([_person(full_name=hostile, description="a\x00b\x07c\x1bd")])
    assert b"<script>" not in document
    assert check_pfif(document) == []
    (person,) = read_pfif(document)
    assert person.fields["full_name"] == hostile
    # XML 1.0 cannot carry NUL, BEL or ESC at all: they are left out, the rest kept.
    assert person.fields["description"] == "abcd"


def test_values_are_read_exactly_as_received() -> None:
    text = "  Ганна\u200f &amp; &lt;b&gt;  "
    document = _document(
        f"<pfif:person><pfif:person_record_id>h/1</pfif:person_record_id>"
        f"<pfif:full_name>{text}</pfif:full_name></pfif:person>"
    )
    (person,) = read_pfif(document)
    assert person.fields["full_name"] == "  Ганна\u200f & <b>  "


def test_billion_laughs_is_refused() -> None:
    prolog = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
        '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>\n'
    )
    document = _document(
        "<pfif:person><pfif:person_record_id>h/1</pfif:person_record_id>"
        "<pfif:full_name>&lol4;</pfif:full_name></pfif:person>",
        prolog=prolog,
    )
    with pytest.raises(Invalid, match="refused: the file declares a DTD"):
        read_pfif(document, "lol.xml")
    assert "refused" in check_pfif(document)[0]


def test_an_external_entity_is_refused() -> None:
    prolog = '<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    document = _document(
        "<pfif:person><pfif:full_name>&secret;</pfif:full_name></pfif:person>", prolog=prolog
    )
    with pytest.raises(Invalid, match="refused"):
        read_pfif(document)


def test_another_pfif_version_is_named() -> None:
    document = _document(
        "<pfif:person><pfif:person_record_id>h/1</pfif:person_record_id></pfif:person>",
        namespace="http://zesty.ca/pfif/1.2",
    )
    with pytest.raises(Invalid, match=r"this is PFIF 1\.2; Homeward reads PFIF 1\.4"):
        read_pfif(document, "old.xml")


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        (b"<html><body>hello</body></html>", "not a PFIF document (the root element is <html>"),
        (b'<x:pfif xmlns:x="http://example.org/">', "not well-formed XML"),
        (b'<x:pfif xmlns:x="http://example.org/"/>', "not a PFIF document (namespace"),
        (b"name,surname\nA,B\n", "not well-formed XML"),
    ],
)
def test_a_file_that_is_not_pfif_is_refused_clearly(data: bytes, complaint: str) -> None:
    with pytest.raises(Invalid) as caught:
        read_pfif(data, "list.xml")
    assert complaint in str(caught.value)
    assert str(caught.value).startswith("list.xml: ")


def test_top_level_notes_join_their_person() -> None:
    document = _document(
        "<pfif:person><pfif:person_record_id>h/1</pfif:person_record_id>"
        "<pfif:full_name>A</pfif:full_name></pfif:person>"
        "<pfif:note><pfif:note_record_id>h/n1</pfif:note_record_id>"
        "<pfif:person_record_id>h/1</pfif:person_record_id><pfif:text>seen</pfif:text>"
        "</pfif:note>"
    )
    (person,) = read_pfif(document)
    assert person.notes == [{"note_record_id": "h/n1", "person_record_id": "h/1", "text": "seen"}]
    orphan = document.replace(
        b"<pfif:person_record_id>h/1</pfif:person_record_id><pfif:text>",
        b"<pfif:person_record_id>h/9</pfif:person_record_id><pfif:text>",
    )
    with pytest.raises(Invalid, match="who is not in the file"):
        read_pfif(orphan)


def test_order_is_checked_only_when_asked_but_repeats_and_codes_always() -> None:
    shuffled = _document(
        f"<pfif:person><pfif:full_name>A</pfif:full_name>"
        f"<pfif:source_date>{WHEN}</pfif:source_date>"
        f"<pfif:person_record_id>registry.example/1</pfif:person_record_id></pfif:person>"
    )
    assert check_pfif(shuffled) == []  # PFIF 1.4 fixes no order
    assert any("out of order" in e for e in check_pfif(shuffled, canonical_order=True))
    broken = _document(
        f"<pfif:person><pfif:person_record_id>h/1</pfif:person_record_id>"
        f"<pfif:source_date>{WHEN}</pfif:source_date><pfif:full_name>A</pfif:full_name>"
        f"<pfif:full_name>B</pfif:full_name><pfif:home_state>UA-14</pfif:home_state>"
        f"<pfif:note><pfif:note_record_id>h/n</pfif:note_record_id></pfif:note>"
        f"<pfif:note><pfif:note_record_id>h/n</pfif:note_record_id></pfif:note></pfif:person>"
    )
    errors = check_pfif(broken)
    assert any("<full_name> is repeated" in e for e in errors)
    assert any("home_state 'UA-14' is not an ISO 3166-2 subdivision code" in e for e in errors)
    assert any("note_record_id h/n is used by another note" in e for e in errors)
    assert any("note 1: text is required" in e for e in errors)
