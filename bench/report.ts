// The benchmark's report: the table BENCHMARKS.md holds, from the results of the phases that ran
// (a phase that did not run shows "–"), and a line per interview phase. Pure: results in, text out.
import type { DbPhase, EchoPhase, HttpPhase, LoadPhase } from "./phases.ts";
import { formatMs, type Summary } from "./stats.ts";

/** The report of `r`, the results main.ts writes to BENCH_OUT (options, then one entry a phase). */
// deno-lint-ignore no-explicit-any
export function report(r: Record<string, any>): string {
  const lines: string[] = [];
  const row = (...cells: string[]) => lines.push(`| ${cells.join(" | ")} |`);
  const ratio = (value: number, floor: number | undefined) =>
    floor && Number.isFinite(value) ? `${(value / floor).toFixed(1)}×` : "–";
  const echo = r.echo as EchoPhase | undefined;
  const echoThink = r.echoThink as EchoPhase | undefined;
  const httpThink = r.httpThink as HttpPhase | undefined;
  const db = r.db as DbPhase | undefined;
  const dbThink = r.dbThink as DbPhase | undefined;
  const instant = r.instant as LoadPhase | undefined;
  const interviewer = r.interviewer as LoadPhase | undefined;
  const saturate = r.saturate as LoadPhase | undefined;
  const ms = (p: LoadPhase | undefined, pick: (p: LoadPhase) => number) =>
    p ? `${formatMs(pick(p))} ms` : "–";
  const pair = (
    p: LoadPhase | undefined,
    a: (p: LoadPhase) => number,
    b: (p: LoadPhase) => number,
  ) => p ? `${formatMs(a(p))} / ${formatMs(b(p))} ms` : "–";
  const think = `think ${r.options.thinkMs} ms`;
  row(
    "figure",
    `instant AI (${think})`,
    `reference interviewer (${think})`,
    "instant AI, no think time (saturated)",
    "floor",
    "ratio to floor",
    "target",
  );
  row("---", "---:", "---:", "---:", "---:", "---:", "---");
  // The connect floor at the latency phases' load when that phase ran, else the saturated one.
  const connectFloor = dbThink ?? db;
  const connectFloorLabel = dbThink ? "db work at the same load" : "db work, saturated";
  row(
    "connect → first question p50 / p99",
    pair(instant, (p) => p.connect.p50, (p) => p.connect.p99),
    pair(interviewer, (p) => p.connect.p50, (p) => p.connect.p99),
    pair(saturate, (p) => p.connect.p50, (p) => p.connect.p99),
    connectFloor
      ? `${formatMs(connectFloor.connect.p50)} / ${
        formatMs(connectFloor.connect.p99)
      } ms (${connectFloorLabel})`
      : "–",
    instant && connectFloor
      ? `${ratio(instant.connect.p50, connectFloor.connect.p50)} / ${
        ratio(instant.connect.p99, connectFloor.connect.p99)
      }`
      : "–",
    "–",
  );
  // A turn's floor at the latency phases' load: its database work plus one WebSocket round trip,
  // both with the same think time (dbthink, echothink); either alone if the other did not run.
  // Every turn also makes one AI call, whose HTTP round trip (httpthink) no chat can skip: the
  // full floor adds it, and both are reported, so the ratio is read against what a turn must do.
  const turnFloor = (pick: (s: Summary) => number, withHttp: boolean) => {
    const parts = [
      dbThink && pick(dbThink.turn),
      echoThink && pick(echoThink.rtt),
      withHttp && httpThink && pick(httpThink.rtt),
    ].filter((x): x is number => typeof x === "number");
    return parts.length ? parts.reduce((a, b) => a + b, 0) : undefined;
  };
  const turnFloorLabel = (pick: (s: Summary) => number) => {
    const parts = [
      dbThink && `${formatMs(pick(dbThink.turn))} ms db work`,
      echoThink && `${formatMs(pick(echoThink.rtt))} ms echo round trip`,
      httpThink && `${formatMs(pick(httpThink.rtt))} ms AI call's HTTP round trip`,
    ].filter(Boolean);
    return parts.length ? `${parts.join(" + ")} at the same load` : "–";
  };
  // "1.8× (2.3× without the AI call)": against the full floor, then the floor without the HTTP.
  const floorRatio = (value: number, pick: (s: Summary) => number) => {
    const full = ratio(value, turnFloor(pick, true));
    return httpThink && (dbThink || echoThink)
      ? `${full} (${ratio(value, turnFloor(pick, false))} without the AI call)`
      : full;
  };
  row(
    "per-turn overhead p50 (answer → next question − AI time)",
    ms(instant, (p) => p.overhead.p50),
    ms(interviewer, (p) => p.overhead.p50),
    ms(saturate, (p) => p.overhead.p50),
    turnFloorLabel((s) => s.p50),
    instant ? floorRatio(instant.overhead.p50, (s) => s.p50) : "–",
    "≤ 1.2× floor",
  );
  row(
    "per-turn overhead p99",
    ms(instant, (p) => p.overhead.p99),
    ms(interviewer, (p) => p.overhead.p99),
    ms(saturate, (p) => p.overhead.p99),
    turnFloorLabel((s) => s.p99),
    instant ? floorRatio(instant.overhead.p99, (s) => s.p99) : "–",
    "≤ 2× floor",
  );
  row(
    "AI time per turn p50 (subtracted above)",
    ms(instant, (p) => p.aiTime.p50),
    ms(interviewer, (p) => p.aiTime.p50),
    ms(saturate, (p) => p.aiTime.p50),
    "",
    "",
    "",
  );
  row(
    "completed turns per second",
    instant ? instant.turnsPerSecond.toFixed(0) : "–",
    interviewer ? interviewer.turnsPerSecond.toFixed(0) : "–",
    saturate ? saturate.turnsPerSecond.toFixed(0) : "–",
    db ? `${db.turnsPerSecond.toFixed(0)} (db work in a loop)` : "–",
    saturate && db ? `${((saturate.turnsPerSecond / db.turnsPerSecond) * 100).toFixed(0)}%` : "–",
    "≥ 1,500; ≥ 40% of db",
  );
  row(
    "database work per turn p50 / p99 (floor loop, saturated)",
    "",
    "",
    "",
    db ? `${formatMs(db.turn.p50)} / ${formatMs(db.turn.p99)} ms` : "–",
    "",
    "",
  );
  row(
    `database work per turn p50 / p99 (floor loop, ${think})`,
    "",
    "",
    "",
    dbThink ? `${formatMs(dbThink.turn.p50)} / ${formatMs(dbThink.turn.p99)} ms` : "–",
    "",
    "",
  );
  const cpu = (p: LoadPhase | undefined) =>
    p
      ? `${p.cpuPerTurnMs.chat.toFixed(2)} / ${p.cpuPerTurnMs.postgres.toFixed(2)} / ` +
        `${p.cpuPerTurnMs.loadGenerator.toFixed(2)} / ${p.cpuPerTurnMs.ai.toFixed(2)}`
      : "–";
  row(
    "CPU ms per turn: chat / Postgres / load generator / AI",
    cpu(instant),
    cpu(interviewer),
    cpu(saturate),
    [db, dbThink].filter((f) => f !== undefined).map((f) =>
          `– / ${f.cpuPerTurnMs.postgres.toFixed(2)} / ${f.cpuPerTurnMs.loop.toFixed(2)} (loop) / –`
        ).join(" (saturated); ") + (dbThink ? " (think time)" : "") || "–",
    "",
    "",
  );
  // What a process of this runtime spends on a turn's three parts at the same load, each measured
  // alone: the database work (the floor loop), a frame in and out (the echo server) and the AI
  // call's client side. The chat cannot spend less than their sum.
  const cpuFloor = (
    dbPart: DbPhase | undefined,
    echoPart: EchoPhase | undefined,
    httpPart: HttpPhase | undefined,
  ) => {
    const parts = [
      dbPart?.cpuPerTurnMs.loop,
      echoPart?.cpuPerRoundTripMs,
      httpPart?.cpuPerCallMs,
    ];
    return parts.every((part) => typeof part === "number")
      ? { sum: parts.reduce((a, b) => a! + b!, 0)!, parts: parts as number[] }
      : undefined;
  };
  const floorThink = cpuFloor(dbThink, echoThink, httpThink);
  const floorFlat = cpuFloor(db, echo, r.http as HttpPhase | undefined);
  const floorCell = (f: { sum: number; parts: number[] } | undefined, label: string) =>
    f
      ? `${f.sum.toFixed(2)} (${f.parts[0]!.toFixed(2)} db loop + ${
        f.parts[1]!.toFixed(2)
      } echo + ` +
        `${f.parts[2]!.toFixed(2)} AI client; ${label})`
      : undefined;
  row(
    "chat CPU ms per turn against the runtime's floor for a turn's parts",
    instant && floorThink
      ? `${instant.cpuPerTurnMs.chat.toFixed(2)} (${
        ratio(instant.cpuPerTurnMs.chat, floorThink.sum)
      })`
      : "–",
    "",
    saturate && floorFlat
      ? `${saturate.cpuPerTurnMs.chat.toFixed(2)} (${
        ratio(saturate.cpuPerTurnMs.chat, floorFlat.sum)
      })`
      : "–",
    [floorCell(floorThink, think), floorCell(floorFlat, "flat out")].filter(Boolean).join("; ") ||
      "–",
    "",
    "≤ 0.40 / ≤ 0.20 ms",
  );
  const backends = (p: { backends: Summary } | undefined) =>
    p ? `${p.backends.max} (p50 ${p.backends.p50})` : "–";
  row(
    `database backends during the phase, max (p50); ${r.options.dbVia}`,
    backends(instant),
    backends(interviewer),
    backends(saturate),
    [db && `${backends(db)} (db, saturated)`, dbThink && `${backends(dbThink)} (db, think time)`]
      .filter(Boolean).join("; ") || "–",
    "",
    "",
  );
  row(
    "chat peak memory (VmHWM) under load",
    ms(instant, (p) => p.chatPeakMiB).replace(" ms", " MiB"),
    ms(interviewer, (p) => p.chatPeakMiB).replace(" ms", " MiB"),
    ms(saturate, (p) => p.chatPeakMiB).replace(" ms", " MiB"),
    "",
    "",
    "",
  );
  if (r.idle) {
    const floor = r.idleFloor?.perThousandMiB as number | undefined;
    row(
      "idle sessions held by one process",
      `${r.idle.held} of ${r.options.idleTarget} (${r.idle.failed} failed)`,
      "",
      "",
      r.idleFloor ? `${r.idleFloor.held} (echo server)` : "–",
      "",
      "10,000",
    );
    row(
      "memory per 1,000 open sessions (marginal RSS growth; from start of ramp)",
      `${r.idle.perThousandMiB.toFixed(1)} MiB (${r.idle.perThousandFromStartMiB.toFixed(1)} MiB)`,
      "",
      "",
      floor !== undefined ? `${floor.toFixed(1)} MiB (idle echo sockets, marginal)` : "–",
      floor ? ratio(r.idle.perThousandMiB, floor) : "–",
      "",
    );
    row(
      "chat memory at the top of the ramp: RSS / peak (VmHWM)",
      `${r.idle.levels.at(-1).rssMiB.toFixed(0)} / ${r.idle.peakMiB.toFixed(0)} MiB`,
      "",
      "",
      r.idleFloor ? `${r.idleFloor.peakMiB.toFixed(0)} MiB (echo server peak)` : "–",
      "",
      "< 500 MB",
    );
    if (typeof r.idle.settledRssMiB === "number") {
      row(
        `chat memory with the top open and idle ${r.options.idleSettleS} s more: RSS`,
        `${r.idle.settledRssMiB.toFixed(0)} MiB (${r.idle.settledHealthTotal} connections)`,
        "",
        "",
        typeof r.idleFloor?.settledRssMiB === "number"
          ? `${r.idleFloor.settledRssMiB.toFixed(0)} MiB (echo server)`
          : "–",
        "",
        "< 300 MiB",
      );
    }
    if (Number.isFinite(r.idle.cpuMsPerSocketMinute)) {
      row(
        "chat CPU of an idle session (heartbeats), per minute",
        `${r.idle.cpuMsPerSocketMinute.toFixed(3)} ms (${r.idle.topCpuMsPerSecond.toFixed(1)} ` +
          `ms/s at the top, ${r.idle.idleCpuMsPerSecond.toFixed(1)} with none)`,
        "",
        "",
        "",
        "",
        "",
      );
    }
  }
  if (httpThink) {
    lines.push(
      "",
      `AI call floor (${think}): ${httpThink.roundTripsPerSecond.toFixed(0)} HTTP round trips/s, ` +
        `p50 ${formatMs(httpThink.rtt.p50)} ms p99 ${formatMs(httpThink.rtt.p99)} ms, ` +
        `${httpThink.failures} failed.`,
    );
  }
  if (echo) {
    lines.push(
      "",
      `Echo floor, flat out: ${echo.roundTripsPerSecond.toFixed(0)} round trips/s, p50 ` +
        `${formatMs(echo.rtt.p50)} ms p99 ${formatMs(echo.rtt.p99)} ms.`,
    );
  }
  for (
    const [name, p] of [["instant", instant], ["interviewer", interviewer], [
      "saturate",
      saturate,
    ]] as const
  ) {
    if (!p) continue;
    lines.push(
      `${name}: ${p.turn.count} turns measured, ${
        p.interviewsPerSecond.toFixed(1)
      } interviews/s, ` +
        `raw turn p50 ${formatMs(p.turn.p50)} ms p99 ${formatMs(p.turn.p99)} ms, ` +
        (p.confirm?.count
          ? `confirm p50 ${formatMs(p.confirm.p50)} ms p99 ${formatMs(p.confirm.p99)} ms, `
          : "") +
        `errors ${JSON.stringify(p.errors)}, unmatched AI keys ${p.unmatched}.`,
    );
  }
  lines.push(`Clients spoke ${r.options.protocol ?? "v1"}.`);
  return lines.join("\n");
}
