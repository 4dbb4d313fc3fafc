"""The curated files the bot ships with, read the same way from a checkout and from a wheel.

``data/`` (crisis contacts, the resource directory, the crisis lexicon and model, the distress
lexicon and model, the questionnaires' instruments) and
``locales/`` (the catalogs) are top-level folders of the repository, kept by people who need
not open ``bot/``.
A wheel carries them inside the package as ``bot/data`` and ``bot/locales`` (see setup.py), so
an installed bot needs no checkout. This module is the one place that finds and reads them;
``bot.domain`` only parses and checks the text it is given.

Each file is read and parsed once per process: the bot reads them at start-up (a bad edit stops
it there, naming the entry), and a changed file takes effect at the next start.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from bot.domain.contacts import CrisisContact, parse_contacts
from bot.domain.crisis_detection import CrisisDetector, Lexicon, parse_lexicon
from bot.domain.distress_detection import (
    DistressDetector,
    DistressLexicon,
    parse_distress_lexicon,
)
from bot.domain.instruments import Phq9, Who5, parse_phq9, parse_who5
from bot.domain.resources import Resource, parse_resources
from bot.domain.text_model import parse_model


def shipped(folder: str) -> Traversable:
    """``folder`` (``"data"`` or ``"locales"``): the installed package's copy, as a wheel lays
    it out, else the checkout's top-level folder (a checkout or an editable install)."""
    packaged = files("bot") / folder
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / folder


def _data(name: str) -> str:
    return (shipped("data") / name).read_text(encoding="utf-8")


@cache
def crisis_contacts() -> tuple[CrisisContact, ...]:
    """``data/crisis_contacts.toml``."""
    return parse_contacts(_data("crisis_contacts.toml"), "data/crisis_contacts.toml")


@cache
def resource_directory() -> tuple[Resource, ...]:
    """The crisis contacts as ``crisis`` entries, then ``data/resources.toml``: the seed of the
    directory in the database."""
    return parse_resources(_data("resources.toml"), crisis_contacts(), "data/resources.toml")


@cache
def crisis_lexicon() -> Lexicon:
    """``data/crisis_lexicon.toml``, compiled: what crisis detection matches messages against."""
    return parse_lexicon(_data("crisis_lexicon.toml"), "data/crisis_lexicon.toml")


@cache
def distress_lexicon() -> DistressLexicon:
    """``data/distress_lexicon.toml``, compiled: what distress detection matches messages
    against."""
    return parse_distress_lexicon(_data("distress_lexicon.toml"), "data/distress_lexicon.toml")


@cache
def crisis_detector() -> CrisisDetector:
    """The crisis lexicon, then ``data/crisis_model.json`` (the second stage): what every
    screening of a message uses."""
    model = parse_model(_data("crisis_model.json"), "data/crisis_model.json")
    return CrisisDetector(crisis_lexicon(), model)


@cache
def distress_detector() -> DistressDetector:
    """The distress lexicon, then ``data/distress_model.json`` (the second stage): what every
    check of a message for distress uses."""
    model = parse_model(_data("distress_model.json"), "data/distress_model.json")
    return DistressDetector(distress_lexicon(), model)


@cache
def who5() -> Who5:
    """``data/who5.toml``: the WHO-5 and the quality-of-life items of the weekly check-in."""
    return parse_who5(_data("who5.toml"), "data/who5.toml")


@cache
def phq9() -> Phq9:
    """``data/phq9.toml``: the PHQ-9, offered after a low WHO-5 score."""
    return parse_phq9(_data("phq9.toml"), "data/phq9.toml")
