"""PFIF 1.4, the People Finder Interchange Format: writing, reading, checking.

PFIF is the XML format missing-person registries exchange records in
(namespace ``http://zesty.ca/pfif/1.4``).  A document is a ``pfif:pfif`` root
holding ``pfif:person`` elements, each with its fields in the order the
specification lists them and its ``pfif:note`` elements last; notes may also
stand at the top level, naming their person by ``person_record_id``.

This module knows the format only: a person is a mapping of PFIF field names to
text, with a list of notes (mappings too).  What a Homeward case becomes in
PFIF, and what a PFIF person becomes in Homeward, is ``services/exchange.py``.

- :func:`write_pfif` writes persons as a PFIF 1.4 document.  Text is escaped by
  the XML writer; characters XML 1.0 cannot carry at all (NUL, most control
  characters) are left out, so the document is always well-formed.
- :func:`read_pfif` reads a document with ``defusedxml``: a DTD (and with it
  every entity expansion, the "billion laughs") or an external entity is
  refused, and so is a document that is not PFIF, or is PFIF of another version.
- :func:`check_pfif` lists every way a document breaks the PFIF 1.4 rules:
  namespace, required fields, unknown or repeated fields, dates, sex, note
  status, record ids, and (``canonical_order``) the specification's order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError, SubElement, register_namespace, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from homeward.errors import Invalid

NAMESPACE = "http://zesty.ca/pfif/1.4"
VERSION = "1.4"
register_namespace("pfif", NAMESPACE)
_PFIF_NAMESPACE = re.compile(r"^http://zesty\.ca/pfif/(?P<version>[0-9.]+)/?$")

PERSON_FIELDS: tuple[str, ...] = (
    "person_record_id",
    "entry_date",
    "expiry_date",
    "author_name",
    "author_email",
    "author_phone",
    "source_name",
    "source_date",
    "source_url",
    "full_name",
    "given_name",
    "family_name",
    "alternate_names",
    "description",
    "sex",
    "date_of_birth",
    "age",
    "home_street",
    "home_neighborhood",
    "home_city",
    "home_state",
    "home_postal_code",
    "home_country",
    "photo_url",
    "profile_urls",
)
"""A person's fields, in the order PFIF 1.4 lists them (its notes come after)."""

NOTE_FIELDS: tuple[str, ...] = (
    "note_record_id",
    "person_record_id",
    "linked_person_record_id",
    "entry_date",
    "author_name",
    "author_email",
    "author_phone",
    "source_date",
    "author_made_contact",
    "status",
    "email_of_found_person",
    "phone_of_found_person",
    "last_known_location",
    "text",
    "photo_url",
)
"""A note's fields, in the order PFIF 1.4 lists them."""

PERSON_REQUIRED = ("person_record_id", "source_date", "full_name")
NOTE_REQUIRED = ("note_record_id", "author_name", "source_date", "text")
"""The fields PFIF 1.4 requires (a top-level note also needs its person_record_id)."""
SEXES = frozenset({"female", "male", "other"})
NOTE_STATUSES = frozenset(
    {"information_sought", "is_note_author", "believed_alive", "believed_missing", "believed_dead"}
)
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_AGE = re.compile(r"^\d+(-\d+)?$")
_DOMAIN_LABEL = r"[a-zA-Z]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?"
DOMAIN = re.compile(rf"^({_DOMAIN_LABEL}\.)*{_DOMAIN_LABEL}\.?$")
"""A domain name: what a record id starts with."""
_RECORD_ID = re.compile(rf"^({_DOMAIN_LABEL}\.)*{_DOMAIN_LABEL}\.?/.+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_SUBDIVISION = re.compile(r"^[a-zA-Z0-9]{1,3}$")
_BOOLEAN = frozenset({"true", "false"})
_DATE_FIELDS = ("entry_date", "expiry_date", "source_date")
# Characters XML 1.0 allows: tab, line feed, carriage return and everything
# from U+0020 up, less the surrogates and U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class PfifPerson:
    """One ``pfif:person``: its fields as text, and its notes."""

    fields: dict[str, str] = field(default_factory=dict)
    notes: list[dict[str, str]] = field(default_factory=list)

    @property
    def record_id(self) -> str:
        return self.fields.get("person_record_id", "")


def xml_text(value: str) -> str:
    """The value with the characters XML 1.0 cannot hold left out."""
    return _NOT_XML.sub("", value)


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _add_fields(parent: Element, values: Mapping[str, str | None], order: Sequence[str]) -> None:
    unknown = set(values) - set(order)
    if unknown:
        raise ValueError(f"not PFIF {VERSION} fields: {', '.join(sorted(unknown))}")
    for name in order:
        value = values.get(name)
        if value is None or value == "":
            continue
        SubElement(parent, _q(name)).text = xml_text(value)


def write_pfif(persons: Iterable[PfifPerson]) -> bytes:
    """A PFIF 1.4 document (UTF-8, with the XML declaration) of these persons."""
    root = Element(_q("pfif"))
    for person in persons:
        element = SubElement(root, _q("person"))
        _add_fields(element, person.fields, PERSON_FIELDS)
        for note in person.notes:
            _add_fields(SubElement(element, _q("note")), note, NOTE_FIELDS)
    _indent(root)
    body = tostring(root, encoding="unicode", xml_declaration=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _indent(element: Element, level: int = 0) -> None:
    """Indent child elements (never inside a field's text)."""
    children = list(element)
    if not children:
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in children:
        _indent(child, level + 1)
        child.tail = inner
    children[-1].tail = "\n" + "  " * level


# --- reading -----------------------------------------------------------------------------


def _parse(data: bytes, name: str) -> Element:
    try:
        root: Element = fromstring(data, forbid_dtd=True, forbid_entities=True)
    except DefusedXmlException as err:
        raise Invalid(
            f"{name}: refused: the file declares a DTD or entities ({type(err).__name__}); "
            "PFIF needs neither, and they can be used to exhaust the server"
        ) from err
    except ParseError as err:
        raise Invalid(f"{name}: not well-formed XML ({err})") from err
    except (LookupError, ValueError) as err:
        # The XML declaration names an encoding the parser cannot use: unknown
        # ("nope"), not a text encoding ("rot13") or one of several bytes a
        # character ("shift_jis", "utf-7").
        raise Invalid(
            f"{name}: the XML declares an encoding that cannot be read ({err}); "
            "PFIF is written in UTF-8"
        ) from err
    return root


def _split_tag(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return None, tag


def _check_root(root: Element, name: str) -> None:
    namespace, local = _split_tag(root.tag)
    if local != "pfif" or namespace is None:
        raise Invalid(
            f"{name}: not a PFIF document (the root element is <{local}>"
            + (f" in namespace {namespace}" if namespace else "")
            + f'; PFIF {VERSION} has <pfif:pfif xmlns:pfif="{NAMESPACE}">)'
        )
    found = _PFIF_NAMESPACE.match(namespace)
    if found is None:
        raise Invalid(f"{name}: not a PFIF document (namespace {namespace}, expected {NAMESPACE})")
    if found["version"] != VERSION:
        raise Invalid(
            f"{name}: this is PFIF {found['version']}; Homeward reads PFIF {VERSION} "
            f"(namespace {NAMESPACE})"
        )


def _values(element: Element) -> dict[str, str]:
    """The element's fields as received (text exactly as the XML gives it)."""
    values: dict[str, str] = {}
    for child in element:
        namespace, local = _split_tag(child.tag)
        if namespace != NAMESPACE or local in ("note", "person"):
            continue
        values[local] = child.text or ""
    return values


def read_pfif(data: bytes, name: str = "file") -> list[PfifPerson]:
    """The persons of a PFIF 1.4 document, each with its notes (nested ones and
    top-level ones naming it).  A top-level note whose person is not in the
    file is refused: it would have nowhere to go."""
    root = _parse(data, name)
    _check_root(root, name)
    persons: list[PfifPerson] = []
    loose: list[dict[str, str]] = []
    for child in root:
        _, local = _split_tag(child.tag)
        if child.tag == _q("person"):
            person = PfifPerson(_values(child))
            person.notes = [_values(n) for n in child.findall(_q("note"))]
            persons.append(person)
        elif child.tag == _q("note"):
            loose.append(_values(child))
        else:
            raise Invalid(f"{name}: <{local}> is not a PFIF {VERSION} record (person or note)")
    by_id = {p.record_id: p for p in persons if p.record_id}
    for note in loose:
        owner = by_id.get(note.get("person_record_id", ""))
        if owner is None:
            raise Invalid(
                f"{name}: note {note.get('note_record_id', '(no id)')} is about person "
                f"{note.get('person_record_id', '(none)')}, who is not in the file"
            )
        owner.notes.append(note)
    return persons


# --- checking ----------------------------------------------------------------------------


def _check_fields(
    where: str, element: Element, order: Sequence[str], canonical: bool, errors: list[str]
) -> None:
    """Unknown and repeated fields; with ``canonical``, the specification's order
    and (in a person) the notes last."""
    position = -1
    seen: set[str] = set()
    seen_note = False
    for child in element:
        namespace, local = _split_tag(child.tag)
        if namespace != NAMESPACE:
            errors.append(f"{where}: <{child.tag}> is not in the PFIF {VERSION} namespace")
            continue
        if local == "note" and order is PERSON_FIELDS:
            seen_note = True
            continue
        if local not in order:
            errors.append(f"{where}: <{local}> is not a PFIF {VERSION} field")
            continue
        if local in seen:
            errors.append(f"{where}: <{local}> is repeated")
        seen.add(local)
        if not canonical:
            continue
        if seen_note:
            errors.append(f"{where}: <{local}> comes after a note (notes come last)")
        index = order.index(local)
        if index < position:
            errors.append(f"{where}: <{local}> is out of order")
        position = max(position, index)


def _check_values(where: str, values: Mapping[str, str], errors: list[str]) -> None:
    for name in _DATE_FIELDS:
        if name in values and not _DATETIME.match(values[name]):
            errors.append(f"{where}: {name} '{values[name]}' is not yyyy-mm-ddThh:mm:ssZ")
    for name in ("person_record_id", "note_record_id", "linked_person_record_id"):
        if name in values and not _RECORD_ID.match(values[name]):
            errors.append(f"{where}: {name} '{values[name]}' is not domain/identifier")


def check_pfif(data: bytes, *, canonical_order: bool = False) -> list[str]:
    """Every way the document breaks the PFIF 1.4 rules; empty when it keeps them.

    PFIF 1.4 does not fix the order of fields; ``canonical_order`` also checks
    the order the specification lists them in (Homeward writes that order),
    ``person_record_id`` first and notes last."""
    try:
        root = _parse(data, "document")
        _check_root(root, "document")
    except Invalid as err:
        return [str(err)]
    errors: list[str] = []
    persons = root.findall(_q("person"))
    if not persons and root.find(_q("note")) is None:
        errors.append("document: no person and no note")
    note_ids: set[str] = set()
    person_ids: set[str] = set()
    for number, person in enumerate(persons, 1):
        values = _values(person)
        where = f"person {number} ({values.get('person_record_id', 'no id')})"
        _check_fields(where, person, PERSON_FIELDS, canonical_order, errors)
        first = next(iter(person), None)
        if canonical_order and first is not None and first.tag != _q("person_record_id"):
            errors.append(f"{where}: person_record_id must come first")
        errors.extend(f"{where}: {n} is required" for n in PERSON_REQUIRED if not values.get(n))
        if values.get("person_record_id") in person_ids:
            errors.append(f"{where}: person_record_id is used by another person")
        person_ids.add(values.get("person_record_id", ""))
        _check_values(where, values, errors)
        _check_person_values(where, values, errors)
        for index, note in enumerate(person.findall(_q("note")), 1):
            note_where = f"{where}, note {index}"
            _check_note(note_where, note, values.get("person_record_id"), canonical_order, errors)
            _unique_note(note_where, note, note_ids, errors)
    for index, note in enumerate(root.findall(_q("note")), 1):
        _check_note(f"top-level note {index}", note, None, canonical_order, errors)
        _unique_note(f"top-level note {index}", note, note_ids, errors)
    return errors


def _check_person_values(where: str, values: Mapping[str, str], errors: list[str]) -> None:
    if "sex" in values and values["sex"] not in SEXES:
        errors.append(f"{where}: sex '{values['sex']}' is not female, male or other")
    if "date_of_birth" in values and not _PARTIAL_DATE.match(values["date_of_birth"]):
        errors.append(
            f"{where}: date_of_birth '{values['date_of_birth']}' is not YYYY, YYYY-MM or YYYY-MM-DD"
        )
    if "age" in values and not _AGE.match(values["age"]):
        errors.append(f"{where}: age '{values['age']}' is not a number or a range")
    if "home_country" in values and not _COUNTRY.match(values["home_country"]):
        errors.append(f"{where}: home_country '{values['home_country']}' is not ISO 3166-1")
    if "home_state" in values and not _SUBDIVISION.match(values["home_state"]):
        errors.append(
            f"{where}: home_state '{values['home_state']}' is not an ISO 3166-2 subdivision "
            "code (the part after the country: 14 for UA-14)"
        )


def _unique_note(where: str, note: Element, seen: set[str], errors: list[str]) -> None:
    note_id = _values(note).get("note_record_id")
    if note_id in seen:
        errors.append(f"{where}: note_record_id {note_id} is used by another note")
    if note_id:
        seen.add(note_id)


def _check_note(
    where: str, note: Element, person_id: str | None, canonical: bool, errors: list[str]
) -> None:
    values = _values(note)
    _check_fields(where, note, NOTE_FIELDS, canonical, errors)
    errors.extend(f"{where}: {n} is required" for n in NOTE_REQUIRED if not values.get(n))
    if person_id is None and not values.get("person_record_id"):
        errors.append(f"{where}: a top-level note needs person_record_id")
    if person_id is not None and values.get("person_record_id", person_id) != person_id:
        errors.append(f"{where}: person_record_id differs from its person's")
    _check_values(where, values, errors)
    if "status" in values and values["status"] not in NOTE_STATUSES:
        errors.append(f"{where}: status '{values['status']}' is not a PFIF {VERSION} status")
    if "author_made_contact" in values and values["author_made_contact"] not in _BOOLEAN:
        errors.append(f"{where}: author_made_contact must be true or false")
