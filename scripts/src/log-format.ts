import type { ServiceName } from "./stack.js";

const LEVELS: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO ",
  40: "WARN ",
  50: "ERROR",
  60: "FATAL",
};
const COLORS: Record<ServiceName, string> = { auth: "35", notes: "36", gateway: "33" };
const SKIP = new Set(["level", "time", "service", "msg", "pid", "hostname"]);

/**
 * Turns one pino JSON line into `12:00:01 auth    INFO  request method=GET status=200`; a
 * line that is not JSON (a crash before the logger exists) is shown as it is.
 */
export function formatLogLine(service: ServiceName, line: string, color: boolean): string {
  const tag = color ? `\x1b[${COLORS[service]}m${service.padEnd(7)}\x1b[0m` : service.padEnd(7);
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line);
  } catch {
    return `${clock(new Date())} ${tag} ${line}`;
  }
  const time = typeof entry.time === "string" ? new Date(entry.time) : new Date();
  const level = LEVELS[Number(entry.level)] ?? "INFO ";
  const fields = Object.entries(entry)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
  return `${clock(time)} ${tag} ${level} ${String(entry.msg ?? "")}${fields ? ` ${fields}` : ""}`;
}

function clock(d: Date): string {
  return d.toTimeString().slice(0, 8);
}
