"""Local-language place words: when a gazetteer match in Mongolian, Russian or Chinese text
is a person, a grammar word, an organisation or an ordinary word rather than the place of
that spelling, and which entry the words around it point to.

The English side (spaCy's labels, capitalisation) lives in :mod:`watchfloor.enrich.geoparse`;
text in other scripts has no NER, so these rules are what stands between a common word and
a province on the map. Rules are data (word lists, case endings) plus small functions; each
was added for a false positive or a miss seen on the dev half of the Mongolian headlines
(docs/geoparsing.md, "Local-language precision").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from watchfloor.enrich.gazetteer import FOCUS_COUNTRIES, Place, haversine_km

Candidates = list[tuple[Place, bool]]

#: Mongolian place names that are also ordinary words or common given names: alone they
#: are "centre" (Төв командлал, Төв цэнгэлдэх) or a person (Сүхбаатар). They count as
#: places only with a unit word after them ("Төв аймаг", "Сүхбаатар дүүрэг") or as an
#: aimag dateline ("ТӨВ: …").
UNIT_REQUIRED_CYRILLIC = frozenset({"төв", "сүхбаатар"})
# An initial, optionally with the first half of a compound name: "Ж.", "Б.Энх-", "Б.ЭНХ-".
_CYRILLIC_INITIAL = re.compile(r"(?:^|[\s(«\"'])[А-ЯЁӨҮ]\.\s?(?:[А-ЯЁӨҮ][А-ЯЁӨҮа-яёөү]+-)?$")
#: Words spelt like a gazetteer name that in Mongolian text are grammar, ordinary words,
#: party acronyms or surnames, never that place: the plural particle after names ("… нарт"),
#: "газар" (land, agency: not Gaza), "болон" (and), "бид" (we), "дараа" (after), "даваа"
#: (Monday, a given name), "бор" (brown), "алтан" (golden), "уран" (art), "баг" (team),
#: "мах" (meat), "нийт" (total), "зарим" (some), "сайхан" (fine), "МАН" (the party), "Пак"
#: (a Korean surname), "Англ" (the stem of Англи, England: not Anglet), "Турк" (Turkey: not
#: Turka in Ukraine), "баян" (rich) and "хонгор" (dear), also given names, "сайд"
#: (minister: not Sidon).
NEVER_PLACES_CYRILLIC = frozenset(
    """
    нар нарт нарын нараас нартай газар болон бид дараа даваа бор алтан уран баг мах нийт
    зарим сайхан баян хонгор сайд ман пак англ турк
    """.split()
)
#: Names that are a word or title when a given word follows them: "Дархан цаазат газар"
#: (strictly protected area), "Дархан аварга" (a wrestler's title), "Төв командлал".
NOT_PLACE_BEFORE = {
    "дархан": ("цаазат", "аварга"),
    "төв": ("командлал", "цэнгэлдэх", "банк", "цэвэрлэх"),
}
#: Country names used as nationality adjectives before a noun ("Монгол эрчүүд" Mongolian
#: men, "Монгол бөх", "Хятад иргэн"). Bare (uninflected) and followed by a lower-case word
#: other than these, they are not the country.
NATIONALITY_WORDS_CYRILLIC = frozenset({"монгол", "хятад", "орос", "япон", "солонгос"})
_ADJECTIVE_FOLLOWERS_OK = frozenset(
    {"улс", "дахь", "ба", "болон", "руу", "рүү", "хоёр", "гурван", "хүртэл", "талын"}
)
#: Lower-case titles right before a name make it a person ("Элчин сайд Буанган",
#: "аймгийн арслан Даваа"), unless a unit word follows the name.
TITLES_CYRILLIC = frozenset(
    """
    сайд дарга гишүүн ерөнхийлөгч элчин аварга арслан заан начин гарьд жанжин
    багш доктор профессор дасгалжуулагч тамирчин дуучин зохиолч судлаач захирал
    """.split()
)
#: Ulaanbaatar's districts. With "дүүрэг" after them they are the capital, not the aimag or
#: town of the same name ("Сүхбаатар дүүрэг" is not Sükhbaatar aimag).
CAPITAL_DISTRICTS = frozenset(
    {"баянгол", "баянзүрх", "сүхбаатар", "чингэлтэй", "хан-уул", "сонгинохайрхан"}
)
CAPITAL = "Ulaanbaatar"
#: Districts the gazetteer has no Cyrillic name for, by the gazetteer name they stand for:
#: the central six are the capital; Nalaikh is its own town 35 km away. (Baganuur and
#: Bagakhangai, 130 and 100 km out, are not in the gazetteer at all.)
DISTRICT_PLACES = {d: CAPITAL for d in CAPITAL_DISTRICTS} | {"налайх": "Nalayh"}
_DISTRICT = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(DISTRICT_PLACES, key=len, reverse=True)) + r")"
    r"(?=\s+дүүр)",
    re.IGNORECASE,
)

# Unit words after a name, by the kind of entry they point to (Mongolian, then Russian).
_UNIT_WORDS = {
    "admin1": r"аймаг\w*|аймг\w*|муж\w*|област\w*|аймак\w*|провинц\w*|край\w*",
    "city": r"хот|хотын|хотод|хотоос|хотыг|хотноо|хотруу|город\w*",
    "soum": r"сум|сумын|суманд|сумаас|сумд|сумыг",
    "district": r"дүүрэг\w*|дүүрг\w*|район\w*",
}
_UNIT_AFTER = re.compile(
    r"[^\W\d_]*\s+(?:(?P<admin1>" + _UNIT_WORDS["admin1"] + r")|(?P<city>" + _UNIT_WORDS["city"]
    + r")|(?P<soum>" + _UNIT_WORDS["soum"] + r")|(?P<district>" + _UNIT_WORDS["district"]
    + r"))\b",
    re.IGNORECASE,
)  # fmt: skip
# "Баянхонгор аймгийн " right before a soum name; how far a soum may lie from the point
# the gazetteer gives its aimag (aimags are up to ~500 km across; their points are central).
_AIMAG_BEFORE = re.compile(r"([^\W\d_][\w-]*)\s+аймгийн\s+$", re.IGNORECASE)
AIMAG_REACH_KM = 200.0
# "ЗАВХАН: …" at the head of a line: Montsame's aimag dateline.
_DATELINE_COLON = re.compile(r"\s*:")
# Places the map wants only with a unit word: small settlements (soum centres, villages).
LOCAL_MIN_POPULATION = 5_000
FOREIGN_MIN_POPULATION = 100_000
#: Latin words in mostly non-Latin text pass as towns only from this size (the followed
#: countries' towns keep their own 5,000 floor): in effect countries and admin-1 units.
LATIN_IN_OTHER_SCRIPT_MIN_POPULATION = 10_000_000
_STRONG_FEATURES = frozenset({"country", "admin1", "continent", "region", "sea", "island"})

# Mongolian case endings (with the reflexive -аа/-ээ where it combines), by the letter the
# name ends in; Russian endings after a consonant. Anything else after a name is another
# word that happens to start like it ("МОНЦАМЭ" is not Monza, "Газар" not Gaza).
_REFLEXIVE = ("", "аа", "ээ", "оо", "өө")
_AFTER_CONSONANT = {
    "ын", "ийн", "ы", "ыг", "ийг", "д", "т", "ад", "эд", "од", "өд", "аас", "ээс", "оос",
    "өөс", "аар", "ээр", "оор", "өөр", "тай", "тэй", "той", "руу", "рүү", "ынх", "ийнх",
    "ынхан", "ийнхан", "ынхны",
}  # fmt: skip
_AFTER_VOWEL = {
    "гийн", "г", "д", "т", "гаас", "гээс", "гоос", "гөөс", "гаар", "гээр", "гоор", "гөөр",
    "тай", "тэй", "той", "руу", "рүү", "гийнх",
}  # fmt: skip
_AFTER_I = _AFTER_VOWEL | {"йн", "йг", "йнх"}
_AFTER_DIPHTHONG = _AFTER_VOWEL | {"н", "нх"}
_RUSSIAN = {"а", "у", "е", "ом", "ой", "ы", "и", "ем", "ам", "ах", "ами", "ов", "ского"}
_VOWELS = set("аэоөуүеёяюы")


def _with_reflexive(endings: set[str]) -> frozenset[str]:
    return frozenset(e + r for e in endings for r in _REFLEXIVE if e or r)


_ENDINGS = {
    "consonant": _with_reflexive(_AFTER_CONSONANT) | _RUSSIAN,
    "vowel": _with_reflexive(_AFTER_VOWEL),
    "и": _with_reflexive(_AFTER_I),
    "й": _with_reflexive(_AFTER_DIPHTHONG),
    "ы": _with_reflexive(_AFTER_DIPHTHONG),  # Нидерланды (ru) + н: "Нидерландын" (mn)
    "ь": _with_reflexive({"д", "т", "аас", "тай"}),
}


def case_ending_ok(name: str, rest: str) -> bool:
    """Say whether REST, the letters after a Cyrillic name inside one word, is a Mongolian
    or Russian case ending for that name ("Улаанбаатар|т", "Ховд|од", "Австрали|йн",
    "Хангай|н", "Иркутск|е") and not the rest of another word ("Монца|мэ")."""
    rest = rest.casefold()
    last = name.casefold()[-1:]
    if last in ("и", "й", "ы", "ь"):
        return rest in _ENDINGS[last]
    if last in _VOWELS:
        return rest in _ENDINGS["vowel"]
    return rest in _ENDINGS["consonant"]


def glued_dateline(text: str, start: int, end: int) -> bool:
    """A dateline glued to the previous headline by a scraper: "…явуулнаУлаанбаатар, 2026
    оны …", "…хожлооВАШИНГТОН, 2026 …". A lower-case letter then a capital starts a word."""
    return (
        start > 0
        and text[start - 1].islower()
        and text[start].isupper()
        and re.match(r",\s*\d", text[end : end + 4]) is not None
    )


def unit_feature(text: str, start: int, end: int) -> str | None:
    """The kind of entry the words around a name point to: ``admin1`` ("… аймгийн",
    "… мужид", an aimag dateline "ЗАВХАН: …"), ``city`` ("… хотод", "… сумын") or
    ``soum`` ("… сумын", a Mongolian settlement) or ``district`` ("… дүүрэг"); None when
    nothing says."""
    m = _UNIT_AFTER.match(text, end)
    if m is not None:
        return m.lastgroup
    line_start = start == 0 or text[start - 1] == "\n"
    if line_start and _DATELINE_COLON.match(text, _word_end(text, end)):
        return "admin1"
    return None


def _word_end(text: str, end: int) -> int:
    while end < len(text) and text[end].isalpha():
        end += 1
    return end


def _inside_short_quote(text: str, start: int, end: int) -> bool:
    """A name inside a quoted name of at most three words ("Улаанбаатар Амазонс" the team,
    «Бор тээг» the deposit, "Орландо" the club) names an organisation, brand or facility."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before, after = text[line_start:start], text[end:line_end]
    for opening, closing in (("“", "”"), ("«", "»"), ("„", "“"), ('"', '"'), ("'", "'")):
        o = before.rfind(opening)
        if o < 0 or (opening != closing and before.rfind(closing) > o):
            continue
        if opening == closing and before.count(opening) % 2 == 0:
            continue
        c = after.find(closing)
        if c < 0:
            continue
        inner = before[o + 1 :] + text[start:end] + after[:c]
        if len(inner.split()) <= 3:
            return True
    return False


def _bare_nationality_adjective(text: str, start: int, end: int, word: str) -> bool:
    if word not in NATIONALITY_WORDS_CYRILLIC or end >= len(text) or text[end] != " ":
        return False
    m = re.match(r" ([^\W\d_][\w-]*)", text[end:])
    if m is None:
        return False
    follower = m.group(1)
    if not follower[0].islower():
        # "Монгол Ардын нам" (a party); "Монгол Улс" is its own gazetteer name.
        return follower.startswith("Ардын")
    return follower.casefold().rstrip(",.") not in _ADJECTIVE_FOLLOWERS_OK


def _title_before(text: str, start: int) -> bool:
    m = re.search(r"(?:^|\s)([^\W\d_]+)\s+$", text[max(0, start - 30) : start])
    return m is not None and m.group(1) in TITLES_CYRILLIC


#: Chinese words that are also the names of small towns: 合作 (cooperation; Hezuo).
CHINESE_COMMON_WORDS = frozenset({"合作", "发展", "安全", "和平", "建设", "团结", "友谊", "新华"})
# A Chinese name is a person after a title ("发言人高岩", "市长王平") or before a verb of
# speech ("高岩表示", "李东说").
_CJK_TITLE_BEFORE = re.compile(
    r"(?:发言人|记者|主席|总统|总理|部长|市长|省长|大使|主任|局长|教授|书记|经理|董事长|委员)$"
)
_CJK_SPEECH_AFTER = re.compile(r"(?:表示|说|称|指出|认为|强调|介绍|先生|女士|同志)")


def _is_cjk(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


#: The commonest Chinese surnames: a two- or three-character match starting with one can
#: be a person's full name ("高岩", "金山").
CHINESE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)


def not_a_place_here_cjk(text: str, start: int, end: int) -> bool:
    """A Chinese gazetteer match that is a common word (合作) or a person's name: a surname
    and a given name after a title ("发言人高岩") or before a verb of speech ("高岩表示").
    "北京表示" stays Beijing: 北 is no surname."""
    name = text[start:end]
    if name in CHINESE_COMMON_WORDS:
        return True
    if not (2 <= len(name) <= 3 and name[0] in CHINESE_SURNAMES):
        return False
    if _CJK_TITLE_BEFORE.search(text[max(0, start - 4) : start]):
        return True
    return _CJK_SPEECH_AFTER.match(text, end) is not None


def not_a_place_here(text: str, start: int, surface: str, key: str = "") -> bool:
    """A Cyrillic gazetteer match that is a person ("Ж.Сүхбаатар", "Б.Энх-Амгалан": an
    initial before it; "Элчин сайд Буанган": a title), a grammar or common word, a name
    inside an organisation's or product's name ("“Улаанбаатар Амазонс”", "И-Монголиа"), a
    nationality adjective ("Монгол эрчүүд"), or a common word that needs its unit word to
    be a place. KEY is the gazetteer name matched (folded): when SURFACE is longer, the
    name carries a case ending."""
    end = start + len(surface)
    if surface and _is_cjk(surface[0]):
        return not_a_place_here_cjk(text, start, end)
    if _CYRILLIC_INITIAL.search(text[max(0, start - 24) : start]):
        return True
    word = surface.casefold()
    if word in NEVER_PLACES_CYRILLIC or any(
        word.startswith(w) and case_ending_ok(w, word[len(w) :])
        for w in NEVER_PLACES_CYRILLIC
        if len(w) >= 4
    ):
        return True
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
        if start == 2 or not text[start - 3].isalpha():  # "И-Монголиа", "E-Mongolia"
            return True
    if _inside_short_quote(text, start, end):
        return True
    if re.search(r"(?:^|\s)(?:нью|сан|санта|порт)\s$", text[max(0, start - 8) : start], re.I):
        # "Нью Йорк", "Сан Франциско": the first half of a longer name written with a space
        # (the gazetteer has the hyphenated spelling), not the place named by the second.
        return True
    if _bare_nationality_adjective(text, start, end, word):
        return True
    unit = unit_feature(text, start, end)
    followers = NOT_PLACE_BEFORE.get(word, ())
    if followers and re.match(r"\s+(?:" + "|".join(followers) + r")", text[end:], re.I):
        return True
    if unit is None and _title_before(text, start) and (not key or word == key):
        # "Элчин сайд Буанган", "аймгийн арслан Даваа"; an inflected name after a title
        # is where the person went: "сайд Сайншандад ажиллав".
        return True
    if not any(word.startswith(name) for name in UNIT_REQUIRED_CYRILLIC):
        return False
    return unit is None


def local_candidates(
    text: str,
    start: int,
    end: int,
    cands: Candidates,
    lookup: Callable[[str], Candidates],
) -> Candidates:
    """Narrow the gazetteer entries of a Cyrillic match by the words around it.

    - "Сүхбаатар дүүрэг", "Баянгол дүүргийн": Ulaanbaatar's district, so the capital;
    - a unit word keeps the entries of its kind when there are any ("Баянхонгор аймгийн"
      is the aimag, "Цэцэрлэг хотод" the town);
    - with no unit word, a small settlement is too weak alone (soum names are words and
      given names: "Сайхан", "Баян"): settlements of the followed countries need 5,000
      people, elsewhere 100,000; countries, admin-1 units and natural features stay.
    """
    name = text[start:end].casefold()
    unit = unit_feature(text, start, end)
    if unit == "district" and any(name.startswith(d) for d in CAPITAL_DISTRICTS):
        capital = [(p, alt) for p, alt in lookup(CAPITAL) if p.country == "MN"]
        return [(p, alt) for p, alt in capital if p.feature == "city"] or capital
    if unit == "soum":
        # Soums are Mongolia's: "Баян сумын" is none of China's towns called Bayan.
        cands = [(p, alt) for p, alt in cands if p.country == "MN" and p.feature == "city"]
        aimag = _aimag_before(text, start, lookup)
        if aimag is not None:
            # "Төв аймгийн Алтанбулаг сум": the soum lies in that aimag. Entries of the
            # name far from it are other soums of the same name, not this one.
            cands = [
                (p, alt)
                for p, alt in cands
                if haversine_km(p.lat, p.lng, aimag.lat, aimag.lng) <= AIMAG_REACH_KM
            ]
    if unit in ("admin1", "city"):
        kind = [(p, alt) for p, alt in cands if p.feature == unit]
        return kind or cands
    if unit == "soum":
        return cands
    if unit == "district":
        return cands
    return [(p, alt) for p, alt in cands if _strong_alone(p)]


def _aimag_before(text: str, start: int, lookup: Callable[[str], Candidates]) -> Place | None:
    """The aimag named right before a soum ("Баянхонгор аймгийн Богд сум")."""
    m = _AIMAG_BEFORE.search(text, max(0, start - 40), start)
    if m is None:
        return None
    for p, _alt in lookup(m.group(1)):
        if p.country == "MN" and p.feature == "admin1":
            return p
    return None


def district_names(text: str) -> list[tuple[int, int, str]]:
    """Ulaanbaatar's districts named with their unit word ("Сонгинохайрхан дүүрэг",
    "НАЛАЙХ ДҮҮРГИЙН"), which the gazetteer does not know in Cyrillic: (start, end, the
    gazetteer name to look up)."""
    out = []
    for m in _DISTRICT.finditer(text):
        if m.group(1)[0].isupper():
            out.append((m.start(1), m.end(1), DISTRICT_PLACES[m.group(1).casefold()]))
    return out


def _strong_alone(p: Place) -> bool:
    if p.feature in _STRONG_FEATURES:
        return True
    floor = LOCAL_MIN_POPULATION if p.country in FOCUS_COUNTRIES else FOREIGN_MIN_POPULATION
    return p.population >= floor


def mostly_other_script(text: str) -> bool:
    """Say whether TEXT is mostly not in Latin letters (Mongolian, Russian, Chinese): Latin
    words in it are agencies, brands and product names ("TASS", "Toyota", "GS AUTO CENTER")
    and pass as places only as strong names, as in English."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if c < "\u0250")
    return latin * 2 < len(letters)


__all__ = [
    "LATIN_IN_OTHER_SCRIPT_MIN_POPULATION",
    "case_ending_ok",
    "district_names",
    "glued_dateline",
    "local_candidates",
    "mostly_other_script",
    "not_a_place_here",
    "not_a_place_here_cjk",
    "unit_feature",
]
