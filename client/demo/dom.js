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

const DATE = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short" });

/** A <time> for an ISO timestamp, in words ("1 December 2026 at 10:00"). */
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
  for (const table of container.querySelectorAll("table")) {
    if (table.parentElement?.classList.contains("table-scroll")) continue;
    const box = el("div", { class: "table-scroll", tabindex: "0", role: "region" });
    box.setAttribute("aria-label", "Table, scrolls sideways");
    table.replaceWith(box);
    box.append(table);
  }
}
