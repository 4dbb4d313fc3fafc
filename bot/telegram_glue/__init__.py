"""Telegram glue: what the features (bot.handlers, bot.conversations) share, and no feature.

Showing a step or the menu, the crisis reply, deep links and role command menus, how a
conversation is built and left (/cancel, /forget, timeouts), and the step flows with their
typed drafts. It speaks PTB and calls services; it never imports a feature, so features can
share it without importing each other. Only bot.handlers, bot.conversations and bot/app.py
import it.
"""
