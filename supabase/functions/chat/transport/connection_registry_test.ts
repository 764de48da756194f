import assert from "node:assert/strict";
import { ConnectionRegistry, type RegisteredConnection } from "./connection_registry.ts";

function connection(connectionId: string, userId: string, active = true) {
  const closes: [number, string][] = [];
  const value: RegisteredConnection & { closes: typeof closes } = {
    connectionId,
    userId,
    active,
    generation: undefined,
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
