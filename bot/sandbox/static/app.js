// Rangkul sandbox web chat: a Telegram-like view of one persona's private chat with the bot.
//
// Safety rule for this file: every piece of text from the server (messages, button labels,
// poll options, error descriptions, names) reaches the page through textContent or an
// attribute set with setAttribute/properties, never through innerHTML, so a message that
// contains "<script>" is shown as those characters.
"use strict";

const LONG_POLL_SECONDS = 25;
const TOAST_MS = 4000;
const ROLE_LABELS = {
  coordinator: "Coordinator",
  facilitator: "Facilitator",
  member: "Member",
  visitor: "New visitor",
};
const ZONE_NAMES = { "Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT" };
const LINK_PROTOCOLS = new Set(["http:", "https:", "tg:"]);

const state = {
  personas: [],
  current: null, // user id of the persona being shown
  version: -1,
  now: null,
  rendered: new Map(), // item key -> {node, sig}
  seenMessages: new Map(), // user id -> message count already seen (for unread badges)
  shownToasts: new Set(),
  toastsPrimed: new Set(), // personas whose earlier toasts were marked as already shown
};

// ------------------------------------------------------------------ small helpers

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function $(id) {
  return document.getElementById(id);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function api(path, options = {}) {
  const response = await fetch(path, { cache: "no-store", ...options });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

function post(path, body) {
  return api(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

function persona(userId) {
  return state.personas.find((p) => p.user_id === userId);
}

function setStatus(text) {
  $("status").textContent = text || "";
}

function safeHref(raw) {
  try {
    const url = new URL(raw);
    return LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function formatTime(iso, withDate) {
  const who = persona(state.current);
  const zone = who ? who.timezone : "Asia/Jakarta";
  const locale = who && who.language === "id" ? "id-ID" : "en-GB";
  const options = withDate
    ? { dateStyle: "medium", timeStyle: "short", timeZone: zone }
    : { timeStyle: "short", timeZone: zone };
  const text = new Intl.DateTimeFormat(locale, options).format(new Date(iso));
  return withDate ? `${text} ${ZONE_NAMES[zone] || zone}` : text;
}

function formatSize(bytes) {
  if (bytes === null || bytes === undefined) return "";
  if (bytes < 1024) return `${bytes} B`;
  return `${(bytes / 1024).toFixed(1)} KB`;
}

// ------------------------------------------------------------------ text with entities

// Entities use UTF-16 offsets, which is exactly how JavaScript strings index.
function renderEntities(text, entities) {
  const sorted = (entities || [])
    .filter((e) => Number.isInteger(e.offset) && Number.isInteger(e.length) && e.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  return renderRange(text, sorted, 0, text.length);
}

function renderRange(text, entities, start, end) {
  const fragment = document.createDocumentFragment();
  let cursor = start;
  let i = 0;
  while (i < entities.length) {
    const entity = entities[i];
    const entityEnd = entity.offset + entity.length;
    let j = i + 1; // entities[i+1 .. j) start inside this one: they are its children
    while (j < entities.length && entities[j].offset < entityEnd) j++;
    const from = Math.max(entity.offset, cursor);
    const to = Math.min(entityEnd, end);
    if (from < to) {
      fragment.append(text.slice(cursor, from));
      const [outer, inner] = entityNode(entity, text.slice(from, to));
      inner.append(renderRange(text, entities.slice(i + 1, j), from, to));
      fragment.append(outer);
      cursor = to;
    }
    i = j;
  }
  fragment.append(text.slice(cursor, end));
  return fragment;
}

function entityNode(entity, covered) {
  const simple = { bold: "strong", italic: "em", underline: "u", strikethrough: "s", code: "code" };
  if (simple[entity.type]) {
    const node = el(simple[entity.type]);
    return [node, node];
  }
  switch (entity.type) {
    case "pre": {
      const pre = el("pre");
      const code = el("code");
      if (entity.language) code.dataset.language = entity.language;
      pre.append(code);
      return [pre, code];
    }
    case "blockquote":
    case "expandable_blockquote": {
      const quote = el("blockquote");
      return [quote, quote];
    }
    case "spoiler":
      return one(spoiler());
    case "text_link":
      return one(link(entity.url));
    case "url":
      return one(link(/^[a-z][a-z0-9+.-]*:/i.test(covered) ? covered : `http://${covered}`));
    case "bot_command":
      return one(commandLink(covered));
    default: {
      const span = el("span", `entity-${entity.type.replace(/[^a-z_]/g, "")}`);
      return [span, span];
    }
  }
}

function one(node) {
  return [node, node];
}

function link(raw) {
  const href = safeHref(raw || "");
  if (!href) {
    const span = el("span", "link-disabled");
    span.title = "Link not opened by the sandbox (only http, https and tg links)";
    return span;
  }
  const a = el("a", "link");
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  return a;
}

function spoiler() {
  const span = el("span", "spoiler");
  span.tabIndex = 0;
  span.setAttribute("role", "button");
  span.setAttribute("aria-label", "Spoiler: press to reveal");
  const reveal = () => span.classList.add("revealed");
  span.addEventListener("click", reveal);
  span.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") reveal();
  });
  return span;
}

function commandLink(command) {
  const a = el("a", "command");
  a.href = "#";
  a.addEventListener("click", (event) => {
    event.preventDefault();
    sendText(command.split("@")[0]);
  });
  return a;
}

// ------------------------------------------------------------------ messages

function messageNode(message) {
  const article = el("article", `message ${message.from_bot ? "from-bot" : "from-me"}`);
  article.dataset.messageId = String(message.message_id);
  article.dataset.kind = message.kind;
  const bubble = el("div", "bubble");
  if (message.kind === "photo") bubble.append(photoNode(message));
  if (message.kind === "document") bubble.append(documentNode(message));
  if (message.kind === "poll") bubble.append(pollNode(message));
  const body = message.kind === "text" ? message.text : message.caption;
  const entities = message.kind === "text" ? message.entities : message.caption_entities;
  if (body) {
    const text = el("div", "text");
    text.append(renderEntities(body, entities));
    bubble.append(text);
  }
  bubble.append(metaNode(message));
  article.append(bubble);
  if (message.inline_keyboard) article.append(inlineKeyboard(message));
  return article;
}

function metaNode(message) {
  const meta = el("div", "meta");
  if (message.edited) {
    const mark = el("span", "edited", "edited");
    mark.title = `Edited ${message.edited} time(s)`;
    meta.append(mark);
  }
  const time = el("time", null, formatTime(message.date, false));
  time.dateTime = message.date;
  meta.append(time);
  return meta;
}

function photoNode(message) {
  const file = message.file;
  if (!file || !file.url) return el("div", "file-missing", "Photo sent by URL (not stored)");
  const a = el("a", "photo");
  a.href = file.url;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  const img = el("img");
  img.src = file.url;
  img.alt = message.caption || "Photo from the bot";
  img.loading = "lazy";
  a.append(img);
  return a;
}

function documentNode(message) {
  const file = message.file;
  const name = (file && file.name) || "document";
  if (!file || !file.url) return el("div", "file-missing", `${name} (sent by URL, not stored)`);
  const a = el("a", "document");
  a.href = file.url;
  a.download = name;
  a.setAttribute("aria-label", `Download ${name}`);
  a.append(el("span", "document-icon", "📄"), el("span", "document-name", name));
  a.append(el("span", "document-size", `${formatSize(file.size)} · ${file.mime_type || ""}`));
  return a;
}

function inlineKeyboard(message, makeButton = inlineButton) {
  const keyboard = el("div", "inline-keyboard");
  keyboard.setAttribute("role", "group");
  keyboard.setAttribute("aria-label", "Message buttons");
  for (const row of message.inline_keyboard) {
    const line = el("div", "keyboard-row");
    for (const button of row) line.append(makeButton(message, button));
    keyboard.append(line);
  }
  return keyboard;
}

function inlineButton(message, button) {
  if (typeof button.callback_data === "string") {
    const node = el("button", "inline-button", button.text);
    node.type = "button";
    node.addEventListener("click", () => pressButton(node, message, button.callback_data));
    return node;
  }
  const href = button.url ? safeHref(button.url) : null;
  if (href) {
    const a = el("a", "inline-button url-button", `${button.text} ↗`);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  const node = el("button", "inline-button", button.text);
  node.type = "button";
  node.disabled = true;
  node.title = "This kind of button does nothing in the sandbox";
  return node;
}

function pollNode(message, answer = answerPoll) {
  const poll = message.poll;
  const box = el("div", "poll");
  box.append(el("div", "poll-question", poll.question));
  const kind = [poll.is_anonymous ? "Anonymous poll" : "Public poll"];
  if (poll.allows_multiple_answers) kind.push("multiple answers");
  if (poll.is_closed) kind.push("closed");
  box.append(el("div", "poll-kind", kind.join(" · ")));
  const voted = Array.isArray(poll.my_votes) && poll.my_votes.length > 0;
  const list = el("div", "poll-options");
  if (poll.is_closed || voted) {
    poll.options.forEach((option, index) => list.append(pollResult(poll, option, index)));
  } else if (poll.allows_multiple_answers) {
    appendPollChecklist(list, message, poll, answer);
  } else {
    poll.options.forEach((option, index) => {
      const button = el("button", "poll-option", option.text);
      button.type = "button";
      button.addEventListener("click", () => answer(message, [index]));
      list.append(button);
    });
  }
  box.append(list);
  const footer = el("div", "poll-footer", `${poll.total_voter_count} vote(s)`);
  if (voted && !poll.is_closed) {
    const retract = el("button", "poll-retract", "Retract vote");
    retract.type = "button";
    retract.addEventListener("click", () => answer(message, []));
    footer.append(" ", retract);
  }
  box.append(footer);
  return box;
}

function pollResult(poll, option, index) {
  const total = poll.total_voter_count || 0;
  const percent = total ? Math.round((100 * option.voter_count) / total) : 0;
  const row = el("div", "poll-result");
  const mine = Array.isArray(poll.my_votes) && poll.my_votes.includes(index);
  row.append(el("span", "poll-percent", `${percent}%`));
  row.append(el("span", "poll-text", `${option.text}${mine ? " ✓" : ""}`));
  const bar = el("span", "poll-bar");
  bar.style.width = `${percent}%`;
  row.append(bar);
  return row;
}

function appendPollChecklist(list, message, poll, answer) {
  const boxes = poll.options.map((option, index) => {
    const label = el("label", "poll-check");
    const box = el("input");
    box.type = "checkbox";
    box.value = String(index);
    label.append(box, " ", option.text);
    list.append(label);
    return box;
  });
  const vote = el("button", "poll-vote", "Vote");
  vote.type = "button";
  vote.addEventListener("click", () => {
    const chosen = boxes.filter((b) => b.checked).map((b) => Number(b.value));
    if (chosen.length) answer(message, chosen);
  });
  list.append(vote);
}

function rejectionNode(call) {
  const node = el("div", "notice error");
  node.setAttribute("role", "alert");
  node.dataset.rejected = String(call.index);
  node.append(el("strong", null, `Telegram rejected ${call.method}`));
  node.append(el("span", null, ` — ${call.status}: ${call.description}`));
  return node;
}

// Places each item by key and rebuilds only what changed, so an edited message is replaced
// where it stands instead of the whole chat being redrawn.
function renderChat(chat) {
  const container = $("messages");
  const nearBottom =
    container.scrollHeight - container.scrollTop - container.clientHeight < 120;
  const items = chatItems(chat);
  const next = new Map();
  let position = 0;
  let added = false;
  for (const item of items) {
    let entry = state.rendered.get(item.key);
    if (!entry || entry.sig !== item.sig) {
      const node = item.build();
      if (entry) entry.node.replaceWith(node);
      else added = true;
      entry = { node, sig: item.sig };
    }
    next.set(item.key, entry);
    const at = container.children[position];
    if (at !== entry.node) container.insertBefore(entry.node, at || null);
    position++;
  }
  for (const [key, entry] of state.rendered) if (!next.has(key)) entry.node.remove();
  state.rendered = next;
  if (nearBottom || added) container.scrollTop = container.scrollHeight;
  if (!items.length) setStatus("No messages yet. Try /start.");
}

function chatItems(chat) {
  const notices = new Map(); // message id -> refusals shown after it
  for (const call of chat.rejected) {
    const list = notices.get(call.after_message_id) || [];
    list.push(call);
    notices.set(call.after_message_id, list);
  }
  const items = [];
  const addNotices = (messageId) => {
    for (const call of notices.get(messageId) || []) {
      items.push({ key: `r${call.index}`, sig: "", build: () => rejectionNode(call) });
    }
    notices.delete(messageId);
  };
  addNotices(0);
  for (const message of chat.messages) {
    const sig = JSON.stringify(message);
    items.push({ key: `m${message.message_id}`, sig, build: () => messageNode(message) });
    addNotices(message.message_id);
  }
  for (const messageId of [...notices.keys()]) addNotices(messageId); // message since deleted
  return items;
}

function renderReplyKeyboard(keyboard) {
  const box = $("reply-keyboard");
  box.replaceChildren();
  box.hidden = !keyboard;
  $("message-input").placeholder = (keyboard && keyboard.placeholder) || "Message (Pesan)";
  if (!keyboard) return;
  for (const row of keyboard.rows) {
    const line = el("div", "keyboard-row");
    for (const label of row) {
      const button = el("button", "reply-button", label);
      button.type = "button";
      button.addEventListener("click", () => sendText(label));
      line.append(button);
    }
    box.append(line);
  }
}

function renderCommands(commands) {
  const box = $("commands");
  box.replaceChildren();
  for (const command of commands) {
    const button = el("button", "command-item");
    button.type = "button";
    button.append(el("span", "command-name", `/${command.command}`));
    button.append(el("span", "command-description", command.description));
    button.addEventListener("click", () => {
      toggleCommands(false);
      sendText(`/${command.command}`);
    });
    box.append(button);
  }
}

function toggleCommands(open) {
  const box = $("commands");
  box.hidden = !open;
  $("commands-toggle").setAttribute("aria-expanded", String(open));
}

function showToasts(chat) {
  const fresh = chat.toasts.filter((t) => !state.shownToasts.has(t.id));
  fresh.forEach((t) => state.shownToasts.add(t.id));
  // Answers given before this page looked at the persona are history, not news.
  if (!state.toastsPrimed.has(chat.user_id)) {
    state.toastsPrimed.add(chat.user_id);
    return;
  }
  for (const toast of fresh) {
    const node = el("div", `toast${toast.alert ? " alert" : ""}`);
    node.setAttribute("role", toast.alert ? "alertdialog" : "status");
    node.append(el("span", null, toast.text));
    const close = el("button", "toast-close", "OK");
    close.type = "button";
    close.setAttribute("aria-label", "Close notice");
    close.addEventListener("click", () => node.remove());
    node.append(close);
    $("toasts").append(node);
    if (!toast.alert) setTimeout(() => node.remove(), TOAST_MS);
  }
}

// ------------------------------------------------------------------ personas and panels

function renderPersonas() {
  const list = $("persona-list");
  list.replaceChildren();
  for (const p of state.personas) {
    const item = el("li");
    const button = el("button", "persona");
    button.type = "button";
    button.dataset.userId = String(p.user_id);
    button.dataset.role = p.role;
    button.setAttribute("aria-pressed", String(p.user_id === state.current));
    button.setAttribute(
      "aria-label",
      `Be ${p.name}, ${ROLE_LABELS[p.role] || p.role}, language ${p.language}`,
    );
    button.append(el("span", "persona-name", p.name));
    const details = el("span", "persona-details");
    details.append(el("span", `role role-${p.role}`, ROLE_LABELS[p.role] || p.role));
    details.append(el("span", "language", p.language.toUpperCase()));
    const unread = p.message_count - state.seenMessages.get(p.user_id);
    if (p.user_id !== state.current && unread > 0) {
      const badge = el("span", "unread", String(unread));
      badge.setAttribute("aria-label", `${unread} new message(s)`);
      details.append(badge);
    }
    button.append(details);
    button.addEventListener("click", () => switchPersona(p.user_id));
    item.append(button);
    list.append(item);
  }
}

// Messages that were there when the page first saw a persona are not "unread".
function setPersonas(personas) {
  state.personas = personas;
  for (const p of personas) {
    if (!state.seenMessages.has(p.user_id)) state.seenMessages.set(p.user_id, p.message_count);
  }
}

function renderChatHeader() {
  const p = persona(state.current);
  if (!p) return;
  $("chat-title").textContent = p.name;
  $("chat-subtitle").textContent =
    `${ROLE_LABELS[p.role] || p.role} · language ${p.language} · chatting with Rangkul`;
}

function renderRejected(calls) {
  $("rejected-count").textContent = String(calls.length);
  $("rejected-toggle").classList.toggle("has-errors", calls.length > 0);
  const list = $("rejected-list");
  list.replaceChildren();
  for (const call of calls) {
    const who = persona(call.chat_id);
    const item = el("li", "rejected-item");
    item.append(el("strong", null, call.method));
    item.append(el("span", null, ` ${call.status}: ${call.description}`));
    item.append(el("div", "hint", `${who ? who.name : "no chat"} · ${formatTime(call.time, true)}`));
    list.append(item);
  }
}

function renderClock() {
  if (state.now) $("clock").textContent = formatTime(state.now, true);
}

// ------------------------------------------------------------------ group chats

// A deep link to the bot (t.me/<bot>?start=<payload>) in a group post opens the private chat
// and sends "/start <payload>" there, as Telegram does (the bot posts only link buttons there).
const DEEP_LINK = /^https:\/\/t\.me\/[A-Za-z0-9_]+\?start=([A-Za-z0-9_-]{1,64})$/;

function groupButton(message, button) {
  const deepLink = DEEP_LINK.exec(button.url || "");
  if (!deepLink) return inlineButton(message, button);
  const node = el("button", "inline-button url-button", `${button.text} ↗`);
  node.type = "button";
  node.addEventListener("click", () => sendText(`/start ${deepLink[1]}`));
  return node;
}

// A group chat as the current persona sees it: its recent messages (with Telegram's sender
// names, which is what a group shows), and "Ask to join" or a box to write there.
function renderGroups(groups) {
  const nodes = groups.map((group) => {
    const box = el("section", "group-chat");
    box.dataset.chatId = String(group.chat_id);
    box.append(el("div", "group-title", group.title));
    const log = el("ol", "group-log");
    log.setAttribute("aria-label", `Messages in ${group.title}`);
    for (const message of group.messages) {
      const item = el("li", message.from_bot ? "group-line from-bot" : "group-line");
      item.append(el("span", "group-sender", message.sender), el("span", "group-text", message.text));
      if (message.inline_keyboard) item.append(inlineKeyboard(message, groupButton));
      if (message.kind === "poll") {
        // A time poll posted in the chat: the persona votes there, anonymously.
        const vote = (_, optionIds) =>
          run(() =>
            post(`/api/groups/${state.current}/${group.chat_id}/polls`, {
              message_id: message.message_id,
              option_ids: optionIds,
            }),
          );
        item.append(pollNode(message, vote));
      }
      log.append(item);
    }
    box.append(log);
    const inChat = ["creator", "administrator", "member", "restricted"].includes(group.status);
    if (inChat) {
      const form = el("form", "group-composer");
      const input = el("input");
      input.type = "text";
      input.setAttribute("aria-label", `Message to ${group.title}`);
      input.placeholder = "Write in the group";
      const send = el("button", "send", "Send");
      send.type = "submit";
      form.append(input, send);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const text = input.value;
        input.value = "";
        if (text.trim()) {
          run(() => post(`/api/groups/${state.current}/${group.chat_id}/messages`, { text }));
        }
      });
      box.append(form);
    } else if (group.waiting) {
      box.append(el("div", "hint", "Request sent…"));
    } else {
      const join = el("button", "group-join", "Ask to join");
      join.type = "button";
      join.addEventListener("click", () =>
        run(() => post(`/api/groups/${state.current}/${group.chat_id}/join`, {})),
      );
      box.append(join);
    }
    return box;
  });
  $("group-chats").replaceChildren(...nodes);
}

// ------------------------------------------------------------------ actions

async function refresh() {
  const userId = state.current;
  const [chat, people, rejected, groups] = await Promise.all([
    api(`/api/chats/${userId}`),
    api("/api/personas"),
    api("/api/rejected"),
    api(`/api/groups/${userId}`),
  ]);
  setPersonas(people.personas);
  state.now = chat.now;
  if (userId !== state.current) return; // the person switched persona meanwhile
  state.version = chat.version;
  state.seenMessages.set(userId, chat.messages.length);
  setStatus("");
  renderChat(chat);
  renderReplyKeyboard(chat.reply_keyboard);
  renderCommands(chat.commands);
  showToasts(chat);
  renderPersonas();
  renderRejected(rejected.rejected);
  renderGroups(groups.groups);
  renderClock();
}

async function run(action) {
  try {
    await action();
  } catch (error) {
    setStatus(`Sandbox error: ${error.message}`);
  }
}

function switchPersona(userId) {
  if (userId === state.current) return;
  state.current = userId;
  state.rendered = new Map();
  $("messages").replaceChildren();
  renderPersonas();
  renderChatHeader();
  run(refresh);
}

function sendText(text) {
  if (!text.trim()) return;
  run(() => post(`/api/chats/${state.current}/messages`, { text }));
}

function pressButton(node, message, callbackData) {
  node.classList.add("pending");
  run(() =>
    post(`/api/chats/${state.current}/buttons`, {
      message_id: message.message_id,
      callback_data: callbackData,
    }),
  );
}

function answerPoll(message, optionIds) {
  run(() =>
    post(`/api/chats/${state.current}/polls`, {
      message_id: message.message_id,
      option_ids: optionIds,
    }),
  );
}

function fastForward(step) {
  run(async () => {
    const result = await post("/api/clock", { step });
    state.now = result.now;
    renderClock();
  });
}

// The page follows the sandbox by long polling: each answer means "something changed".
async function watch() {
  for (;;) {
    try {
      const change = await api(
        `/api/changes?since=${state.version}&timeout=${LONG_POLL_SECONDS}`,
      );
      state.now = change.now;
      renderClock();
      if (change.version !== state.version) await refresh();
    } catch (error) {
      setStatus(`Connection to the sandbox lost (${error.message}); retrying…`);
      await sleep(1000);
    }
  }
}

function wireControls() {
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("message-input");
    sendText(input.value);
    input.value = "";
  });
  for (const button of document.querySelectorAll(".clock-step")) {
    button.addEventListener("click", () => fastForward(button.dataset.step));
  }
  $("commands-toggle").addEventListener("click", () => toggleCommands($("commands").hidden));
  $("rejected-toggle").addEventListener("click", () => {
    const panel = $("rejected-panel");
    panel.hidden = !panel.hidden;
    $("rejected-toggle").setAttribute("aria-expanded", String(!panel.hidden));
  });
}

async function start() {
  wireControls();
  const people = await api("/api/personas");
  setPersonas(people.personas);
  state.now = people.now;
  const wanted = Number(new URLSearchParams(location.search).get("persona"));
  const first = persona(wanted) || state.personas[0];
  switchPersona(first.user_id);
  watch();
}

document.addEventListener("DOMContentLoaded", () => run(start));
