"""Pieces shared by the Telegram adapters (handlers and conversations): showing steps,
the crisis reply, deep links and role menus. Only bot.handlers, bot.conversations and
bot/app.py import them."""
