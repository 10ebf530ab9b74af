"""Which sense an ambiguous capitalised name has in English text: a place, a person, a thing.

Many place names are also given names ("Sydney", "Dallas", "Paris") or the names of goods
made there or named after them ("Champagne", "Cheddar", "Jersey milk", "Bordeaux and
cheese"). The geoparser's lists of person verbs and compounds (``geoparse``) name what a
person or a thing does; this module turns the question round, because what a *place* does
as the subject of a sentence is a much shorter list than what a person does:

- :func:`person_subject`: a given name heading its sentence, followed by a verb that is not
  one a town or its government does (``PLACE_SUBJECT_VERBS``: is, has, said, hosted,
  recorded, approved…), is a person: "Sydney parked the van", "Dallas dislikes meetings".
- :func:`person_by_verb`: a name heading its sentence that no given-name table knows, before
  a verb only people do ("Shannon sneezed"), or labelled PERSON by spaCy before a verb that
  is not a town's, or before a surname and a verb ("Israel Adesanya knocked out"), is a
  person.
- :func:`thing_sense`: a name of ``EPONYMS`` (goods, food, drink, cloth, breeds, colours
  named after a place) is a thing unless a word beside it says "place" (in, near, a place
  noun, a qualifier, a list with another place): "Champagne was poured", not "in
  Champagne". A country among them ("Jersey", "Turkey") only before a noun of
  ``THING_AFTER`` ("Jersey milk").
- :func:`surname_after_name`: a town right after a capitalised name that starts an
  organisation or person span spaCy found ("Paris Jackson", "Adil Amman" read as ORG) is
  a surname.
- :func:`possessive_person`: a name before "'s" and what only a person has ("Jordan's
  wife", "Chad's hat-trick") is a person, even when it is a country's.

- the shape of the sentence, with no list of names: :func:`team_subject` (a town before a
  plural verb or "their": "Leeds were relegated"), :func:`paired_subject` ("Denver and
  Austin shared a flat"), :func:`given_before_surname` ("a rematch against Israel
  Adesanya") and :func:`person_object` ("the nurse woke Phoenix at six").

docs/geoparsing.md, "People named like places", says how the geoparser uses them.
"""

from __future__ import annotations

import re

# Verbs (and auxiliaries) that a town, a country or its government does as the subject of a
# sentence. A given name followed by another verb is a person.
PLACE_SUBJECT_VERBS = frozenset(
    """
    is was are were has had have will would could can may might should must shall does did
    do isn't wasn't hasn't won't lies lay sits sat stands stood borders bordered lies hosts
    hosted host faces faced remains remained became becomes become saw sees recorded
    records reported reports said says announced announces declared declares voted votes
    approved approves banned bans imposed imposes plans planned wants wanted needs needed
    expects expected struggled struggles suffered suffers grew grows gained gains
    received receives welcomed welcomes attracted attracts offers offered boasts boasted
    lacks lacked depends depended relies relied spent spends built builds opened opens
    closed closes raised raises cut cuts issued issues warned warns accused accuses
    denied denies urged urges rejected rejects signed signs agreed agrees joined joins won
    wins beat beats lost loses defeated drew draws tied ties topped tops led leads trailed
    ranked ranks ranked held holds launched launches began begins started starts ended ends
    remained enjoyed enjoys celebrated celebrates marked marks mourned mourns awoke woke
    braced braces prepared prepares experienced experiences recorded fell falls rose rises
    sent sends deployed deploys evacuated evacuates ordered orders demanded demands
    condemned condemns claimed claims insisted insists responded responds threatened
    threatens vowed vows blamed blames sued sues fined fines passed passes adopted adopts
    introduced introduces extended extends requires required allowed allows decided
    decides moved moves became hopes hoped aims aimed seeks sought confirmed confirms
    counted counts registered registers reached reaches topped exported exports imported
    imports produced produces produced hit hits struck experienced shut shuts reopened
    reopens ranks needs paid pays owes owed borrowed borrows sold sells bought buys
    invested invests ratified ratifies recalled recalls expelled expels summoned summons
    """.split()
)
# Irregular past tenses that say a person acted (their -ed forms are caught by shape).
_IRREGULAR_PAST = frozenset(
    """
    ate drank slept swam rode drove wrote read sang rang spoke woke wore tore threw blew
    flew knew grew drew chose froze forgot forgave hid bit shook took gave came went ran
    sat stood told sold found bought brought thought taught caught fought sought felt kept
    left meant met paid said sent spent lent bent built heard made laid led fed fled held
    dug hung spun stuck struck swung wept crept slid spat knelt dreamt leapt
    """.split()
)
# The word after the name, past an adverb ("Sydney quickly parked"; not past "was": "X was
# shelled" is a place's passive), and the word after that.
_WORD = re.compile(
    r"[ \t]+(?:(?:also|then|once|later|finally|never|always|just|quickly|slowly|often|"
    r"rarely|still)[ \t]+)?([a-z]+)\b(?:[ \t]+([a-z]+))?"
)
# Words that may follow a town at the head of a sentence without being its verb
# ("Dallas police said", "Sydney residents were", "Houston area schools").
_PLACE_NOUNS_AFTER = frozenset(
    """
    police officials residents voters authorities council officers firefighters schools
    hospitals mayor area region city county district streets fans teams businesses
    leaders lawmakers prosecutors investigators authorities government airport port
    stocks shares markets exchange bourse court judge prosecutor club zoo
    """.split()
)


def _verb_like(word: str, nxt: str | None) -> bool:
    """Say whether WORD (after a name heading a sentence) reads as that name's verb."""
    if word in _IRREGULAR_PAST:
        return True
    if len(word) > 4 and word.endswith("ed"):
        return True
    # "-s" is a verb or a plural noun: a plural noun before a verb ("Dallas fans cheered",
    # "Aurora officials said") is not the name's verb.
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return nxt is None or not (
            nxt in PLACE_SUBJECT_VERBS or nxt.endswith("ed") or nxt in _IRREGULAR_PAST
        )
    return False


def person_subject(text: str, end: int, given: bool) -> bool:
    """Say whether the name ending at END, heading its sentence, is a person by its verb.

    GIVEN: the name is a common given name (only such a name is judged; a caller checks
    that it is no country). "Sydney parked the van": a person; "Sydney hosted the games",
    "Dallas police said", "Dallas, Texas": not.
    """
    if not given:
        return False
    m = _WORD.match(text, end)
    if m is None:
        return False
    word, nxt = m.group(1), m.group(2)
    if word in PLACE_SUBJECT_VERBS or word in _PLACE_NOUNS_AFTER:
        return False
    return _verb_like(word, nxt)


# Verbs only a person (or an animal) does, never a town or its government: body, feeling,
# chores, sport strokes. A name heading its sentence before one is a person, whether or not a
# given-name table knows it ("Shannon sneezed", "Logan scrubbed the floor").
PERSON_ONLY_VERBS = frozenset(
    """
    sneezed sneezes coughed coughs yawned yawns sighed sighs frowned frowns winked winks
    blinked blinks giggled giggles laughed laughs smiled smiles grinned grins chuckled
    chuckles whistled whistles hummed hums sang sings shrugged shrugs nodded nods wept
    weeps cried cries sobbed sobs blushed blushes hugged hugs kissed kisses cuddled
    napped naps slept sleeps dozed dozes snored snores woke yelled yells shouted shouts
    whispered whispers apologised apologized apologises apologizes
    knitted knits sewed sews ironed irons scrubbed scrubs mopped mops vacuumed hoovered
    baked bakes cooked cooks stirred stirs peeled peels chopped chops tasted tastes
    brewed brews sipped sips gulped gulps munched chewed ate eats drank
    drinks married marries divorced divorces dressed
    braided brushed combed shaved showered bathed tiptoed strolled jogged skipped
    hopped limped knelt kneels danced dances painted paints sketched sketches
    dribbled dribbles volleyed volleys headed curled curls chipped chips putted putts
    holed sprinted sprints swam swims dunked dunks
    punched punches parried parries
    """.split()
)
# Capitalised words after a country or town that make it an organisation, not a person's
# surname ("Israel Police arrested", "Kenya Airways cancelled", "Georgia Power raised").
_ORG_WORDS = frozenset(
    """
    air airways airlines airport bank police army navy forces force defence defense guard
    guards power energy electric telecom mobile railways rail railway post times today
    tribune herald news radio television tv group holdings steel oil gas petroleum mining
    motors industries cement breweries water council ministry government parliament
    assembly senate congress court university college school hospital museum zoo club
    united city town rovers wanderers athletic olympic cup open marathon grand central
    north south east west northern southern eastern western upper lower new old great
    greater little international national federal state republic democratic republican
    party front movement coalition alliance union league association institute foundation
    agency authority customs immigration health ministry stock exchange fc sc
    """.split()
)
_CAP_WORD = re.compile(r"[ \t]+([A-Z][a-zà-ÿ'’-]+)\b")


def person_by_verb(
    text: str,
    start: int,
    end: int,
    persons: list[tuple[int, int]],
    place_ends: set[int] | frozenset[int],
    *,
    country: bool,
) -> bool:
    """Say whether the name at START..END, heading its sentence, is a person by the verb
    after it, though no given-name table knows it:

    - a verb only people do (``PERSON_ONLY_VERBS``): "Shannon sneezed", "Chandler slept";
    - spaCy labels the name a person (PERSONS: the PERSON spans covering it) and a verb
      that is not a place's follows: "Chandler dozed off";
    - a capitalised word follows that names no place (not in PLACE_ENDS, the ends of the
      text's place names) and no organisation, and then a verb that is not a place's: a
      surname, so a person, even after a country's name ("Israel Adesanya knocked out",
      "Jordan Spieth holed"; not "Israel Police arrested", "Kenya Airways said").

    COUNTRY: one of the name's candidates is a country; only the surname rule judges it.
    """
    cap = _CAP_WORD.match(text, end)
    if cap is not None:
        if cap.group(1).casefold() in _ORG_WORDS or cap.end() in place_ends:
            return False
        m = _WORD.match(text, cap.end())
        if m is None:
            return False
        word, nxt = m.group(1), m.group(2)
        if word in PLACE_SUBJECT_VERBS or word in _PLACE_NOUNS_AFTER:
            return False
        return word in PERSON_ONLY_VERBS or _verb_like(word, nxt)
    if country:
        return False
    m = _WORD.match(text, end)
    if m is None:
        return False
    word, nxt = m.group(1), m.group(2)
    if word in PERSON_ONLY_VERBS:
        return True
    if word in PLACE_SUBJECT_VERBS or word in _PLACE_NOUNS_AFTER:
        return False
    return any(s <= start and end <= e for s, e in persons) and _verb_like(word, nxt)


# Goods, food, drink, cloth, dog breeds and colours named after a place (lower-case keys):
# such a word is a place only when a word beside it says so.
EPONYMS = frozenset(
    """
    champagne cognac armagnac calvados bordeaux burgundy chablis beaujolais sancerre
    medoc médoc sauternes rioja chianti marsala madeira sherry port porto tokay tokaji
    asti prosecco lambrusco valpolicella soave bourbon tequila mezcal scotch
    cheddar stilton wensleydale gouda edam brie camembert roquefort parmesan parma
    gorgonzola emmental emmentaler gruyère gruyere feta mozzarella
    cayenne cheshire barolo manchego grappa
    tabasco dijon worcestershire bologna frankfurt hamburg hamburger frankfurter
    wiener seville satsuma tangerine clementine jalapeño jalapeno darjeeling assam ceylon
    mocha kona havana panama bikini tuxedo cashmere angora denim calico damask muslin
    jersey guernsey shetland labrador chihuahua dalmatian pomeranian maltese rottweil
    cologne vichy evian seltzer canary magenta sienna turquoise
    limerick sandwich cardigan balaclava derby ascot wellington bermuda brussels
    turkey guinea china
    """.split()
)
# Nouns after a country that is also a thing ("Jersey milk", "Turkey sandwiches").
THING_AFTER = frozenset(
    """
    milk cream cow cows cattle sweater sweaters shirt shirts fabric wool pig pigs fowl
    sandwich sandwiches dinner dinners leg legs roast plates plate cups cup cabinet hat
    hats cigar cigars
    """.split()
)
_NEXT_LOWER = re.compile(r"[ \t]+([a-z]+)\b")


def thing_sense(
    text: str,
    start: int,
    end: int,
    surface: str,
    *,
    country: bool,
    big: bool,
    head: bool,
    place_cue: bool,
) -> bool:
    """Say whether SURFACE at START..END names a thing, not the place.

    COUNTRY: one of its candidates is a country; then only a noun of ``THING_AFTER`` right
    after it makes it a thing ("Jersey milk", not "Jersey said"). BIG: one is a city of
    100,000+ or a capital, which news names bare ("Brussels said", "Frankfurt stocks"): a
    thing only at the HEAD of a sentence, before a word that is neither a place's verb nor
    a place noun ("Brussels sprouts", "Bordeaux and cheese"). Otherwise (a small town or a
    region: "Champagne", "Cheddar") a thing unless PLACE_CUE: a word beside it says
    "place" (the caller's preposition, verb, place noun, qualifier and list checks).
    """
    if surface.casefold() not in EPONYMS or place_cue:
        return False
    nxt = _NEXT_LOWER.match(text, end)
    if country:
        return nxt is not None and nxt.group(1) in THING_AFTER
    if big:
        if not head or nxt is None:
            return False
        word = nxt.group(1)
        if word in ("and", "or"):
            # "Bordeaux and cheese", not "Brussels and its allies", "Bordeaux and the
            # surrounding vineyards".
            after = _NEXT_LOWER.match(text, nxt.end())
            return after is not None and after.group(1) not in _DETERMINERS
        return word not in PLACE_SUBJECT_VERBS and word not in _PLACE_NOUNS_AFTER
    return True


_DETERMINERS = frozenset(
    """
    the a an its their his her our this that these those other nearby surrounding several
    many some all both two three four five neighbouring neighboring outlying
    """.split()
)


# Big cities that are also given names, beside personnames.GIVEN_NAMES (which leaves them
# out because a town after them is read as a surname, and "Paris France" is two places):
# only before a one-word person ("Paris Jackson" when spaCy labels "Jackson" a person).
CITY_GIVEN_NAMES = frozenset("paris london vienna siena roma sofia brooklyn".split())

_NAME_WORD = re.compile(r"([A-Z][a-zà-ÿ'’-]+)[ \t]+$")


def surname_after_name(
    text: str,
    start: int,
    spans: list[tuple[int, int, str]],
    town: bool,
    given: set[str] | frozenset[str],
) -> bool:
    """Say whether the name at START is the surname of a two-word person or organisation
    span ("Paris Jackson", "Adil Amman" labelled ORG) whose first word is a given name
    (GIVEN) or a word that names no place. Only a TOWN is read so: "Air India", "Radio
    Free Asia" keep their countries."""
    if not town:
        return False
    for s, e, label in spans:
        if label not in ("ORG", "PERSON") or not (s < start < e):
            continue
        first = _NAME_WORD.fullmatch(text, s, start)
        if first is None:
            continue
        return first.group(1).casefold() in given
    return False


# What a person has and a place does not, after a possessive ("Jordan's wife", "Chad's
# hat-trick", "Georgia's left knee"): the name is a person, even a country's.
_PERSONAL_AFTER_POSSESSIVE = re.compile(
    r"(?:'s|’s)[ \t]+(?:(?:new|late|former|second|first|third|older|younger|elder|eldest|"
    r"left|right|injured|sprained|broken|twin|baby|debut|stunning|solo)[ \t]+)?"
    r"(?:wife|husband|mother|father|mum|mom|dad|son|sons|daughter|daughters|brother|"
    r"brothers|sister|sisters|girlfriend|boyfriend|fiancé|fiancée|fiance|fiancee|parents|"
    r"grandmother|grandfather|grandson|granddaughter|nephew|niece|birthday|hat-trick|"
    r"hattrick|brace|header|equaliser|equalizer|tackle|knee|ankle|hamstring|shoulder|"
    r"haircut|hairstyle|smile|memoir|memoirs|autobiography|album|singles?|boots|jersey)\b"
)


def possessive_person(text: str, end: int) -> bool:
    """Say whether the name ending at END is followed by a possessive of something only a
    person has ("Jordan's wife", "Kenya's debut album", "Chad's hat-trick")."""
    return _PERSONAL_AFTER_POSSESSIVE.match(text, end) is not None


# --- people and teams by the shape of the sentence (issue #10, fourth round) ----------------

# A verb in the plural right after a town's name: British English writes a club so ("Leeds
# were relegated", "Chelsea have signed"); a town takes the singular ("Leeds was flooded").
# Or the town's verb and then "their" ("Chelsea beat their rivals", "Liverpool sacked their
# manager"): a council says "its".
_TEAM_AFTER = re.compile(
    r"[ \t]+(?:(?:were|are|have|weren't|aren't|haven't)\b|([a-z]+)[ \t]+their\b)"
)


def team_subject(text: str, end: int) -> bool:
    """Say whether the town name ending at END, heading its sentence, is a team by its
    verb: a plural verb after it ("Leeds were relegated") or its verb and "their" ("Chelsea
    beat their rivals"). The caller checks that it heads a sentence and is a town (no
    country, province or island, whose plural names take plural verbs: "the Bahamas
    are")."""
    m = _TEAM_AFTER.match(text, end)
    if m is None:
        return False
    word = m.group(1)
    if word is None:
        return True
    return word not in _PLACE_NOUNS_AFTER and (
        word in PLACE_SUBJECT_VERBS or _verb_like(word, "their")
    )


_AND_NAME = re.compile(r"[ \t]+and[ \t]+([A-Z][a-zà-ÿ'’-]+)\b")
_NAME_AND = re.compile(r"([A-Z][a-zà-ÿ'’-]+)[ \t]+and[ \t]+$")
_HEAD_BEFORE = re.compile(r"(?:^|[.!?:;\n])[ \t\"'“‘(]*$")


def paired_subject(
    text: str, start: int, end: int, given: frozenset[str] | set[str], *, head: bool
) -> bool:
    """Say whether the name at START..END is one of two names joined by "and", at least one
    a given name (GIVEN), that head their sentence before a verb a town does not do: "Denver
    and Austin shared a flat" (as "Austin shared a flat" alone is a person); not "Kharkiv
    and Odesa were shelled", "Dallas and Austin recorded". HEAD: the name itself heads its
    sentence (else it may be the second of the pair). The caller keeps countries out."""
    after_pair = _AND_NAME.match(text, end)
    if head and after_pair is not None:
        first, second, after = text[start:end], after_pair.group(1), after_pair.end()
    else:
        before = _NAME_AND.search(text, max(0, start - 40), start)
        if before is None or not _HEAD_BEFORE.search(text, 0, before.start()):
            return False
        first, second, after = before.group(1), text[start:end], end
    if first.casefold() not in given and second.casefold() not in given:
        return False
    return person_subject(text, after, True)


# Words for units of a country that WordNet lacks ("Kursk Oblast", "Ninewa Governorate").
_UNIT_NAMES = frozenset(
    """
    oblast oblasts governorate governorates aimag aimak aymag soum sum krai kray raion
    rayon oblys velayat wilaya wilayat kebele woreda tehsil upazila kabupaten barangay
    departement département provincia estado distrito municipio
    """.split()
)


def given_before_surname(
    text: str, start: int, end: int, place_ends: set[int] | frozenset[int]
) -> bool:
    """Say whether the name at START..END is a given name because a surname follows it: one
    capitalised word that is no English word (nor the plural of one, nor of hyphenated
    English words), names no place (not in PLACE_ENDS) and no organisation, is no
    possessive or abbreviation and has no third capitalised word after it ("Israel
    Adesanya", "Kenya Odhiambo"; not "Gaza Strip", "Kenya Airways", "Dallas Cowboys",
    "Ohio Gov.", "Egypt Dan Kurtzer", "U.S. Attorney's"). Not after a determiner: "the
    Atlanta Journal-Constitution", "his Toyota Hilux" are names of things."""
    from watchfloor.enrich.englishwords import is_english_word

    cap = _CAP_WORD.match(text, end)
    if cap is None or cap.end() in place_ends:
        return False
    if _DETERMINER_BEFORE.search(text, max(0, start - 8), start):
        return False
    word = cap.group(1)
    folded = word.casefold().replace("’", "'")
    if folded.endswith(("'s", "'", "n't")) or _AFTER_SURNAME.match(text, cap.end()):
        return False
    if folded in _ORG_WORDS or folded in _UNIT_NAMES:
        return False
    parts = [p for p in folded.split("-") if p]
    return not any(
        is_english_word(p) or (p.endswith("s") and is_english_word(p[:-1])) for p in parts
    )


_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|a|an|his|her|their|its|our|my|your|this|that)[ \t]+$", re.I
)
# After a surname: another capitalised word (a longer name or title: "Holy See Mikayel
# Minasyan") or the full stop of an abbreviation ("Ohio Gov. Ted").
_AFTER_SURNAME = re.compile(r"[ \t]+[A-Z]|\.[ \t]+[A-Z][a-z]+[ \t]+[A-Z]")


# "the nurse woke Phoenix at six", "the manager promoted Florence to head chef": a subject
# of "the" and a noun, a verb in the past, and the name as its object before a preposition
# or the end of the clause. Verbs of war and travel ("the army entered Florence") are the
# caller's place cue and are never asked.
_SUBJECT_VERB_BEFORE = re.compile(
    r"\b(?:the|a|an|his|her|their|our|my)[ \t]+([a-z]+)[ \t]+([a-z]+)[ \t]+$"
)
_OBJECT_END = re.compile(
    r"[ \t]*(?:[.,;:!?)]|$)|[ \t]+(?:at|to|as|for|with|into|after|before|until|about|over|"
    r"during|because|and|but|when|while)\b"
)


def person_object(text: str, start: int, end: int) -> bool:
    """Say whether the given name at START..END is the object of a verb said of people:
    after "the <noun> <verb in the past>" and before a preposition or the end of the clause
    ("the coach benched Madison for the final"; not "the city of Madison", "the firm opened
    Phoenix offices"). The caller checks that the name is a given name, no country, and has
    no place cue."""
    before = _SUBJECT_VERB_BEFORE.search(text, max(0, start - 60), start)
    if before is None or _OBJECT_END.match(text, end) is None:
        return False
    noun, verb = before.group(1), before.group(2)
    if noun in _DETERMINERS or noun.endswith("ly"):
        return False
    return verb in _IRREGULAR_PAST or (len(verb) > 4 and verb.endswith("ed"))
