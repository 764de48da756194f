// Small DOM helpers shared by the demo page's views.

export const $ = (id) => document.getElementById(id);

/** An element with attributes (`class`, `data-*`, `aria-*`, properties) and children. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name in node && !name.includes("-")) node[name] = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

// One date style on the page, the template engine's ("December 14, 2026"), with the time of day
// where a card says when something happened.
const DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeStyle: "short" });

/** A phone, or any narrow or touch screen: Enter makes a new line in a long answer there. */
export function onPhone() {
  return globalThis.matchMedia?.("(max-width: 600px), (pointer: coarse)").matches ?? false;
}

/** A <time> for an ISO timestamp, in words ("December 1, 2026 at 10:00 AM"). */
export function timeElement(iso) {
  const date = new Date(iso);
  return el("time", { dateTime: date.toISOString(), text: DATE.format(date) });
}

/** Shows or hides a message element (an alert or a status), with its text. */
export function setMessage(element, text) {
  element.textContent = text ?? "";
  element.hidden = !text;
}

/** Wraps each table in a scroll box, so a wide table scrolls inside its card, not the page. */
export function wrapTables(container) {
  // Each region named apart (axe's landmark-unique): by its place and where it is.
  const where = container.getAttribute("aria-label") ?? "Document";
  let count = 0;
  for (const table of container.querySelectorAll("table")) {
    count += 1;
    if (table.parentElement?.classList.contains("table-scroll")) continue;
    const box = el("div", { class: "table-scroll", tabindex: "0", role: "region" });
    box.setAttribute("aria-label", `${where}: table ${count}, scrolls sideways`);
    table.replaceWith(box);
    box.append(table);
  }
}
