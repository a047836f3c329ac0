"""Answers to handover lists, and the tallies negotiators quote.

The other side or a mediator answers for each entry of a frozen version: no
answer, partial information, located (where), not found, claims the child is
not in Russia, claims the child is an adult, agreed to return, returned,
deceased, or disputed; with the date and who said it.  Every answer is kept
(the latest counts) and written on the child's timeline as a counterpart
response.  Where an answer implies a status move (located, agreed to return,
returned, deceased), the move waits for a person to confirm it
(:func:`confirm_move`): the other side's word is not yet a fact.

:func:`reconcile` gives the tallies of a version ("of 339: partial information
on 62, no answer on 212, 6 returned"), days since delivery, the disputed
entries, and the children on several lists still without an answer.
"""

from __future__ import annotations

from homeward.services.answers.reads import AnswerRead, answers_of, check_answer_of
from homeward.services.answers.recording import IMPLIED_MOVES, Answer, confirm_move, record_answer
from homeward.services.answers.replies import (
    NUMBER_WEIGHT,
    AnswersImport,
    import_answers,
    read_answer,
)
from homeward.services.answers.tally import TALLY_COLUMNS, Tally, reconcile, tally_rows, write_tally

__all__ = [
    "IMPLIED_MOVES",
    "NUMBER_WEIGHT",
    "TALLY_COLUMNS",
    "Answer",
    "AnswerRead",
    "AnswersImport",
    "Tally",
    "answers_of",
    "check_answer_of",
    "confirm_move",
    "import_answers",
    "read_answer",
    "reconcile",
    "record_answer",
    "tally_rows",
    "write_tally",
]
