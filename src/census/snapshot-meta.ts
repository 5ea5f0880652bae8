/**
 * The name of a snapshot directory's meta.json (written by `memdesc
 * snapshot`, read by snapshot-dir.ts and the CLI): in a module of its own,
 * below snapshot-dir.ts and source.ts, so neither imports the other for it
 * and a live census, which reads only /proc, still never loads zod.
 */

export const SNAPSHOT_META = "meta.json";
