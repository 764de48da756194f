// The interview's sticky bar: the connection's status in words and the progress ("Question 4 of
// 11" and its bar). The status follows the ChatClient's states, and the browser's own offline
// and online events, which come at once where the heartbeat would take seconds.
import { $ } from "./dom.js";

const CLOSED_MESSAGES = {
  1000: "Interview complete",
  1008: "Disconnected: too many or invalid messages",
  4500: "Signed out: please sign in again",
  4504: "This document is not available",
  4509: "Continued in another tab or device",
};
const OFFLINE = "You are offline. Your answers wait until you are back online.";

/** The ChatClient's `state` event, in words. */
export function showConnectionState({ state, code, delayMs, attempt }) {
  const status = $("status");
  status.dataset.state = state;
  if (state === "connecting") status.textContent = "Connecting…";
  if (state === "open") status.textContent = "Connected";
  if (state === "reconnecting") {
    status.textContent = navigator.onLine === false
      ? OFFLINE
      : `Connection lost. Reconnecting in ${
        Math.max(1, Math.ceil(delayMs / 1000))
      } s (attempt ${attempt})…`;
  }
  if (state === "closed") {
    status.textContent = CLOSED_MESSAGES[code] ?? `Connection closed (${code})`;
  }
}

/** The browser's word on the network, told as soon as it changes. */
export function showOnline(online) {
  const status = $("status");
  status.dataset.state = online ? "connecting" : "offline";
  status.textContent = online ? "Back online. Reconnecting…" : OFFLINE;
}

/**
 * The progress: "Question 4 of 11" by default, or `text` ("Changing question 5 of 10", "All
 * questions answered"); without `progress` only the text changes.
 */
export function setProgress(progress, text) {
  if (!progress) {
    if (text) $("progress-text").textContent = text;
    return;
  }
  const { answered, total } = progress;
  const current = Math.min(answered + 1, total);
  $("progress").hidden = total === 0;
  $("progress-text").textContent = text ?? `Question ${current} of ${total}`;
  const bar = $("progress-bar");
  bar.setAttribute("aria-valuenow", String(answered));
  bar.setAttribute("aria-valuemax", String(total));
  bar.setAttribute("aria-valuetext", `${answered} of ${total} answered`);
  bar.firstElementChild.style.width = `${total ? (100 * answered) / total : 0}%`;
}
