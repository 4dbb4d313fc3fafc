"""Onboarding steps journeys start from."""

from __future__ import annotations

from tests.journeys.harness import Person


async def reach_own_alias_step(person: Person) -> None:
    """From /start to the step where the person types their own alias, in English."""
    await person.send("/start")
    for label in ("English", "Continue", "Yes, I'm 18 or older", "I agree", "Choose my own"):
        await person.press(label)


async def onboard_in_english(person: Person, alias: str | None = None) -> None:
    await person.send("/start")
    await person.press("English")
    await finish_onboarding_after_welcome(person, alias)


async def finish_onboarding_after_welcome(person: Person, alias: str | None = None) -> None:
    """From the welcome (language chosen, English) to the end: Bali, anxiety and trauma."""
    await person.press("Continue")
    await person.press("Yes, I'm 18 or older")
    await person.press("I agree")
    if alias is None:
        await person.press("Use this alias")
    else:
        await person.press("Choose my own")
        await person.send(alias)
    await person.press("Next")
    await person.press("Bali")
    await person.press("Anxiety")
    await person.press("Trauma")
    await person.press("Done")
