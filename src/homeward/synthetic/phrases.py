"""How sources describe the circumstances of a removal, in each source's language."""

from __future__ import annotations

CIRCUMSTANCES: dict[str, tuple[str, str, str]] = {
    # key: (Ukrainian, Russian, English)
    "camp": (
        "вивезено до табору під приводом оздоровлення",
        "направлен в лагерь на оздоровление",
        "taken to a camp for 'rest and recreation'",
    ),
    "institution": (
        "депортовано разом із закладом",
        "эвакуирован вместе с учреждением",
        "deported with the institution",
    ),
    "filtration": (
        "вивезено після фільтрації",
        "прошёл фильтрационные мероприятия",
        "removed after filtration",
    ),
    "evacuation": (
        "примусово «евакуйовано» окупаційною владою",
        "эвакуирован",
        "'evacuated' by the occupying authorities",
    ),
    "parents_lost": (
        "батьки загинули або розлучені з дитиною, дитину вивезено",
        "остался без попечения родителей",
        "separated from parents and removed",
    ),
    "transfer_occupied": (
        "переміщено в межах окупованої території",
        "переведён в другое учреждение",
        "transferred within occupied territory",
    ),
    "checkpoint": (
        "затримано на блокпосту",
        "задержан на КПП",
        "detained at a checkpoint",
    ),
    "missing": (
        "зв'язок втрачено під час бойових дій",
        "местонахождение неизвестно",
        "contact lost during the fighting",
    ),
}

CIRCUMSTANCES_BY_CATEGORY: dict[str, tuple[tuple[str, float], ...]] = {
    "deported": (
        ("camp", 0.35),
        ("institution", 0.2),
        ("filtration", 0.15),
        ("evacuation", 0.2),
        ("parents_lost", 0.1),
    ),
    "forcibly_transferred": (
        ("transfer_occupied", 0.6),
        ("institution", 0.25),
        ("evacuation", 0.15),
    ),
    "detained": (("checkpoint", 0.7), ("filtration", 0.3)),
    "missing": (("missing", 1.0),),
}
"""Which circumstances go with which case category (children at risk were not removed)."""

LANGUAGE_INDEX = {"uk": 0, "ru": 1, "en": 2}


def circumstance_text(key: str, language: str) -> str:
    """The circumstance in ``uk``, ``ru`` or ``en``."""
    return CIRCUMSTANCES[key][LANGUAGE_INDEX[language]]
