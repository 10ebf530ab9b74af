"""Geoparse text: find place names and resolve each to coordinates, using the whole text.

Pipeline:

1. Mentions: spaCy place entities (GPE, LOC, FAC), nationality words (NORP, when asked)
   and gazetteer matches in any script (see :mod:`watchfloor.enrich.entities`).
   Weak names, which the gazetteer knows but spaCy missed or labelled a person or an
   organisation and which are not strong names alone ("outside Timbuktu", "fled
   Bukavu"), are candidates whose evidence decides: a preposition or war verb before,
   a place noun after, the text's countries and nearby places, a list with a place, the
   same name elsewhere; titles, given names and "said" keep people people.
2. Candidates: every gazetteer entry with that name (main or alternate name).
3. Resolution, in two passes. The first scores each candidate from its own evidence: its
   kind (a country before a city), population, whether the name is its main name, the
   country hint, a qualifier right after the name ("Paris, Texas"; "Alexandria, La.").
   The second adds the text's context: the countries and admin-1 units the first pass
   found elsewhere in the text, and how many other resolved places lie nearby.

``watchfloor geoparse IN.jsonl --out OUT.jsonl`` runs the JSONL contract.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from watchfloor.config import GeoparseSettings
from watchfloor.enrich.englishwords import is_english_word
from watchfloor.enrich.entities import (
    PLACE_LABELS,
    WEAK_STOPWORDS,
    Entity,
    gazetteer_entities,
    lone_match_ok,
    lone_text_ok,
    ner_entities,
)
from watchfloor.enrich.gazetteer import (
    FOCUS_COUNTRIES,
    Gazetteer,
    Place,
    haversine_km,
    is_latin,
    load_gazetteer,
)
from watchfloor.enrich.namesense import (
    CITY_GIVEN_NAMES,
    EPONYMS,
    given_before_surname,
    paired_subject,
    person_by_verb,
    person_object,
    person_subject,
    possessive_person,
    surname_after_name,
    team_subject,
    thing_sense,
)
from watchfloor.enrich.personnames import GIVEN_NAMES
from watchfloor.enrich.placewords import (
    LATIN_IN_OTHER_SCRIPT_MIN_POPULATION,
    local_candidates,
    mostly_other_script,
    not_a_place_here,
)
from watchfloor.errors import EnrichError

log = logging.getLogger(__name__)

_DEFAULTS = GeoparseSettings()
NATURAL_FEATURES = frozenset({"island", "sea", "range", "region", "continent"})
# Words that turn a name into an administrative unit of the same name.
UNIT_SUFFIXES = ("County", "Parish", "Province", "Oblast", "Region", "District", "State")
# A capital or country followed by a verb of speech or policy names its government.
_METONYMY = re.compile(
    r"(?:'s? government|’s? government)?\s+(?:has |have |had |will |would )?"
    r"(?:said|says|say|warned|warns|announced|announces|accused|accuses|demanded|demands|"
    r"insisted|insists|denied|denies|claimed|claims|urged|urges|responded|threatened|"
    r"rejected|rejects|signalled|signaled|vowed|condemned|condemns|wants|believes)\b"
)
# Lower-case words after a name that say what kind of place it is. They are not part of the
# name ("Idlib province", "Khovd aimag", "Choir soum"), and the EUPEG gold mostly leaves
# them out. Values: the feature they point to; "" for units the gazetteer lacks (counties).
UNIT_WORDS = {
    "province": "admin1", "provinces": "admin1", "aimag": "admin1", "aimags": "admin1",
    "aimak": "admin1", "aimaks": "admin1", "oblast": "admin1", "oblasts": "admin1",
    "prefecture": "admin1", "prefectures": "admin1", "region": "admin1", "regions": "admin1",
    "soum": "city", "soums": "city", "mine": "poi", "mines": "poi",
    "city": "city", "cities": "city", "town": "city", "towns": "city", "village": "city",
    "villages": "city",
    "district": "", "districts": "", "county": "", "counties": "",
}  # fmt: skip
# Unit words strong enough to make a name labelled PERSON or ORG by spaCy a place
# ("Selenge province", "Govisümber and Sükhbaatar aimags", "Oyu Tolgoi mine").
RESCUE_UNITS = frozenset(
    {"province", "provinces", "aimag", "aimags", "aimak", "aimaks", "oblast", "oblasts",
     "soum", "soums", "mine", "mines"}
)  # fmt: skip
_UNIT_AFTER = re.compile(r"\s+([a-z]+)\b")
_OF_AFTER = re.compile(r"\s+of\b")
# "Govisümber, Dornogovi and Sükhbaatar aimags": names listed before a plural unit word.
_LIST_TAIL = re.compile(r"(?:,?\s+(?:and|or)\s+|,\s+)[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?")
# A demonym followed by one of these names an observance ("European Day"), not a people.
_OBSERVANCE = re.compile(r"\s+(?:Day|Days|Week|Month|Year|New Year|Festival|Holiday)\b")
# A place after a locative preposition is where something happened, not who spoke.
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|from|near|outside|around|across)\s+(?:the\s+)?$")
_LEADING = re.compile(r"^(?:the|The|THE)\s+")
# ---- Evidence for a name the gazetteer knows but spaCy missed or mislabelled ("weak").
# Compass words and the like allowed between a preposition and the name ("in northern Mali").
_DIRECTION = (
    r"(?:(?:the\s+)?(?:(?:north|south|east|west|central|northern|southern|eastern|western|"
    r"north-?eastern|north-?western|south-?eastern|south-?western|central|nearby|neighbouring|"
    r"neighboring|besieged|embattled|frontline|front-line|occupied|port|border|city|town|"
    r"village|capital|key|strategic|provincial|regional)\s+)*)"
)
_NAME_ITEM = r"[A-Z][\w'’‘.-]*(?:\s+[A-Z][\w'’‘.-]*)?"
_LIST_BEFORE = rf"(?:{_NAME_ITEM}(?:,\s+and\s+|,\s+or\s+|,\s+|\s+and\s+|\s+or\s+))*"
# Prepositions that put what follows somewhere, directly or ahead of a list of names
# ("between Gao and Ansongo").
_PLACE_PREP = re.compile(
    r"\b(?:in|In|near|Near|outside|Outside|around|Around|from|From|at|At|towards|toward|"
    r"Towards|into|across|between|Between|off|via|through|throughout|inside|within|"
    r"outskirts\s+of|north\s+of|south\s+of|east\s+of|west\s+of|"
    r"(?:[Rr]esidents|[Ii]nhabitants|[Pp]eople|[Cc]itizens|[Pp]opulation|[Ss]treets|"
    r"[Oo]utskirts|[Ss]uburbs|[Cc]entre|[Cc]enter|[Hh]eart)\s+of|"
    r"[Ff]rom\s+" + _NAME_ITEM + r"\s+to)\s+" + _DIRECTION + _LIST_BEFORE + "$"
)
_WEAK_PREP = re.compile(r"\b(?:to|of|for|on)\s+" + _DIRECTION + _LIST_BEFORE + "$")
# Verbs of war and movement whose object is usually a place ("retook Marawi", "fled Bukavu").
_PLACE_VERB = re.compile(
    r"\b(?:struck|strike|strikes|hit|hits|shelled|shells|shelling|attacked|attacks|bombed|"
    r"bombarded|captured|capture|seized|seize|retook|retake|recaptured|took|entered|enter|"
    r"fled|flee|fleeing|liberated|besieged|surrounded|encircled|evacuated|stormed|raided|"
    r"reached|visited|visit|visiting|left|leaving|leave|return|returned|arrived|taking|"
    r"overran|occupied|occupying|capturing|seizing|retaking|shelling|bombing|"
    r"(?:advanced|advancing|advance|marched|marching|closed\s+in|converged)\s+on|"
    # Movement to a destination ("troops were sent to Kharkiv", "protests spread to
    # Goma"): what people, goods or unrest are moved to is a place.
    r"(?:sent|deployed|dispatched|redeployed|moved|relocated|transferred|evacuated|"
    r"airlifted|flown|fled|fleeing|spread|spreading|headed|heading|rushed|diverted|"
    r"displaced|deported|expelled|extradited|rerouted|trucked|shipped|bused|bussed)\s+to)\s+"
    + _DIRECTION
    + _LIST_BEFORE
    + "$"
)
# A name as the subject of a passive verb of war ("X was shelled overnight", "X came under
# fire"): what is shelled is a place.
_PASSIVE_WAR_AFTER = re.compile(
    r"\s+(?:was|were|has\s+been|had\s+been|is\s+being|was\s+being|is|are)\s+"
    r"(?:(?:again|repeatedly|heavily|badly|also|reportedly|briefly)\s+)?"
    r"(?:shelled|bombed|bombarded|besieged|overrun|recaptured|retaken|liberated|encircled|"
    r"flooded|evacuated|struck|hit|pounded|blockaded|cut\s+off|captured|seized|stormed|"
    r"raided|looted|occupied|annexed)\b"
    r"|\s+(?:came|comes|has\s+come|had\s+come)\s+under\s+(?:heavy\s+)?"
    r"(?:fire|attack|shelling|bombardment|siege|rocket\s+fire)\b"
)
# ---- Evidence that a name at the head of a sentence is a person or a thing, not a place.
# Verbs hardly ever said of a place or its government ("Phoenix adopted two cats").
_PERSON_VERB_AFTER = re.compile(
    r",?\s+(?:(?:has|had|was|is|also|then|once|later|finally)\s+)?"
    r"(?:adopted|sang|sings|danced|dances|married|marries|divorced|graduated|smiled|smiles|"
    r"laughed|laughs|wept|cried|hugged|kissed|starred|stars|giggled|whispered|shrugged|"
    r"nodded|blushed|knitted|baked|cooked|painted|learned|learnt|taught|celebrated\s+(?:his|"
    r"her)|was\s+born|gave\s+birth|fell\s+in\s+love|played\s+the\s+(?:villain|hero|lead|"
    r"role|part|piano|guitar|violin|drums)|was\s+fined|was\s+named\s+(?:player|captain))\b"
)
# "X, a herder, said": an apposition naming a person.
_PERSON_APPOSITION = re.compile(
    r",\s+(?:a|an|the)\s+(?:[a-z-]+\s+)?(?:herder|teacher|farmer|student|nurse|doctor|driver|"
    r"mother|father|grandmother|grandfather|widow|widower|pensioner|shopkeeper|trader|"
    r"fisherman|miner|worker|soldier|veteran|lawyer|engineer|journalist|artist|singer|"
    r"player|woman|man|girl|boy|mother-of-\w+|father-of-\w+|housewife|midwife|"
    r"carpenter|tailor|baker|chef|cook|poet|novelist|actor|actress|dancer|musician|"
    r"athlete|coach|priest|monk|nun|pupil|graduate|retiree|volunteer|activist|officer)\b"
)
# A personal pronoun in the same sentence ("Paris said she ...", "Israel knocked out his
# opponent"): a country or town is "it".
_PERSONAL_PRONOUN = re.compile(r"\b(?:she|her|hers|herself|he|his|him|himself)\b")
# Words that bring another person into the sentence, whom the pronoun may mean.
_OTHER_PERSON = re.compile(
    r"\b(?:[Pp]resident|[Mm]inister|[Pp]remier|[Cc]hancellor|[Ll]eader|[Kk]ing|[Qq]ueen|"
    r"[Pp]rince|[Ee]nvoy|[Aa]mbassador|[Ss]pokes(?:man|woman|person)|[Cc]hief|[Ss]ecretary|"
    r"[Gg]eneral|[Cc]ommander|[Oo]fficial|[Dd]iplomat|[Mm]ayor|[Gg]overnor|[Pp]ope|[Ee]mperor|"
    r"[Pp]resident-elect|[Hh]ead|[Mm]onarch|[Ss]ultan|[Ee]mir|[Dd]ictator|[Ww]oman|[Mm]an)\b"
)
_CLAUSE_END = re.compile(r"[.!?;:,\"“”](?:\s|$)|\n|[\"“”]")
_VERB_NEXT = re.compile(
    r",?\s+(?:[a-z]+\s+)?(?!(?:is|has|was|does|goes|seems|looks)\b)"
    r"[a-z]+(?:ed|s)\b|\s+(?:told|sold|left|sang|won|"
    r"knocked|took|gave|made|said|says|wrote|ran|held|kept|lost|got|met|came|went|saw|spent|"
    r"thought|felt|knew|heard)\b"
)
# A place name followed by one of these lower-case words is a thing named after it
# ("Buffalo wings", "Guinea pigs", "Wellington boots"), not the place.
COMPOUNDS = {
    "buffalo": "wings chicken sauce mozzarella",
    "cayenne": "pepper peppers",
    "guinea": "pig pigs fowl fowls worm",
    "java": "programmer programmers developer developers code applet applets script",
    "wellington": "boot boots",
    "jersey": "sales shirt shirts cow cows fabric dress dresses number numbers",
    "panama": "hat hats",
    "bermuda": "shorts grass",
    "brussels": "sprout sprouts",
    "dijon": "mustard",
    "cheddar": "cheese",
    "parmesan": "cheese",
    "worcestershire": "sauce",
    "tabasco": "sauce",
    "champagne": "glass glasses flute flutes bottle bottles",
    "cologne": "bottle bottles",
    "madeira": "cake",
    "victoria": "sponge",
    "boston": "terrier terriers",
    "labrador": "retriever retrievers puppy puppies",
    "shetland": "pony ponies",
    "angora": "wool rabbit rabbits goat goats",
    "cashmere": "sweater sweaters scarf scarves wool",
    "turkey": "sandwich sandwiches dinner dinners leg legs",
    "china": "plates plate cups cup cabinet doll dolls",
    "havana": "cigar cigars",
    "damascus": "steel",
    "oxford": "shoes comma",
    "bologna": "sandwich sandwiches",
    "hamburg": "steak",
    "denver": "omelette omelet",
    "philadelphia": "cheese",
}
_COMPOUNDS = {k: frozenset(v.split()) for k, v in COMPOUNDS.items()}
# Goods, food, animals and colours: after a town or province at the head of a sentence
# they make it the name of a thing ("Manila envelopes", "Seville oranges", "Paris green"),
# whatever the town; countries keep to COMPOUNDS ("Turkey sandwiches").
THING_NOUNS = frozenset(
    """
    juice pie pies cream cake cakes cheese cheeses sauce sauces sandwich sandwiches bun buns
    bread loaf sausage sausages ham bacon steak steaks wine wines beer ale tea teas coffee
    orange oranges lemon lemons apple apples pear pears peas beans sprouts pepper peppers
    mustard cigar cigars hat hats boot boots shoe shoes shirt shirts scarf scarves wool silk
    lace cloth rug rugs carpet carpets envelope envelopes glass glasses bottle bottles soap
    salts pottery porcelain cabbage cocktail cocktails wings chicken terrier terriers pony
    ponies cow cows sheep pig pigs hound hounds green blue red yellow white pink purple
    pudding buns biscuit biscuits cookie cookies chocolate chocolates fudge toffee ketchup
    mayonnaise salad salami sprout
    """.split()
)
# Common English words that name a place only when capitalised ("the china in the cabinet").
LOWER_COMMON = frozenset(
    "china turkey jersey java champagne cologne guinea cayenne buffalo phoenix reading "
    "mobile nice bath split chad jordan georgia victoria florence".split()
)
# Titles and relatives right before a name make it a person, whatever place it is also
# the name of ("Aunt Florence", "her son Lincoln", "Coach Dallas", "Sister Lourdes").
_KIN_TITLE_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sr|Jr)\.?|\b(?:Uncle|Aunt|Auntie|Grandma|Grandpa|"
    r"Granny|Grandmother|Grandfather|Coach|Sister|Brother|Father|Mother|Madame|Monsieur|"
    r"Señor|Señora|Doña|Don)|\b(?:his|her|their|my|our|your|a|the)\s+(?:(?:best|old|"
    r"eldest|youngest|little|younger|older|late)\s+)?(?:friend|son|daughter|wife|husband|"
    r"brother|sister|mother|father|cousin|uncle|aunt|niece|nephew|grandson|granddaughter|"
    r"boyfriend|girlfriend|fiancé|fiancée|partner|colleague|teammate|classmate|neighbour|"
    r"neighbor|baby|child|twin))\s+$"
)
# Verbs whose object is a person, before a name that is also a given name ("told Florence
# that", "married Austin").
_PERSON_OBJECT_BEFORE = re.compile(
    r"\b(?:told|tell|tells|asked|ask|asks|married|marry|thanked|hugged|kissed|met|meet|"
    r"invited|helped|questioned|interviewed|phoned|called|texted|emailed|greeted|"
    r"congratulated|praised|blamed|hired|fired|dated|loves|loved|named\s+(?:her|him|it))\s+$"
)
# What people do and towns do not, after a name that is a given name at the head of a
# sentence ("Florence won the spelling contest", "Madison fixed the fence").
_PERSON_VERBS_GIVEN = re.compile(
    r",?\s+(?:(?:has|had|was|is|also|then|once|later|finally|never|always|just)\s+)?"
    r"(?:won|wins|scored|scores|lost\s+(?:his|her|their)|finished\s+(?:his|her|their)|"
    r"learned|learnt|taught|teaches|wrote|writes|read|reads|sang|sings|danced|dances|"
    r"married|divorced|retired|resigned|graduated|studied|trained|swam|walked|drove|rode|"
    r"cooked|cooks|baked|bakes|ate|drank|slept|woke|smiled|laughed|cried|wept|fixed|fixes|"
    r"repaired|mended|knitted|sewed|carved|painted|drew|bought|borrowed|lent|paid|owed|"
    r"adopted|fed|washed|cleaned|collected|picked|played|plays|signed\s+(?:with|for)|"
    r"missed|misses|joined|quit|sold\s+(?:his|her|their)|ran\s+(?:away|home|a|the)|"
    r"runs\s+(?:a|the)|run\s+(?:a|the|away|home)|works|worked|lives|lived|loves|loved|"
    r"hates|hated|wants|wanted|"
    r"hopes|hoped|thanked|told\s+(?:his|her|their|the\s+(?:police|court|judge|jury))|"
    r"was\s+(?:cut(?!\s+off)|dropped|sent\s+off|injured|fined|arrested|born|named|elected|"
    r"appointed|promoted|sacked|released|freed|found\s+guilty|acquitted|married))\b"
)
# Compass words that are also the names of admin-1 units ("Northern" Province of Zambia).
COMPASS_NAMES = frozenset(
    "north south east west northern southern eastern western central centre center".split()
)
# What may follow a compass name used as the unit's name: an end, a verb, a link word.
_COMPASS_AFTER = re.compile(
    r"(?:[.,;:!?)'\"”’]|\s*$|\s+(?:was|were|is|are|has|had|have|will|would|and|or|in|on|to|"
    r"after|before|as|where|with|said|province|provinces|region|district)\b)"
)
_NEXT_LOWER_WORD = re.compile(r"[ \t]+([a-z]+)\b")
_SKIP_NAME = re.compile(r"[ \t]+[A-Z][\w'’-]+")
# Words after a name that say it is a place ("Kursk region", "Goma airport").
_PLACE_NOUN_AFTER = re.compile(
    r"\s+(?:city|town|village|region|province|district|area|port|airport|governorate|"
    r"oblast|aimag|soum|county|territory|border|outskirts|suburb|suburbs|neighbourhood|"
    r"neighborhood|prefecture|municipality|state|valley|front|frontline|checkpoint|"
    r"crossing|base|garrison|residents|city's|town's)\b"
)
# Titles and roles that make the next name a person ("President X", "envoy Gao Yan").
_TITLE_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Gen|Lt|Col|Capt|Sgt|Cpl|Maj|Adm|Sen|Rep|Gov|Rev|Sr|Jr)"
    r"\.?|\b(?:President|Premier|Minister|Chancellor|Chairman|Chairwoman|General|Colonel|"
    r"Captain|Major|Sergeant|Senator|Governor|Mayor|Judge|Justice|Professor|Father|Sister|"
    r"Brother|King|Queen|Prince|Princess|Sheikh|Sir|Lady|Lord|Emir|Sultan|Imam|"
    r"Commander|Secretary|Ambassador|Pope|Bishop|Archbishop|Coach|Officer|Detective|"
    r"president|premier|minister|chancellor|chairman|chairwoman|envoy|ambassador|spokesman|"
    r"spokeswoman|spokesperson|commander|coach|player|striker|midfielder|defender|actor|"
    r"actress|singer|rapper|director|author|writer|chief|leader|officer|lawyer|attorney|"
    r"mayor|governor|senator|judge|secretary|counterpart|colleague|dr|mr|mrs|ms|"
    r"son|daughter|wife|husband|brother|sister|father|mother|uncle|aunt|cousin|"
    r"named|called|told|thanked|met)\.?)\s+$"
)
_SPEECH_AFTER = re.compile(
    r"\s+(?:has\s+|had\s+|also\s+)?(?:said|says|told|tells|added|adds|explained|wrote|"
    r"writes|asked|argued|noted|recalled|laughed|smiled|replied|explains)\b"
)
# A street named after a town ("State and Hubbard streets") is no town.
_STREET_AFTER = re.compile(r"\s+(?:streets?|avenues?|roads?|boulevard|lane|drive)\b")
_ABBREVIATION_AFTER = re.compile(r"\.(?:[,;:]|\s+[a-z])")
_COMPOUND_AFTER = re.compile(r"[-\u2010\u2011][A-Z]")
# What follows a name used on its own as a noun ("running the Webster."), not as an
# attribute ("the Pirbright laboratory").
_BARE_AFTER = re.compile(r"(?:[.,;:!?)'\"”’]|$|\s+(?:was|is|has|had|will|would|and|in|on)\b)")
_NEXT_CAPITALISED = re.compile(r"[ \t]+(?:[A-Z][a-z]|[A-Z]\.)")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")
_PREV_WORD = re.compile(r"([A-Za-z][\w'’-]*)[ \t]+$")
_LIST_SEP = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)")
_FROM_BEFORE = re.compile(r"\b[Ff]rom\s+$")
_TO_SEP = re.compile(r"\s+to\s+")
# "Morobe in Papua New Guinea" as one entity: a place and its country.
_IN_SEP = re.compile(r"\s+in\s+")
# ", Texas", ", La.", ", British Virgin Islands", ", Trinidad and Tobago" after a name.
_QUALIFIER = re.compile(r", ([A-Z][\w.]*(?: (?:(?:and|of|the) )?[A-Z][\w.]*){0,3})")
# " in Fiji", " in the Solomon Islands" after a name: the country it lies in.
_IN_COUNTRY = re.compile(r" in (?:the )?([A-Z][\w.]*(?: (?:(?:and|of|the) )?[A-Z][\w.]*){0,3})")
# The rest of an agency's dateline after its place: "X, Some Country (AP) —", "X (Reuters) -".
_DATELINE_AFTER = re.compile(
    r"(?:,\s+[A-Z][\w.’'-]*(?:\s+(?:(?:and|of|the)\s+)?[A-Z][\w.’'-]*){0,3})?\s+"
    r"\((?:AP|Reuters|AFP|dpa|Xinhua|UPI|Bloomberg|PTI|IANS|ANI|EFE|Anadolu|TASS|"
    r"Sputnik|Montsame|Yonhap|Kyodo)\)\s*[—–-]"
)
# What spaCy runs into a name from the words after it: a comma, an agency's bracket
# ("Kati, Mali (AP"), a short word of the sentence ("Sangre Grande to", "Gouyave and").
_SPAN_TAIL = re.compile(
    r"(?:[\s,;:]*\((?:[A-Z][A-Za-z]*\)?)?|,|;|:|\s+(?:to|and|or|in|after|at|on|from|near|"
    r"as|by|for|with|was|were|is|are|has|had))+$"
)
# Two names side by side: "X and Y", "X, Y", "from X to Y", "between X and Y".
_PAIR_SEP = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&|to)\s+)")
_SEP_BEFORE = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)$")
# Words that mark a military story ("Tavan Tolgoi" is then the training area, not the mine).
_MILITARY = re.compile(
    r"\b(?:[Tt]roops|[Ss]oldiers|[Mm]ilitary|[Pp]eacekeep\w*|[Ee]xercises?|[Dd]rills?|"
    r"[Tt]raining|Khaan Quest|[Aa]rmed [Ff]orces|[Bb]attalion|[Bb]rigade)\b"
)
# What spaCy's label of a weak name costs it ("" for none; other labels cost 0.5).
_LABEL_COST = {"": 0.0, "PERSON": 1.0, "ORG": 1.0}
# Towns smaller than this are not candidates for a name spaCy labelled otherwise.
SMALL_PLACE = 1000
# An admin-1 unit of a country with fewer people a unit than 10**_ADMIN1_FULL_LOG scores
# below the full admin-1 prior; _ADMIN1_TIE * log10(people a unit) breaks ties.
_ADMIN1_FULL_LOG = 5.0
_ADMIN1_TIE = 0.001
_TRAILING = re.compile(r"(?:'s|’s|')$")
# US postal and AP-style state abbreviations, for "Alexandria, La." qualifiers.
US_STATE_ABBR = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT",
    "Del.": "DE", "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS",
    "Kans.": "KS", "Ky.": "KY", "La.": "LA", "Md.": "MD", "Mass.": "MA", "Mich.": "MI",
    "Minn.": "MN", "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE", "Nebr.": "NE",
    "Nev.": "NV", "N.H.": "NH", "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC",
    "N.D.": "ND", "Okla.": "OK", "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC",
    "S.D.": "SD", "Tenn.": "TN", "Tex.": "TX", "Vt.": "VT", "Va.": "VA", "Wash.": "WA",
    "W.Va.": "WV", "Wis.": "WI", "Wyo.": "WY",
}  # fmt: skip


@dataclass(slots=True)
class ResolvedPlace:
    """A place mention resolved to a gazetteer entry; offsets in characters, end exclusive.

    ``demonym`` marks nationality words ("Mongolian") resolved to their country: they name
    a people, not a spot, so maps and hotspots should skip them. ``metonymy`` marks a place
    name used for its government or institutions ("Washington said"): it is still resolved
    (the evaluation corpora annotate it) but hotspots should not map it.
    """

    text: str
    start: int
    end: int
    name: str
    country: str
    admin1: str
    feature: str
    lat: float
    lng: float
    population: int
    key: str
    score: float
    demonym: bool = False
    metonymy: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the JSONL contract's view of this place."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "lat": round(self.lat, 5),
            "lng": round(self.lng, 5),
            "name": self.name,
            "country": self.country,
            "feature": self.feature,
        }


@dataclass(slots=True)
class _Mention:
    text: str
    start: int
    end: int
    candidates: list[tuple[Place, bool]]
    demonym: bool = False
    qualifier: tuple[str, str] | None = None  # (country, admin1 code) named right after
    metonymy: bool = False
    unit: str | None = None  # feature named by a unit word after it ("province" -> admin1)
    best: Place | None = None
    best_score: float = -math.inf
    label: str = ""  # for a weak mention: spaCy's label of it ("" when it had none)
    evidence: float = 0.0  # for a weak mention: what its own surroundings say
    cue: bool = False  # for a weak mention: a word beside it says "place" (in, region, ...)
    needs_country: bool = False  # a weak compass name: only units of the text's countries
    one_place: bool = False  # a weak name only one place bears (_one_place_name)
    first: Place | None = None  # the first pass's reading (for the admin-1 context)
    pair_country: str | None = None  # the country it shares with a partner (_pair_countries)


@dataclass(slots=True)
class _Found:
    """Mentions found so far, the spans they take, and the spans spaCy gave to people and
    organisations (``blocked``: (start, end, label))."""

    mentions: list[_Mention] = field(default_factory=list)
    taken: list[tuple[int, int]] = field(default_factory=list)
    blocked: list[tuple[int, int, str]] = field(default_factory=list)
    weak: list[_Mention] = field(default_factory=list)
    list_parts: set[int] = field(default_factory=set)
    lower_words: frozenset[str] | None = None  # the text's lower-case words, when needed

    def add(self, m: _Mention) -> None:
        self.mentions.append(m)
        self.taken.append((m.start, m.end))


# What follows a town's name in the name of its own council, police or airport.
_SEAT_TAIL = re.compile(
    r"\s+(?:(?:City|Town|County|Borough|District|Municipal|Regional|Shire|Parish)\s+)?"
    r"(?:Council|Police(?:\s+(?:Department|Service|Force))?|Fire\s+(?:Department|Service)"
    r"|(?:International\s+|Regional\s+|Municipal\s+)?Airport|City\s+Hall)(?:'s|’s)?"
)


def _seat_named(text: str, end: int, span_end: int, label: str) -> bool:
    """Whether an organisation or facility spaCy found is the council, police, fire
    service, city hall or airport of the place it starts with: "Richmond Council",
    "Vancouver International Airport" name the town (and are evidence for it), where
    "Washington Post" or "Georgia Tech" do not."""
    if label not in ("ORG", "FAC"):
        return False
    tail = _SEAT_TAIL.match(text, end)
    return tail is not None and tail.end() == span_end


def _main_first(candidates: list[tuple[Place, bool]]) -> list[tuple[Place, bool]]:
    """CANDIDATES with, at each point, the entry the name is the main name of first, then
    the most populous: of two entries at one point only the first is scored, and the City
    of London (8,000 people, "London" its alternate name) hid London itself."""
    return sorted(candidates, key=lambda c: (c[1], -c[0].population))


def _list_of_countries(m: _Mention, qualifier: tuple[str, str] | None) -> tuple[str, str] | None:
    """The qualifier of M, unless M is a country's own name and the "qualifier" another
    country: "China, Japan and the UK" is a list, not the town of China in Japan. A unit
    of that country keeps it ("Georgia, United States")."""
    if qualifier is None or qualifier[1]:
        return qualifier
    if any(p.feature == "country" and not alt for p, alt in m.candidates) and not any(
        p.feature == "admin1" and p.country == qualifier[0] for p, _alt in m.candidates
    ):
        return None
    return qualifier


def _one_sense_per_text(text: str, found: _Found) -> None:
    """Read a blocked name as the place it is elsewhere in the text, when that is at least
    as common: spaCy often labels the same name a place in one sentence and a person or
    organisation in the next ("the Dornogovi training range")."""
    places = {m.text: m for m in found.mentions if not m.demonym}
    as_place = Counter(m.text for m in found.mentions if not m.demonym)
    as_other = Counter(text[bs:be] for bs, be, _label in found.blocked)
    for bs, be, label in found.blocked:
        same = places.get(text[bs:be])
        if same is None or label not in ("PERSON", "ORG", "PRODUCT"):
            continue
        # "Kristina" seven times a person and once a place stays a person.
        if as_place[same.text] >= as_other[same.text] and not any(
            bs < te and ts < be for ts, te in found.taken
        ):
            found.add(_Mention(text[bs:be], bs, be, list(same.candidates)))


class Geoparser:
    """Find and resolve place names; loads spaCy and the gazetteer lazily, once.

    Args:
        demonyms: also report nationality words ("Russian") as their country, as EUPEG's
            gold annotations do; each such place has ``demonym=True``.
        gazetteer_dir: where to load the gazetteer from, when *gazetteer* is not given.
        settings: the ``[enrich.geoparse]`` scores.
        gazetteer: an already loaded gazetteer to use.
    """

    def __init__(
        self,
        *,
        demonyms: bool = True,
        gazetteer_dir: Path | None = None,
        settings: GeoparseSettings = _DEFAULTS,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.demonyms = demonyms
        self.settings = settings
        self._gazetteer_dir = gazetteer_dir
        self._gaz: Gazetteer | None = gazetteer
        self._admin1_sizes: dict[str, float] | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        """Return the loaded gazetteer."""
        if self._gaz is None:
            self._gaz = load_gazetteer(self._gazetteer_dir)
        return self._gaz

    def parse(
        self, text: str, *, country_hint: str | None = None, language: str | None = None
    ) -> list[ResolvedPlace]:
        """Return the places named in TEXT, resolved, in text order.

        Args:
            text: plain text.
            country_hint: ISO alpha-2 code of the country the text is about, if known.
            language: ISO 639-1 code; spaCy NER runs for English or unknown language.
        """
        ents: list[Entity] = []
        if language in (None, "", "en"):
            from watchfloor.enrich.entities import load_nlp

            ents = ner_entities(load_nlp()(text))
        return self._resolve(text, ents, country_hint, language)

    def parse_many(
        self, texts: list[str], *, country_hint: str | None = None, batch_size: int = 32
    ) -> list[list[ResolvedPlace]]:
        """Parse English TEXTS with spaCy batching; same result as :meth:`parse` each."""
        from watchfloor.enrich.entities import load_nlp

        nlp = load_nlp()
        out = []
        for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size), strict=True):
            out.append(self._resolve(text, ner_entities(doc), country_hint, "en"))
        return out

    def resolve(
        self,
        text: str,
        entities: list[Entity],
        *,
        country_hint: str | None = None,
        language: str | None = None,
    ) -> list[ResolvedPlace]:
        """Resolve places in TEXT given the NER entities already found in it.

        The enrich stage runs spaCy once per article for entities and places both; this
        is :meth:`parse` without the NER step.
        """
        return self._resolve(text, entities, country_hint, language)

    # ----------------------------------------------------------------- mentions

    def _mentions(
        self, text: str, ents: list[Entity], english: bool, hint: str | None
    ) -> list[_Mention]:
        found = _Found()
        gaz_ents = gazetteer_entities(text, self.gazetteer)
        self._ner_mentions(text, ents, gaz_ents, english, found)
        self._gazetteer_mentions(text, gaz_ents, english, found)
        _one_sense_per_text(text, found)
        if found.weak:
            self._decide_weak(text, ents, found, hint)
        if _MILITARY.search(text):
            self._training_areas(text, found)
        ends = {m.end for m in found.mentions}
        mentions = sorted(
            (m for m in found.mentions if m.demonym or not _person_or_thing(text, m, ents, ends)),
            key=lambda m: m.start,
        )
        for m in mentions:
            m.qualifier = _list_of_countries(m, self._qualifier(text, m.end))
            if m.unit is None:
                m.unit = _unit_after(text, m.end)
            m.metonymy = bool(_METONYMY.match(text, m.end)) and not _LOCATIVE_BEFORE.search(
                text, max(0, m.start - 16), m.start
            )
        return mentions

    def _ner_mentions(
        self, text: str, ents: list[Entity], gaz_ents: list[Entity], english: bool, found: _Found
    ) -> None:
        """Places among spaCy's entities, and the names it labelled otherwise (blocked)."""
        longest: dict[int, int] = {}
        for g in gaz_ents:
            longest[g.start] = max(longest.get(g.start, 0), g.end)
        starts = set(longest)
        heads = _name_heads(text, gaz_ents)
        covered = 0  # end of a longer gazetteer name that took spaCy's pieces of it
        for e in ents:
            if e.start < covered:
                continue
            e = _trim_span(text, e, starts)
            g_end = longest.get(e.start, 0)
            if g_end > e.end and text[e.end] == "-":
                # spaCy cuts hyphenated names ("Darkhan" of "Darkhan-Uul"); the gazetteer
                # knows the whole name, which beats its first half.
                e = Entity(text[e.start : g_end], e.label, e.start, g_end)
            elif (
                g_end > e.end
                and text[e.end] in " '’"
                and (
                    e.label in PLACE_LABELS
                    or text[e.end + 1 : e.end + 2].isupper()
                    or _place_inside(ents, e.end, g_end)
                )
                and all(o.end <= g_end for o in ents if e.end <= o.start < g_end)
            ):
                # "Port of Spain" read as "Port" and "Spain", "Trinidad and Tobago" as a
                # place and an organisation, "United States Minor Outlying Islands" with
                # "United States" an organisation: the whole gazetteer name beats its parts
                # (spaCy's label stays: a person or organisation is a weak name). "Rennell
                # and Bellona" as a person and a place is the province too.
                e = Entity(text[e.start : g_end], e.label, e.start, g_end)
                covered = g_end
            elif heads and _inside_gazetteer_name(e, heads, ents):
                continue  # "Spain" of "Port of Spain, Trinidad": the gazetteer name decides
            if e.start > 0 and text[e.start - 1] == "#" and e.label not in PLACE_LABELS:
                continue
            if e.label in PLACE_LABELS:
                m = self._mention_from_span(text, e.start, e.end)
                if m is not None and english and m.text.casefold() in COMPASS_NAMES:
                    # "the West", "Northern" as spaCy places: weak compass names.
                    w = self._compass(text, m.start, m.end, m.candidates, found)
                    if w is not None:
                        found.weak.append(w)
                elif m is not None:
                    found.add(m)
                else:
                    parts = _place_list(text, e, gaz_ents, self.gazetteer)
                    if parts:
                        # "Tabuk to Jeddah" as one place entity: the places of a list.
                        found.list_parts.update(parts)
                        continue
                    found.blocked.append((e.start, e.end, e.label))
            elif e.label == "NORP" and self.demonyms:
                if g_end > e.end and text[e.end] == " ":
                    continue  # "Spanish Town": the gazetteer's longer name, no nationality
                m = self._demonym(text, e.start, e.end)
                if m is not None:
                    found.add(m)
            elif e.label in ("ORG", "PERSON") and english and e.text.casefold() in COMPASS_NAMES:
                # "Central", "Eastern" as an organisation: a weak compass name.
                cands = self.gazetteer.lookup(e.text)
                w = self._compass(text, e.start, e.end, cands, found) if cands else None
                if w is not None:
                    found.weak.append(w)
                found.blocked.append((e.start, e.end, e.label))
            elif e.label in ("ORG", "PERSON", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT"):
                m = self._rescued(text, e.start, e.end) or self._mislabelled_place(text, e)
                if m is not None:
                    found.add(m)
                    continue
                parts = _place_list(text, e, gaz_ents, self.gazetteer)
                if parts:
                    # "Kharkiv and Odesa" read as one organisation: a list of places.
                    found.list_parts.update(parts)
                    continue
                found.blocked.append((e.start, e.end, e.label))
                if english and e.label != "NORP":
                    w = self._weak_from_span(text, e, found)
                    if w is not None:
                        found.weak.append(w)

    def _mislabelled_place(self, text: str, e: Entity) -> _Mention | None:
        """A lone organisation or person that is exactly a big place name."""
        # Usually spaCy mislabelling an Asian city ("Ulaanbaatar" as ORG).
        if e.label not in ("ORG", "PERSON"):
            return None
        m = self._mention_from_span(text, e.start, e.end, strict=True)
        if m is not None and m.text.casefold() in COMPASS_NAMES:
            return None  # "Northern" alone is a word unless its country is named (_compass)
        if m is not None and e.label == "PERSON":
            # People are often named after towns and countries ("Jordan"), but hardly ever
            # after islands, seas or mountain ranges.
            m.candidates = [(p, alt) for p, alt in m.candidates if p.feature in NATURAL_FEATURES]
            if not m.candidates:
                return None
        return m

    def _gazetteer_mentions(
        self, text: str, gaz_ents: list[Entity], english: bool, found: _Found
    ) -> None:
        """Gazetteer matches spaCy did not already cover, in any script."""
        gaz = self.gazetteer
        other_script = not english and mostly_other_script(text)
        for g in gaz_ents:
            if any(g.start < e and s < g.end for s, e in found.taken):
                continue
            latin = is_latin(g.text)
            if not g.demonym:
                m = self._rescued(text, g.start, g.end)
                if m is not None:
                    found.add(m)
                    continue
            if (
                english
                and latin
                and g.start not in found.list_parts
                and any(
                    s <= g.start
                    and g.end <= e
                    and (
                        (g.start == s and not _seat_named(text, g.end, e, label))
                        or label == "PERSON"
                    )
                    for s, e, label in found.blocked
                )
            ):
                # "Washington Post", "Georgia Tech", "Paris Hilton": the place name leads an
                # organisation or a person. "Bank of America" keeps its place, and so do
                # "Richmond Council" and "Vancouver International Airport" (_seat_named).
                continue
            tagged = g.start > 0 and text[g.start - 1] == "#"
            if (not latin or other_script) and not g.demonym:
                if not_a_place_here(text, g.start, g.text, g.key):
                    continue
            if g.demonym:
                if self.demonyms:
                    m = self._demonym(text, g.start, g.end)
                    if m is not None:
                        found.mentions.append(m)
                        found.taken.append((g.start, g.end))
                continue
            cands = gaz.lookup(g.key or g.text)
            if not latin:
                cands = local_candidates(text, g.start, g.end, cands, gaz.lookup)
            if latin and (english or other_script):
                # A hashtag is a deliberate name, so smaller towns pass ("#Ferguson").
                floor = self.settings.hashtag_min_population if tagged else None
                if other_script and not tagged:
                    # Latin words in Mongolian or Chinese text are agencies and brands
                    # ("TASS", "Toyota Harrier"): only countries, admin-1 units, natural
                    # features and towns of the followed countries pass.
                    floor = LATIN_IN_OTHER_SCRIPT_MIN_POPULATION
                if english and not tagged and g.text.casefold() in COMPASS_NAMES:
                    # "Northern", "Western": an admin-1 unit only of a country the text
                    # names, and only with a cue (docs/geoparsing.md, "Compass names").
                    w = self._compass(text, g.start, g.end, cands, found)
                    if w is not None:
                        found.weak.append(w)
                    continue
                if not (lone_text_ok(g.text) or tagged):
                    continue
                short = len(g.text) <= 3 and not g.text.isupper()
                if short and len(g.text) == 2 and not self._two_letter_ok(text, g, cands):
                    continue
                # At the head of a sentence a capital says nothing: a name spaCy did not
                # call a place there ("Orange juice prices rose") needs a cue, as a weak
                # name does, unless it is a country.
                head = (
                    english
                    and not tagged
                    and _sentence_start(text, g.start)
                    and not any(p.feature == "country" for p, _alt in cands)
                )
                if (
                    short
                    or head
                    or not any(lone_match_ok(p, alt=alt, min_population=floor) for p, alt in cands)
                ):
                    if other_script or (short and not english):
                        continue
                    # Not a strong name alone: a candidate that the context decides.
                    w = self._weak(text, g.start, g.end, cands, "", found)
                    if w is not None:
                        if g.start in found.list_parts:
                            w.evidence += self.settings.weak_list
                            w.cue = True
                        found.weak.append(w)
                    continue
            if cands:
                found.add(_Mention(g.text, g.start, g.end, cands))

    # ----------------------------------------------------------------- weak names

    def _two_letter_ok(self, text: str, g: Entity, cands: list[tuple[Place, bool]]) -> bool:
        """Say whether a two-letter name in title case ("Ba", "Wé") has strong evidence:
        a qualifier naming one of its candidates' countries ("Ba, Fiji", "Ba in Fiji") or
        a locative preposition before it ("between Ba and Bua", "from Lami to Ba"). Its
        lower-case twin in the text makes it a word (_weak)."""
        qualifier = self._qualifier(text, g.end)
        if qualifier is not None and any(p.country == qualifier[0] for p, _alt in cands):
            return True
        return _PLACE_PREP.search(text, max(0, g.start - 90), g.start) is not None

    def _compass(
        self, text: str, start: int, end: int, cands: list[tuple[Place, bool]], found: _Found
    ) -> _Mention | None:
        """A compass word that names admin-1 units ("Northern" of Zambia, Rwanda, Sri
        Lanka...) standing as a noun: "from Muharraq to Northern", not "Western diplomats",
        "the West" or "Northern Ireland". Its candidates are the units; _decide_weak keeps
        only those of a country the text names."""
        units = [(p, alt) for p, alt in cands if p.feature == "admin1"]
        if not units or not text[start].isupper() or text[start:end].isupper():
            return None
        before = text[max(0, start - 8) : start]
        if re.search(r"\b(?:the|The|THE)\s+$", before) or not _COMPASS_AFTER.match(text, end):
            return None
        w = self._weak(text, start, end, units, "", found)
        if w is not None:
            w.needs_country = True
        return w

    def _weak_from_span(self, text: str, e: Entity, found: _Found) -> _Mention | None:
        """A name spaCy labelled a person or organisation that is exactly a gazetteer name
        ("Goma", "Bandar Abbas" as PERSON): a candidate for the context to decide."""
        start, end = e.start, e.end
        lead = _LEADING.match(e.text)
        if lead:
            start += lead.end()
        trail = _TRAILING.search(text, start, end)
        if trail and trail.start() > start:
            end = trail.start()
        surface = text[start:end]
        if len(surface) < 3 or len(surface.split()) > 5 or not is_latin(surface):
            return None
        if not surface[0].isupper() or not lone_text_ok(surface):
            return None
        if self.gazetteer.demonym_country(surface) is not None:
            return None
        # Looked up directly: the text scan skips short names in mixed case ("Gao").
        cands = [
            (p, alt)
            for p, alt in self.gazetteer.lookup(surface)
            if p.feature != "city"
            or p.population >= SMALL_PLACE
            or p.population == 0  # size unknown: kept only in a country the text names
            or p.country in FOCUS_COUNTRIES
        ]
        return self._weak(text, start, end, cands, e.label, found) if cands else None

    def _weak(
        self,
        text: str,
        start: int,
        end: int,
        cands: list[tuple[Place, bool]],
        label: str,
        found: _Found,
    ) -> _Mention | None:
        """Score what a name's own surroundings say about it being a place; None when they
        say it is a person ("President X", "Gao Yan", "X said") or a thing."""
        st = self.settings
        surface = text[start:end]
        if surface.casefold() in WEAK_STOPWORDS:
            return None
        if _NEXT_CAPITALISED.match(text, end) or _STREET_AFTER.match(text, end):
            return None  # the name goes on ("Gao Yan"): a person or an organisation
        if _COMPOUND_AFTER.match(text, end):
            return None  # a compound ("Arab-Israeli")
        if len(surface) <= 4 and _ABBREVIATION_AFTER.match(text, end):
            return None  # an abbreviation ("Gatineau, Que., and"), not the town Quế
        if " " not in surface:
            if found.lower_words is None:
                found.lower_words = frozenset(_LOWER_WORD.findall(text))
            if surface.lower() in found.lower_words:
                return None  # the same word in lower case: a common word ("Many", "Creek")
        before = text[max(0, start - 90) : start]
        if _TITLE_BEFORE.search(before[-40:]):
            return None
        place_noun = _PLACE_NOUN_AFTER.match(text, end) is not None
        if before.endswith(("the ", "The ")) and _BARE_AFTER.match(text, end):
            # Towns take no article: "the Webster" is a theatre, "the Kursk region" a region.
            cands = [(p, alt) for p, alt in cands if p.feature != "city"]
            if not cands:
                return None
        prev = _PREV_WORD.search(before[-30:])
        if (
            prev
            and prev.group(1)[0].isupper()
            and not _sentence_start(text, start - len(prev.group(0)))
        ):
            if not _PLACE_PREP.search(before) and prev.group(1) not in _CAPITALISED_OK:
                return None  # a given name before it ("Abdou Gao")
        if label == "PERSON" and _SPEECH_AFTER.match(text, end) and not _PLACE_PREP.search(before):
            return None  # "X said", but not "residents of X said"
        label_cost = _LABEL_COST.get(label, 0.5)
        if label == "PERSON" and " " not in surface and surface.casefold() not in GIVEN_NAMES:
            # spaCy calls many an unknown capitalised word a person ("Sudzha", "Baalbek"):
            # one that is no common given name costs half.
            label_cost -= _LABEL_COST["PERSON"] / 2
        score = -label_cost
        top = 0.0
        capitals = self.gazetteer.capitals
        for p, _alt in cands:
            if p.feature in ("country", "admin1", "region", "sea", "island", "range"):
                top = max(top, st.weak_kind)
            elif p.id in capitals and not _alt:  # a small nation's capital ("Nuku'alofa")
                top = max(top, st.weak_kind)
            elif p.feature in ("base", "poi"):
                top = max(top, st.weak_kind / 2)
            elif p.population >= 100_000:
                top = max(top, st.weak_kind)
            elif p.population >= 20_000:
                top = max(top, st.weak_kind / 2)
            elif p.population >= 5_000 or (p.population == 0 and p.feature == "city"):
                # A town of unknown size counts as a small one (and only in a country the
                # text names: _decide_weak).
                top = max(top, st.weak_kind / 4)
        score += top
        cue = True
        strong_cue = True
        prep = _PLACE_PREP.search(before)
        if prep:
            score += st.weak_preposition
        elif _PLACE_VERB.search(before):
            score += st.weak_verb
        elif _WEAK_PREP.search(before):
            score += st.weak_preposition / 2
            strong_cue = False
        elif _PASSIVE_WAR_AFTER.match(text, end):
            score += st.weak_verb
        else:
            cue = strong_cue = False
        one_place = strong_cue and _one_place_name(surface, text, end, cands, label, prep)
        if one_place:
            score += st.weak_unique
            # spaCy guesses a label for a word it does not know: for a name only one place
            # bears, its person or organisation label costs at most half.
            score += max(0.0, label_cost - _LABEL_COST["PERSON"] / 2)
        unit = None
        if place_noun:
            score += st.weak_unit
            unit = _unit_after(text, end)
            cue = True
        qualifier = self._qualifier(text, end)
        if qualifier is not None and any(p.country == qualifier[0] for p, _alt in cands):
            # ", Mali" after Gao; but "Muse, Myanmar" is no Muse the gazetteer knows.
            score += st.weak_unit
            cue = True
        if qualifier is None and _sentence_start(text, start) and _DATELINE_AFTER.match(text, end):
            # "Kralendijk, Caribbean Netherlands (AP) —": an agency's dateline names where
            # the story was filed (but "Muse, Myanmar (AP)" is no Muse the gazetteer has).
            score += st.weak_unit + st.weak_preposition
            cue = True
        return _Mention(
            text[start:end],
            start,
            end,
            cands,
            label=label,
            evidence=score,
            unit=unit,
            cue=cue,
            one_place=one_place,
        )

    def _decide_weak(self, text: str, ents: list[Entity], found: _Found, hint: str | None) -> None:
        """Add the weak names whose surroundings and the text's other places make them
        places: countries named, places nearby, a list with a place, the same name."""
        st = self.settings
        # People named in full elsewhere ("John Smith" ... "Smith"): their parts stay people.
        persons: set[str] = set()
        for e in ents:
            if e.label == "PERSON" and " " in e.text:
                words = e.text.split()
                persons.add(words[0])
                persons.add(words[-1])
        countries: Counter[str] = Counter()
        if hint:
            countries[hint] += 1
        points: list[Place] = []
        spans: dict[int, int] = {}
        strong_names: set[str] = set()
        for m in found.mentions:
            best, _ = self._pick(m, hint, None, None, None)
            if best is None:
                continue
            countries[best.country] += 1
            spans[m.start] = m.end
            strong_names.add(m.text)
            if best.feature not in ("country", "continent"):
                points.append(best)
        pending = _longest_weak([w for w in found.weak if w.text not in persons])
        # Two admin-1 units of one country count as neighbours only when nothing else in
        # the text says where it is ("between Mérida and Miranda").
        alone = not found.mentions and len(pending) == 2
        _near_pairs(text, pending, st.near_km, st.weak_near + st.weak_list, units=alone)
        as_person = Counter(w.text for w in pending if w.label == "PERSON")
        as_place = Counter(m.text for m in found.mentions if not m.demonym)
        cued: set[str] = set()  # names a weak mention was accepted as by its own cue
        for _round in range(3):
            accepted = []
            ends = {e: s for s, e in spans.items()}
            for w in pending:
                if any(w.start < e and s < w.end for s, e in found.taken):
                    continue
                if w.needs_country:
                    own = [(p, alt) for p, alt in w.candidates if countries.get(p.country, 0) > 0]
                    if not own:
                        continue
                    w.candidates = own
                elif not w.one_place and any(
                    p.population == 0 and p.feature == "city" for p, _ in w.candidates
                ):
                    # GeoNames gives some towns no population ("Spīn Bōldak"): such a town
                    # counts only in a country the text names.
                    known = [
                        (p, alt)
                        for p, alt in w.candidates
                        if p.population or p.feature != "city" or countries.get(p.country, 0)
                    ]
                    if not known:
                        continue
                    w.candidates = known
                score = w.evidence
                cue = w.cue
                if w.text in cued or (
                    w.text in strong_names
                    and (w.label != "PERSON" or as_place[w.text] >= as_person[w.text])
                ):
                    # One sense per text; a person keeps to the counts of _one_sense_per_text.
                    score += st.weak_threshold
                    cue = True
                if any(countries.get(p.country, 0) > 0 for p, _ in w.candidates):
                    score += st.weak_country
                if points and any(
                    p.feature == "city"
                    and any(haversine_km(p.lat, p.lng, o.lat, o.lng) < st.near_km for o in points)
                    for p, _ in w.candidates
                ):
                    score += st.weak_near
                if _listed_with(text, w, spans, ends):
                    score += st.weak_list
                    cue = True
                if cue and score >= st.weak_threshold:
                    accepted.append(w)
            if not accepted:
                break
            for w in accepted:
                if any(w.start < e and s < w.end for s, e in found.taken):
                    continue
                found.add(w)
                if w.cue:
                    cued.add(w.text)
                best, _ = self._pick(w, hint, None, None, None)
                spans[w.start] = w.end
                strong_names.add(w.text)
                if best is not None:
                    countries[best.country] += 1
                    if best.feature not in ("country", "continent"):
                        points.append(best)
            pending = [w for w in pending if w not in accepted]

    def _training_areas(self, text: str, found: _Found) -> None:
        """In a military story a name with a training area of that name ("Tavan Tolgoi" /
        "Tavan Tolgoi Training Area") means the training area, unless a unit word says
        otherwise ("soldiers guard the Tavan Tolgoi mine")."""
        for m in found.mentions:
            if m.demonym or not is_latin(m.text) or (m.unit or _unit_after(text, m.end)):
                continue
            extra = [
                (p, False)
                for p, _alt in self.gazetteer.lookup(m.text + " Training Area")
                if p.feature == "base"
            ]
            if extra:
                m.candidates = extra

    def _rescued(self, text: str, start: int, end: int) -> _Mention | None:
        """Return a name spaCy did not call a place but a unit word does ("Selenge aimag")."""
        m = self._mention_from_span(text, start, end)
        if m is None:
            return None
        unit = m.unit or _unit_after(text, m.end)
        if unit not in RESCUE_UNITS:
            return None
        feature = UNIT_WORDS[unit]
        m.candidates = [(p, alt) for p, alt in m.candidates if p.feature == feature]
        m.unit = unit
        return m if m.candidates else None

    def _mention_from_span(
        self, text: str, start: int, end: int, *, strict: bool = False
    ) -> _Mention | None:
        gaz = self.gazetteer
        surface = text[start:end]
        lead = _LEADING.match(surface)
        if lead:
            start += lead.end()
            surface = text[start:end]
        trail = _TRAILING.search(surface)
        if trail and trail.start() > 0 and not gaz.lookup(surface):
            # "Mongolia's"; but "Saint George's" is a name of its own.
            end = start + trail.start()
            surface = text[start:end]
        if not surface.strip():
            return None
        unit = None
        cands = gaz.lookup(surface)
        words = surface.split()
        if not cands and len(words) >= 2 and words[-1] in UNIT_WORDS and surface[0].isupper():
            # "Dornogovi province": the name without its lower-case unit word (the gold
            # spans of the evaluation corpora leave it out too).
            unit = words[-1]
            end = start + len(surface[: surface.rstrip().rfind(words[-1])].rstrip())
            surface = text[start:end]
            cands = gaz.lookup(surface)
        if strict:
            cands = [(p, alt) for p, alt in cands if lone_match_ok(p, alt=alt)]
            return _Mention(surface, start, end, cands) if cands else None
        if not cands:
            words = surface.split()
            if len(words) >= 2 and words[-1] in UNIT_SUFFIXES:
                base = " ".join(words[:-1])
                cands = [(p, True) for p, _ in gaz.lookup(base)]
        if not cands and "," in surface:
            # "Alexandria, Va." as one entity: keep the name; the qualifier does the rest.
            head = surface.split(",")[0].rstrip()
            return self._mention_from_span(text, start, start + len(head))
        if not cands:
            return None
        return _Mention(surface, start, end, cands, unit=unit)

    def _demonym(self, text: str, start: int, end: int) -> _Mention | None:
        gaz = self.gazetteer
        surface = text[start:end]
        code = gaz.demonym_country(surface)
        if code is None or _OBSERVANCE.match(text, end):
            return None
        if code.startswith("@"):
            cands = [(p, False) for p, _ in gaz.lookup(code[1:]) if p.feature == "continent"]
        else:
            place = gaz.country(code)
            cands = [(place, False)] if place else []
        if not cands:
            return None
        return _Mention(surface, start, end, cands, demonym=True)

    def _qualifier(self, text: str, end: int) -> tuple[str, str] | None:
        """Read ", Texas" or ", La." or ", Mongolia" right after a mention, or " in Fiji",
        " in the Solomon Islands" (a country only: "Georgia in Washington" names no
        state)."""
        tail = text[end : end + 48]
        inside = _IN_COUNTRY.match(tail)
        if inside is not None:
            return self._country_named(inside.group(1))
        if not tail.startswith(", "):
            return None
        word = _QUALIFIER.match(tail)
        if not word:
            return None
        q = word.group(1)
        words = q.split(" ")
        # The longest name first: "British Virgin Islands", "Trinidad and Tobago".
        tries = [" ".join(words[:n]) for n in range(len(words), 0, -1)]
        for cand in tries:
            if cand.split(" ")[-1] in ("and", "of", "the"):
                continue
            if cand in US_STATE_ABBR:
                return ("US", US_STATE_ABBR[cand])
            for p, _alt in self.gazetteer.lookup(cand):
                if p.feature == "admin1":
                    return (p.country, p.admin1)
                if p.feature == "country":
                    return (p.country, "")
        return None

    def _country_named(self, words: str) -> tuple[str, str] | None:
        """The country the longest leading run of WORDS names ("Saint Kitts and Nevis")."""
        parts = words.split(" ")
        for n in range(len(parts), 0, -1):
            if parts[n - 1] in ("and", "of", "the"):
                continue
            for p, _alt in self.gazetteer.lookup(" ".join(parts[:n])):
                if p.feature == "country":
                    return (p.country, "")
        return None

    # ----------------------------------------------------------------- resolution

    def _resolve(
        self, text: str, ents: list[Entity], country_hint: str | None, language: str | None
    ) -> list[ResolvedPlace]:
        english = language in (None, "", "en")
        hint = country_hint.upper() if country_hint else None
        mentions = self._mentions(text, ents, english, hint)
        if not mentions:
            return []
        for m in mentions:
            m.best, m.best_score = self._pick(m, hint, None, None, None)
            m.first = m.best
        self._pair_countries(text, mentions, hint)
        # Context from the first pass: countries and US states named, and picked points.
        countries: Counter[str] = Counter()
        admin1s: Counter[tuple[str, str]] = Counter()
        votes: Counter[tuple[str, str]] = Counter()  # (name, country) of the first pass
        for m in mentions:
            if m.best is None:
                continue
            countries[m.best.country] += 1
            votes[(m.text, m.best.country)] += 1
            if m.best.feature == "admin1":
                admin1s[(m.best.country, m.best.admin1)] += 1
        for m in mentions:
            m.best, m.best_score = self._pick(m, hint, countries, admin1s, mentions, votes=votes)
        out = []
        for m in mentions:
            p = m.best
            if p is None:
                continue
            out.append(
                ResolvedPlace(
                    text=m.text,
                    start=m.start,
                    end=m.end,
                    name=p.name,
                    country=p.country,
                    admin1=p.admin1,
                    feature=p.feature,
                    lat=p.lat,
                    lng=p.lng,
                    population=p.population,
                    key=f"{p.feature}:{p.id}",
                    score=round(m.best_score, 3),
                    demonym=m.demonym,
                    metonymy=m.metonymy,
                )
            )
        return out

    def _admin1_size(self, country: str) -> float:
        """What an admin-1 unit's size adds to its prior: its country's people shared by
        its units. Below 100,000 a head the prior falls with the log of it, so the parishes
        of Bermuda or Grenada do not outrank Hamilton, New Zealand (192,000 people); a
        little more for more people breaks ties between units of one name ("Maryland" is the
        US state before the Liberian county, "Florida" the state before the Puerto Rican
        municipality)."""
        sizes = self._admin1_sizes
        if sizes is None:
            sizes = {}
            for iso, n in self.gazetteer.admin1_counts().items():
                c = self.gazetteer.base_country(iso)
                if c is None or c.population <= 0 or n <= 0:
                    continue
                per = math.log10(c.population / n + 1)
                sizes[iso] = min(0.0, per - _ADMIN1_FULL_LOG) + _ADMIN1_TIE * per
            self._admin1_sizes = sizes
        return sizes.get(country, 0.0)

    def _pick(
        self,
        m: _Mention,
        hint: str | None,
        countries: Counter[str] | None,
        admin1s: Counter[tuple[str, str]] | None,
        mentions: list[_Mention] | None,
        by_country: dict[str, float] | None = None,
        votes: Counter[tuple[str, str]] | None = None,
    ) -> tuple[Place | None, float]:
        """The best candidate of M and its score; BY_COUNTRY, when given, receives the best
        score of each country's candidates."""
        best: Place | None = None
        best_score = -math.inf
        seen: set[tuple[str, float, float]] = set()
        capitals = self.gazetteer.capitals
        st = self.settings
        # No unit word: "near Sukhbaatar city" is the town whatever its name's standing.
        units = (
            [] if m.unit else [p for p, alt in m.candidates if p.feature == "admin1" and not alt]
        )
        named: bool | None = None  # _own_name_beats_country, worked out when first needed
        for p, alt in _main_first(m.candidates):
            if alt and p.feature == "country":
                if named is None:
                    named = _own_name_beats_country(m.candidates)
                if named:
                    continue
            sig = (p.feature, round(p.lat, 1), round(p.lng, 1))
            if sig in seen:
                continue
            seen.add(sig)
            if alt and units and _stray_alternate(p, units):
                continue
            s = st.feature_prior.get(p.feature, 0.0) + math.log10(p.population + 1) * (
                1.0 if p.feature == "city" else 0.1
            )
            if p.feature == "admin1":
                s += self._admin1_size(p.country)
            if p.id in capitals:
                s += st.capital_bonus + (st.capital_bonus if m.metonymy else 0.0)
            if alt and p.feature != "country":
                s -= st.alt_name_penalty
            if hint and p.country == hint:
                s += st.hint_bonus
            if m.unit and UNIT_WORDS.get(m.unit) == p.feature:
                s += st.unit_bonus
            if m.qualifier is not None:
                qc, qa = m.qualifier
                if p.country == qc and (not qa or self.gazetteer.unit_code(p) == qa):
                    s += st.qualifier_bonus
            if countries is not None:
                # Other mentions of the same country, not counting this one's own vote,
                # nor those of the same name elsewhere in the text: three "Delta" read as
                # the Nigerian state in the first pass are no evidence for Nigeria.
                own = 1 if m.best is not None and m.best.country == p.country else 0
                if votes is not None:
                    own = max(own, votes.get((m.text, p.country), 0))
                n = countries.get(p.country, 0) - own
                if n > 0:
                    s += st.country_context_bonus * min(1.0, 0.5 + 0.25 * n)
            if admin1s is not None and p.feature == "city":
                s += self._admin1_context(m, p, admin1s, mentions)
            if mentions is not None and p.feature == "admin1":
                s += self._unit_holds_places(m, p, mentions)
            if mentions is not None and p.feature in ("city", "poi", "base", "island"):
                near = 0
                for o in mentions:
                    if o is m or o.best is None or o.best.feature in ("country", "continent"):
                        continue
                    if o.text == m.text:
                        continue
                    if haversine_km(p.lat, p.lng, o.best.lat, o.best.lng) < st.near_km:
                        near += 1
                s += st.near_bonus * min(2, near)
            if countries is None and m.pair_country == p.country:
                s += st.pair_bonus  # the first reading only (_pair_countries)
            if by_country is not None and s > by_country.get(p.country, -math.inf):
                by_country[p.country] = s
            if s > best_score:
                best, best_score = p, s
        return best, best_score

    def _pair_countries(
        self,
        text: str,
        mentions: list[_Mention],
        hint: str | None,
    ) -> None:
        """Give two names side by side ("between Junín and La Libertad", "from Saint Mary
        to Saint Paul") a first reading in one country, when both have a candidate there
        that falls less than ``pair_bonus`` below its best: partners are usually
        neighbours, so a namesake abroad that wins alone by a little (Junín of Ecuador)
        yields to the one beside its partner. Only the first pass changes: the second
        weighs the text's other places as before. Only when the pair are the text's only
        places: otherwise the others decide, as a story about Litchfield County keeps its
        Cornwall and Kent in Connecticut. "Moscow and St. Petersburg" stay in Russia
        (Moscow, Idaho falls far below the capital)."""
        places = [m for m in mentions if not m.demonym]
        if len(places) != 2 or places[0].text == places[1].text:
            return  # other places in the text decide (the second pass)
        a, b = places
        if a.first is None or b.first is None or _PAIR_SEP.fullmatch(text, a.end, b.start) is None:
            return
        bonus = self.settings.pair_bonus
        sa: dict[str, float] = {}
        sb: dict[str, float] = {}
        self._pick(a, hint, None, None, None, sa)
        self._pick(b, hint, None, None, None, sb)
        top_a, top_b = max(sa.values()), max(sb.values())
        shared = [
            (sa[c] + sb[c], c)
            for c in sa.keys() & sb.keys()
            if top_a - sa[c] < bonus and top_b - sb[c] < bonus
        ]
        if not shared:
            return
        _joint, country = max(shared)
        if country == a.first.country == b.first.country:
            return
        for m in (a, b):
            m.pair_country = country
            m.best, m.best_score = self._pick(m, hint, None, None, None)
            m.first = m.best

    def _admin1_context(
        self,
        m: _Mention,
        p: Place,
        admin1s: Counter[tuple[str, str]],
        mentions: list[_Mention] | None,
    ) -> float:
        """The bonus of a town in an admin-1 unit the text names. The town's GeoNames code
        is first mapped to the units' coding (``Gazetteer.unit_code``). Only other names
        count: "Idlib" read as the governorate in the first pass does not make itself, or
        another "Idlib" of the text, the town; nor "Montana" the Bulgarian town."""
        if any(q.feature == "admin1" and q.country == p.country for q, _alt in m.candidates):
            # The name is itself a unit of that country: listed beside another unit ("from
            # Los Lagos to Los Ríos", "Santander and Sucre") it is that unit, not a town
            # of its name inside the other.
            return 0.0
        if not p.admin1:
            # A town of the supplement or the user's file has no code: inside a unit the
            # text names when within 150 km of its centre ("Choir" beside "Govisümber").
            near = any(
                o.first is not None
                and o.first.feature == "admin1"
                and o.first.country == p.country
                and o.text != m.text
                and haversine_km(p.lat, p.lng, o.first.lat, o.first.lng) < 150
                for o in mentions or []
            )
            return self.settings.admin1_context_bonus if near else 0.0
        key = (p.country, self.gazetteer.unit_code(p))
        if admin1s.get(key, 0) <= 0:
            return 0.0
        if mentions is None:
            return self.settings.admin1_context_bonus
        for o in mentions:
            b = o.first
            if o.text == m.text or b is None or b.feature != "admin1":
                continue
            if (b.country, b.admin1) != key:
                continue
            # A unit named by a name that is also a sizeable town of that country
            # ("Artigas", "Santander") supports a town inside it only with a unit word.
            if o.unit in UNIT_WORDS or not any(
                q.feature == "city" and q.country == b.country and q.population >= 10_000
                for q, _alt in o.candidates
            ):
                return self.settings.admin1_context_bonus
        return 0.0

    def _unit_holds_places(self, m: _Mention, p: Place, mentions: list[_Mention]) -> float:
        """The bonus of an admin-1 unit that holds another place of the text, the
        counterpart of :meth:`_admin1_context`: "Ontario" beside "Toronto" is the
        province, not a town of 2,000 people in New York State. Not for a unit named like
        a sizeable town inside it ("New York" beside "Brooklyn" stays the city)."""
        if any(
            q.feature == "city"
            and q.country == p.country
            and q.population >= 10_000
            and self.gazetteer.unit_code(q) == p.admin1
            for q, _alt in m.candidates
        ):
            return 0.0
        for o in mentions:
            b = o.first
            if o.text == m.text or b is None or b.feature not in ("city", "poi", "base"):
                continue
            if b.country == p.country and self.gazetteer.unit_code(b) == p.admin1:
                return self.settings.admin1_context_bonus
        return 0.0


# Capitalised words that may stand before a place name without being a given name.
_CAPITALISED_OK = frozenset(
    """In At From Near Outside Around Towards Into Across Between Off Via Through Inside
    Within The Northern Southern Eastern Western Central North South East West And Or But
    Both Neither In-Between Upper Lower Greater Old New""".split()
)


def _sentence_start(text: str, pos: int) -> bool:
    """Say whether POS begins a sentence (or the text, a line, a quote)."""
    j = pos - 1
    while j >= 0 and text[j] in " \t\"'“‘(":
        j -= 1
    return j < 0 or text[j] in ".!?:;\n"


def _person_or_thing(
    text: str, m: _Mention, ents: list[Entity], ends: set[int] | frozenset[int] = frozenset()
) -> bool:
    """Say whether a name the finders took for a place is a person or a thing here: a
    lower-case common word ("the china"), a compound ("Buffalo wings"), or at the head of a
    sentence a person ("Phoenix adopted two cats", "Paris said she ...")."""
    if m.text.islower() and m.text in LOWER_COMMON:
        return True
    if _shape_sense(text, m, ends):
        return True
    nxt = _NEXT_LOWER_WORD.match(text, m.end)
    if nxt is not None and nxt.group(1) in _COMPOUNDS.get(m.text.casefold(), ()):
        return True
    if _named_person(text, m, ends) or _other_sense(text, m, ents, ends):
        return True
    if not _sentence_start(text, m.start):
        return False
    if (
        nxt is not None
        and nxt.group(1) in THING_NOUNS
        and not any(p.feature == "country" for p, _alt in m.candidates)
    ):
        return True
    after = m.end
    skip = _SKIP_NAME.match(text, after)
    for pos in (after, skip.end() if skip else -1):
        if pos >= 0 and (
            _PERSON_VERB_AFTER.match(text, pos) or _PERSON_APPOSITION.match(text, pos)
        ):
            return True
    if _given_name_subject(text, m, after):
        return True
    if not any(p.feature == "country" for p, _alt in m.candidates) and person_subject(
        text, after, m.text.casefold() in GIVEN_NAMES
    ):
        return True  # "Sydney parked the van": a given name before a verb towns do not do
    if not _place_cue(text, m, ends) and person_by_verb(
        text,
        m.start,
        m.end,
        [(e.start, e.end) for e in ents if e.label == "PERSON"],
        ends,
        country=any(p.feature == "country" for p, _alt in m.candidates),
    ):
        return True  # "Shannon sneezed", "Israel Adesanya knocked out": a person's verb
    if not _VERB_NEXT.match(text, after):
        return False
    # The pronoun close by, in the same clause: "Paris said she ...", "Vienna said the new
    # album would be her last"; not "Angola is heading ... in Angola, he said".
    stop = _CLAUSE_END.search(text, after, after + 80)
    sentence = " ".join(text[after : stop.start() if stop else after + 80].split()[:9])
    if not _PERSONAL_PRONOUN.search(sentence) or _OTHER_PERSON.search(sentence):
        return False
    end = after + 80
    return not any(e.label == "PERSON" and after <= e.start < end for e in ents)


def _shape_sense(text: str, m: _Mention, ends: set[int] | frozenset[int]) -> bool:
    """Person, team or word by the shape of the sentence rather than by a list of names
    (issue #10, fourth round; namesense.py): a lower-case English word spaCy took for a
    small place ("won the ball back in midfield"); a given name before a surname that is
    no English word ("a rematch against Israel Adesanya"); two given names heading their
    sentence before a verb a town does not do ("Denver and Austin shared a flat"); a town
    heading its sentence before a plural verb or "their" ("Leeds were relegated", "Chelsea
    beat their rivals"). A word beside the name that says "place" keeps it a place."""
    if m.demonym:
        return False
    kinds = {p.feature for p, _alt in m.candidates}
    small = "country" not in kinds and all(p.population < 100_000 for p, _alt in m.candidates)
    if m.text.islower():
        return small and kinds <= {"city"} and " " not in m.text and is_english_word(m.text)
    if m.text.isupper() or "." in m.text:
        return False  # "BA", "U.S.": abbreviations, not people or clubs
    head = _sentence_start(text, m.start)
    # The pair is a list, which _place_cue reads as "place": only the verb decides it.
    if "country" not in kinds and paired_subject(text, m.start, m.end, GIVEN_NAMES, head=head):
        return True
    # A surname outweighs a preposition ("a letter from Kenya Odhiambo").
    named = "country" in kinds or m.text.casefold() in _SURNAME_GIVEN
    if named and given_before_surname(text, m.start, m.end, ends):
        return True
    if _place_cue(text, m, ends):
        return False
    if (
        "country" not in kinds
        and m.text.casefold() in GIVEN_NAMES
        and person_object(text, m.start, m.end)
    ):
        return True
    # A town, or a town that is also its own unit ("Leeds"); not a country, a province
    # or an island, whose plural names take plural verbs ("the Bahamas are").
    town = "city" in kinds and kinds <= {"city", "admin1"}
    return head and town and team_subject(text, m.end)


def _named_person(text: str, m: _Mention, ends: set[int] | frozenset[int]) -> bool:
    """Say whether a title, a relative or a given name stands right before the name
    ("Aunt Florence", "his daughter Victoria", "Dr Jordan", "Lucía Valencia"), or a verb
    said of people does and the name is itself a given name ("told Florence that")."""
    if m.demonym:
        return False
    before = text[max(0, m.start - 40) : m.start]
    if _KIN_TITLE_BEFORE.search(before):
        return True
    prev = _PREV_WORD.search(before)
    if prev is None:
        return False
    word = prev.group(1)
    if (
        word[0].isupper()
        and word.casefold() in GIVEN_NAMES
        and text[m.start - 1] == " "
        and word not in _CAPITALISED_OK
        and m.start - len(prev.group(0)) + len(word) not in ends
    ):
        return True  # a surname named like a town ("Lucía Valencia", "Ivan Odessa")
    if m.text.casefold() not in GIVEN_NAMES or not _PERSON_OBJECT_BEFORE.search(before):
        return False
    return all(p.feature != "country" for p, _alt in m.candidates)


_SURNAME_GIVEN = GIVEN_NAMES | CITY_GIVEN_NAMES
_QUALIFIER_AFTER = re.compile(r",[ \t]+[A-Z]")
_LIST_NEXT = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&|to)\s+)[A-Z]")


def _place_cue(text: str, m: _Mention, ends: set[int] | frozenset[int]) -> bool:
    """Say whether a word beside M says "place": a locative preposition or a verb of war or
    travel before it, a place noun, a passive war verb or a qualifier after it, or another
    name in a list with it."""
    before = text[max(0, m.start - 90) : m.start]
    if _PLACE_PREP.search(before) or _PLACE_VERB.search(before) or _WEAK_PREP.search(before):
        return True
    if _PLACE_NOUN_AFTER.match(text, m.end) or _PASSIVE_WAR_AFTER.match(text, m.end):
        return True
    if _QUALIFIER_AFTER.match(text, m.end) or _LIST_NEXT.match(text, m.end):
        return True
    sep = _SEP_BEFORE.search(text, max(0, m.start - 12), m.start)
    return sep is not None and sep.start() in ends


def _other_sense(
    text: str, m: _Mention, ents: list[Entity], ends: set[int] | frozenset[int]
) -> bool:
    """A name of goods named after a place with nothing beside it saying "place"
    ("Champagne was poured", "Bordeaux and cheese", "Jersey milk"), or a town that is the
    surname of a name spaCy took for an organisation or person ("Adil Amman", "Paris
    Jackson"): namesense.py."""
    if possessive_person(text, m.end):
        return True
    country = any(p.feature == "country" for p, _alt in m.candidates)
    if m.text.casefold() in EPONYMS and thing_sense(
        text,
        m.start,
        m.end,
        m.text,
        country=country,
        big=any(p.population >= 100_000 for p, _alt in m.candidates),
        head=_sentence_start(text, m.start),
        place_cue=_place_cue(text, m, ends),
    ):
        return True
    if all(p.feature == "city" for p, _alt in m.candidates):
        spans = [(e.start, e.end, e.label) for e in ents if e.start < m.start < e.end]
        if spans and surname_after_name(text, m.start, spans, True, _SURNAME_GIVEN):
            return True
    # A given name before a one-word person ("Paris" of "Paris Jackson" when spaCy labels
    # only "Jackson" a person): the given name of that person.
    return (
        not country
        and (m.text.casefold() in GIVEN_NAMES or m.text.casefold() in CITY_GIVEN_NAMES)
        and any(e.label == "PERSON" and e.start == m.end + 1 and " " not in e.text for e in ents)
        and text[m.end] == " "
    )


def _given_name_subject(text: str, m: _Mention, after: int) -> bool:
    """A name that is a common given name, heading its sentence, followed by a verb that
    people do and towns do not ("Florence won the spelling contest", "Dallas was cut from
    the team"), or by a verb of speech when it is no capital ("Madison said")."""
    if m.text.casefold() not in GIVEN_NAMES:
        return False
    if any(p.feature == "country" for p, _alt in m.candidates):
        return False
    if _PERSON_VERBS_GIVEN.match(text, after):
        return True
    if _SPEECH_AFTER.match(text, after):
        capitals = {p.name for p, _alt in m.candidates if p.population >= 1_000_000}
        return not capitals
    return False


def _name_heads(text: str, gaz_ents: list[Entity]) -> list[tuple[int, int]]:
    """The spans of capitalised gazetteer names that may take a place spaCy found inside
    them (_inside_gazetteer_name): not nationality words, not shouted ("SOUTH
    CHARLESTON"), not "The Pentagon", whose "Pentagon" spaCy reads right."""
    return [
        (g.start, g.end)
        for g in gaz_ents
        if not g.demonym
        and " " in g.text
        and text[g.start].isupper()
        and lone_text_ok(g.text)
        and not _LEADING.match(g.text)
    ]


def _place_inside(ents: list[Entity], start: int, end: int) -> bool:
    """Say whether spaCy found a place entity between START and END."""
    return any(o.label in PLACE_LABELS and start <= o.start and o.end <= end for o in ents)


def _inside_gazetteer_name(e: Entity, heads: list[tuple[int, int]], ents: list[Entity]) -> bool:
    """Say whether E lies inside a longer gazetteer name (HEADS) whose head spaCy left
    without a label ("Spain" of "Port of Spain")."""
    for gs, ge in heads:
        if gs < e.start and e.end <= ge:
            if not any(o.start < e.start and gs < o.end for o in ents if o is not e):
                return True
    return False


# A town that has a province's own name only as an alternate name, this far from every
# province of that name in its country, is no reading of it.
_STRAY_ALT_KM = 500.0


def _stray_alternate(p: Place, units: list[Place]) -> bool:
    """Say whether P, a town with the name only as an alternate name, lies far from the
    admin-1 units of its country that bear it as their own ("Missouri" is an alternate
    name of Bozeman, Montana; "New York" of New York City, which lies in the state)."""
    own = [u for u in units if u.country == p.country]
    if p.feature != "city" or not own:
        return False
    return all(
        u.admin1 != p.admin1 and haversine_km(p.lat, p.lng, u.lat, u.lng) > _STRAY_ALT_KM
        for u in own
    )


# A town this big bears its name as surely as a country bears a foreign name of its own.
_OWN_NAME_TOWN = 300_000


def _own_name_beats_country(cands: list[tuple[Place, bool]]) -> bool:
    """Say whether an admin-1 unit or a big town bears the name as its own name, so that a
    country with it only as an alternate, foreign name is no reading of it: "Salvador" is
    the Brazilian city, not El Salvador; "Guyane" French Guiana, not Guyana; "Équateur" the
    Congolese province, not Ecuador."""
    return any(
        not alt
        and (p.feature == "admin1" or (p.feature == "city" and p.population >= _OWN_NAME_TOWN))
        for p, alt in cands
    )


def _longest_weak(weak: list[_Mention]) -> list[_Mention]:
    """The weak names without those inside a longer one: "Rio Grande do Norte" of the
    gazetteer beats the "Norte" spaCy called a person, "Grand Roy" beats "Roy"."""
    return [
        w
        for w in weak
        if not any(
            o.start <= w.start and w.end <= o.end and o.end - o.start > w.end - w.start
            for o in weak
        )
    ]


def _trim_span(text: str, e: Entity, gaz_starts: set[int]) -> Entity:
    """E without the comma, bracket or short word of the sentence that spaCy ran into it
    ("Meneng," of "Meneng, Nauru (AP)", "Saint-Pierre to", "Gouyave and" when a gazetteer
    name follows: not "Grand and" of "at Grand and State")."""
    tail = _SPAN_TAIL.search(text, e.start, e.end)
    if tail is None or tail.start() == e.end or tail.start() <= e.start:
        return e
    if re.search(r"\s(?:and|or)$", tail.group(0)):
        nxt = re.compile(r"\s+").match(text, e.end)
        if nxt is None or nxt.end() not in gaz_starts:
            return e
    return Entity(text[e.start : tail.start()], e.label, e.start, tail.start(), e.source)


# "from X to Y": a range of places, unlike "a letter from X".
_RANGE = re.compile(r"\s+to\s+")
_TO_NAME_AFTER = re.compile(r"\s+to\s+[A-Z]")
# Entries of one name this close together are one place (a town and its district).
_ONE_PLACE_KM = 100.0


def _one_place_name(
    surface: str,
    text: str,
    end: int,
    cands: list[tuple[Place, bool]],
    label: str,
    prep: re.Match[str] | None,
) -> bool:
    """Say whether only one place bears this name as its own: it is the main name of some
    gazetteer entry, every entry with it as main name lies within _ONE_PLACE_KM of the
    largest ("Alamata", "Sudzha", "Mulifanua"; other places' alternate names do not count,
    nor villages a tenth the size of a town of 20,000 or more: _dwarfed), and it is no
    English word (englishwords: not "Muse", "Fig Tree"). Common words and people's names
    are borne by many places ("Franklin", "Victoria"); a name only one town bears is that
    town's own. Not for a common given name, nor for a name spaCy calls a person or
    organisation after "from" or "at", which people and firms take as well ("a letter from
    Obama", "at Nokia"; "from X to Y" is a range of places), nor for an organisation
    written "X's"."""
    own = [p for p, alt in cands if not alt]
    if not own or surface.casefold() in GIVEN_NAMES:
        return False
    if (
        label in ("PERSON", "ORG")
        and prep is not None
        and prep.group(0).split()[0].lower() in ("from", "at")
        and not _RANGE.search(prep.group(0))
        and not _TO_NAME_AFTER.match(text, end)
    ):
        return False  # "a letter from Obama", "at Nokia"; not "from X to Y"
    if label == "ORG" and text.startswith(("'s", "’s"), end):
        return False  # "McDonald's": a business named after its founder
    first = max(own, key=lambda p: p.population)
    if any(
        haversine_km(first.lat, first.lng, p.lat, p.lng) > _ONE_PLACE_KM and not _dwarfed(p, first)
        for p in own
    ):
        return False
    return not is_english_word(surface)


# A town of at least _DOMINANT_TOWN people makes namesakes of a tenth its size or less
# hamlets that no text means by the bare name.
_DOMINANT_TOWN = 20_000
_DWARF_SHARE = 10


def _dwarfed(p: Place, first: Place) -> bool:
    """Say whether P is a town so much smaller than FIRST, a sizeable town of the same
    name, that the name is FIRST's own ("Kourou" of French Guiana, 24,000 people, beside
    a village of Côte d'Ivoire)."""
    return (
        p.feature == "city"
        and first.feature == "city"
        and first.population >= _DOMINANT_TOWN
        and p.population * _DWARF_SHARE <= first.population
    )


def _place_list(
    text: str, e: Entity, gaz_ents: list[Entity], gaz: Gazetteer | None = None
) -> list[int]:
    """Return the starts of the gazetteer names that make up E when E is only a list of
    them ("Kharkiv and Odesa"), else []. With GAZ, also a place and the country it lies in
    ("Morobe in Papua New Guinea")."""
    start = e.start
    lead = _LEADING.match(e.text)
    if lead:
        start += lead.end()
    end = e.end
    parts: list[Entity] = []
    for g in sorted(
        (g for g in gaz_ents if start <= g.start and g.end <= end and not g.demonym),
        key=lambda g: (g.start, -g.end),
    ):
        if not parts or g.start >= parts[-1].end:  # "Port of Spain", not its "Spain"
            parts.append(g)
    if len(parts) < 2 or parts[0].start != start or parts[-1].end != end:
        return []
    # "from Arequipa to Trujillo", which spaCy reads as one organisation.
    ranged = len(parts) == 2 and _FROM_BEFORE.search(text, max(0, start - 6), start) is not None
    for a, b in itertools.pairwise(parts):
        sep = _LIST_SEP.fullmatch(text, a.end, b.start)
        if sep is None and not (ranged and _TO_SEP.fullmatch(text, a.end, b.start)):
            if not (
                gaz is not None
                and b is parts[-1]
                and _IN_SEP.fullmatch(text, a.end, b.start)
                and any(p.feature == "country" for p, _alt in gaz.lookup(b.key or b.text))
            ):
                return []
    return [g.start for g in parts]


def _listed_with(text: str, w: _Mention, spans: dict[int, int], ends: dict[int, int]) -> bool:
    """Say whether W stands in a list beside an accepted place ("Gao and Ansongo")."""
    after = _LIST_SEP.match(text, w.end)
    if after is not None and after.end() in spans:
        return True
    before = _SEP_BEFORE.search(text, max(0, w.start - 12), w.start)
    return before is not None and before.start() in ends


def _near_pairs(
    text: str, weak: list[_Mention], km: float, bonus: float, *, units: bool = False
) -> None:
    """Two weak names side by side ("between Mulifanua and Sale'imoa", "from Ilulissat to
    Qaqortoq") that the gazetteer has within KM of each other, or with UNITS as an admin-1
    unit and another place of its country ("between Mérida and Miranda"), support each
    other: two
    people or words are hardly ever named like two neighbouring towns. Each gets BONUS and
    a cue, and keeps only its candidates near the other's."""
    by_start = sorted(weak, key=lambda w: w.start)
    for a, b in itertools.pairwise(by_start):
        if a.text == b.text or _PAIR_SEP.fullmatch(text, a.end, b.start) is None:
            continue
        keep_a: set[int] = set()
        keep_b: set[int] = set()
        for i, (pa, _alt_a) in enumerate(a.candidates):
            for j, (pb, _alt_b) in enumerate(b.candidates):
                if _neighbours(pa, pb, km, units):
                    keep_a.add(i)
                    keep_b.add(j)
        if not keep_a:
            continue
        for w, keep in ((a, keep_a), (b, keep_b)):
            w.candidates = [c for i, c in enumerate(w.candidates) if i in keep]
            w.evidence += bonus
            w.cue = True


def _neighbours(a: Place, b: Place, km: float, units: bool) -> bool:
    """Say whether A and B lie within KM of each other, or (with UNITS) are of one country
    and one of them is an admin-1 unit (whose point, the unit's centre, says little of its
    edge)."""
    if units and a.country == b.country and "admin1" in (a.feature, b.feature):
        return True
    return haversine_km(a.lat, a.lng, b.lat, b.lng) < km


def _unit_after(text: str, end: int) -> str | None:
    """Return the unit word after END, directly or after more names ("X and Y provinces")."""
    m = _UNIT_AFTER.match(text, end)
    if m and m.group(1) in UNIT_WORDS:
        if UNIT_WORDS[m.group(1)] == "city" and _OF_AFTER.match(text, m.end()):
            return None  # "the California town of Niland": the town is the next name
        return m.group(1)
    pos = end
    for _ in range(6):
        tail = _LIST_TAIL.match(text, pos)
        if tail is None:
            return None
        pos = tail.end()
        m = _UNIT_AFTER.match(text, pos)
        if m and m.group(1) in UNIT_WORDS and m.group(1).endswith("s"):
            return m.group(1)
    return None


def default_geoparser() -> Geoparser:
    """Return the process-wide :class:`Geoparser` (:func:`watchfloor.enrich.resources.shared`;
    models load on first use)."""
    from watchfloor.enrich.resources import shared

    return shared().geoparser


def geoparse_jsonl(in_path: Path | str, out_path: Path | str) -> int:
    """Geoparse a JSONL file of ``{"index", "text"}`` lines; return the number written.

    Each output line is ``{"index", "places": [{"text", "start", "end", "lat", "lng",
    "name", "country", "feature"}]}`` with offsets in characters, end exclusive.
    """
    records: list[dict[str, Any]] = []
    with open(in_path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                text = rec["text"]
                if not isinstance(text, str):
                    raise TypeError("text is not a string")
            except (ValueError, KeyError, TypeError) as exc:
                raise EnrichError(
                    f"{in_path}:{lineno}: expected a JSON object with 'index' and 'text' ({exc})"
                ) from exc
            records.append(rec)
    parser = default_geoparser()
    results = parser.parse_many([r["text"] for r in records])
    with open(out_path, "w", encoding="utf-8") as out:
        for rec, places in zip(records, results, strict=True):
            row = {"index": rec.get("index"), "places": [p.to_json() for p in places]}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(records)


__all__ = ["Geoparser", "ResolvedPlace", "asdict", "default_geoparser", "geoparse_jsonl"]
