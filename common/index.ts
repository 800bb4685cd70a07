/**
 * Room `common/`: small pure helpers every other room may use (did-you-mean text, how values are shown in
 * messages, AWS partitions and console links). No I/O, no Pulumi, no imports from any other room.
 */
export * from "./consoleUrls";
export * from "./flags";
export * from "./partition";
export * from "./replacements";
export * from "./text";
