"""Word lists shared by sentence case and citation keys (kept apart: both are on start-up paths)."""

# Words that title case leaves in lower case (Chicago 8.159, APA 6.17); they do not count as
# evidence either way when deciding whether a title is in title case, nor as a citation key's word.
MINOR_WORDS = frozenset(
    "a an the and but or nor for so yet as at by in of off on per to up via vs vs. from into "
    "onto over with than upon out down".split()
)

# Chicago 8.159 lowers every preposition, however long; a title in that style writes `through` or
# `between` in lower case without being in sentence case. Only sentence case reads this list.
TITLE_CASE_LOWER = MINOR_WORDS | frozenset(
    "about above across after against along amid among around before behind below beneath beside "
    "besides between beyond despite during except inside like near outside past since through "
    "throughout till toward towards under underneath unlike until versus within without whether "
    "if once while".split()
)

# Lower-case words that a title in title case keeps lower all the same, so they are no evidence of
# sentence case: name particles (`Nils Rosén von Rosenstein`, `van der Waals`), `v.` in case names
# (`Roe v. Wade`), Latin of the kind italicised in science (`in vitro`, `de novo`, `et al.`,
# `sp.`), and abbreviations.
KEPT_LOWER = frozenset(
    "von van der den de da di du del della delle des la le ten ter zu zur dos das y bin ibn al el "
    "v vs versus et etc al vitro vivo situ silico utero vacuo novo se facto jure minimis sp spp "
    "ssp subsp var str cf ca approx".split()
)

# The particles among them: a capitalised word on each side of one is a name (`Rosén von Rosenstein`).
NAME_PARTICLES = frozenset(
    "von van der den de da di du del della delle des la le ten ter zu zur dos das y bin ibn al "
    "el".split()
)

# The last word of a name that an acronym in parentheses abbreviates: `… Study (MIDAS)` names a
# study and keeps its capitals; `Building Information Modeling (BIM)` is a term and is lowered.
NAMED_HEADS = frozenset(
    "study studies trial trials program programme project initiative survey cohort registry "
    "consortium network collaboration collaborative group act agreement convention protocol "
    "treaty agency association society organization organisation institute foundation council "
    "committee commission federation league union alliance coalition partnership bureau "
    "department ministry authority administration board panel office service fund center centre "
    "symposium conference congress workshop summit inventory questionnaire scale".split()
)

# Adjectival second halves after an acronym (`AI-Based`, `HIV-Positive`): lowered. Any other
# capitalised half after an acronym is part of a name and kept (`DL-Learner`, `RNA-Seq`).
COMPOUND_ENDINGS = ("ed", "ing", "ive", "al", "ic", "ous", "able", "ible", "ly", "free", "like",
                    "wide", "specific", "dependent", "independent", "rich", "poor", "type",
                    "level", "scale", "based", "related", "mediated", "positive", "negative")

# Prefixes written in lower case before a capitalised name in both styles (`non-Hodgkin`,
# `post-Kawasaki`, `anti-Müllerian`); before a name they are lowered, never taken for its first half.
PREFIXES = frozenset(
    "non anti pre post pro neo co sub semi multi inter intra trans pan bi tri de re un mid ex "
    "extra ultra micro macro mini over under self pseudo para peri hyper hypo meta poly mono "
    "counter cross proto quasi supra infra auto bio eco geo cyber out".split()
)

# Nouns that keep their capital before a number that places them in a series (APA 7 §6.19:
# `Experiment 2`, `Table 3`, `Target 6.3`). Classifications (`type 2 diabetes`, `phase 3 trial`,
# `stage IV`, `coronavirus disease 2019`) are not in the list and are lowered. `May` is here rather
# than in the lexicon: before a date it is the month, elsewhere mostly the verb (`Exercise May …`).
SERIES_NOUNS = frozenset(
    "part chapter section table figure appendix experiment study trial target goal article "
    "volume book act lecture session case may".split()
)

# Titles and honorifics before a name: the name after them is kept (`St. Thomas`, `Dr. Snow`).
HONORIFICS = frozenset("dr mr mrs ms prof st ste mt ft sir dame saint mount".split())

# Abbreviations of four letters or more that end in a full stop without ending a sentence.
ABBREVIATIONS = frozenset(
    "suppl dept univ corp prof assoc natl intl govt proc trans symp conf approx incl cent publ "
    "vols repr biol chem phys clin surg nucl sept".split()
)

# English words written with accents: an accent marks a name (`Guillain-Barré`, `Brønsted`)
# except in these loanwords and in the ligatures æ and œ (`pædiatrics`, `œdema`).
LOANWORDS = frozenset(
    "café cafés naïve naïvely naïveté naïvety résumé résumés cliché clichés élite élites façade "
    "façades rôle rôles protégé protégés décor entrée entrées exposé exposés fiancé fiancée "
    "début débuts déjà vis-à-vis crème soufflé purée sauté rosé touché attaché communiqué "
    "coöperation coördination doppelgänger über".split()
)
