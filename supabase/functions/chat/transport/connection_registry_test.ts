import assert from "node:assert/strict";
import { ConnectionRegistry, type RegisteredConnection } from "./connection_registry.ts";

function connection(connectionId: string, userId: string, active = true, sessionId?: string) {
  const closes: [number, string][] = [];
  const value: RegisteredConnection & { closes: typeof closes } = {
    connectionId,
    userId,
    active,
    generation: undefined,
    sessionId,
    closes,
    close: (code, reason) => closes.push([code, reason]),
  };
  return value;
}

Deno.test("ConnectionRegistry keeps the last connection of each user", () => {
  const registry = new ConnectionRegistry();
  const first = connection("c1", "u1");
  const second = connection("c2", "u1");
  const other = connection("c3", "u2", false);
  const superseded: string[] = [];
  const note = (old: RegisteredConnection) => void superseded.push(old.connectionId);
  registry.register(first, note);
  registry.register(other, note);
  assert.deepEqual(superseded, []);
  assert.equal(registry.register(second, note), first);
  assert.deepEqual(superseded, ["c1"]);
  assert.equal(registry.current("u1"), second);
  assert.deepEqual(registry.stats(), { total: 3, active: 2 });

  registry.remove(first); // the superseded socket closes later
  assert.equal(registry.current("u1"), second, "removing the old one keeps the new one current");
  registry.remove(second);
  assert.equal(registry.current("u1"), undefined);
  assert.deepEqual(registry.stats(), { total: 1, active: 0 });
});

Deno.test("ConnectionRegistry finds connections by id and lists the open sessions", () => {
  const registry = new ConnectionRegistry();
  const opening = connection("c1", "u1"); // registered, its session not open yet
  const open = connection("c2", "u2", true, "s2");
  const finished = connection("c3", "u3", false, "s3");
  for (const c of [opening, open, finished]) registry.register(c, () => {});
  assert.equal(registry.byId("c2"), open);
  assert.equal(registry.byId("nope"), undefined);
  assert.deepEqual(registry.owned(), [{ sessionId: "s2", connectionId: "c2" }]);
  registry.remove(open);
  assert.equal(registry.byId("c2"), undefined);
  assert.deepEqual(registry.owned(), []);
});
