"""The seed speech, normalized the way the foundation issue states: the reference the output must equal."""

from __future__ import annotations

from pathlib import Path

from docgen import zh

# The 2010 speech the project started from, as scraped (Traditional, with site noise): the project's
# reference document, kept in the repository so the tests run on a clone anywhere.
SEED = Path(__file__).resolve().parent / "data" / "seed" / "2010-cxzy-speech.txt"

# Site noise: the advert line, a stray word glued to a paragraph, a stray bullet.
NOISE_WORDS = ("新晨",)
# The seed's own slips: the slogan is 生态之乡 everywhere but in the last paragraph; a range inside one
# year says the year once (GB/T 9704's dates, docgen's date_range: 从2010年6月到“七一”前); 即 before a
# list takes a colon (“五好四强”即：领导班子好…, as the speech's own “五带五争”，即：).
ERRATA = {"生态立乡": "生态之乡", "从2010年6月到2010年“七一”前": "从2010年6月到“七一”前", "”即,": "”即："}


def normalized_seed_paragraphs(errata: bool = True) -> list[str]:
    text = zh.to_simplified(SEED.read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("本站小编")]
    out = []
    for line in lines:
        for word in NOISE_WORDS:
            line = line.replace(word, "")
        line = line.lstrip("*")
        for old, new in ERRATA.items() if errata else ():
            line = line.replace(old, new)
        out.append(zh.fullwidth_punctuation(line))
    return out
