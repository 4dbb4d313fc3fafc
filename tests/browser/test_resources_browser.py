"""The resource directory in the sandbox's web chat: search, then open a result."""

from __future__ import annotations

import pytest

from tests.browser.helpers import VISITOR_EN, ChatPage

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_visitor_searches_the_resources_and_opens_a_result(chat: ChatPage) -> None:
    await chat.be(VISITOR_EN)
    await chat.send("/resources sleeping pills")
    await chat.expect_bot("I found")
    await chat.press("1. ")
    await chat.expect_bot("Sources:", "National")
    await chat.screenshot("resources-en")
