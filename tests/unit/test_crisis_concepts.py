"""The lexicon's concepts, one at a time: each catches its wording in both languages and leaves
the everyday phrases that share its words alone (data/crisis_lexicon.toml)."""

from __future__ import annotations

import pytest

from bot.data_files import crisis_detector, crisis_lexicon
from bot.domain.crisis_detection import CrisisCategory, detect

LEXICON = crisis_lexicon()


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # Self-harm acts and their slang.
        ("semalem aku nyilet lagi", "hurt-myself-id"),
        ("kambuh lagi, barcode baru", "hurt-myself-id"),
        ("sengaja nyundut tanganku pake rokok", "hurt-myself-id"),
        ("pengen ngehukum diri sendiri", "hurt-myself-id"),
        ("aku nyakitin diri lagi", "hurt-myself-id"),
        ("I keep cutting", "hurt-myself-en"),
        ("I burned myself with a lighter on purpose", "hurt-myself-en"),
        ("the urge to cut is so strong tonight", "hurt-myself-en"),
        ("I hurt myself again last night", "hurt-myself-en"),
        # Pills so as not to wake up.
        ("aku mau minum semua obat biar gak bangun lagi", "overdose-intent"),
        ("mau nenggak sebotol pil", "overdose-intent"),
        ("I want to take all my pills and never wake up", "overdose-intent"),
        ("taking a bunch of pills so i dont wake up", "overdose-intent"),
        # Farewell and giving things away.
        ("pamit selamanya ya semuanya", "farewell-note"),
        ("jangan sedih ya kalau aku udah gak ada", "farewell-note"),
        ("remember me when I'm gone", "farewell-note"),
        ("aku kasih semua barangku ke adik soalnya gak bakal butuh lagi", "farewell-note"),
        ("I've been giving my stuff away", "farewell-note"),
        # A plan without a method.
        ("aku udah punya rencana, tinggal nunggu waktu", "preparations"),
        ("I know how I'd do it", "preparations"),
        ("I've made up my mind, no one can stop me", "preparations"),
        # A time named.
        ("malam ini semuanya berakhir", "ending-tonight"),
        ("tonight is the night I do it", "ending-tonight"),
        ("this is my last night on earth", "ending-tonight"),
        # Burden together with a wish to be gone.
        ("I'm just a burden, they'd be better off without me", "better-off-without-me"),
        ("aku cuma beban, mending aku gak ada", "better-off-without-me"),
        ("I'm a burden, my family would be relieved when I'm gone", "burden-wish-gone"),
        # Indonesian idioms of ending life (and the English "give up on life").
        ("menyerah sama hidup", "ending-life-idioms-id"),
        ("aku pengen ninggalin dunia ini", "ending-life-idioms-id"),
        ("pengen pulang ke pangkuan-Nya aja", "ending-life-idioms-id"),
        ("giving up on life", "ending-life-idioms-id"),
        ("mengakhiri semuanya", "end-my-life"),
        ("udahan sama hidup", "end-my-life"),
        ("aku mau pergi untuk selamanya", "better-off-without-me"),
    ],
)
def test_a_concept_catches_its_wording(text: str, rule: str) -> None:
    signal = detect(text, LEXICON)
    assert signal is not None and signal.rule == rule, signal


@pytest.mark.parametrize(
    "text",
    [
        # Near misses of self-harm.
        "lagunya menyayat hati banget",
        "scan barcode dulu di kasir",
        "nyayat bawang sambil nangis",
        "I keep cutting class lol",
        "cutting carbs again this week",
        "I burned myself cooking dinner",
        # ... of pills.
        "aku mau minum semua obatnya sampe habis biar cepet sembuh",
        "I'm going to take all my meds with me on the trip",
        # ... of farewell and giving away.
        "aku pamit dulu ya, mau tidur",
        "giving my clothes away to charity",
        "I'm gone for the weekend, feed the cat when I'm gone for the trip",
        # ... of a plan and a time.
        "aku udah punya rencana buat liburan",
        "I've made up my mind about the car",
        "I know how I'd do it better",
        "I've made up my mind, pizza tonight",
        "malam ini semuanya selesai, proyek akhirnya kelar",
        "it all ends tonight, final episode",
        "tonight's the night! party time",
        "it's my last day at work",
        # ... of burden and ending life.
        "aku ngerasa jadi beban",
        "that's a burden off my shoulders",
        "aku nyerah sama diet ini",
        "menyerah sama hidup sehat, balik makan gorengan",
        "pengen ninggalin dunia kerja",
        # The everyday idioms the brief names.
        "mati gaya",
        "bunuh waktu",
        "nyawa tinggal 1%",
        "killing it",
        "dead tired",
        "my back is killing me",
        "this heat is killing me",
        "bosku bakal bunuh aku wkwk",
    ],
)
def test_a_near_miss_stays_quiet(text: str) -> None:
    assert detect(text, LEXICON) is None
    assert crisis_detector().detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "capek banget, rasanya pengen menghilang aja",
        "aku gak kuat lagi",
        "aku ngerasa sendirian banget",
        "I can't do this anymore",
        "I feel like a burden",
        "I'm so tired of everything",
    ],
)
def test_distress_without_death_or_harm_is_not_a_crisis(text: str) -> None:
    """The distress tier answers these; crisis screening must not."""
    assert crisis_detector().detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "capek banget, rasanya pengen menghilang aja, pengen mati",
        "I can't do this anymore, I want to kill myself",
        "aku gak kuat lagi, tadi nyilet lagi",
    ],
)
def test_distress_with_death_or_harm_is_a_crisis(text: str) -> None:
    signal = crisis_detector().detect(text)
    assert signal is not None
    assert signal.category in (CrisisCategory.SUICIDAL, CrisisCategory.SELF_HARM)


@pytest.mark.parametrize(
    ("everyday", "crisis"),
    [
        ("ran 5 kms this morning", "i want to kms"),
        ("i cut myself some slack today", "i cut myself again last night"),
        ("dw i'm not gonna kms, just annoyed", "i'm gonna kms"),
        ("caffeine overdose, i'm shaking lol", "i took an overdose an hour ago"),
        ("my brother hit me with a pillow lol", "my husband hit me with a belt again"),
        ("pamit dari dunia perkuliahan, akhirnya wisuda!", "aku mau pamit dari dunia ini"),
        (
            "pengen tidur dan gak bangun sampe siang, libur soalnya",
            "pengen tidur dan gak bangun lagi",
        ),
        ("kenyang banget sampe mau mati", "aku pengen mati aja"),
        ("dia ngancam bakal bunuh karakterku di cerita", "dia ngancam mau bunuh aku"),
    ],
)
def test_everyday_guards_leave_the_crisis_wording_next_to_them(everyday: str, crisis: str) -> None:
    """Each guard from the round-2 corpus, beside a crisis message sharing its words."""
    assert detect(everyday, LEXICON) is None
    assert detect(crisis, LEXICON) is not None
    assert detect(f"{everyday}. {crisis}", LEXICON) is not None
