/**
 * Reading a snapshot directory written by `memdesc snapshot`: its meta.json,
 * validated with zod (SnapshotMeta in schema.ts), and the paths of its files.
 * Kept apart from source.ts so that the commands which never read a snapshot
 * (a live census) never load zod.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { inputError } from "../model/index.js";
import { SnapshotMeta } from "./schema.js";
import { SNAPSHOT_META } from "./snapshot-meta.js";

export interface LoadedSnapshot {
  readonly dir: string;
  readonly meta: SnapshotMeta;
  readonly kpageflags: string;
  readonly kpagecount: string | null;
  readonly buddyinfo: string | null;
}

/** Read and validate a snapshot directory's meta.json. */
export function loadSnapshot(dir: string): LoadedSnapshot {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(dir);
  } catch {
    return inputError(`${dir}: no such snapshot directory`);
  }
  if (!st.isDirectory())
    inputError(`${dir}: not a directory (a snapshot is a directory written by memdesc snapshot)`);
  const metaPath = join(dir, SNAPSHOT_META);
  let raw: string;
  try {
    raw = readFileSync(metaPath, "utf8");
  } catch {
    return inputError(`${dir}: not a memdesc snapshot (no ${SNAPSHOT_META})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return inputError(`${metaPath}: not valid JSON`);
  }
  const parsed = SnapshotMeta.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "document";
    if (issue?.code === "unrecognized_keys") {
      const keys = (issue as { keys: string[] }).keys.map((k) =>
        where === "document" ? k : `${where}.${k}`,
      );
      return inputError(`${metaPath}: unknown field ${keys.join(", ")}`);
    }
    return inputError(`${metaPath}: ${where}: ${issue?.message ?? "invalid"}`);
  }
  const meta = parsed.data;
  const file = (name: string | null) => (name === null ? null : join(dir, name));
  const buddyPath = file(meta.files.buddyinfo);
  return {
    dir,
    meta,
    kpageflags: join(dir, meta.files.kpageflags),
    kpagecount: file(meta.files.kpagecount),
    buddyinfo: buddyPath && existsSync(buddyPath) ? readFileSync(buddyPath, "utf8") : null,
  };
}
