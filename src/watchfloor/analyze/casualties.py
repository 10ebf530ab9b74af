"""Count people killed and injured, and spot attacks on the state or infrastructure.

A small rule-based extractor for the threat model, in English with the commonest Russian and
Mongolian phrasings. It reads numbers next to casualty words ("12 people were killed",
"killing 7", "death toll rose to 40", "more than 80 dead", "погибли 5 человек",
"5 хүн нас барсан"); number words up to twenty and "dozens" count too, and the Mongolian
ones up to fifty ("нэг иргэн нас баржээ", "таван хүн шархаджээ"), up to five words before
the verb in the same clause ("хоёр цэргийг автомашин дайрч нас баржээ"). "No one was killed"
counts as zero. Several outlets telling the same story repeat its toll, so callers take the
largest figure per story, not the sum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Casualties", "count_casualties", "head_counts", "mentions_attack_on_state"]

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "dozen": 12, "dozens": 24,
    "scores": 40, "hundreds": 200, "a dozen": 12,
}  # fmt: skip
_WORDS = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))


def _num(group: str) -> str:
    return rf"(?P<{group}>\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORDS})"


_WHO = r"(?:(?:more\s+than|at\s+least|over|about|some|nearly|almost|around|up\s+to)\s+)?"
_NOUN = (
    r"(?:\s+(?:people|persons|civilians|villagers|soldiers|troops|police(?:men|\s+officers)?|"
    r"officers|residents|workers|guards|staff|children|women|men|militants|fighters|"
    r"passengers|members\s+of\s+\w+(?:\s+\w+)?))?"
)
_KILLED_EN = re.compile(
    rf"\b{_WHO}{_num('n')}{_NOUN}\s+(?:(?:were|have\s+been|had\s+been|was|are)\s+)?"
    r"(?:killed|dead|died|slain|massacred|murdered|lost\s+their\s+lives)\b"
    rf"|\b(?:killing|killed|leaving)\s+{_WHO}{_num('n2')}{_NOUN}\b"
    rf"|\bleft\s+{_WHO}{_num('n3')}{_NOUN}\s+dead\b"
    rf"|\bdeath\s+toll\s+(?:\w+\s+){{0,3}}?(?:to|of|at|reached|stands\s+at)\s+{_WHO}{_num('n4')}\b"
    rf"|\btally\s+of\s+{_WHO}{_num('n5')}\s+dead\b",
    re.IGNORECASE,
)
_INJURED_EN = re.compile(
    rf"\b{_WHO}{_num('n')}{_NOUN}\s+(?:(?:were|have\s+been|had\s+been|was|are)\s+)?"
    r"(?:(?:seriously|badly|critically)\s+)?(?:injured|wounded|hurt)\b"
    rf"|\b(?:injuring|wounding)\s+{_WHO}{_num('n2')}\b",
    re.IGNORECASE,
)
_KILLED_RU = re.compile(
    r"\b(?P<n>\d+)\s+(?:человек\w*\s+)?(?:погиб\w*|убит\w*)"
    r"|\b(?:погиб\w*|убит\w*|жертвами\s+стали)\s+(?:не\s+менее\s+|более\s+)?(?P<n2>\d+)",
    re.IGNORECASE,
)
_INJURED_RU = re.compile(
    r"\b(?P<n>\d+)\s+(?:человек\w*\s+)?(?:ранен\w*|пострадал\w*|раненых)"
    r"|\b(?:ранен\w*|пострадал\w*)\s+(?:не\s+менее\s+|более\s+)?(?P<n2>\d+)",
    re.IGNORECASE,
)
#: Mongolian number words (the attributive forms too: "хоёр хүн", "таван хүүхэд").
_MN_NUMBERS = {
    "нэг": 1, "хоёр": 2, "гурав": 3, "гурван": 3, "дөрөв": 4, "дөрвөн": 4, "тав": 5,
    "таван": 5, "зургаа": 6, "зургаан": 6, "долоо": 7, "долоон": 7, "найм": 8, "найман": 8,
    "ес": 9, "есөн": 9, "арав": 10, "арван": 10, "хорь": 20, "хорин": 20, "гуч": 30,
    "гучин": 30, "дөч": 40, "дөчин": 40, "тавь": 50, "тавин": 50,
}  # fmt: skip
_MN_WORDS = "|".join(sorted(_MN_NUMBERS, key=len, reverse=True))
_MN_NUM = rf"(?<!\w)(?P<n>\d+|{_MN_WORDS})"
#: A number that is not a head count: an age ("30 настай"), a date or time ("2026 оны",
#: "6 сарын"), a measure or a sum.
_MN_NOT_PEOPLE = (
    r"(?!\s+(?:нас(?:тай|ны|анд|ыг)|он(?:ы|д)?\b|сар|хоног|өдөр|цаг|минут|жил|км|"
    r"метр|м\b|кг|тонн|төгрөг|сая|тэрбум|хувь|удаа|дахь|дугаар))"
)
#: Mongolian puts the verb last, and the people counted can stand several words before it
#: ("хоёр цэргийг автомашин дайрч нас баржээ": the car ran over two soldiers, who died).
#: Up to five words may stand between the number and the verb, none of them another
#: number, and no comma or stop: the clause of the number is the clause of the verb.
_MN_GAP = rf"(?:(?!(?:{_MN_WORDS})(?!\w))[^\W\d]+\s+){{0,5}}"
_KILLED_MN = re.compile(
    rf"{_MN_NUM}{_MN_NOT_PEOPLE}\s+{_MN_GAP}"
    r"(?:нас\s+бар|амиа\s+алд|амь\s+үрэгд|алагд|амь\s+насаа\s+алд)",
    re.IGNORECASE,
)
_INJURED_MN = re.compile(
    rf"{_MN_NUM}{_MN_NOT_PEOPLE}\s+{_MN_GAP}(?:шархад|гэмт[эжс]|бэрт[эжс])", re.IGNORECASE
)
#: A word every match of the killed (injured) patterns holds, in any language: a sentence
#: without one states no toll, and its six patterns are not tried.
_KILLED_ANY = re.compile(
    r"kill|dead|died|slain|massacred|murdered|lost|leaving|left|death|tally"
    r"|погиб|убит|жертвами|нас|амиа|амь|алагд",
    re.IGNORECASE,
)
_INJURED_ANY = re.compile(r"injur|wound|hurt|ранен|пострадал|шархад|гэмт|бэрт", re.IGNORECASE)
_NEGATED = re.compile(
    r"\b(?:no\s+one|nobody|no\s+(?:one|people|casualties|deaths|injuries))\b", re.I
)

_ATTACK = re.compile(
    r"\b(?:attack\w*|raid\w*|bomb\w*|stormed|storming|sabotag\w*|arson|set\s+fire|shell\w*|"
    r"grenade\w*|ambush\w*|explosi\w*|blew\s+up|seiz\w+|overran|hack\w*|breach\w*|ransomware|"
    r"espionage|spying|intrusion\w*|targeted|targeting|targets)\b"
    r"|халдлаг\w*|дайралт\w*|тэсэлг\w*|нападени\w*|взрыв\w*|атак\w*|поджог\w*|теракт\w*",
    re.IGNORECASE,
)
_STATE_TARGET = re.compile(
    r"\b(?:ministr\w*|government|parliament|presidential|police\s+station\w*|barracks|"
    r"town\s+hall|governor'?s?\s+office|court\s*house|courts?|embassy|state\s+agenc\w*|"
    r"power\s+(?:station|plant|line)s?|substation\w*|pylons?|power\s+grid|grid|pipeline\w*|"
    r"refiner\w*|airport\w*|railway\w*|rail\s+line|bridges?|dams?|water\s+(?:supply|plant|works)|"
    r"telecom\w*|data\s+cent\w*|port\s+facilit\w*|fuel\s+depot\w*|oil\s+terminal\w*)\b"
    r"|яам\w*|засгийн\s+газ\w*|цахилгаан\s+станц\w*|министерств\w*|правительств\w*|"
    r"электростанц\w*|подстанц\w*",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Casualties:
    killed: int = 0
    injured: int = 0

    def __add__(self, other: Casualties) -> Casualties:
        return Casualties(self.killed + other.killed, self.injured + other.injured)


def _value(token: str | None) -> int:
    if not token:
        return 0
    token = token.strip().lower()
    if token in _NUMBER_WORDS:
        return _NUMBER_WORDS[token]
    if token in _MN_NUMBERS:
        return _MN_NUMBERS[token]
    digits = re.sub(r"[,\s]", "", token)
    if not digits.isdigit():
        return 0
    value = int(digits)
    # Years and other large figures next to "dead" are not tolls we can trust.
    return 0 if value >= 1900 or value > 100_000 else value


def _largest(pattern: re.Pattern[str], sentence: str) -> int:
    best = 0
    for m in pattern.finditer(sentence):
        groups = m.groupdict()
        best = max([best, *(_value(v) for v in groups.values())])
    return best


def count_casualties(text: str) -> Casualties:
    """Return the largest killed and injured figures stated in *text*.

    The largest, not the sum: articles restate one toll several times ("five were killed
    ... the five victims"). Sentences that say nobody died count as zero.
    """
    from watchfloor.text import split_sentences

    killed = injured = 0
    for sentence in split_sentences(text):
        if _NEGATED.search(sentence):
            continue
        if _KILLED_ANY.search(sentence):
            killed = max(
                killed,
                _largest(_KILLED_EN, sentence),
                _largest(_KILLED_RU, sentence),
                _largest(_KILLED_MN, sentence),
            )
        if _INJURED_ANY.search(sentence):
            injured = max(
                injured,
                _largest(_INJURED_EN, sentence),
                _largest(_INJURED_RU, sentence),
                _largest(_INJURED_MN, sentence),
            )
    return Casualties(killed=killed, injured=injured)


_TOKEN = re.compile(r"\w+|[,;:.!?()«»\"“”]")
#: Words after a number that make it a measure, a date, a sum or an age, not a count of
#: people or things: whole words, then word beginnings of three letters or more.
_UNIT_WORDS = frozenset(
    "м см км кг га он оны онд сар удаа дахь дугаар year years day days hour hours km kg "
    "times month months год года лет дня дней час часа км кг раз".split()
)
_UNIT_STARTS = (
    "нас", "сарын", "хоног", "өдр", "өдөр", "цаг", "минут", "жил", "метр", "тонн", "төгрөг",
    "сая", "тэрбум", "мянга", "хувь", "градус", "хэм", "percent", "million", "billion",
    "thousand", "процент", "млн", "млрд", "тыс", "минут", "недел", "месяц",
)  # fmt: skip
#: People in general ("хоёр хүн", "two people"): every story's count, no mark of one event.
_ANYONE = frozenset(
    "хүн хүний хүнийг хүнд хүмүүс хүмүүсийг иргэн иргэний иргэнийг иргэд иргэдийг people "
    "persons person человек человека".split()
)


def head_counts(text: str, window: int = 2) -> set[tuple[int, str]]:
    """What *text* counts: (number, word stem) for each number of two or more and each word
    within *window* words of it in its clause ("цэргийн хоёр алба хаагч" gives (2, "цэргий"),
    (2, "албан"), (2, "хаагч")).

    The number is a figure or a number word (English or Mongolian); one is left out (every
    story has "a man", "нэг иргэн"), and so are figures of a measure, a date, a sum or an
    age ("2 дугаар баг", "30 настай", "5 km") and words for people in general ("хоёр хүн",
    "two people"). Two reports of one incident state the same count of the same people
    ("хоёр цэргийг", "цэргийн хоёр албан хаагч"), whatever else their words are.
    """
    from watchfloor.text import stem

    tokens = _TOKEN.findall(text.lower())
    out: set[tuple[int, str]] = set()

    def number(tok: str) -> int:
        if tok.isdigit():
            return int(tok) if len(tok) <= 3 else 0
        return _NUMBER_WORDS.get(tok) or _MN_NUMBERS.get(tok) or 0

    for i, tok in enumerate(tokens):
        n = number(tok)
        if n < 2:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if nxt in _UNIT_WORDS or nxt.startswith(_UNIT_STARTS):
            continue
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(tokens) and abs(j - i) <= window:
                word = tokens[j]
                if not word.isalpha() or number(word) or word in _ANYONE:
                    break  # a clause mark, another number or "people" ends its words
                if len(word) >= 3:
                    out.add((n, stem(word)))
                j += step
    return out


def mentions_attack_on_state(text: str) -> str | None:
    """Return the first sentence reporting an attack on government or infrastructure."""
    from watchfloor.text import split_sentences

    for sentence in split_sentences(text):
        if _ATTACK.search(sentence) and _STATE_TARGET.search(sentence):
            return sentence
    return None
