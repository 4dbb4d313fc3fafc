"""Crisis safety in a real browser: crisis words typed mid-onboarding get the crisis reply,
its grounding exercise works step by step, and onboarding then continues where it was."""

from __future__ import annotations

import pytest

from tests.browser.helpers import VISITOR_EN, ChatPage

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_crisis_words_mid_onboarding_then_grounding_then_onboarding_goes_on(
    chat: ChatPage,
) -> None:
    await chat.be(VISITOR_EN)
    await chat.send("/start")
    await chat.press("English")
    await chat.press("Continue")
    await chat.press("Yes, I'm 18 or older")
    await chat.press("I agree")
    await chat.press("Choose my own")

    await chat.send("honestly I just want to die")
    await chat.expect_bot("You don't have to go through this alone", "112")
    await chat.screenshot("crisis-detected")

    await chat.press("Grounding exercise now")
    await chat.expect_bot("Let's slow down together")
    await chat.press("5-4-3-2-1 senses")
    await chat.expect_bot("5 things you can see")
    await chat.press("Next")
    await chat.expect_bot("4 things you can touch")

    await chat.send("Laut Tenang")
    await chat.expect_bot("Which province")
